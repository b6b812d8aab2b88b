"""The same respondent counted twice: refused, or with an explicit option kept once.

Two copies of one export, or five copies of one response file, would turn a team of three into
a shown team of six, or one person into a "team" of five, and defeat rule 11. A repeated
respondent id (one the survey tool or `cxassess run` wrote, not one made up from a row number)
is a repeat, and so is a response identical in every answer, segment and comment to one in
another input file.

Answers read a batch at a time are checked with the same rule in bounded memory: `RepeatHashes`
keeps one 64-bit hash per respondent during the scoring pass (on disk beyond 2 million), and
`find_repeats` reads the batches a second time, only when some hash repeats, to compare those
rows exactly.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from cxassess.errors import InputError, Location, Problem
from cxassess.responses import RESPONDENT_COLUMN
from cxassess.results import SourceFile

if TYPE_CHECKING:
    import numpy as np
    import polars as pl

_SHOWN = 5
"""Most repeats named in one message."""


def _origins(sources: Sequence[SourceFile], height: int) -> tuple[list[str], list[int], pl.Series]:
    """The input files, the row where each file's responses start, and for each row of the
    answers frame the index of its file (the rows are the files' responses in order); one
    "the inputs" when the sizes are unknown."""
    import numpy as np
    import polars as pl

    sizes = [source.rows for source in sources]
    if sum(sizes) != height:  # sizes unknown: name the rows of the combined answers
        return ["the inputs"], [0], pl.Series("__file", np.zeros(height, dtype=np.int32))
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(int).tolist()
    file_of_row = np.repeat(np.arange(len(sizes), dtype=np.int32), sizes)
    return [source.file for source in sources], starts, pl.Series("__file", file_of_row)


def _made_up(files: list[str]) -> pl.Expr:
    """Whether an id was made up by the reader (`response-N`, or `FILE:N` from a row number),
    not given by the input."""
    import polars as pl

    ident = pl.col(RESPONDENT_COLUMN).cast(pl.String)
    names = pl.col("__file").replace_strict(
        list(range(len(files))), [Path(f).name for f in files], return_dtype=pl.String
    )
    numbered = ident == pl.concat_str(names, pl.lit(":"), ident.str.extract(r":(\d+)$", 1))
    return ident.str.contains(r"^response-\d+$") | numbered.fill_null(False)


def _repeated_ids(frame: pl.DataFrame, files: list[str]) -> list[tuple[int, int, str]]:
    """(row, row of the first, what) for each row whose given respondent id was seen before."""
    import polars as pl

    ids = frame.get_column(RESPONDENT_COLUMN)
    if ids.hash(seed=7).n_unique() == frame.height:  # the usual case: every id differs
        return []  # (equal ids hash alike, so distinct hashes mean distinct ids)
    given = pl.col(RESPONDENT_COLUMN).is_not_null() & ~_made_up(files)
    first = pl.when(given).then(pl.col("__row")).min().over(RESPONDENT_COLUMN)
    marked = frame.select(
        "__row", RESPONDENT_COLUMN, given.alias("__given"), first.alias("__first")
    )
    repeated = marked.filter(pl.col("__given") & (pl.col("__first") != pl.col("__row")))
    return [
        (row, first_row, f"respondent id '{ident}'")
        for row, ident, first_row in repeated.select("__row", RESPONDENT_COLUMN, "__first").rows()
    ]


def _copied_records(
    frame: pl.DataFrame, content: list[str], key: list[str]
) -> list[tuple[int, int, str]]:
    """(row, row of the first, what) for each answered row identical (by the columns `key`)
    to an earlier row from another file."""
    import polars as pl

    answered = pl.any_horizontal(pl.col(c).is_not_null() for c in content)
    marked = frame.filter(answered).with_columns(
        pl.col("__row").first().over(key).alias("__first"),
        pl.col("__file").first().over(key).alias("__first_file"),
    )
    copies = marked.filter(
        (pl.col("__first") != pl.col("__row")) & (pl.col("__first_file") != pl.col("__file"))
    )
    return [(row, f, "every answer") for row, f in copies.select("__row", "__first").rows()]


def _repeats(frame: pl.DataFrame, files: list[str]) -> list[tuple[int, int, str]]:
    """(row, row of the first, what) for each repeat, in row order: a given respondent id seen
    before, or (among the other rows) a response identical in every answer, segment and
    comment to an earlier one from another file."""
    import polars as pl

    found = _repeated_ids(frame, files)
    content = [c for c in frame.columns if c not in (RESPONDENT_COLUMN, "__file", "__row")]
    if content and len(files) > 1:  # within one file, identical answers are different people
        rest = frame.filter(~pl.col("__row").is_in([row for row, _f, _w in found]))
        hashed = rest.with_columns(rest.select(content).hash_rows(seed=7).alias("__hash"))
        copies = _copied_records(hashed, content, ["__hash"])
        records = rest.select(content)
        index = {row: i for i, row in enumerate(rest.get_column("__row").to_list())}
        if any(records.row(index[r]) != records.row(index[f]) for r, f, _w in copies):
            copies = _copied_records(rest, content, content)  # a hash collision: compare all
        found += copies
    return sorted(found)


def _verdict(
    repeats: list[tuple[int, int, str]],
    files: list[str],
    starts: list[int],
    file_of: Callable[[int], int],
    keep_first: bool,
) -> list[Problem]:
    """Raise the refusal of the repeats found, or with `keep_first` give the warning that
    they were left out (nothing when there are none)."""
    if not repeats:
        return []

    def place(row: int) -> str:
        file = file_of(row)
        return f"{files[file]} (response {row - starts[file] + 1})"

    lines = [f"{place(row)} repeats {place(first)} ({what})" for row, first, what in repeats]
    more = f"; and {len(lines) - _SHOWN} more" if len(lines) > _SHOWN else ""
    if not keep_first:
        raise InputError(
            f"{len(repeats)} response(s) appear more than once, which would count the same "
            f"people twice and could show a group too small to be shown: "
            + "; ".join(lines[:_SHOWN])
            + more,
            hint="leave out the copies (the same export or response file given twice), or "
            "give --keep-first-duplicate to keep only the first of each",
            location=Location(files[file_of(repeats[0][0])]),
        )
    drop = {row for row, _first, _what in repeats}
    return [
        Problem(
            Location(None),
            "duplicates",
            f"left out {len(drop)} repeated response(s), keeping the first of each: "
            + "; ".join(lines[:_SHOWN])
            + more,
            severity="warning",
        )
    ]


def check_duplicates(
    frame: pl.DataFrame, sources: Sequence[SourceFile], keep_first: bool = False
) -> tuple[pl.DataFrame, list[Problem]]:
    """The answers with every respondent once. Repeats raise an `InputError` naming where
    each was found; with `keep_first`, the first of each is kept and a warning says which
    were left out."""
    import polars as pl

    files, starts, file_of_row = _origins(sources, frame.height)
    indexed = frame.with_columns(file_of_row, pl.int_range(pl.len(), dtype=pl.Int64).alias("__row"))
    repeats = _repeats(indexed, files)
    file_index = file_of_row.to_numpy()
    problems = _verdict(repeats, files, starts, lambda row: int(file_index[row]), keep_first)
    if not repeats:
        return frame, []
    drop = {row for row, _first, _what in repeats}
    kept = frame.with_row_index("__index").filter(~pl.col("__index").is_in(sorted(drop)))
    return kept.drop("__index"), problems


class RepeatHashes:
    """What finding repeats across answers read a batch at a time keeps of each respondent:
    the 64-bit hash of their id and, when there are several input files, of their answers.

    Cost: 8 bytes per respondent (16 with several files), in memory up to 2 million of them
    and beyond that on disk (`inputs.spill.HashStore`), so memory does not grow with the
    respondents; nothing else of a batch is kept. The hashes are salted afresh for each
    run. Equal ids (or answers) hash alike, so when no hash repeats there is no repeat;
    when some do, a second pass over the batches (`find_repeats`) keeps only the rows with
    a repeated hash and compares them exactly, with the same rule as `check_duplicates`."""

    def __init__(self, several_files: bool) -> None:
        from cxassess.inputs.spill import HashStore

        self.several_files = several_files
        self._seed = secrets.randbits(63)
        self._ids = HashStore()
        self._records = HashStore()
        self.rows = 0

    def hashes(self, batch: pl.DataFrame) -> tuple[np.ndarray, np.ndarray | None]:
        """The id hashes of a batch's rows, and their answers' hashes (with several files)."""
        ids = batch.get_column(RESPONDENT_COLUMN).hash(seed=self._seed).to_numpy()
        content = [c for c in batch.columns if c != RESPONDENT_COLUMN]
        if not (self.several_files and content):
            return ids, None
        return ids, batch.select(content).hash_rows(seed=self._seed).to_numpy()

    def add(self, batch: pl.DataFrame) -> None:
        """Keep the hashes of one more batch (the batches in the inputs' order)."""
        ids, records = self.hashes(batch)
        self._ids.add(ids)
        if records is not None:
            self._records.add(records)
        self.rows += batch.height

    def repeated(self) -> tuple[np.ndarray, np.ndarray]:
        """The id hashes and answer hashes held by more than one respondent (asked once: the
        hashes are let go of as they are sorted)."""
        return self._ids.repeated(), self._records.repeated()


def find_repeats(
    batches: Callable[[], Iterable[pl.DataFrame]],
    sources: Sequence[SourceFile],
    hashes: RepeatHashes,
    keep_first: bool = False,
) -> tuple[list[int], list[Problem]]:
    """`check_duplicates` for answers read a batch at a time, after a first pass that filled
    `hashes`: the positions (from 0, over all inputs) of the repeats to leave out, and the
    warning saying so; repeats raise `InputError` unless `keep_first`. `batches()` reads the
    answers again, once, only when some hash repeats."""
    import numpy as np
    import polars as pl

    ids, records = hashes.repeated()
    if not len(ids) and not len(records):
        return [], []
    height = hashes.rows
    sizes = [source.rows for source in sources]
    if sum(sizes) != height:
        files, starts = ["the inputs"], [0]
    else:
        files = [source.file for source in sources]
        starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(int).tolist()
    bounds = np.asarray(starts)

    def file_of(row: int) -> int:
        return int(np.searchsorted(bounds, row, side="right") - 1)

    kept: list[pl.DataFrame] = []
    position = 0
    for batch in batches():
        id_hashes, record_hashes = hashes.hashes(batch)
        suspect = np.isin(id_hashes, ids)
        if record_hashes is not None:
            suspect |= np.isin(record_hashes, records)
        rows = np.flatnonzero(suspect) + position
        position += batch.height
        if len(rows):
            picked = batch.filter(pl.Series(suspect))
            kept.append(
                picked.with_columns(
                    pl.Series("__file", np.searchsorted(bounds, rows, side="right") - 1).cast(
                        pl.Int32
                    ),
                    pl.Series("__row", rows).cast(pl.Int64),
                )
            )
    repeats = _repeats(pl.concat(kept), files) if kept else []
    problems = _verdict(repeats, files, starts, file_of, keep_first)
    return sorted({row for row, _first, _what in repeats}), problems
