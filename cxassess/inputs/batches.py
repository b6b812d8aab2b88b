"""Read a large UTF-8 CSV or TSV export a batch of rows at a time, in memory that does not grow
with the file.

`open_streamed` looks at the file's first `SAMPLE_BYTES` only (for the delimiter, the layout
and the headers, as `open_export` does with the whole text) and checks, reading the file once
in blocks, that it is UTF-8 throughout. `StreamedExport.scan` is then a lazy polars scan of the
file with exactly the options `Export.read` uses, so the column plan and the conversion
(`columns.plan_conversion`) are decided from one pass over the whole file's distinct values,
and `StreamedExport.batches` reads and converts the rows a batch at a time: a file without
quote marks a block of whole lines at a time (`chunks`), in memory of two blocks, and one with
quotes with polars' streaming engine (`LazyFrame.collect_batches`, which may hold more): every
batch converted alike, row numbers those of the file.

Only what can be read so is streamed: a text file in UTF-8 (with or without a byte-order
mark) with one header row. Other encodings, multi-row headers (Qualtrics, SurveyMonkey),
spreadsheets and response files are read whole, as before, within `MAX_INPUT_BYTES`.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cxassess.inputs.exports import (
    ROW_COLUMN,
    SAMPLE_BYTES,
    Digest,
    Export,
    _lower_thread_priority,
    _sample_rows,
    _shown,
    detect_delimiter,
    detect_layout,
    header_texts,
)
from cxassess.inputs.limits import STREAM_FROM_BYTES, check_regular

if TYPE_CHECKING:
    import polars as pl

    from cxassess.inputs.columns import Conversion

STREAMED_SUFFIXES = frozenset({".csv", ".tsv", ".txt"})
DEFAULT_BATCH_ROWS = 200_000
"""Rows read and converted at a time: large enough that polars' per-batch overhead does not
count (a 20M-row score is as fast as with 500,000), small enough that a batch of a wide export
stays well under 1 GB and a ten-question one costs about 50 MB while it is converted."""
BLOCK_BYTES = 4 * 1024 * 1024
"""Bytes read at a time to check that a file is UTF-8 throughout."""
MAX_LINE_BYTES = 16 * 1024 * 1024
"""Longest line of a file read in batches (16 MiB; a survey response is a few KiB)."""


class FileDigest(Digest):
    """The SHA-256 of a file, read from disk in a background thread at the lowest priority
    (see `Digest`), never holding more than one block of it."""

    def __init__(self, path: Path) -> None:
        self._path = path
        super().__init__(b"", start=False)

    def _hash(self, data: bytes) -> None:
        import hashlib

        _lower_thread_priority()
        digest = hashlib.sha256()
        with open(self._path, "rb") as handle:
            while block := handle.read(BLOCK_BYTES):
                digest.update(block)
        self._result.append(digest.hexdigest())


def _record_tail(block: bytes, quoted: bool, before: int) -> int:
    """Bytes of the record still open at the end of `block` (`quoted`: whether the block ends
    inside quotes; `before`: the open record's bytes before the block). The record began after
    the last newline that lies outside quotes, found walking back over the block's newlines
    and keeping the quote marks' parity, so each byte is counted once."""
    state, end = quoted, len(block)
    at = block.rfind(b"\n")
    while at >= 0:
        state ^= block.count(b'"', at, end) % 2 == 1
        if not state:
            return len(block) - 1 - at
        end, at = at, block.rfind(b"\n", 0, at)
    return before + len(block)


def _plain_text(path: Path) -> tuple[bool, bool]:
    """Whether the whole file decodes as UTF-8 and no line or record (a quoted cell may span
    lines) is longer than `MAX_LINE_BYTES` (read a block at a time; ASCII blocks, the usual
    case, are checked without decoding), and whether it holds a quote mark. A longer record
    would make one batch as large as itself: such a file is read whole, within the byte cap,
    instead."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    since_newline = 0
    # A quoted cell may hold newlines, so short lines do not prove short records: the bytes
    # since the last newline outside quotes may not pass MAX_LINE_BYTES either.
    quoted, since_record, quotes = False, 0, False
    try:
        with open(path, "rb") as handle:
            while block := handle.read(BLOCK_BYTES):
                if not block.isascii() or decoder.getstate()[0]:
                    decoder.decode(block)
                first = block.find(b"\n")
                if first < 0:
                    since_newline += len(block)
                elif since_newline + first > MAX_LINE_BYTES:
                    return False, quotes
                else:  # lines within one block are shorter than the block
                    since_newline = len(block) - 1 - block.rfind(b"\n")
                if since_newline > MAX_LINE_BYTES:
                    return False, quotes
                # find() scans at memory speed, count() a tenth as fast: most exports have
                # no quote mark, and then counting them took most of this pass
                marks = block.count(b'"') if block.find(b'"') >= 0 else 0
                quotes = quotes or marks > 0
                quoted ^= marks % 2 == 1
                since_record = _record_tail(block, quoted, since_record)
                if since_record > MAX_LINE_BYTES:
                    return False, quotes
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False, quotes
    return True, quotes


@dataclass
class StreamedExport(Export):
    """A CSV or TSV export opened from its first bytes, its rows read later from the file."""

    skip: int = 1
    """Lines before the first data row: the header row, and Excel's `sep=` line if any."""
    quotes: bool = True
    """Whether the file holds a quote mark (so a cell may span lines)."""

    def scan(self, wanted: dict[int, str], numeric: Collection[int] = ()) -> pl.LazyFrame:
        """A lazy scan of the chosen columns (index -> new name), with `__row`, the
        spreadsheet row number, read with the options `Export.read` uses. Columns in
        `numeric` are read as Float64 (collecting fails if a cell is not a plain number)."""
        return self._scan_of(self.path, wanted, numeric, self.skip, self.first_row)

    def _scan_of(
        self,
        source: Path | io.BytesIO,
        wanted: dict[int, str],
        numeric: Collection[int],
        skip: int,
        first_row: int,
    ) -> pl.LazyFrame:
        import polars as pl

        width = len(self.headers)
        floats = {i for i in numeric if i in wanted}
        schema = {f"column_{i}": pl.Float64 if i in floats else pl.String for i in range(width)}
        scan = pl.scan_csv(
            source,
            has_header=False,
            separator=self.delimiter,
            skip_rows=skip,
            schema=schema,
            truncate_ragged_lines=True,
            missing_columns="insert",
            extra_columns="ignore",
            row_index_name=ROW_COLUMN,
            row_index_offset=first_row,
            raise_if_empty=False,
        )
        return scan.select(
            pl.col(ROW_COLUMN).cast(pl.Int64),
            *[pl.col(f"column_{i}").alias(name) for i, name in sorted(wanted.items())],
        )

    def batches(
        self,
        wanted: dict[int, str],
        numeric: Collection[int] = (),
        batch_rows: int = DEFAULT_BATCH_ROWS,
        convert: Callable[[pl.DataFrame], pl.DataFrame] | None = None,
    ) -> Iterator[pl.DataFrame]:
        """The rows of `scan`, each batch of at most `batch_rows` passed through `convert`:
        a file without quotes a block of lines at a time, in memory of two blocks
        (`chunks.chunked_batches`); one with quotes with polars' streaming reader."""
        from cxassess.inputs.chunks import chunked_batches, data_start

        def same(frame: pl.DataFrame) -> pl.DataFrame:
            return frame

        convert = convert or same
        if self.quotes:
            scan = self.scan(wanted, numeric)
            for batch in scan.collect_batches(chunk_size=batch_rows, engine="streaming"):
                yield convert(batch)
            return

        def parse(data: bytes, first_row: int) -> pl.DataFrame:
            return self._scan_of(io.BytesIO(data), wanted, numeric, 0, first_row).collect()

        start = data_start(self.path, self.skip)
        yield from chunked_batches(self.path, start, self.first_row, parse, convert, batch_rows)


def streamable(path: Path, stream_from: int | None) -> bool:
    """Whether an input is a text export big enough to read in batches: at least
    `stream_from` bytes (None: never)."""
    if stream_from is None or path.suffix.lower() not in STREAMED_SUFFIXES:
        return False
    try:
        return path.is_file() and path.stat().st_size >= stream_from
    except OSError:
        return False


def open_streamed(path: Path) -> StreamedExport | None:
    """Open a CSV or TSV export for reading in batches, from its first bytes; None when the
    file must be read whole instead (not UTF-8 throughout, zero bytes or a UTF-16 mark,
    lone carriage returns for line ends, more than one header row, or nothing in its start)."""
    check_regular(path)
    with open(path, "rb") as handle:
        head = handle.read(SAMPLE_BYTES + 1)
    if head.startswith(codecs.BOM_UTF8):
        head, encoding = head[len(codecs.BOM_UTF8) :], "utf-8 with byte-order mark"
    else:
        encoding = "utf-8"
    if (
        b"\x00" in head
        or head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, b"PK\x03\x04"))
        or b"\n" not in head
        or not head.strip(b" \t\r\n,;|")
    ):
        return None
    delimiter = detect_delimiter(head[:SAMPLE_BYTES].decode("utf-8", errors="ignore"))
    rows = _sample_rows(head, delimiter, truncated=len(head) > SAMPLE_BYTES)
    if not rows:
        return None
    layout = detect_layout(rows[:4])
    if layout.header_rows != 1:
        return None
    plain, quotes = _plain_text(path)
    if not plain:
        return None
    headers = header_texts(layout, rows, len(rows[0]))
    return StreamedExport(
        path,
        FileDigest(path),
        layout,
        headers,
        _shown(headers),
        rows[1:],
        delimiter=delimiter,
        encoding=encoding,
        skip=1 + (1 if head.startswith(b"sep=") else 0),
        quotes=quotes,
    )


def streamed_batches(
    export: StreamedExport,
    wanted: dict[int, str],
    numeric: Collection[int],
    conversion: Conversion,
    batch_rows: int = DEFAULT_BATCH_ROWS,
    observe: Callable[[pl.DataFrame], None] | None = None,
) -> Iterator[pl.DataFrame]:
    """The rows of a file read in batches (`StreamedExport.batches`), converted, a batch of at
    most `batch_rows` rows at a time; batches that lose every row (blank lines) are skipped.
    `observe` is given each batch as read, before conversion (to count its values)."""
    convert = conversion.apply
    if observe is not None:

        def convert(frame: pl.DataFrame) -> pl.DataFrame:
            observe(frame)
            return conversion.apply(frame)

    for converted in export.batches(wanted, numeric, batch_rows, convert):
        if converted.height:
            yield converted


__all__ = [
    "DEFAULT_BATCH_ROWS",
    "STREAM_FROM_BYTES",
    "StreamedExport",
    "open_streamed",
    "streamable",
    "streamed_batches",
]
