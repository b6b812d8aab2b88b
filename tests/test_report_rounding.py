"""Shares shown in the report add up to 100."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cxassess.report.rounding import whole_shares


def test_shares_that_round_to_101_are_shown_as_100() -> None:
    assert whole_shares([34.6, 37.6, 27.8]) == [35, 37, 28]


def test_missing_shares_stay_missing() -> None:
    assert whole_shares([None, None, None]) == [None, None, None]


@given(st.lists(st.integers(min_value=0, max_value=500), min_size=1, max_size=6))
def test_whole_shares_of_any_counts_add_to_100(counts: list[int]) -> None:
    total = sum(counts)
    if total == 0:
        return
    shares = whole_shares([100.0 * c / total for c in counts])
    assert sum(s for s in shares if s is not None) == 100
    for share, count in zip(shares, counts, strict=True):
        assert share is not None
        assert abs(share - 100.0 * count / total) < 1
