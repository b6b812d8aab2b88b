"""The statistics behind every gap and change: Student t quantiles and Welch intervals,
checked against printed t tables and a published worked example."""

from __future__ import annotations

import math
import statistics

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cxassess.scoring.intervals import nps_sd, regularized_beta, t_cdf, t_quantile, welch_interval

# Two-sided 95% (p = 0.975) and 99% (p = 0.995) critical values from a standard t table.
T_TABLE = [
    (1, 12.706, 63.657),
    (2, 4.303, 9.925),
    (3, 3.182, 5.841),
    (5, 2.571, 4.032),
    (10, 2.228, 3.169),
    (20, 2.086, 2.845),
    (30, 2.042, 2.750),
    (60, 2.000, 2.660),
    (120, 1.980, 2.617),
]


@pytest.mark.parametrize(("df", "t95", "t99"), T_TABLE)
def test_t_quantile_matches_the_printed_t_table(df: int, t95: float, t99: float) -> None:
    assert t_quantile(0.975, df) == pytest.approx(t95, abs=6e-4)
    assert t_quantile(0.995, df) == pytest.approx(t99, abs=6e-4)


def test_t_quantile_tends_to_the_normal_quantile_for_large_df() -> None:
    assert t_quantile(0.975, 1e9) == pytest.approx(1.959964, abs=1e-6)
    assert t_quantile(0.975, 100_000) == pytest.approx(1.95999, abs=1e-4)


def test_t_quantile_is_symmetric_and_zero_at_the_median() -> None:
    assert t_quantile(0.5, 7) == 0.0
    assert t_quantile(0.025, 7) == pytest.approx(-t_quantile(0.975, 7))


def test_t_quantile_refuses_impossible_arguments() -> None:
    with pytest.raises(ValueError):
        t_quantile(1.0, 5)
    with pytest.raises(ValueError):
        t_quantile(0.9, 0)


def test_t_cdf_for_one_df_is_the_cauchy_distribution() -> None:
    for t in (-3.0, -0.5, 0.0, 0.7, 4.0):
        assert t_cdf(t, 1) == pytest.approx(0.5 + math.atan(t) / math.pi, abs=1e-12)


def test_regularized_beta_known_values() -> None:
    assert regularized_beta(0.5, 2, 2) == pytest.approx(0.5)
    assert regularized_beta(0.3, 1, 1) == pytest.approx(0.3)  # uniform
    assert regularized_beta(0.2, 2, 3) == pytest.approx(0.1808, abs=1e-12)
    assert regularized_beta(0.0, 2, 3) == 0.0
    assert regularized_beta(1.0, 2, 3) == 1.0


@given(
    p=st.floats(min_value=0.51, max_value=0.999),
    df=st.floats(min_value=0.5, max_value=500),
)
def test_t_quantile_inverts_t_cdf(p: float, df: float) -> None:
    assert t_cdf(t_quantile(p, df), df) == pytest.approx(p, abs=1e-9)


@given(df=st.floats(min_value=1, max_value=1000))
def test_t_quantile_shrinks_as_df_grows(df: float) -> None:
    assert t_quantile(0.975, df) >= t_quantile(0.975, df * 1.5) - 1e-12


# Welch's t-test example 1 on Wikipedia (two samples of 15): t = -2.46, df = 24.99, p = 0.021.
A1 = [27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4]
A2 = [27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4]


def test_welch_interval_reproduces_the_published_example() -> None:
    difference = statistics.mean(A1) - statistics.mean(A2)
    interval = welch_interval(
        difference, [(statistics.stdev(A1), len(A1)), (statistics.stdev(A2), len(A2))]
    )
    assert interval.df == pytest.approx(24.99, abs=0.005)
    assert difference / interval.se == pytest.approx(-2.46, abs=0.005)
    p_value = 2 * t_cdf(difference / interval.se, interval.df)
    assert p_value == pytest.approx(0.021, abs=0.0006)
    assert interval.clear  # p < 0.05, so the 95% interval excludes zero
    assert interval.high < 0


def test_welch_interval_half_width_is_t_times_standard_error() -> None:
    interval = welch_interval(10.0, [(20.0, 50), (30.0, 80)])
    se = math.sqrt(20**2 / 50 + 30**2 / 80)
    df = se**4 / ((20**2 / 50) ** 2 / 49 + (30**2 / 80) ** 2 / 79)
    assert interval.se == pytest.approx(se)
    assert interval.df == pytest.approx(df)
    assert interval.high - 10.0 == pytest.approx(t_quantile(0.975, df) * se)
    assert 10.0 - interval.low == pytest.approx(t_quantile(0.975, df) * se)


def test_welch_interval_needs_two_answers_a_side() -> None:
    interval = welch_interval(5.0, [(10.0, 1), (12.0, 40)])
    assert interval.low is None and interval.high is None
    assert not interval.clear
    assert welch_interval(5.0, [(None, 10), (12.0, 40)]).low is None


def test_welch_interval_without_any_spread_is_the_point_itself() -> None:
    interval = welch_interval(4.0, [(0.0, 10), (0.0, 12)])
    assert (interval.low, interval.high) == (4.0, 4.0)
    assert interval.clear
    assert not welch_interval(0.0, [(0.0, 10), (0.0, 12)]).clear


def test_welch_interval_with_one_side_constant_uses_the_other_sides_df() -> None:
    interval = welch_interval(3.0, [(0.0, 10), (6.0, 9)])
    assert interval.df == pytest.approx(8.0)


def test_nps_sd_is_the_spread_of_plus_100_zero_minus_100_scores() -> None:
    scores = [100] * 5 + [0] * 3 + [-100] * 2
    expected = statistics.stdev(scores)
    assert nps_sd(50.0, 20.0, 10) == pytest.approx(expected)
    assert nps_sd(50.0, 20.0, 1) is None
    assert nps_sd(None, 20.0, 10) is None


@given(
    p=st.floats(min_value=0.6, max_value=0.999999),
    df=st.floats(min_value=0.3, max_value=1e6),
)
def test_t_quantile_inverts_the_distribution_function(p: float, df: float) -> None:
    from cxassess.scoring.intervals import t_cdf, t_quantile

    t = t_quantile(p, df)
    assert t_cdf(t, df) == pytest.approx(p, abs=1e-9)  # t_cdf's own precision
    assert t_quantile(1.0 - p, df) == -t


def test_t_quantile_finds_points_far_out_in_the_tails_below_one_degree_of_freedom() -> None:
    """Found by hypothesis: at df 0.375 the 99.999% point lies near 1.2e12, past a search
    limit of 1e12, and was returned as infinite."""
    from cxassess.scoring.intervals import t_cdf, t_quantile

    for p, df in ((0.99999, 0.375), (0.999999, 0.3)):
        t = t_quantile(p, df)
        assert t < float("inf")
        assert t_cdf(t, df) == pytest.approx(p, abs=1e-9)
