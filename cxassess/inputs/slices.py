"""Read a Parquet or Arrow input a slice of rows at a time, in memory of two slices.

polars' own batched collection (`LazyFrame.collect_batches`) decodes a Parquet file far ahead
of a consumer slower than the decoder (pola-rs/polars#28569): scoring a 20-million-row file so
held 1.2 GB, most of it batches decoded and waiting. Here each batch is its own query, a slice
of one file's rows (a slice of the files' concatenation would read every file before it, and
slicing after the row number would read the file from its start each time), converted in a
background thread while the previous batch is scored: at most one batch is decoded ahead.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING

from cxassess.inputs.exports import ROW_COLUMN

if TYPE_CHECKING:
    import polars as pl

    from cxassess.inputs.columnar import ColumnarExport


def _aligned(scan: pl.LazyFrame, columns: dict[str, pl.DataType]) -> pl.LazyFrame:
    """One dataset file's scan with the columns (and types) of the whole dataset, as the
    concatenation gives them: a column the file lacks is empty, a type the files disagree on
    is their common one."""
    import polars as pl

    own = scan.collect_schema()
    exprs = []
    for name, dtype in columns.items():
        if name not in own:
            exprs.append(pl.lit(None, dtype=dtype).alias(name))
        elif own[name] != dtype:
            exprs.append(pl.col(name).cast(dtype))
        else:
            exprs.append(pl.col(name))
    return scan.select(exprs)


def sliced_batches(
    export: ColumnarExport,
    wanted: dict[int, str],
    numeric: Collection[int],
    convert: Callable[[pl.DataFrame], pl.DataFrame],
    batch_rows: int,
    observe: Callable[[pl.DataFrame], None] | None = None,
) -> Iterator[pl.DataFrame]:
    """The chosen columns of every file of `export` (as `ColumnarExport.scan_columns` gives
    them, `__row` numbering the rows from 1 across the files), `batch_rows` rows at a time,
    each batch passed through `convert`; the next batch is read while the caller works on
    this one. A file's rows end at its first short slice, whatever its footer declares.
    `observe` is given each batch as read, before `convert` (to count its values)."""
    import polars as pl

    exprs = export.column_exprs(wanted, numeric)
    names = {export.shown[index] for index in wanted}
    schema = export.scan.collect_schema()
    columns = {name: dtype for name, dtype in schema.items() if name in names}
    scans = export.file_scans or [export.scan]
    if len(scans) > 1:
        scans = [_aligned(scan, columns) for scan in scans]

    def load(scan: pl.LazyFrame, start: int, first_row: int) -> tuple[int, pl.DataFrame]:
        raw = (
            scan.slice(start, batch_rows)
            .select(exprs)
            .with_row_index(ROW_COLUMN, offset=first_row)
            .with_columns(pl.col(ROW_COLUMN).cast(pl.Int64))
            .collect()
        )
        if observe is not None:
            observe(raw)
        return raw.height, convert(raw)

    row = 1
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="cxassess-slices") as pool:
        for scan in scans:
            start = 0
            pending: Future[tuple[int, pl.DataFrame]] | None = pool.submit(load, scan, 0, row)
            while pending is not None:
                height, batch = pending.result()
                start += height
                row += height
                pending = pool.submit(load, scan, start, row) if height == batch_rows else None
                if batch.height:
                    yield batch


__all__ = ["sliced_batches"]
