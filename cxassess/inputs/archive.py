"""Check a spreadsheet archive before it is read, so a small file cannot cost a large machine.

An .xlsx file is a zip archive of XML parts, and the spreadsheet reader builds a full grid of
the first sheet in memory. So before reading, `check_spreadsheet` refuses (exit 2) an archive
that unpacks to more than `MAX_UNPACKED_BYTES` or packs a part more than `MAX_RATIO` times
(a zip bomb), a sheet that declares or uses more rows or columns than Excel allows, or a used
range larger than `MAX_CELLS` (one cell at XFD1048576 would mean a grid of 17 billion), and
shared texts that, copied into every cell that refers to them, would exceed `MAX_SHARED_TEXT`.
Only the archive's directory and the sheets' XML are looked at, streamed in chunks.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

from cxassess.errors import InputError

MAX_UNPACKED_BYTES = 1024 * 1024 * 1024
"""Largest total size of an archive's parts once unpacked (1 GiB)."""
MAX_RATIO = 100
"""Largest packing ratio of one part bigger than 1 MiB; real sheets pack 5 to 30 times."""
MAX_CELLS = 10_000_000
"""Largest used range (rows x columns) read; 10,000 respondents x 1,000 columns is 10 million."""
MAX_SHARED_TEXT = 250_000_000
"""Largest total of shared text copied into cells (250 million characters)."""
EXCEL_ROWS = 1_048_576
EXCEL_COLUMNS = 16_384

_CHUNK = 1024 * 1024
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*?\bref="([^"]*)"')
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*)>(?:\s*<(?:\w+:)?v>(\d{1,12})</(?:\w+:)?v>)?")
_REF = re.compile(rb'\br="\$?([A-Z]{1,7})\$?(\d{1,12})"')
_ROW = re.compile(rb"<(?:\w+:)?row\b([^>]*)>")
_ROW_NUMBER = re.compile(rb'\br="(\d{1,12})"')
_SHARED = re.compile(rb'\bt="s"')


def _refuse(path: Path, what: str) -> InputError:
    return InputError(
        f"{path}: {what}",
        hint="if the file is genuine, open it in Excel, delete the empty rows and columns "
        "beyond the answers, and save it again; or export the answers as CSV",
    )


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _last_cell(ref: bytes) -> tuple[int, int]:
    """Row and column (1-based) of the bottom-right cell of a range such as `A1:XFD1048576`."""
    found = re.findall(rb"\$?([A-Z]{1,7})\$?(\d{1,12})", ref)
    if not found:
        return (0, 0)
    return max(int(r) for _c, r in found), max(_column_number(c) for c, _r in found)


def _unpacked(data: bytes, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """A part's bytes as they unpack, whatever size the archive's directory declares for it
    (a directory may lie, to slip a bomb past a check of the declared sizes); more than
    `MAX_UNPACKED_BYTES`, or `MAX_RATIO` times its packed size, raises `_TooLarge`."""
    start = info.header_offset
    if data[start : start + 4] != b"PK\x03\x04":
        raise zipfile.BadZipFile("no local header")
    name_length, extra_length = struct.unpack("<HH", data[start + 26 : start + 30])
    begin = start + 30 + name_length + extra_length
    packed = memoryview(data)[begin : begin + info.compress_size]
    total = 0
    if info.compress_type == zipfile.ZIP_STORED:
        pieces: Iterator[bytes] = (
            bytes(packed[i : i + _CHUNK]) for i in range(0, len(packed), _CHUNK)
        )
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        pieces = _inflate(packed)
    else:
        raise NotImplementedError(info.compress_type)
    for piece in pieces:
        total += len(piece)
        if total > MAX_UNPACKED_BYTES or (
            total > _CHUNK and total > MAX_RATIO * max(info.compress_size, 1)
        ):
            raise _TooLarge(info.filename)
        yield piece


def _inflate(packed: memoryview) -> Iterator[bytes]:
    inflater = zlib.decompressobj(-15)
    for at in range(0, len(packed), 64 * 1024):
        out = inflater.decompress(packed[at : at + 64 * 1024], _CHUNK)
        while out:
            yield out
            out = (
                inflater.decompress(inflater.unconsumed_tail, _CHUNK)
                if inflater.unconsumed_tail
                else b""
            )
        if inflater.eof:
            return


class _TooLarge(Exception):
    """A part unpacks to more than `MAX_UNPACKED_BYTES`, or more than `MAX_RATIO` times its
    packed size."""


def _chunks(data: bytes, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The part's bytes in chunks that each end after a `>`, so no tag is cut in two."""
    rest = b""
    for block in _unpacked(data, info):
        joined = rest + block
        cut = joined.rfind(b">") + 1
        if cut == 0 and len(joined) < 64 * _CHUNK:
            rest = joined
            continue
        cut = cut or len(joined)
        yield joined[:cut]
        rest = joined[cut:]
    if rest:
        yield rest


def _shared_lengths(data: bytes, infos: list[zipfile.ZipInfo]) -> list[int]:
    """The length of each shared text, in order."""
    info = next((i for i in infos if i.filename.lower() == "xl/sharedstrings.xml"), None)
    if info is None:
        return []
    lengths: list[int] = []
    parser = ElementTree.XMLPullParser(events=("end",))
    try:
        for block in _unpacked(data, info):
            parser.feed(block)
            for _event, element in parser.read_events():
                if element.tag.rsplit("}", 1)[-1] == "si":
                    lengths.append(sum(len(t) for t in element.itertext()))
                    element.clear()
    except ElementTree.ParseError:
        return lengths  # damaged: the spreadsheet reader says so in its own words
    return lengths


def _check_sheet(path: Path, data: bytes, info: zipfile.ZipInfo, lengths: list[int]) -> None:
    sheet = info.filename.rsplit("/", 1)[-1]
    rows = columns = shared = counted = 0
    for chunk in _chunks(data, info):
        for declared in _DIMENSION.finditer(chunk):
            last_row, last_column = _last_cell(declared.group(1))
            rows, columns = max(rows, last_row), max(columns, last_column)
        for row in _ROW.finditer(chunk):
            number = _ROW_NUMBER.search(row.group(1))
            counted = max(counted + 1, int(number.group(1))) if number else counted + 1
        rows = max(rows, counted)
        for cell in _CELL.finditer(chunk):
            attributes, value = cell.group(1), cell.group(2)
            ref = _REF.search(attributes)
            if ref:
                rows = max(rows, int(ref.group(2)))
                columns = max(columns, _column_number(ref.group(1)))
            if value is not None and _SHARED.search(attributes):
                index = int(value)
                shared += lengths[index] if index < len(lengths) else 0
        if rows > EXCEL_ROWS or columns > EXCEL_COLUMNS:
            raise _refuse(
                path,
                f"sheet '{sheet}' has more rows or columns than Excel allows "
                f"({EXCEL_ROWS:,} rows, {EXCEL_COLUMNS:,} columns)",
            )
        if rows * columns > MAX_CELLS:
            raise _refuse(
                path,
                f"sheet '{sheet}' spans {rows:,} rows by {columns:,} columns, more than the "
                f"{MAX_CELLS:,} cells cxassess reads",
            )
        if shared > MAX_SHARED_TEXT:
            raise _refuse(
                path,
                f"sheet '{sheet}' repeats shared texts into more than {MAX_SHARED_TEXT:,} "
                "characters",
            )


def check_spreadsheet(path: Path, data: bytes) -> None:
    """Refuse (`InputError`, exit 2) a spreadsheet archive that would cost far more memory or
    time to read than its size suggests. Files that are not zip archives (.xls) pass; the
    spreadsheet reader judges them."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        return
    with archive:
        infos = archive.infolist()
        unpacked = sum(info.file_size for info in infos)
        if unpacked > MAX_UNPACKED_BYTES:
            raise _refuse(
                path,
                f"the archive unpacks to {unpacked / 2**20:,.0f} MiB, more than the "
                f"{MAX_UNPACKED_BYTES / 2**20:,.0f} MiB cxassess reads",
            )
        for info in infos:
            if info.file_size > _CHUNK and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise _refuse(
                    path,
                    f"the archive's part {info.filename} unpacks "
                    f"{info.file_size // max(info.compress_size, 1):,} times its packed size "
                    "(a zip bomb?)",
                )
        sheets = [i for i in infos if re.fullmatch(r"xl/worksheets/[^/]+\.xml", i.filename, re.I)]
        if not sheets:
            return
        try:
            lengths = _shared_lengths(data, infos)
            for info in sorted(sheets, key=lambda i: i.filename):
                _check_sheet(path, data, info, lengths)
        except _TooLarge as large:
            raise _refuse(
                path,
                f"the archive's part {large.args[0]} unpacks to more than {MAX_RATIO} times its "
                f"packed size, or more than {MAX_UNPACKED_BYTES / 2**20:,.0f} MiB (a zip bomb?)",
            ) from None
        except (
            zipfile.BadZipFile,
            OSError,
            EOFError,
            NotImplementedError,
            zlib.error,
            struct.error,
        ):
            return  # damaged: the spreadsheet reader says so in its own words
