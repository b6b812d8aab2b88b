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


def _as_dict(frame: pl.DataFrame) -> dict[str, int]:
    return dict(zip(frame.get_column("value"), frame.get_column("len"), strict=True))


@settings(max_examples=60, deadline=None)
@given(
    batches=st.lists(
        st.lists(st.tuples(cell, cell), min_size=0, max_size=30), min_size=0, max_size=12
    )
)
def test_counts_over_batches_are_the_counts_of_all_rows(batches) -> None:
    frames = [
        pl.DataFrame(
            {"x": [r[0] for r in rows], "y": [r[1] for r in rows]},
            schema={"x": pl.String, "y": pl.String},
        )
        for rows in batches
    ]
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
