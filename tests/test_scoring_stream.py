"""Scoring in batches (`stream.summarise_batches`) gives the results of scoring all the answers
at once (`summarise` on their concatenation), however the answers are split: empty batches,
a group first seen in a late batch, missing segment values, small groups hidden by rule 11
(and the remainder rule), comments, don't-know marks, answers off the scale's points in some
batches only, alpha, correlations and drivers."""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from results_compare import assert_close

from cxassess.format.loader import load_questionnaire
from cxassess.format.models import Questionnaire
from cxassess.responses import answers_schema, non_answer_column, non_answer_questions
from cxassess.scoring import aggregate, coding
from cxassess.scoring.drivers import DriverData, weights_with_intervals
from cxassess.scoring.stream import summarise_batches
from cxassess.scoring.summary import summarise

QUESTIONNAIRE = """
format: cxassess/1
id: batches
version: "1.0"
title: Batches
audience: staff
scales:
  agree5:
    type: likert
    points:
      - {value: 1, label: Strongly disagree}
      - {value: 2, label: Disagree}
      - {value: 3, label: Neither}
      - {value: 4, label: Agree}
      - {value: 5, label: Strongly agree}
    favorable: [4, 5]
    dont_know: Don't know
    not_applicable: Does not apply
  hours:
    type: number
    min: 0
    max: 4
    points:
      - {value: 0, label: None}
      - {value: 2, label: Some}
      - {value: 4, label: Many}
    favorable: [4]
  nps:
    type: nps
segments:
  - {id: team, title: Team}
  - {id: site, title: Site}
dimensions:
  - id: care
    title: Care
    items:
      - {id: c1, text: One, scale: agree5}
      - {id: c2, text: Two, scale: agree5, reverse: true}
      - {id: c3, text: Three, scale: agree5, weight: 2}
  - id: time
    title: Time
    weight: 2
    items:
      - {id: t1, text: One, scale: hours}
      - {id: t2, text: Two, scale: agree5}
outcomes:
  - {id: recommend, text: Recommend?, scale: nps}
comments:
  - {id: note, text: Anything else?}
  - {id: idea, text: One idea?}
levels:
  - {id: low, min: 0, title: Low}
  - {id: mid, min: 50, title: Mid}
  - {id: high, min: 75, title: High}
recommendations:
  - id: fix-care
    when: {dimension: care, below: 75}
    title: Fix care
  - id: fix-t2
    when: {item: t2, below: 3}
    title: Fix t2
"""

TEAMS = ["North", "North", "North", "South", "South", "East", None, "Late"]
SITES = ["A", "A", "B", None]
COMMENTS = [None, None, "", "  ", "Good", "good", " fine ", "Bad", "Zebra"]


@pytest.fixture(scope="module")
def q(tmp_path_factory: pytest.TempPathFactory) -> Questionnaire:
    path = tmp_path_factory.mktemp("questionnaire") / "batches.yaml"
    path.write_text(QUESTIONNAIRE, encoding="utf-8")
    return load_questionnaire(path)


@st.composite
def answer_frames(draw, q: Questionnaire) -> pl.DataFrame:
    """Random answers: mostly given, some missing; `t1` now and then off its points."""
    rows = draw(st.integers(0, 70))
    schema = answers_schema(q)
    data: dict[str, list[Any]] = {name: [None] * rows for name in schema}
    data["respondent"] = [f"r{i}" for i in range(rows)]
    data["team"] = draw(st.lists(st.sampled_from(TEAMS), min_size=rows, max_size=rows))
    data["site"] = draw(st.lists(st.sampled_from(SITES), min_size=rows, max_size=rows))
    for question in q.scored_questions():
        points = [p.value for p in q.scale_of(question).resolved_points()]
        answer = st.sampled_from(points)
        if question.id == "t1" and draw(st.booleans()):
            answer = answer | st.sampled_from([1.0, 2.5, 3.0])
        cell = st.one_of(st.none(), answer, answer, answer, answer, answer, answer)
        data[question.id] = draw(st.lists(cell, min_size=rows, max_size=rows))
    for comment in q.comments:
        data[comment.id] = draw(st.lists(st.sampled_from(COMMENTS), min_size=rows, max_size=rows))
    for question_id in non_answer_questions(q):
        marks = st.sampled_from([None, None, 1, 2])
        data[non_answer_column(question_id)] = draw(st.lists(marks, min_size=rows, max_size=rows))
    return pl.DataFrame(data, schema=schema)


def _dump(results) -> dict[str, Any]:
    found = results.model_dump()
    found.pop("generated")
    return found


def _check_split(q: Questionnaire, data: st.DataObject) -> None:
    frame = data.draw(answer_frames(q))
    late = frame.height // 2  # "Late" appears only from the second half on
    frame = frame.with_columns(
        pl.when((pl.col("team") == "Late") & (pl.int_range(pl.len()) < late))
        .then(pl.lit("North"))
        .otherwise(pl.col("team"))
        .alias("team")
    )
    if data.draw(st.booleans()):  # sorted by team: each batch holds few of the groups
        frame = frame.sort("team", nulls_last=True, maintain_order=True)
    cuts = sorted(data.draw(st.lists(st.integers(0, frame.height), max_size=5)))
    bounds = [0, *cuts, frame.height]
    batches = [frame[a:b] for a, b in itertools.pairwise(bounds)]
    options: dict[str, Any] = {
        "segments": data.draw(st.sampled_from([(), ("team",), ("team", "site")])),
        "min_group_size": data.draw(st.integers(2, 6)),
        "min_comment_group_size": data.draw(st.sampled_from([None, 6, 9])),
    }
    if options["min_comment_group_size"] is not None:
        options["min_comment_group_size"] = max(
            options["min_comment_group_size"], options["min_group_size"]
        )
    expected = summarise(q, pl.concat(batches), **options)
    found = summarise_batches(q, batches, **options)
    assert_close(_dump(found), _dump(expected))


LIMITS = {
    "counted": {},
    # the care dimension (216 combinations) counted in batches of up to three groups only,
    # so that merging more groups turns its counts into moments
    "counts too many once merged": {"BIN_LIMIT": 700},
    "dimensions summed": {"PATTERN_LIMIT": 1},
    "a pass per segment": {"CELL_LIMIT": 1},
}


@pytest.mark.parametrize("limits", list(LIMITS))
def test_batches_score_like_their_concatenation(
    q: Questionnaire, limits: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in LIMITS[limits].items():
        monkeypatch.setattr(aggregate if name == "CELL_LIMIT" else coding, name, value)

    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(st.data())
    def check(data: st.DataObject) -> None:
        _check_split(q, data)

    check()


def test_no_batches_at_all_score_like_an_empty_frame(q: Questionnaire) -> None:
    empty = pl.DataFrame(schema=answers_schema(q))
    expected = summarise(q, empty, segments=["team"])
    assert_close(_dump(summarise_batches(q, [], segments=["team"])), _dump(expected))
    assert expected.respondents == 0 and expected.drivers is None


def _correlated(n: int, seed: int) -> np.ndarray:
    """Three predictors, the first two related to the outcome (last column)."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 3))
    x[:, 1] += 0.5 * x[:, 0]
    y = 0.6 * x[:, 0] + 0.3 * x[:, 1] + rng.normal(size=n)
    return np.column_stack([x, y])


def _fed(data: np.ndarray, capacity: int, cuts: list[int]) -> DriverData:
    found = DriverData(data.shape[1], capacity)
    bounds = [0, *cuts, len(data)]
    for a, b in itertools.pairwise(bounds):
        found.add(data[a:b])
    return found


def test_with_every_row_kept_the_bootstrap_is_exactly_the_one_on_all_rows() -> None:
    data = _correlated(300, 1)
    data[::7, 1] = np.nan  # incomplete rows are left out, as on the whole frame
    expected = weights_with_intervals(data, resamples=200)
    found = _fed(data, 300, [0, 50, 51, 222]).weights(resamples=200)
    for name in ("weights", "low", "high"):
        assert np.array_equal(getattr(found, name), getattr(expected, name))
    assert found.n == expected.n == int((~np.isnan(data).any(axis=1)).sum())


def test_the_rows_kept_beyond_capacity_do_not_depend_on_the_batches() -> None:
    data = _correlated(5000, 2)
    one = _fed(data, 400, [])
    many = _fed(data, 400, [10, 399, 400, 401, 2500, 4999])
    assert np.array_equal(one.rows(), many.rows())
    assert one.rows().shape == (400, 4) and one.n == many.n == 5000
    # a uniform sample: rows from the whole file, not only its start
    positions = np.flatnonzero(np.isin(data[:, 0], one.rows()[:, 0]))
    assert positions.min() < 500 and positions.max() > 4500


def test_beyond_capacity_the_interval_holds_the_estimate_and_narrows_like_one_over_root_n():
    widths = {}
    for n in (2000, 32000):
        sampled = _fed(_correlated(n, 3), 500, [n // 3]).weights(resamples=300)
        full = weights_with_intervals(_correlated(n, 3), resamples=1)
        # the point estimate is that of every row, not of the sample
        assert np.allclose(sampled.weights, full.weights, rtol=1e-9, atol=1e-12)
        assert sampled.n == n
        assert np.all(sampled.low <= sampled.weights) and np.all(sampled.weights <= sampled.high)
        assert np.all(sampled.low >= 0)
        widths[n] = sampled.high[0] - sampled.low[0]
    # 16 times the respondents: about a quarter of the width (sampling noise allowed)
    assert 2.5 < widths[2000] / widths[32000] < 6.5
    # and about the width of a bootstrap of all 2000 rows
    every = weights_with_intervals(_correlated(2000, 3), resamples=300)
    assert 0.5 < widths[2000] / (every.high[0] - every.low[0]) < 2.0


def test_drivers_of_many_respondents_keep_their_exact_counts(q: Questionnaire) -> None:
    rng = np.random.default_rng(4)
    n = 1200
    schema = answers_schema(q)
    data: dict[str, Any] = {name: [None] * n for name in schema}
    data["respondent"] = [f"r{i}" for i in range(n)]
    base = rng.integers(1, 6, n)
    for question in q.scored_questions():
        points = np.array([p.value for p in q.scale_of(question).resolved_points()])
        noisy = np.clip(base + rng.integers(-1, 2, n), 1, 5) if len(points) == 5 else None
        values = noisy if noisy is not None else rng.choice(points, n)
        data[question.id] = values.astype(float).tolist()
    data["recommend"] = np.clip(base * 2 + rng.integers(-1, 2, n), 0, 10).astype(float).tolist()
    frame = pl.DataFrame(data, schema=schema)
    batches = [frame[:100], frame[100:900], frame[900:]]
    found = summarise_batches(q, batches, reservoir=300)
    again = summarise_batches(q, [frame], reservoir=300)
    assert found.drivers is not None and again.drivers is not None
    assert found.drivers.dimensions_n == found.drivers.items_n == n
    for ours, theirs in zip(found.drivers.dimensions, again.drivers.dimensions, strict=True):
        assert ours.n == n
        assert ours.weight_low <= ours.weight <= ours.weight_high
        assert math.isclose(ours.weight, theirs.weight, rel_tol=1e-9)
        assert math.isclose(ours.weight_low, theirs.weight_low, rel_tol=1e-9, abs_tol=1e-12)
        assert math.isclose(ours.weight_high, theirs.weight_high, rel_tol=1e-9)
    # the rest of the results do not depend on the reservoir
    whole = summarise(q, frame)
    assert_close(
        found.model_dump(exclude={"generated", "drivers"}),
        whole.model_dump(exclude={"generated", "drivers"}),
    )


def test_empty_batches_around_one_respondent_change_nothing(q: Questionnaire) -> None:
    schema = answers_schema(q)
    row = {name: None for name in schema} | {"respondent": "a", "team": "North", "c1": 4.0}
    frame = pl.DataFrame([row], schema=schema)
    expected = summarise(q, frame, segments=["team"])
    found = summarise_batches(q, [frame[:0], frame, frame[:0]], segments=["team"])
    assert_close(_dump(found), _dump(expected))
