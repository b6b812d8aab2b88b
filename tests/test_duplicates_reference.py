"""The vectorised duplicate check finds exactly the repeats a plain row-by-row reading finds."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from cxassess.errors import InputError
from cxassess.results import SourceFile
from cxassess.scoring.duplicates import check_duplicates

SCHEMA = {"respondent": pl.String, "a": pl.Float64, "b": pl.Float64, "team": pl.String}


def _reference(rows: list[dict], sizes: list[int]) -> list[tuple[int, int]]:
    """(row, first row) of each repeat, read one row at a time: a given id seen before, or
    an answered record equal to an earlier one of another file."""
    files = [i for i, n in enumerate(sizes) for _ in range(n)]
    first_by_id: dict[str, int] = {}
    first_by_record: dict[tuple, int] = {}
    found = []
    for row, person in enumerate(rows):
        ident = person["respondent"]
        made_up = ident is not None and (
            re.fullmatch(r"response-\d+", ident) or re.fullmatch(rf"f{files[row]}\.csv:\d+", ident)
        )
        if ident is not None and not made_up:
            if ident in first_by_id:
                found.append((row, first_by_id[ident]))
                continue
            first_by_id[ident] = row
        record = (person["a"], person["b"], person["team"])
        if any(v is not None for v in record):
            earlier = first_by_record.get(record)
            if earlier is not None and files[earlier] != files[row]:
                found.append((row, earlier))
                continue
            first_by_record.setdefault(record, row)
    return found


person = st.fixed_dictionaries(
    {
        "respondent": st.sampled_from([None, "R1", "R2", "R3", "response-1", "f0.csv:1"]),
        "a": st.sampled_from([None, 1.0, 2.0]),
        "b": st.sampled_from([None, 1.0]),
        "team": st.sampled_from([None, "x"]),
    }
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(person, max_size=6), min_size=1, max_size=3))
def test_repeats_are_those_a_row_by_row_reading_finds(files: list[list[dict]]) -> None:
    rows = [p for file in files for p in file]
    sizes = [len(file) for file in files]
    sources = [SourceFile(file=f"/in/f{i}.csv", sha256="0", rows=n) for i, n in enumerate(sizes)]
    frame = pl.DataFrame(rows, schema=SCHEMA)
    expected = _reference(rows, sizes)
    kept, problems = check_duplicates(frame, sources, keep_first=True)
    dropped = {row for row, _first in expected}
    assert kept.to_dicts() == [p for i, p in enumerate(rows) if i not in dropped]
    assert bool(problems) == bool(expected)
    if expected:
        try:
            check_duplicates(frame, sources)
        except InputError as error:
            assert f"{len(expected)} response(s) appear more than once" in str(error)
            row, _first = expected[0]
            file = next(i for i in range(len(sizes)) if row < sum(sizes[: i + 1]))
            assert f"{Path(f'/in/f{file}.csv')} (response {row - sum(sizes[:file]) + 1})" in str(
                error
            )
        else:
            raise AssertionError("repeats were not refused")
