"""Read a large CSV or TSV export a block of whole lines at a time, in memory of two blocks.

polars' streaming reader (`LazyFrame.collect_batches`) parses ahead of a slower consumer and
holds what it parsed: scoring a 100-million-row CSV so peaked at 1.2 GB. A file with no quote
mark in it (known from the pass that checks it is UTF-8) has a record on every line, so it can
be cut at any newline: each block of about `CHUNK_BYTES`, ending at a line's end, is parsed on
its own with the options of the whole file's scan, its rows numbered on from the block before,
and converted in a background thread while the previous block is scored. A file with quotes
(whose cells may hold newlines) is read by polars' streaming reader instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl

CHUNK_BYTES = 8 * 1024 * 1024
"""Bytes of the file parsed at a time (about 200,000 rows of a ten-question survey): a block
and the one parsed ahead of it are most of what a large read holds (32 MB blocks peaked at
716 MB on 20M rows, 8 MB ones at 513 MB, as fast)."""


def data_start(path: Path, lines: int) -> int:
    """The byte offset just after the first `lines` lines of a file with no quotes (the
    header row, and Excel's `sep=` line if any); the file's size when it has fewer."""
    offset = 0
    with open(path, "rb") as handle:
        while lines > 0:
            line = handle.readline()
            if not line:
                break
            offset += len(line)
            lines -= 1
    return offset


def line_blocks(path: Path, start: int) -> Iterator[bytes]:
    """The file from byte `start` in blocks of about `CHUNK_BYTES` that end at a newline (the
    last block: at the end of the file), none empty. Each block is read where the one before
    ended (what follows the last newline is read again with the next block), so no block is
    copied to be joined with the rest of the one before."""
    size = CHUNK_BYTES
    with open(path, "rb") as handle:
        offset = start
        while True:
            handle.seek(offset)
            block = handle.read(size)
            if not block:
                return
            end = block.rfind(b"\n") + 1
            if len(block) < size:  # the end of the file
                end = len(block)
            elif end == 0:  # no newline yet: a line longer than a block (bounded by the caller)
                size *= 2
                continue
            offset += end
            size = CHUNK_BYTES
            yield block if end == len(block) else block[:end]


def chunked_batches(
    path: Path,
    start: int,
    first_row: int,
    parse: Callable[[bytes, int], pl.DataFrame],
    convert: Callable[[pl.DataFrame], pl.DataFrame],
    batch_rows: int,
) -> Iterator[pl.DataFrame]:
    """The rows of a quote-free text file from byte `start`: each block of whole lines
    parsed (`parse(data, number of its first row)`) and converted in a background thread,
    one block ahead of the caller, and given `batch_rows` rows at a time."""

    def load(data: bytes, row: int) -> tuple[int, pl.DataFrame]:
        raw = parse(data, row)
        return raw.height, convert(raw)

    blocks = line_blocks(path, start)
    row = first_row
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="cxassess-chunks") as pool:
        data = next(blocks, None)
        pending: Future[tuple[int, pl.DataFrame]] | None = (
            None if data is None else pool.submit(load, data, row)
        )
        while pending is not None:
            height, frame = pending.result()
            row += height
            data = next(blocks, None)
            pending = None if data is None else pool.submit(load, data, row)
            for offset in range(0, frame.height, batch_rows):
                yield frame.slice(offset, batch_rows)


__all__ = ["CHUNK_BYTES", "chunked_batches", "data_start", "line_blocks"]
