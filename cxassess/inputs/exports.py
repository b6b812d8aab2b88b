"""Open survey exports: CSV, TSV and spreadsheets from any survey tool, whatever their layout.

An export is opened in two steps. `open_export` reads the bytes (hashing them), works out the
text encoding (UTF-8 with or without a byte-order mark, UTF-16, or Windows-1252), the delimiter
(comma, semicolon, tab or bar, or Excel's `sep=` line) and the tool's layout: how many header
rows, and which texts each column's header offers for matching. `Export.read` then reads the
chosen columns in one columnar pass, each cell kept as the tool wrote it.

Layouts (see docs/export-formats.md): our own (`respondent` and ids as headers),
Google Forms (`Timestamp` first), Microsoft Forms (`ID`, `Start time`, `Completion time`),
Qualtrics (three header rows: export tags, question texts, `{"ImportId":...}` or, in 2016-style
exports, `{'ImportId': ...}`; two in legacy exports: `V1,V2,...` tags, then `ResponseID,...`
and the question texts), SurveyMonkey (two header rows: question, then matrix row or choice),
KoboToolbox (one header row, `group/question` paths, `question/option` select-multiple columns)
and any other spreadsheet with one header row.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import hashlib
import io
import itertools
import os
import re
import sys
import threading
import zipfile
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from cxassess.errors import InputError
from cxassess.inputs.archive import check_spreadsheet
from cxassess.inputs.limits import column_letter, mac_line_ends, read_input, sniff_text
from cxassess.inputs.matching import key

if TYPE_CHECKING:
    import polars as pl

SPREADSHEET_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"})
DELIMITERS = (",", ";", "\t", "|")
SAMPLE_BYTES = 256 * 1024
SAMPLE_ROWS = 200
ROW_COLUMN = "__row"

GOOGLE_TIMESTAMPS = frozenset(
    {"timestamp", "marcatemporal", "horodateur", "zeitstempel", "tijdstempel",
     "carimbodedatahora", "informazionecronologica", "sygnaturaczasowa"}
)  # fmt: skip
SURVEYMONKEY_GENERIC = frozenset({"", "response", "openendedresponse"})
QUALTRICS_TEST_STATUS = frozenset({"surveypreview", "surveytest", "1", "2"})
"""Qualtrics `Status` of previews and test responses: newer exports write the words, legacy
exports the codes 1 (preview) and 2 (test)."""
QUALTRICS_SPAM_STATUS = frozenset({"spam", "previewspam", "8", "9"})


_IMPORT_ID = re.compile(r"""^\s*\{\s*["']ImportId["']\s*:""")
"""The third header row of Qualtrics exports: `{"ImportId":"QID1"}`, or in 2016-style exports
`{'ImportId': 'QID1'}`."""


@dataclass(frozen=True)
class Layout:
    """How a tool lays out its export: its name, header rows and respondent-id column."""

    name: str
    title: str
    header_rows: int = 1
    respondent: str = ""
    """Key of the header holding respondent ids, if the tool writes one."""


OURS = Layout("cxassess", "cxassess layout", 1, "respondent")
GOOGLE_FORMS = Layout("google-forms", "Google Forms export")
MICROSOFT_FORMS = Layout("microsoft-forms", "Microsoft Forms export", 1, "id")
QUALTRICS = Layout("qualtrics", "Qualtrics export", 3, "responseid")
QUALTRICS_LEGACY = Layout("qualtrics", "Qualtrics export (legacy)", 2, "responseid")
SURVEYMONKEY = Layout("surveymonkey", "SurveyMonkey export", 2, "respondentid")
KOBOTOOLBOX = Layout("kobotoolbox", "KoboToolbox export")
SPREADSHEET = Layout("spreadsheet", "spreadsheet", 1)


def detect_layout(rows: list[list[str]]) -> Layout:
    """The layout of an export from its first rows (each a list of cell texts)."""
    first = [key(cell) for cell in rows[0]] if rows else []
    for index in range(1, min(4, len(rows))):
        if any(_IMPORT_ID.match(cell) for cell in rows[index]):
            return QUALTRICS if index == 2 else QUALTRICS_LEGACY
    second = {key(c) for c in rows[1]} if len(rows) > 1 else set()
    if "responseid" in second and ("responseid" in first or first[:2] == ["v1", "v2"]):
        return QUALTRICS_LEGACY  # legacy: `V1,V2,...` tags, then `ResponseID,...` and texts
    if "respondentid" in first and len(rows) > 1:
        column = first.index("respondentid")
        second = rows[1][column] if column < len(rows[1]) else ""
        if not second.strip():
            return SURVEYMONKEY
    if first and first[0] in GOOGLE_TIMESTAMPS:
        return GOOGLE_FORMS
    if {"id", "starttime", "completiontime"} <= set(first):
        return MICROSOFT_FORMS
    if "submissiontime" in first and ("uuid" in first or "id" in first):
        return KOBOTOOLBOX  # `_submission_time`, `_uuid`, `_id` end every KoboToolbox export
    if "respondent" in first:
        return OURS
    return SPREADSHEET


def header_texts(layout: Layout, rows: list[list[str]], width: int) -> list[list[str]]:
    """Per column, the header texts to match, best first."""

    def cell(row: int, column: int) -> str:
        return rows[row][column].strip() if row < len(rows) and column < len(rows[row]) else ""

    found: list[list[str]] = []
    if layout.name == "qualtrics":
        for column in range(width):
            found.append([t for t in (cell(0, column), cell(1, column)) if t])
    elif layout.name == "surveymonkey":
        question = ""
        for column in range(width):
            question = cell(0, column) or question
            detail = cell(1, column)
            found.append([question] if key(detail) in SURVEYMONKEY_GENERIC else [detail])
    else:
        found = [[cell(0, column)] if cell(0, column) else [] for column in range(width)]
    return found


class Digest:
    """The SHA-256 of some bytes, computed in a background thread (hashlib releases the
    interpreter) from `start()` on; `hexdigest()` starts it if need be and waits for it.

    The thread runs at the lowest priority where the system allows it, taking only what the
    cores leave idle; a CSV export starts it once polars has parsed the file."""

    def __init__(self, data: bytes, *, start: bool = True) -> None:
        self._result: list[str] = []
        self._thread = threading.Thread(target=self._hash, args=(data,), daemon=True)
        if start:
            self.start()

    def _hash(self, data: bytes) -> None:
        _lower_thread_priority()
        self._result.append(hashlib.sha256(data).hexdigest())

    def start(self) -> None:
        """Start hashing in the background (again: nothing)."""
        if self._thread.ident is None:
            self._thread.start()

    def hexdigest(self) -> str:
        """The digest as 64 hexadecimal characters."""
        self.start()
        self._thread.join()
        return self._result[0]


def _lower_thread_priority() -> None:
    """Give the calling thread the lowest scheduling priority (Linux, where threads have their
    own nice value); elsewhere, or when not allowed, nothing changes."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)


@dataclass
class Export:
    """An export opened and understood, its data not yet read."""

    path: Path
    digest: Digest
    layout: Layout
    headers: list[list[str]]
    """Per column, the header texts offered for matching."""
    shown: list[str]
    """Per column, the header as a user sees it, for messages."""
    sample: list[list[str]] = field(default_factory=list)
    """The first data rows as text, to choose how to parse each column."""
    delimiter: str = ","
    encoding: str = "utf-8"
    origin: tuple[int, int] = (0, 0)
    """Spreadsheet row and column (0-based) of the first cell of the first header row."""
    text: bytes | None = None
    grid: pl.DataFrame | None = None

    @property
    def sha256(self) -> str:
        """The SHA-256 of the file's bytes."""
        return self.digest.hexdigest()

    @property
    def file(self) -> str:
        """The path as the user gave it."""
        return str(self.path)

    @property
    def first_row(self) -> int:
        """The spreadsheet row number (1-based) of the first data row."""
        return self.origin[0] + self.layout.header_rows + 1

    def letter(self, column: int) -> str:
        """The spreadsheet letter of a column."""
        return column_letter(self.origin[1] + column)

    def numeric_in_sample(self, column: int) -> bool:
        """Whether every sampled cell of a column is blank or a plain number."""
        from cxassess.inputs.matching import parse_number

        for row in self.sample:
            if column < len(row) and row[column] and parse_number(row[column]) is None:
                return False
        return True

    def read(self, wanted: dict[int, str], numeric: Collection[int] = ()) -> pl.DataFrame:
        """The chosen columns (index -> new name) of every data row, with `__row`, the
        spreadsheet row number. Columns in `numeric` come back as Float64 when every cell is a
        plain number, as text otherwise; all others as text."""
        import polars as pl

        if self.grid is not None:
            body = self.grid.slice(self.layout.header_rows)
            names = body.columns
            return body.select(
                (pl.int_range(pl.len(), dtype=pl.Int64) + self.first_row).alias(ROW_COLUMN),
                *[pl.col(names[i]).alias(name) for i, name in wanted.items() if i < len(names)],
            )
        assert self.text is not None
        width = len(self.headers)
        floats = {i for i in numeric if i in wanted}
        try:
            frame = self._read_csv(width, wanted, floats)
        except pl.exceptions.ComputeError:
            if not floats:
                raise
            frame = self._read_csv(width, wanted, set())
        self.digest.start()
        return frame.rename({f"column_{i}": name for i, name in wanted.items()}).with_columns(
            pl.col(ROW_COLUMN).cast(pl.Int64)
        )

    def _read_csv(self, width: int, wanted: dict[int, str], floats: set[int]) -> pl.DataFrame:
        import polars as pl

        assert self.text is not None
        schema = {f"column_{i}": pl.Float64 if i in floats else pl.String for i in range(width)}
        skip = self.layout.header_rows + (1 if self.text.startswith(b"sep=") else 0)
        return pl.read_csv(
            self.text,
            has_header=False,
            separator=self.delimiter,
            skip_rows=skip,
            schema=schema,
            columns=[f"column_{i}" for i in sorted(wanted)],
            truncate_ragged_lines=True,
            missing_columns="insert",
            extra_columns="ignore",
            row_index_name=ROW_COLUMN,
            row_index_offset=self.first_row,
            raise_if_empty=False,
        )


def _decode(data: bytes) -> tuple[bytes, str]:
    """UTF-8 bytes of a text file and the encoding it was in."""
    if data.startswith(codecs.BOM_UTF8):
        body = data[len(codecs.BOM_UTF8) :]
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            return body.decode("utf-8", errors="replace").encode("utf-8"), "utf-8 (damaged)"
        return body, "utf-8 with byte-order mark"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16").encode("utf-8"), "utf-16"
        except UnicodeDecodeError:  # a cut-off file or a lone surrogate: read what is there
            return data.decode("utf-16", errors="replace").encode("utf-8"), "utf-16 (damaged)"
    if data.isascii():
        return data, "utf-8"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        head = data[:4096]
        if head and head.count(0) > len(head) // 4:
            codec = "utf-16-le" if head[1:2] == b"\x00" else "utf-16-be"
            return data.decode(codec, errors="replace").encode("utf-8"), codec
        return data.decode("cp1252", errors="replace").encode("utf-8"), "windows-1252"
    return data, "utf-8"


def detect_delimiter(sample: str) -> str:
    """The delimiter that splits the sample's first rows into the most, equally long rows."""
    lines = sample.splitlines()
    if lines and lines[0].startswith("sep=") and len(lines[0].rstrip()) == 5:
        return lines[0][4]
    best, best_score = ",", (0.0, 0)
    for delimiter in DELIMITERS:
        try:
            reader = csv.reader(io.StringIO(sample), delimiter=delimiter)
            rows = [r for r in itertools.islice(reader, 20) if r]
        except csv.Error:
            continue
        if not rows or len(rows[0]) < 2:
            continue
        width = len(rows[0])
        score = (sum(len(r) == width for r in rows) / len(rows), width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _sample_rows(text: bytes, delimiter: str, truncated: bool) -> list[list[str]]:
    sample = text[:SAMPLE_BYTES].decode("utf-8", errors="ignore")
    lines = sample.splitlines(keepends=True)
    if lines and lines[0].startswith("sep="):
        lines = lines[1:]
    if truncated and len(lines) > 1:
        lines = lines[:-1]
    rows: list[list[str]] = []
    try:
        for row in csv.reader(io.StringIO("".join(lines)), delimiter=delimiter):
            rows.append(row)
            if len(rows) >= SAMPLE_ROWS:
                break
    except csv.Error:
        pass
    return rows


def _sheet_origin(path: Path) -> tuple[int, int]:
    """Row and column (0-based) where the first sheet's used range starts, from its
    `<dimension>`; (0, 0) when unknown."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
            workbook = archive.read("xl/workbook.xml").decode("utf-8", "ignore")
            rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8", "ignore")
            first = re.search(r"<sheet\b[^>]*\br:id=\"([^\"]+)\"", workbook)
            target = None
            if first:
                rel = re.search(rf"<Relationship\b[^>]*Id=\"{first.group(1)}\"[^>]*>", rels)
                found = re.search(r"Target=\"([^\"]+)\"", rel.group(0)) if rel else None
                target = found.group(1).lstrip("/") if found else None
                if target and not target.startswith("xl/"):
                    target = "xl/" + target
            sheet = target if target in names else (sorted(names)[0] if names else None)
            if sheet is None:
                return (0, 0)
            with archive.open(sheet) as handle:
                head = handle.read(8192).decode("utf-8", "ignore")
    except (OSError, KeyError, zipfile.BadZipFile):
        return (0, 0)
    ref = re.search(r"<dimension\s+ref=\"\$?([A-Z]+)\$?(\d+)", head)
    if not ref:
        return (0, 0)
    column = 0
    for letter in ref.group(1):
        column = column * 26 + ord(letter) - 64
    return (int(ref.group(2)) - 1, column - 1)


def _empty(path: Path, detail: str) -> InputError:
    return InputError(
        f"{path}: {detail}",
        hint="export the answers again, or leave this file out",
        location=None,
    )


def _open_spreadsheet(path: Path, data: bytes, digest: Digest) -> Export:
    import fastexcel

    try:
        reader = fastexcel.read_excel(data)
        sheet = reader.load_sheet(0, header_row=None, dtypes="string")
        grid = sheet.to_polars()
    except Exception as exc:  # fastexcel raises its own error types for damaged files
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        if "empty" in message.casefold() or "no rows" in message.casefold():
            raise _empty(path, "the spreadsheet is empty") from None
        raise InputError(
            f"{path}: cannot read this spreadsheet ({message})",
            hint="save it again from Excel as .xlsx, or export it as CSV",
        ) from None
    if grid.height == 0 or grid.width == 0:
        raise _empty(path, "the spreadsheet is empty")
    head = [[cell or "" for cell in row] for row in grid.head(4).rows()]
    layout = detect_layout(head)
    sample = [[cell or "" for cell in row] for row in grid.slice(layout.header_rows, 200).rows()]
    headers = header_texts(layout, head, grid.width)
    origin = _sheet_origin(path) if path.suffix.lower() in {".xlsx", ".xlsm"} else (0, 0)
    return Export(path, digest, layout, headers, _shown(headers), sample, origin=origin, grid=grid)


def _is_blank(text: bytes) -> bool:
    """Whether a text holds nothing but white space and delimiters (looking at its start
    first, so that a large file is not copied to find out)."""
    blank = b" \t\r\n,;|\x00"
    return not text[:SAMPLE_BYTES].strip(blank) and not text.strip(blank)


def _shown(headers: list[list[str]]) -> list[str]:
    return [texts[0] if texts else "" for texts in headers]


def open_export(path: Path) -> Export:
    """Read, hash and understand an export file (its data is read later by `Export.read`)."""

    data = read_input(path)
    spreadsheet = path.suffix.lower() in SPREADSHEET_SUFFIXES or data.startswith(b"PK\x03\x04")
    digest = Digest(data, start=spreadsheet)
    if spreadsheet:
        check_spreadsheet(path, data)
        return _open_spreadsheet(path, data, digest)
    text, encoding = sniff_text(path, data) or _decode(data)
    text = mac_line_ends(text)
    if _is_blank(text):
        raise _empty(path, "the file is empty")
    sample = text[:SAMPLE_BYTES].decode("utf-8", errors="ignore")
    delimiter = detect_delimiter(sample)
    rows = _sample_rows(text, delimiter, truncated=len(text) > SAMPLE_BYTES)
    if not rows:
        raise _empty(path, "the file is empty")
    layout = detect_layout(rows[:4])
    width = max(len(r) for r in rows[: layout.header_rows]) if rows else 0
    headers = header_texts(layout, rows, width)
    return Export(
        path,
        digest,
        layout,
        headers,
        _shown(headers),
        rows[layout.header_rows :],
        delimiter=delimiter,
        encoding=encoding,
        text=text,
    )


def hidden_status(column: str, statuses: Collection[str]) -> pl.Expr:
    """Qualtrics rows whose `Status` is one of `statuses` (as keys), to leave out."""
    import polars as pl

    return (
        pl.col(column)
        .str.replace_all(r"[\W_]+", "")
        .str.to_lowercase()
        .is_in(sorted(statuses))
        .fill_null(False)
    )
