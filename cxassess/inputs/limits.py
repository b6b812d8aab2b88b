"""Read one untrusted input within bounds, and say precisely what is wrong with a text export.

Every export read whole is read through `read_input`: only regular files (a pipe or
`/dev/zero` would never end), and at most `MAX_INPUT_BYTES`; a large UTF-8 CSV read in batches
has no byte cap, as its memory does not grow with the file. `sniff_text` recognises UTF-32
and UTF-16 written without a byte-order mark, which would otherwise look empty or like
garbage, and `mac_line_ends` turns the lone carriage returns of Excel's "CSV (Macintosh)"
into newlines. When the CSV parser gives up, `csv_fault` finds the first badly quoted field,
so the message names its row and column instead of the parser's internals.
"""

from __future__ import annotations

import codecs
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from cxassess.errors import FileNotFound, InputError, Location

MAX_INPUT_BYTES = 512 * 1024 * 1024
"""Largest input file read whole into memory (512 MiB): the cap bounds the memory a file can
take. It does not apply to a file read in batches (see `STREAM_FROM_BYTES`): there memory
depends on the batch size, not on the file, so any size is read; the caps on what a batch can
hold (`MAX_CELLS`, `MAX_DECODED_BYTES` for columnar files) still guard against hostile files."""

STREAM_FROM_BYTES = 64 * 1024 * 1024
"""A UTF-8 CSV or TSV export with one header row of at least this size (64 MiB), or a Parquet
or Arrow input whose chosen columns would take at least this much in memory, is read in
batches (`cxassess.inputs.batches`) instead of whole; smaller ones are read whole, which is
quicker for them and gives the same answers."""

NOT_REGULAR_HINT = "save the export to a file first, and give the path of that file"


def check_regular(path: Path) -> None:
    """Refuse a path that is not a regular file (a pipe, a device, a socket): reading one may
    never end, or never stop growing."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise FileNotFound(path, "input file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        raise InputError(
            f"{path}: not a regular file (it is a pipe, a device or a socket)",
            hint=NOT_REGULAR_HINT,
        )


def read_input(path: Path, limit: int | None = None) -> bytes:
    """The bytes of one input file, refusing anything but a regular file of at most `limit`
    bytes (`MAX_INPUT_BYTES` unless given; `InputError`, exit 2), never blocking on a pipe."""
    limit = MAX_INPUT_BYTES if limit is None else limit
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise FileNotFound(path, "input file") from None
    except IsADirectoryError:
        raise FileNotFound(path, "input file (this is a folder with no answer files)") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if stat.S_ISDIR(info.st_mode):
            raise FileNotFound(path, "input file (this is a folder with no answer files)")
        if not stat.S_ISREG(info.st_mode):
            raise InputError(
                f"{path}: not a regular file (it is a pipe, a device or a socket)",
                hint=NOT_REGULAR_HINT,
            )
        if info.st_size > limit:
            raise too_large(path, info.st_size, limit)
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if len(data) > limit:
        raise too_large(path, len(data), limit)
    return data


def too_large(path: Path, size: int, limit: int) -> InputError:
    """The refusal of an input larger than we read."""
    return InputError(
        f"{path}: the file is too large to read ({size / 2**20:,.0f} MiB; at most "
        f"{limit / 2**20:,.0f} MiB)",
        hint="export only the answers of this survey, or split the export into several files",
    )


def _zero_share(head: bytes, offset: int, step: int) -> float:
    picked = head[offset::step]
    return picked.count(0) / len(picked) if picked else 0.0


def sniff_text(path: Path, data: bytes) -> tuple[bytes, str] | None:
    """UTF-8 bytes and the encoding name of a UTF-32 file (with or without a byte-order mark)
    or a UTF-16 file without one, recognised by where its zero bytes fall; None for any
    other file. A file in one of these encodings that does not decode raises `InputError`."""
    codec = None
    if not data[:4096].strip(b"\x00 \t\r\n,;|"):
        return None  # blank, or nothing but zero bytes: said to be empty by the caller
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        codec = "utf-32"
    elif b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        head = data[: 4096 - 4096 % 4]
        zeros = [_zero_share(head, k, 4) for k in range(4)]
        if min(zeros[1:]) > 0.9 and zeros[0] < 0.5:
            codec = "utf-32-le"
        elif min(zeros[:3]) > 0.9 and zeros[3] < 0.5:
            codec = "utf-32-be"
        elif _zero_share(head, 1, 2) > 0.3 and _zero_share(head, 0, 2) < 0.05:
            codec = "utf-16-le"
        elif _zero_share(head, 0, 2) > 0.3 and _zero_share(head, 1, 2) < 0.05:
            codec = "utf-16-be"
        else:
            raise InputError(
                f"{path}: this is not a text export: it holds binary data",
                hint="export the answers as CSV (UTF-8) or as an Excel workbook (.xlsx)",
            )
    if codec is None:
        return None
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path}: the file looks like {codec.upper()} text but is damaged at byte "
            f"{exc.start:,}",
            hint="export the answers again, as CSV (UTF-8) if the tool offers it",
        ) from None
    return text.lstrip("\ufeff").encode("utf-8"), codec


def mac_line_ends(text: bytes) -> bytes:
    """Text whose lines end in lone carriage returns (Excel's "CSV (Macintosh)") with newlines
    instead; any other text unchanged."""
    if b"\r" in text and b"\n" not in text:
        return text.replace(b"\r", b"\n")
    return text


@dataclass(frozen=True)
class CsvFault:
    """The first badly quoted field of a CSV: its record (1-based), field (0-based), why."""

    record: int
    field: int
    what: str


def csv_fault(text: bytes, delimiter: str) -> CsvFault | None:
    """The first field that breaks CSV quoting: a quote inside an unquoted field (`sec"ret`),
    text after a closing quote, or a quoted field never closed; None when quoting is sound."""
    sep = delimiter.encode("utf-8")[0]
    quote, cr, lf = 0x22, 0x0D, 0x0A
    record, column, index, size = 1, 0, 0, len(text)
    while index < size:
        start = index
        if text[index] == quote:
            index += 1
            while True:
                end = text.find(b'"', index)
                if end < 0:
                    return CsvFault(record, column, "a quoted field is never closed")
                if end + 1 < size and text[end + 1] == quote:
                    index = end + 2
                    continue
                index = end + 1
                break
            record_before = record
            record += text.count(b"\n", start, index)
            if index < size and text[index] not in (sep, cr, lf):
                return CsvFault(record_before, column, "text follows the closing quote")
        else:
            while index < size and text[index] not in (sep, cr, lf):
                if text[index] == quote:
                    return CsvFault(record, column, "a quote inside a field that is not quoted")
                index += 1
        if index >= size:
            break
        if text[index] == sep:
            column += 1
            index += 1
            continue
        index += 2 if text[index] == cr and text[index + 1 : index + 2] == b"\n" else 1
        record, column = record + 1, 0
    return None


def csv_error(path: Path, text: bytes, delimiter: str, shown: list[str], detail: str) -> InputError:
    """The refusal of a CSV the parser could not read, naming the row and column of the first
    badly quoted field when there is one (rows numbered as a spreadsheet shows them)."""

    fault = csv_fault(text, delimiter)
    if fault is None:
        return InputError(
            f"{path}: cannot read this CSV file ({detail})",
            hint="export the answers again, or open the file in a spreadsheet and save it as CSV",
        )
    record = fault.record - (1 if text.startswith(b"sep=") else 0)
    header = shown[fault.field] if fault.field < len(shown) else ""
    where = f"column {column_letter(fault.field)}" + (f" '{header[:40]}'" if header else "")
    return InputError(
        f"{where}: {fault.what}",
        hint='put the whole field in double quotes and double any quote inside it ("" for "), '
        "or export the file again from the survey tool",
        location=Location(str(path), record),
    )


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index: 0 -> A, 27 -> AB."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
