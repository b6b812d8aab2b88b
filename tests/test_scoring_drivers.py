"""Driver analysis: Johnson's relative weights, their bootstrap intervals, who leads, the
minimum sample, and what `score` writes to the results."""

from __future__ import annotations

import csv
import itertools
import json
import math
import random
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxassess.format.loader import load_questionnaire
from cxassess.pipeline import score_inputs
from cxassess.results import Results
from cxassess.scoring.drivers import (
    MIN_DRIVER_RESPONDENTS,
    focus_cut,
    focus_flags,
    leaders,
    relative_weights,
    weights_with_intervals,
)

MINIMAL = Path(__file__).parent / "data" / "valid" / "minimal.yaml"


def correlation_of(data: np.ndarray) -> np.ndarray:
    return np.corrcoef(data, rowvar=False)


def r_squared(data: np.ndarray) -> float:
    """R² of an ordinary least-squares fit of the last column on the others (with intercept)."""
    x = np.column_stack([np.ones(len(data)), data[:, :-1]])
    y = data[:, -1]
    coef, *_ = np.linalg.lstsq(x, y, rcond=None)
    residual = y - x @ coef
    return 1.0 - residual @ residual / ((y - y.mean()) @ (y - y.mean()))


def subset_r2(corr: np.ndarray, subset: tuple[int, ...]) -> float:
    if not subset:
        return 0.0
    index = list(subset)
    rxx = corr[np.ix_(index, index)]
    rxy = corr[index, -1]
    return float(rxy @ np.linalg.solve(rxx, rxy))


def shapley_r2(corr: np.ndarray) -> list[float]:
    """Each predictor's Shapley share of R², by brute force over every subset."""
    k = corr.shape[0] - 1
    shares = []
    for j in range(k):
        others = [i for i in range(k) if i != j]
        total = 0.0
        for size in range(k):
            weight = math.factorial(size) * math.factorial(k - size - 1) / math.factorial(k)
            for subset in itertools.combinations(others, size):
                with_j = tuple(sorted((*subset, j)))
                total += weight * (subset_r2(corr, with_j) - subset_r2(corr, subset))
        shares.append(total)
    return shares


def correlated_sample(seed: int, n: int = 400, k: int = 4) -> np.ndarray:
    rng = np.random.default_rng(seed)
    common = rng.normal(size=(n, 1))
    x = 0.7 * common + rng.normal(size=(n, k))
    y = x @ rng.uniform(0.1, 1.0, size=k) + rng.normal(size=n) * 2
    return np.column_stack([x, y])


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000), st.integers(2, 6))
def test_relative_weights_are_non_negative_and_add_up_to_r_squared(seed: int, k: int) -> None:
    data = correlated_sample(seed, k=k)
    weights = relative_weights(correlation_of(data))
    assert (weights >= -1e-12).all()
    assert weights.sum() == pytest.approx(r_squared(data), abs=1e-9)


def test_symmetric_predictors_get_equal_weights() -> None:
    corr = np.array(
        [
            [1.0, 0.5, 0.2, 0.4],
            [0.5, 1.0, 0.2, 0.4],
            [0.2, 0.2, 1.0, 0.1],
            [0.4, 0.4, 0.1, 1.0],
        ]
    )
    weights = relative_weights(corr)
    assert weights[0] == pytest.approx(weights[1], abs=1e-12)
    assert weights[0] > weights[2]


def test_uncorrelated_predictors_get_their_shapley_share_exactly() -> None:
    """With predictors uncorrelated with each other, each one's Shapley share of R² is its
    squared correlation with the outcome; the relative weights must be the same."""
    rxy = np.array([0.5, 0.3, -0.2])
    corr = np.eye(4)
    corr[:3, 3] = corr[3, :3] = rxy
    weights = relative_weights(corr)
    assert weights == pytest.approx(shapley_r2(corr), abs=1e-9)
    assert weights == pytest.approx(rxy**2, abs=1e-12)


def test_weights_of_correlated_predictors_stay_close_to_the_shapley_shares() -> None:
    corr = correlation_of(correlated_sample(3))
    shapley = shapley_r2(corr)
    assert sum(shapley) == pytest.approx(subset_r2(corr, (0, 1, 2, 3)), abs=1e-9)
    assert relative_weights(corr) == pytest.approx(shapley, abs=0.01)


def test_a_predictor_copied_twice_shares_its_weight_instead_of_breaking() -> None:
    data = correlated_sample(5, k=2)
    doubled = np.column_stack([data[:, 0], data[:, 0], data[:, 1], data[:, 2]])
    weights = relative_weights(correlation_of(doubled))
    assert np.isfinite(weights).all()
    assert weights[0] == pytest.approx(weights[1], abs=1e-9)
    assert weights.sum() == pytest.approx(r_squared(data), abs=1e-6)


def test_bootstrap_intervals_are_seeded_and_hold_the_estimate() -> None:
    data = correlated_sample(11, n=300, k=3)
    first = weights_with_intervals(data, resamples=400)
    again = weights_with_intervals(data, resamples=400)
    assert np.array_equal(first.low, again.low) and np.array_equal(first.high, again.high)
    assert (first.low <= first.weights).all() and (first.weights <= first.high).all()
    assert first.r2 == pytest.approx(r_squared(data), abs=1e-9)
    assert first.n == 300


def test_bootstrap_uses_only_complete_rows() -> None:
    data = correlated_sample(2, n=120, k=2)
    holed = data.copy()
    holed[::4, 0] = np.nan
    found = weights_with_intervals(holed, resamples=50)
    assert found.n == 90
    kept = np.delete(data, np.s_[::4], axis=0)
    assert found.weights == pytest.approx(relative_weights(correlation_of(kept)), abs=1e-12)


def test_one_driver_leads_only_when_its_interval_clears_the_next() -> None:
    assert leaders([0.2, 0.1, 0.05], [0.15, 0.05, 0.01], [0.25, 0.14, 0.08]) == [0]
    # 0.44, 0.42, 0.41 with overlapping intervals: they matter about equally.
    assert leaders([0.42, 0.44, 0.41], [0.30, 0.33, 0.29], [0.55, 0.56, 0.52]) == [1, 0, 2]
    # The third is clearly behind the top one: it is not among the leaders.
    assert leaders([0.44, 0.42, 0.10], [0.33, 0.30, 0.05], [0.56, 0.55, 0.20]) == [0, 1]


def test_focus_flags_follow_the_cut_the_chart_draws() -> None:
    pairs = [(0.3, 40.0), (0.1, 60.0), (0.25, 70.0), (0.05, 30.0)]
    w_mid, s_mid = focus_cut(pairs)  # type: ignore[misc]
    flags = focus_flags(pairs)
    assert flags == [w > w_mid and s < s_mid for w, s in pairs]
    assert flags == [True, False, False, False]


def _write_answers(path: Path, respondents: int, seed: int = 4) -> None:
    rnd = random.Random(seed)
    columns = ["respondent", "a1", "a2", "a3", "b1", "b2", "b3", "recommend"]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for index in range(respondents):
            lean = rnd.gauss(0, 1)
            row = [f"p{index}"]
            for item in columns[1:-1]:
                value = min(5, max(1, round(3 + lean + rnd.gauss(0, 0.8))))
                row.append(str(6 - value if item == "a2" else value))
            row.append(str(min(10, max(0, round(6 + 2 * lean + rnd.gauss(0, 1.5))))))
            writer.writerow(row)


def test_score_writes_weights_intervals_and_leaders(tmp_path: Path) -> None:
    answers = tmp_path / "answers.csv"
    _write_answers(answers, 120)
    results, _problems = score_inputs([answers], load_questionnaire(MINIMAL))
    drivers = results.drivers
    assert drivers is not None and drivers.method == "relative-weights"
    assert drivers.min_n == MIN_DRIVER_RESPONDENTS and drivers.dimensions_n == 120
    assert not drivers.dimensions_why_not
    for driver in drivers.dimensions:
        assert driver.weight is not None and driver.weight_low is not None
        assert driver.weight_low <= driver.weight <= (driver.weight_high or 0)
    assert sum(d.weight or 0 for d in drivers.dimensions) == pytest.approx(drivers.dimensions_r2)
    assert drivers.dimensions_leading
    again = Results.model_validate_json(results.to_json())
    assert again.drivers == drivers


def test_too_few_respondents_give_no_weights_and_say_why(tmp_path: Path) -> None:
    answers = tmp_path / "answers.csv"
    _write_answers(answers, MIN_DRIVER_RESPONDENTS - 1)
    results, _problems = score_inputs([answers], load_questionnaire(MINIMAL))
    drivers = results.drivers
    assert drivers is not None
    assert all(d.weight is None and not d.focus for d in [*drivers.dimensions, *drivers.items])
    assert f"at least {MIN_DRIVER_RESPONDENTS}" in drivers.dimensions_why_not
    assert not drivers.dimensions_leading


def test_results_written_before_relative_weights_still_read() -> None:
    old = {
        "schema": "cxassess.results/1",
        "questionnaire": {"id": "x", "version": "1"},
        "generated": "",
        "respondents": 30,
        "min_group_size": 5,
        "overall": {"score": 50, "level": None, "n": 30},
        "drivers": {
            "outcome": "recommend",
            "dimensions": [{"id": "a", "kind": "dimension", "r": 0.4, "n": 30, "score": 50}],
        },
    }
    results = Results.model_validate_json(json.dumps(old))
    assert results.drivers is not None and results.drivers.method == ""
    assert results.drivers.dimensions[0].weight is None
