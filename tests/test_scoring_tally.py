"""Moments from counts per code equal those of the values the counts stand for."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cxassess.scoring.tally import moments_from_counts


@st.composite
def sparse_counts(draw) -> tuple[np.ndarray, np.ndarray]:
    """Counts of a few groups over many codes (as a dimension's combinations of answers are),
    most of them never used, and the value each code stands for."""
    codes = draw(st.integers(1, 3000))
    groups = draw(st.integers(1, 4))
    values = np.array(
        draw(st.lists(st.floats(-100, 100), min_size=codes, max_size=codes)), dtype=np.float64
    )
    counts = np.zeros((groups, codes), dtype=np.int64)
    for _ in range(draw(st.integers(0, 30))):
        group, code = draw(st.integers(0, groups - 1)), draw(st.integers(0, codes - 1))
        counts[group, code] += draw(st.integers(1, 50))
    return counts, values


@settings(max_examples=200, deadline=None)
@given(sparse_counts())
def test_moments_from_sparse_counts_equal_those_of_the_values_they_count(data) -> None:
    counts, values = data
    found = moments_from_counts(counts, values)
    for group in range(counts.shape[0]):
        answers = np.repeat(values, counts[group])
        assert found.n[group] == answers.size
        if answers.size == 0:
            assert math.isnan(found.mean[group])
            continue
        assert math.isclose(found.mean[group], answers.mean(), rel_tol=1e-9, abs_tol=1e-9)
        expected_m2 = float(((answers - answers.mean()) ** 2).sum())
        assert math.isclose(found.m2[group], expected_m2, rel_tol=1e-9, abs_tol=1e-7)
