"""Open Parquet and Arrow IPC files, and folders of Parquet files, as one export each.

What a data warehouse or a pandas user exports: a `.parquet` file, an Arrow IPC file
(`.arrow`, `.feather`, `.ipc`), or a folder of Parquet files (a partitioned dataset, where
folders named `key=value`, as in `team=North/part-0.parquet`, give every row of the files below
them a column `key` holding `value`). `open_columnar` reads only the file's schema and footer;
`ColumnarExport.read` then reads just the columns the questionnaire matched (a projection), so
a wide table costs no more than its answer columns. Headers are the column names and are matched
exactly as a CSV's; answers may be numbers or labels.

Untrusted files are bounded before their data is decoded. Read whole (in memory): at most
`limits.MAX_INPUT_BYTES` of files, `MAX_CELLS` cells (rows x columns read) and, for Parquet,
`MAX_DECODED_BYTES` of the columns read once decompressed, as the footer declares them. Read a
batch at a time (`slices.sliced_batches`, for inputs whose chosen columns would take more than
`limits.STREAM_FROM_BYTES` in memory): no bound on the file's size or rows, but no batch, and
no Parquet row group, may decode to more than `MAX_DECODED_BYTES`. Columns of a type that
cannot hold an answer (a list, a struct, bytes; a date or true/false where an answer is
expected) are refused, all of them in one message.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from cxassess.errors import InputError, Location, Problem, ValidationError
from cxassess.format.models import Questionnaire
from cxassess.inputs import limits
from cxassess.inputs.exports import ROW_COLUMN, Digest, Export, detect_layout, header_texts
from cxassess.inputs.limits import check_regular, too_large

if TYPE_CHECKING:
    import polars as pl

    from cxassess.inputs.columns import ColumnPlan

PARQUET_SUFFIXES = frozenset({".parquet", ".pq"})
IPC_SUFFIXES = frozenset({".arrow", ".feather", ".ipc"})
COLUMNAR_SUFFIXES = PARQUET_SUFFIXES | IPC_SUFFIXES

MAX_CELLS = 250_000_000
"""Most cells (rows x columns read) read from one columnar input: 20 million respondents of a
ten-question survey with two segments is 240 million."""
MAX_DECODED_BYTES = 4 * 1024 * 1024 * 1024
"""Most bytes the columns read may take once decompressed, as a Parquet footer declares (4 GiB)."""
MAX_KEPT_TEXT_BYTES = 1024 * 1024 * 1024
"""Most bytes of comments one columnar input may hold in all (1 GiB): they are kept, whole, for
the report, however the file is read."""
MAX_ROWS_PER_BYTE = 200
"""Most rows a columnar input may hold per byte on disk. Real answers stay well under this
even compressed (20 million respondents of ten questions: 106 MB, 0.2 rows a byte; a sorted
export where one question of seven is answered: 72 rows a byte); a file of a few kilobytes
that declares hundreds of millions of rows is built to cost minutes and gigabytes."""
MAX_DATASET_FILES = 10_000
"""Most files looked at in a folder to tell whether it is a Parquet dataset."""
MAX_DATASET_DEPTH = 8
"""Deepest folder looked into below a dataset's folder (one level per partition key)."""

PANDAS_INDEX = re.compile(r"^__index_level_\d+__$")
"""The columns pandas writes for a frame's index: row labels, never answers."""

DAMAGED_HINT = "the file may be damaged or cut short: export it again from where it came from"


def _is_bookkeeping(name: str) -> bool:
    """Files that writers of datasets leave beside the data (`_SUCCESS`, `_metadata`, `.crc`
    checksums, hidden files): never data."""
    return name.startswith(("_", ".")) or name.endswith(".crc")


def _dataset_files(folder: Path) -> list[Path] | None:
    """The Parquet files of a folder, its subfolders included (sorted), or None when the folder
    holds any other data file, nothing, or more than the bounds allow looking at."""
    found: list[Path] = []
    seen = 0
    stack = [(folder, 0)]
    while stack:
        current, depth = stack.pop()
        try:
            entries = list(os.scandir(current))
        except OSError:
            return None
        for entry in entries:
            seen += 1
            if seen > MAX_DATASET_FILES:
                return None
            if _is_bookkeeping(entry.name):
                continue
            if entry.is_dir(follow_symlinks=False):
                if depth + 1 > MAX_DATASET_DEPTH:
                    return None
                stack.append((Path(entry.path), depth + 1))
            elif entry.is_file(follow_symlinks=False):
                if Path(entry.name).suffix.lower() not in PARQUET_SUFFIXES:
                    return None
                found.append(Path(entry.path))
    return sorted(found) or None


def is_columnar_dataset(path: Path) -> bool:
    """Whether a folder is one Parquet dataset: every data file in it and its subfolders is a
    Parquet file (bookkeeping files such as `_SUCCESS` aside), and there is at least one. Such a
    folder is read as ONE input; any other folder is a folder of separate answer files."""
    return path.is_dir() and _dataset_files(path) is not None


def is_columnar(path: Path) -> bool:
    """Whether an input is read by this module: a Parquet or Arrow IPC file, or a dataset."""
    if path.is_dir():
        return is_columnar_dataset(path)
    return path.suffix.lower() in COLUMNAR_SUFFIXES


class FilesDigest(Digest):
    """The SHA-256 of files read from disk in a background thread: of the one file's bytes, or
    for a dataset of each file's path (relative to the folder) and bytes, in name order."""

    def __init__(self, files: list[Path], root: Path | None) -> None:
        self._result: list[str] = []
        self._thread = threading.Thread(target=self._hash_files, args=(files, root), daemon=True)

    def _hash_files(self, files: list[Path], root: Path | None) -> None:
        digest = hashlib.sha256()
        for file in files:
            if root is not None:
                digest.update(file.relative_to(root).as_posix().encode("utf-8") + b"\0")
            with open(file, "rb") as handle:
                while chunk := handle.read(1024 * 1024):
                    digest.update(chunk)
        self._result.append(digest.hexdigest())


def _partitions(file: Path, root: Path) -> dict[str, str | None]:
    """The `key=value` folders between a dataset's folder and one of its files."""
    found: dict[str, str | None] = {}
    for part in file.relative_to(root).parts[:-1]:
        name, sep, value = part.partition("=")
        if sep and name:
            text = unquote(value)
            found[unquote(name)] = None if text == "__HIVE_DEFAULT_PARTITION__" else text
    return found


def _kind(path: Path) -> str:
    return "Arrow file" if path.suffix.lower() in IPC_SUFFIXES else "Parquet file"


def failure_text(exc: BaseException) -> str:
    """The first line of what a reader's failure says (its type when it says nothing), short
    enough for a message."""
    text = str(exc).strip()
    return (text.splitlines()[0] if text else type(exc).__name__)[:160]


def unreadable(path: Path, exc: BaseException) -> InputError:
    """The error for a file polars cannot decode (exit 2), naming it."""
    return InputError(
        f"{path}: cannot read this {_kind(path)} ({failure_text(exc)})", hint=DAMAGED_HINT
    )


def polars_failure() -> tuple[type[BaseException], ...]:
    """What reading a damaged file may raise: polars' errors, OS errors, and a panic of its
    Rust core (not an `Exception`)."""
    import polars as pl

    return (pl.exceptions.PolarsError, OSError, ValueError, pl.exceptions.PanicException)


@dataclass
class ColumnarExport(Export):
    """A Parquet or Arrow input opened: its column names as headers, not yet read."""

    scan: Any = None
    """The lazy frame of every file (polars `LazyFrame`), columns named as in the files."""
    file_scans: list[Any] = field(default_factory=list)
    """Each file's own lazy frame (with a dataset file's partition keys), for reading in
    slices: `scan` is them concatenated."""
    dtypes: list[Any] = field(default_factory=list)
    """Per column, its polars data type."""
    files: list[Path] = field(default_factory=list)
    rows: int = 0
    decoded: dict[str, int] = field(default_factory=dict)
    """Per column, decompressed bytes its footers declare (Parquet only)."""
    groups: list[tuple[int, dict[str, int]]] = field(default_factory=list)
    """Per row group of every file, its rows and each column's decompressed bytes (Parquet
    only)."""
    size: int = 0
    """Bytes of the files on disk."""

    def letter(self, column: int) -> str:
        """Columns of a table have no letters: their position, from 1."""
        return str(column + 1)

    def numeric_in_sample(self, column: int) -> bool:
        """Whether the column holds numbers (its type says so; nothing is sampled)."""
        return self.dtypes[column].is_numeric()

    def column_exprs(self, wanted: dict[int, str], numeric: Collection[int] = ()) -> list[pl.Expr]:
        """The chosen columns (index -> new name) as expressions: number columns in `numeric`
        as Float64, text and categories as text."""
        import polars as pl

        exprs = []
        for index, name in wanted.items():
            dtype = self.dtypes[index]
            column = pl.col(self.shown[index])
            if index in numeric or dtype == pl.Null:
                column = column.cast(pl.Float64)
            elif isinstance(dtype, (pl.Categorical, pl.Enum)):
                column = column.cast(pl.String)
            exprs.append(column.alias(name))
        return exprs

    def scan_columns(self, wanted: dict[int, str], numeric: Collection[int] = ()) -> pl.LazyFrame:
        """A lazy scan of the chosen columns (`column_exprs`) with `__row`, the row's number
        from 1: what `read` collects, and what the checks before a batched read count over."""
        import polars as pl

        return (
            self.scan.select(self.column_exprs(wanted, numeric))
            .with_row_index(ROW_COLUMN, offset=1)
            .with_columns(pl.col(ROW_COLUMN).cast(pl.Int64))
        )

    def read(self, wanted: dict[int, str], numeric: Collection[int] = ()) -> pl.DataFrame:
        """The chosen columns (index -> new name) with `__row`, all in memory, within the
        bounds on bytes, cells and declared decoded bytes (`check_text`, called first, bounds
        the text)."""
        self.check_whole(wanted)
        try:
            frame = self.scan_columns(wanted, numeric).collect()
        except polars_failure() as exc:
            raise unreadable(self.path, exc) from None
        self.digest.start()
        return frame

    def batch_bytes(self, wanted: dict[int, str], batch_rows: int) -> int:
        """About how many bytes a batch of `batch_rows` rows of the chosen columns decodes
        to: 8 a cell, or what the Parquet footers declare a row takes, if more; and at least
        the largest row group's chosen columns, which are decoded together."""
        names = [self.shown[i] for i in wanted]
        declared = sum(self.decoded.get(name, 0) for name in names)
        per_row = max(8 * len(names), declared / max(self.rows, 1))
        largest = max(
            (
                max(sum(g.get(n, 0) for n in names), 8 * len(names) * rows)
                for rows, g in self.groups
            ),
            default=0,
        )
        return max(int(per_row * min(batch_rows, self.rows)), largest)

    def check_text(
        self,
        wanted: dict[int, str],
        numeric: Collection[int],
        kept: Collection[str] = (),
        batch_rows: int | None = None,
    ) -> None:
        """Refuse (exit 2) text in the chosen columns that would take more than
        `MAX_DECODED_BYTES` once turned into strings, in the whole input or (with
        `batch_rows`) in about any batch, and comments (the columns renamed to a name in
        `kept`, held for the report from every batch) of more than `MAX_KEPT_TEXT_BYTES` in
        all. Counted from the cells' own lengths, which copies nothing: a footer understates
        them when one long text is stored once and repeated in every row, a file of a few
        kilobytes that unpacks to gigabytes. The same pass refuses a file that holds more (or
        fewer) rows than it declares, since the other bounds were decided from that count."""
        import polars as pl

        lengths, kept_lengths = [], []
        for index, name in wanted.items():
            dtype, column = self.dtypes[index], pl.col(self.shown[index])
            if index in numeric:
                continue
            if isinstance(dtype, (pl.Categorical, pl.Enum)):
                length = column.cat.len_bytes()
            elif dtype == pl.String:
                length = column.str.len_bytes()
            else:  # a date, a number or true/false, turned into text when it is read
                length = column.cast(pl.String).str.len_bytes()
            length = length.cast(pl.Int64).fill_null(0)
            lengths.append(length)
            if name in kept:
                kept_lengths.append(length)
        nothing = [pl.lit(0, pl.Int64)]
        cells = self.scan.with_row_index("row").select(  # the index gives the real rows
            pl.col("row"),
            pl.sum_horizontal(lengths or nothing).alias("bytes"),
            pl.sum_horizontal(kept_lengths or nothing).alias("kept"),
        )
        window = pl.lit(0) if batch_rows is None else pl.col("row") // batch_rows
        query = (
            cells.group_by(window.alias("window"))
            .agg(pl.col("bytes").sum(), pl.col("kept").sum(), pl.len().alias("rows"))
            .select(pl.col("bytes").max(), pl.col("kept").sum(), pl.col("rows").sum())
        )
        try:
            text_bytes, kept_bytes, rows = query.collect(engine="streaming").row(0)
        except polars_failure() as exc:
            raise unreadable(self.path, exc) from None
        if rows != self.rows:  # every bound above was decided from the declared rows
            raise InputError(
                f"{self.path}: cannot read this {_kind(self.path)} (it declares {self.rows:,} "
                f"rows and holds {rows or 0:,})",
                hint=DAMAGED_HINT,
            )
        hint = (
            "a file whose text unpacks to this much may be built to exhaust the machine; "
            "if it is genuine, leave out the columns that are not answers"
        )
        if (text_bytes or 0) > MAX_DECODED_BYTES:
            where = "a batch of " if batch_rows is not None else ""
            raise InputError(
                f"{self.path}: the text in {where}the columns to read would take "
                f"{text_bytes / 2**20:,.0f} MiB once unpacked (at most "
                f"{MAX_DECODED_BYTES / 2**20:,.0f} MiB)",
                hint=hint,
            )
        if (kept_bytes or 0) > MAX_KEPT_TEXT_BYTES:
            raise InputError(
                f"{self.path}: the comments would take {kept_bytes / 2**20:,.0f} MiB once "
                f"unpacked (at most {MAX_KEPT_TEXT_BYTES / 2**20:,.0f} MiB in all, as every "
                "comment is kept for the report)",
                hint=hint.replace("columns that are not answers", "comment columns"),
            )

    def wants_batches(self, wanted: dict[int, str], stream_from: int | None) -> bool:
        """Whether to read this input a batch at a time: when the chosen columns would take
        at least `stream_from` bytes in memory (None: never)."""
        return stream_from is not None and self.batch_bytes(wanted, self.rows) >= stream_from

    def check_batch(self, wanted: dict[int, str], batch_rows: int) -> None:
        """Refuse (exit 2) a file whose batches or row groups would each decode to more than
        `MAX_DECODED_BYTES`, as its footers declare: rows that small on disk and that large
        once decompressed are built to exhaust the machine."""
        decoded = self.batch_bytes(wanted, batch_rows)
        if decoded > MAX_DECODED_BYTES:
            raise InputError(
                f"{self.path}: a batch of the columns to read would take "
                f"{decoded / 2**20:,.0f} MiB once decompressed (at most "
                f"{MAX_DECODED_BYTES / 2**20:,.0f} MiB)",
                hint="a file whose rows unpack to this much may be built to exhaust the "
                "machine; if it is genuine, leave out the columns that are not answers",
            )

    def check_bounds(
        self,
        q: Questionnaire,
        plan: ColumnPlan,
        numeric: Collection[int],
        batch_rows: int | None,
    ) -> None:
        """Every check made before the chosen columns are decoded, read whole (`batch_rows`
        None) or a batch at a time: their types, the sizes the footers declare, and the text
        and rows the file really holds."""
        self.check_types(q, plan)
        if batch_rows is None:
            self.check_whole(plan.wanted)
        else:
            self.check_batch(plan.wanted, batch_rows)
        kept = {comment.id for comment in q.comments}
        self.check_text(plan.wanted, numeric, kept, batch_rows)

    def check_whole(self, wanted: dict[int, str]) -> None:
        """Refuse (exit 2) to read the chosen columns whole when the files, their cells or
        the bytes their footers declare are beyond the bounds, before anything is decoded."""
        if self.size > limits.MAX_INPUT_BYTES:
            raise too_large(self.path, self.size, limits.MAX_INPUT_BYTES)
        self._check_size([self.shown[i] for i in wanted])

    def _check_size(self, names: list[str]) -> None:
        """Refuse to decode more cells, or more bytes, than the bounds allow."""
        cells = self.rows * max(len(names), 1)
        if cells > MAX_CELLS:
            raise InputError(
                f"{self.path}: too large to read: {self.rows:,} rows of {len(names)} column(s) "
                f"is {cells:,} cells (at most {MAX_CELLS:,})",
                hint="score a part of the rows at a time, for example one partition or period",
            )
        decoded = sum(self.decoded.get(name, 0) for name in names)
        if decoded > MAX_DECODED_BYTES:
            raise InputError(
                f"{self.path}: the columns to read would take {decoded / 2**20:,.0f} MiB once "
                f"decompressed (at most {MAX_DECODED_BYTES / 2**20:,.0f} MiB)",
                hint="if the file is genuine, score a part of it at a time; a small file that "
                "unpacks to this much may be built to exhaust the machine",
            )

    def check_types(self, q: Questionnaire, plan: ColumnPlan) -> None:
        """Refuse every matched column of a type that cannot hold what it is matched to, in
        one `ValidationError` (exit 2) naming the file and each column."""
        questions = {s.id for s in q.scored_questions()}
        problems = []
        for index, name in plan.wanted.items():
            dtype = self.dtypes[index]
            what = _type_fault(dtype, name in questions)
            if what is None:
                continue
            holder = (
                "a question's column holds one answer per cell, as a number or a label"
                if name in questions
                else "a segment, comment or id column holds text or numbers"
            )
            problems.append(
                Problem(
                    Location(str(self.path)),
                    f"column '{self.shown[index]}'",
                    f"holds {what} (type {dtype}); {holder}",
                    "convert the column before exporting (in SQL, CAST(col AS VARCHAR); in "
                    "pandas, df[col].astype(str)), or leave it out of the export",
                )
            )
        if problems:
            raise ValidationError(problems, subject=str(self.path))


def _type_fault(dtype: Any, question: bool) -> str | None:
    """What is wrong with a column's type (None when it can be read)."""
    import polars as pl

    if isinstance(dtype, (pl.List, pl.Array)):
        return "lists"
    if isinstance(dtype, pl.Struct):
        return "nested records"
    if dtype == pl.Binary:
        return "raw bytes"
    if dtype == pl.Object or isinstance(dtype, pl.Object):
        return "objects"
    if isinstance(dtype, pl.Duration):
        return "durations"
    if question and dtype.is_temporal():
        return "dates or times"
    if question and dtype == pl.Boolean:
        return "true/false values"
    return None


def _file_bytes(files: list[Path]) -> int:
    """Bytes of the files on disk, refusing anything but regular files."""
    total = 0
    for file in files:
        check_regular(file)
        total += file.stat().st_size
    return total


def _parquet_facts(
    files: list[Path], root: Path | None
) -> tuple[int, dict[str, int], list[tuple[int, dict[str, int]]]]:
    """Rows, decoded bytes per column, and per row group, of Parquet files, from their
    footers alone; refuses (exit 2) a footer whose rows disagree with its row groups', and a
    dataset file holding a column its folders name."""
    from cxassess.inputs.parquet_footer import FooterError, read_footer

    rows: int = 0
    decoded: dict[str, int] = {}
    groups: list[tuple[int, dict[str, int]]] = []
    for file in files:
        try:
            footer = read_footer(file)
        except (FooterError, OSError) as exc:
            raise InputError(
                f"{file}: cannot read this Parquet file ({exc})", hint=DAMAGED_HINT
            ) from None
        if footer.encrypted:
            raise InputError(
                f"{file}: this Parquet file is encrypted",
                hint="export it again without encryption",
            )
        if footer.rows != sum(footer.group_rows):
            raise InputError(
                f"{file}: cannot read this Parquet file (its footer declares {footer.rows:,} "
                f"rows, its row groups {sum(footer.group_rows):,})",
                hint=DAMAGED_HINT,
            )
        keys = set(_partitions(file, root)) if root is not None else set()
        if keys & set(footer.column_bytes):
            raise InputError(
                f"{file}: the folder name gives a column "
                f"'{sorted(keys & set(footer.column_bytes))[0]}' that the file holds too",
                hint="a partition folder (key=value) must name a column the files below it do "
                "not hold; rename the folder or the column",
            )
        rows += footer.rows
        groups += zip(footer.group_rows, footer.group_bytes, strict=True)
        for name, size in footer.column_bytes.items():
            decoded[name] = decoded.get(name, 0) + size
    return rows, decoded, groups


def _scan(files: list[Path], root: Path | None) -> tuple[pl.LazyFrame, list[pl.LazyFrame]]:
    """One lazy frame over every file, with each dataset file's partition keys as columns,
    and each file's own."""
    import polars as pl

    if root is None:
        reader = pl.scan_ipc if files[0].suffix.lower() in IPC_SUFFIXES else pl.scan_parquet
        scan = reader(files[0], hive_partitioning=False)
        return scan, [scan]
    parts = []
    for file in files:
        keys = _partitions(file, root)
        scan = pl.scan_parquet(file, hive_partitioning=False)
        if keys:
            scan = scan.with_columns(
                pl.lit(value, dtype=pl.String).alias(name) for name, value in keys.items()
            )
        parts.append(scan)
    whole = pl.concat(parts, how="diagonal_relaxed") if len(parts) > 1 else parts[0]
    return whole, parts


def open_columnar(path: Path) -> ColumnarExport:
    """Open a Parquet or Arrow IPC file, or a Parquet dataset folder, reading only its schema
    and footers; refuses (exit 2) a damaged file, and one beyond the bounds."""
    import polars as pl

    root = path if path.is_dir() else None
    files = (_dataset_files(path) or []) if root is not None else [path]
    if not files:
        raise InputError(f"{path}: no Parquet files in this folder")
    size = _file_bytes(files)
    decoded: dict[str, int] = {}
    groups: list[tuple[int, dict[str, int]]] = []
    if files[0].suffix.lower() in PARQUET_SUFFIXES:
        rows, decoded, groups = _parquet_facts(files, root)
    scan, file_scans = _scan(files, root)
    try:
        schema = scan.collect_schema()
        if not decoded:
            rows = scan.select(pl.len()).collect().item()
    except polars_failure() as exc:
        raise unreadable(path, exc) from None
    names = list(schema.names())
    if rows > MAX_ROWS_PER_BYTE * max(size, 1):
        raise InputError(
            f"{path}: {rows:,} rows in {size:,} bytes on disk is more than "
            f"{MAX_ROWS_PER_BYTE} rows a byte; real answers do not pack this tightly",
            hint="a file like this may be built to exhaust the machine; if it is genuine, "
            "write it again with lighter compression",
        )
    if not names or rows == 0:
        raise InputError(
            f"{path}: the {_kind(path)} holds no answers",
            hint="export the answers again, or leave this file out",
        )
    for key_name in {k for f in files for k in (_partitions(f, root) if root else {})}:
        decoded.setdefault(key_name, 0)
    layout = detect_layout([names])
    headers = header_texts(layout, [names], len(names))
    headers = [
        [] if PANDAS_INDEX.match(name) else texts
        for name, texts in zip(names, headers, strict=True)
    ]
    return ColumnarExport(
        path,
        FilesDigest(files, root),
        layout,
        headers,
        names,
        scan=scan,
        file_scans=file_scans,
        dtypes=list(schema.dtypes()),
        files=files,
        rows=rows,
        decoded=decoded,
        groups=groups,
        size=size,
    )
