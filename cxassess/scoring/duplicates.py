"""The same respondent counted twice: refused, or with an explicit option kept once.

Two copies of one export, or five copies of one response file, would turn a team of three into
a shown team of six, or one person into a "team" of five, and defeat rule 11. A repeated
respondent id (one the survey tool or `cxassess run` wrote, not one made up from a row number)
is a repeat, and so is a response identical in every answer, segment and comment to one in
another input file.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from cxassess.errors import InputError, Location, Problem
from cxassess.responses import RESPONDENT_COLUMN
from cxassess.results import SourceFile

if TYPE_CHECKING:
    import polars as pl

_SHOWN = 5
"""Most repeats named in one message."""


def _origins(sources: Sequence[SourceFile], height: int) -> list[tuple[str, int]]:
    """For each row of the answers frame, its file and its place among that file's responses."""
    found: list[tuple[str, int]] = []
    for source in sources:
        found += [(source.file, i + 1) for i in range(source.rows)]
    if len(found) != height:  # sizes unknown: name the rows of the combined answers
        return [("the inputs", i + 1) for i in range(height)]
    return found


def _made_up(ident: str, file: str) -> bool:
    """Whether an id was made up by the reader (from a row number), not given by the input."""
    return bool(re.fullmatch(r"response-\d+", ident)) or ident == f"{Path(file).name}:" + (
        ident.rsplit(":", 1)[-1] if ident.rsplit(":", 1)[-1].isdigit() else "x"
    )


def _place(origin: tuple[str, int]) -> str:
    file, index = origin
    return f"{file} (response {index})"


def check_duplicates(
    frame: pl.DataFrame, sources: Sequence[SourceFile], keep_first: bool = False
) -> tuple[pl.DataFrame, list[Problem]]:
    """The answers with every respondent once. Repeats raise an `InputError` naming where
    each was found; with `keep_first`, the first of each is kept and a warning says which
    were left out."""
    import polars as pl

    origins = _origins(sources, frame.height)
    ids = frame.get_column(RESPONDENT_COLUMN).to_list()
    content = [c for c in frame.columns if c != RESPONDENT_COLUMN]
    records = frame.select(content).rows() if content else [() for _ in ids]
    first_by_id: dict[str, int] = {}
    first_by_record: dict[tuple, int] = {}
    repeats: list[tuple[int, int, str]] = []  # (row, first row, what)
    for row, (ident, record) in enumerate(zip(ids, records, strict=True)):
        if ident is not None and not _made_up(str(ident), origins[row][0]):
            if ident in first_by_id:
                repeats.append((row, first_by_id[ident], f"respondent id '{ident}'"))
                continue
            first_by_id[ident] = row
        if any(v is not None for v in record):
            earlier = first_by_record.get(record)
            if earlier is not None and origins[earlier][0] != origins[row][0]:
                repeats.append((row, earlier, "every answer"))
                continue
            first_by_record.setdefault(record, row)
    if not repeats:
        return frame, []
    lines = [
        f"{_place(origins[row])} repeats {_place(origins[first])} ({what})"
        for row, first, what in repeats
    ]
    more = f"; and {len(lines) - _SHOWN} more" if len(lines) > _SHOWN else ""
    if not keep_first:
        raise InputError(
            f"{len(repeats)} response(s) appear more than once, which would count the same "
            f"people twice and could show a group too small to be shown: "
            + "; ".join(lines[:_SHOWN])
            + more,
            hint="leave out the copies (the same export or response file given twice), or "
            "give --keep-first-duplicate to keep only the first of each",
            location=Location(origins[repeats[0][0]][0]),
        )
    drop = {row for row, _first, _what in repeats}
    kept = frame.with_row_index("__index").filter(~pl.col("__index").is_in(sorted(drop)))
    warning = Problem(
        Location(None),
        "duplicates",
        f"left out {len(drop)} repeated response(s), keeping the first of each: "
        + "; ".join(lines[:_SHOWN])
        + more,
        severity="warning",
    )
    return kept.drop("__index"), [warning]
