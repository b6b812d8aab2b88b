"""Many comparisons at once: Benjamini-Hochberg across the items of one comparison, and a
minimum effect of 5 points, decide every mark on changes and gaps."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cxassess.compare import Change, mark_family
from cxassess.gap.compute import classify, gap_row
from cxassess.scoring.intervals import (
    MIN_EFFECT,
    Interval,
    adjusted_p_values,
    beyond_noise,
    p_value,
    t_quantile,
    welch_interval,
)

# The 15 p-values of Benjamini and Hochberg (1995), section 3.2: at 5%, the method rejects the
# four smallest (Bonferroni would reject three).
PAPER = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459]
PAPER += [0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.0000]


def test_benjamini_hochberg_rejects_what_the_paper_rejects() -> None:
    adjusted = adjusted_p_values(PAPER)
    assert [q is not None and q <= 0.05 for q in adjusted] == [True] * 4 + [False] * 11


def test_adjusted_p_values_of_a_small_family_by_hand() -> None:
    # sorted: 0.005 (x4/1), 0.01 (x4/2), 0.03 (x4/3), 0.04 (x4/4), then no larger than those after
    assert adjusted_p_values([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.02, 0.04, 0.04, 0.02])
    assert adjusted_p_values([None, 0.2]) == [None, 0.2]


@given(st.lists(st.floats(0.0, 1.0), min_size=1, max_size=40))
def test_adjusted_p_values_never_fall_below_the_raw_ones_and_keep_their_order(
    ps: list[float],
) -> None:
    adjusted = adjusted_p_values(ps)
    assert all(q is not None and p - 1e-12 <= q <= 1.0 for p, q in zip(ps, adjusted, strict=True))
    ranked = sorted(zip(ps, adjusted, strict=True))
    assert all(a[1] <= b[1] + 1e-12 for a, b in itertools.pairwise(ranked))  # type: ignore[operator]


def test_p_value_matches_the_t_table() -> None:
    se, df = 2.0, 10.0
    at_edge = Interval(t_quantile(0.975, df) * se, None, None, se, df)
    assert p_value(at_edge) == pytest.approx(0.05, abs=1e-9)
    assert p_value(Interval(0.0, None, None, se, df)) == pytest.approx(1.0)
    assert p_value(Interval(3.0, None, None, None, None)) is None
    assert p_value(Interval(3.0, 3.0, 3.0, 0.0, None)) == 0.0


def test_a_sure_but_small_difference_is_not_marked() -> None:
    decided = beyond_noise([(MIN_EFFECT - 0.1, 1e-9), (MIN_EFFECT, 1e-9), (-8.0, 1e-9)])
    assert [marked for marked, _q in decided] == [False, True, True]


def _change(ident: str, difference: float, p: float) -> Change:
    return Change(kind="item", id=ident, change=difference, p_value=p)


def test_one_item_clear_on_its_own_is_not_marked_among_twenty() -> None:
    alone = mark_family([_change("q1", 6.0, 0.03)])[0]
    assert alone is not None and alone.marked and alone.direction == "up"
    family = [_change("q1", 6.0, 0.03)] + [_change(f"q{i}", 1.0, 0.6) for i in range(2, 21)]
    mark_family(family)
    assert not family[0].marked and family[0].direction is None
    assert family[0].p_adjusted == pytest.approx(0.6)


def test_gap_status_follows_the_family_rule() -> None:
    # Each of these gaps has an interval clear of zero on its own.
    rows = [
        gap_row("item", f"q{i}", (60.0 + gap, 20.0, 60), (60.0, 20.0, 60), 10.0)
        for i, gap in enumerate([8.0, 3.0] + [0.5] * 18)
    ]
    single = welch_interval(8.0, [(20.0, 60), (20.0, 60)])
    assert single.clear and rows[0].clear and rows[0].status == "staff-higher"
    classify(rows, 10.0)
    assert not rows[0].clear and rows[0].status == "aligned"
    assert rows[0].p_adjusted is not None and rows[0].p_adjusted > 0.05
    # A large gap stays marked however many items are compared with it.
    rows.append(gap_row("item", "big", (80.0, 15.0, 200), (50.0, 15.0, 200), 10.0))
    classify(rows, 10.0)
    assert rows[-1].clear and rows[-1].status == "blind-spot"


def test_a_difference_that_prints_under_the_minimum_is_not_marked() -> None:
    # 62.5 and 57.5 print as 62 and 58 (round half to even): 4 apart, under the 5-point
    # minimum, although 5.0 apart as worked out, so a reader never sees "4" marked
    from cxassess.scoring.intervals import beyond_noise, printed_difference

    assert printed_difference(62.5, 57.5) == 4.0
    marked, _q = beyond_noise([(5.0, 0.0001)], printed=[printed_difference(62.5, 57.5)])[0]
    assert marked is False
    marked, _q = beyond_noise([(5.0, 0.0001)], printed=[printed_difference(63.4, 58.4)])[0]
    assert marked is True
