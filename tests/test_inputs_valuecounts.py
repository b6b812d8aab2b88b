"""`ValueCounts` counts each column's values over batches as one count over them all would,
however the batches fall, and stops a segment at its limit of different values."""

from __future__ import annotations

from collections import Counter

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxassess.errors import TooManyGroups
from cxassess.inputs.valuecounts import ValueCounts, count_values

cell = st.one_of(st.none(), st.sampled_from(["a", "b", "c", "d", "e", "f", "g", "h"]))
number = st.one_of(st.none(), st.sampled_from([1.0, 2.0, 3.0, 4.0, 5.0, -99.0, float("nan")]))


def _as_dict(frame: pl.DataFrame) -> dict[str, int]:
    return dict(zip(frame.get_column("value"), frame.get_column("len"), strict=True))


def _batches(first: st.SearchStrategy, second: st.SearchStrategy) -> st.SearchStrategy:
    """Up to 12 batches of up to 30 rows of two columns."""
    return st.lists(st.lists(st.tuples(first, second), max_size=30), max_size=12)


def _frames(batches: list[list[tuple]], schema: dict[str, pl.DataType]) -> list[pl.DataFrame]:
    """A frame per batch of rows, a column per name of `schema`."""
    return [
        pl.DataFrame({name: [r[i] for r in rows] for i, name in enumerate(schema)}, schema=schema)
        for rows in batches
    ]


@settings(max_examples=60, deadline=None)
@given(batches=_batches(cell, cell))
def test_counts_over_batches_are_the_counts_of_all_rows(batches) -> None:
    frames = _frames(batches, {"x": pl.String, "y": pl.String})
    counted = count_values(frames, ["x", "y"])
    for index, name in enumerate(["x", "y"]):
        expected = Counter(r[index] for rows in batches for r in rows if r[index] is not None)
        assert _as_dict(counted[name]) == dict(expected)


def test_a_column_past_its_limit_is_refused_at_the_batch_that_passes_it() -> None:
    counts = ValueCounts(["team", "a1"], {"team": 3})
    counts.add(pl.DataFrame({"team": ["x", "y", "x"], "a1": ["1", "2", "3"]}))
    counts.add(pl.DataFrame({"team": ["z", "x", None], "a1": ["4", "5", "6"]}))
    with pytest.raises(TooManyGroups, match="the segment 'team' has more than 3 different"):
        counts.add(pl.DataFrame({"team": ["w"], "a1": ["7"]}))


def test_a_column_without_a_limit_may_hold_any_number_of_values() -> None:
    counts = ValueCounts(["a1"], {"team": 1})
    for start in range(0, 40, 10):
        counts.add(pl.DataFrame({"a1": [str(i) for i in range(start, start + 10)]}))
    assert counts.counted()["a1"].height == 40


@settings(max_examples=60, deadline=None)
@given(batches=_batches(cell, number))
def test_a_column_not_tallied_has_every_value_of_all_rows_and_no_counts(batches) -> None:
    frames = _frames(batches, {"team": pl.String, "q1": pl.Float64})
    counted = count_values(frames, ["team", "q1"], tallied=["team"])
    expected = Counter(r[0] for rows in batches for r in rows if r[0] is not None)
    assert _as_dict(counted["team"]) == dict(expected)
    assert counted["q1"].columns == ["value"]
    found = {"nan" if v != v else v for v in counted["q1"].get_column("value").to_list()}
    values = {r[1] for rows in batches for r in rows if r[1] is not None}
    assert found == {"nan" if v != v else v for v in values}


def test_a_batch_of_known_answers_is_checked_not_counted(monkeypatch) -> None:
    counts = ValueCounts(["team", "q1"], tallied=["team"])
    counts.add(pl.DataFrame({"team": ["x", "y"], "q1": [1.0, 2.0]}))
    counted_columns: list[int] = []
    collect_all = pl.collect_all

    def counting(queries, *args, **kwargs):
        counted_columns.append(len(queries))
        return collect_all(queries, *args, **kwargs)

    monkeypatch.setattr(pl, "collect_all", counting)
    counts.add(pl.DataFrame({"team": ["x", "z"], "q1": [2.0, None]}))
    assert counted_columns[0] == 1  # the segment alone: the answers were all seen before
    counted_columns.clear()
    counts.add(pl.DataFrame({"team": ["x"], "q1": [3.0]}))
    assert counted_columns[0] == 2  # a new answer: counted as well
    assert sorted(counts.counted()["q1"].get_column("value").to_list()) == [1.0, 2.0, 3.0]
