"""The counting aggregation (`cxassess.scoring.aggregate`) against a straightforward polars
computation of the same figures, group by group, on random answers: nulls, reversed items,
item and dimension weights, `number` scales, points that are not whole numbers or not evenly
spaced, answers off the scale's points, all-null columns, segments with missing values, and
every fallback (a pass per segment, dimensions summed instead of counted, the overall index
summed)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cxassess.format.loader import load_questionnaire
from cxassess.format.models import Questionnaire
from cxassess.responses import answers_schema, non_answer_column, non_answer_questions
from cxassess.scoring import aggregate, coding, engine, stats
from cxassess.scoring.privacy import NOT_STATED
from cxassess.scoring.summary import summarise

QUESTIONNAIRE = """
format: cxassess/1
id: odd-scales
version: "1.0"
title: Odd scales
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
  halves:
    type: likert
    points:
      - {value: 0, label: None}
      - {value: 0.5, label: Half}
      - {value: 1.5, label: More}
      - {value: 2.5, label: Most}
    favorable: [1.5, 2.5]
  spaced:
    type: likert
    points:
      - {value: 10, label: Low}
      - {value: 20, label: Mid}
      - {value: 40, label: High}
  hours:
    type: number
    min: 0
    max: 40
    favorable: [30, 35, 40]
  marks:
    type: number
    min: -5
    max: 5
    points:
      - {value: -5, label: Worst}
      - {value: 0, label: Middle}
      - {value: 5, label: Best}
  nps:
    type: nps
segments:
  - {id: team, title: Team}
  - {id: site, title: Site}
dimensions:
  - id: one
    title: One
    items:
      - {id: o1, text: One, scale: agree5}
      - {id: o2, text: Two, scale: halves, reverse: true, weight: 2.5}
      - {id: o3, text: Three, scale: spaced, weight: 0.5}
  - id: two
    title: Two
    weight: 3
    items:
      - {id: t1, text: One, scale: hours}
      - {id: t2, text: Two, scale: marks, reverse: true}
      - {id: t3, text: Three, scale: agree5, reverse: true}
      - {id: t4, text: Four, scale: agree5}
  - id: three
    title: Three
    weight: 0.7
    items:
      - {id: h1, text: One, scale: agree5}
      - {id: h2, text: Two, scale: agree5, weight: 3}
outcomes:
  - {id: rec, text: Recommend?, scale: nps}
  - {id: hrs, text: Hours?, scale: hours}
levels:
  - {id: low, min: 0, title: Low}
  - {id: mid, min: 50, title: Mid}
"""

MINIMAL = Path(__file__).parent / "data" / "valid" / "minimal.yaml"
SEGMENT_VALUES = {
    "team": ["North", "South", "East", NOT_STATED, "west", None],
    "site": ["A", "B", None],
}


@pytest.fixture(scope="module")
def q(tmp_path_factory: pytest.TempPathFactory) -> Questionnaire:
    path = tmp_path_factory.mktemp("questionnaire") / "odd-scales.yaml"
    path.write_text(QUESTIONNAIRE, encoding="utf-8")
    return load_questionnaire(path)


@pytest.fixture(scope="module", params=["odd-scales", "minimal"])
def any_q(request: pytest.FixtureRequest, q: Questionnaire) -> Questionnaire:
    """The odd scales, and a questionnaire whose dimensions are all counted (so is the
    overall index)."""
    return q if request.param == "odd-scales" else load_questionnaire(MINIMAL)


def _answer(q: Questionnaire, question_id: str, off_points: bool):
    """A strategy for one raw answer: a point of the scale (for a `number` scale, also any
    value in its range), with `off_points` now and then a value between the points."""
    scale = q.scale_of(q.question(question_id))
    points = [p.value for p in scale.resolved_points()]
    lo, hi = engine.bounds_of(q, q.question(question_id))
    if scale.type == "number":
        anything = st.integers(int(lo), int(hi)).map(float) | st.floats(lo, hi)
        return st.sampled_from(points) if points and not off_points else anything
    on_points = st.sampled_from(points)
    return on_points | st.sampled_from([p + 0.25 for p in points]) if off_points else on_points


@st.composite
def answer_frames(draw, q: Questionnaire) -> pl.DataFrame:
    rows = draw(st.integers(0, 40))
    schema = answers_schema(q)
    data: dict[str, list[Any]] = {name: [None] * rows for name in schema}
    data["respondent"] = [f"r{i}" for i in range(rows)]
    for segment in q.segments:
        values = st.sampled_from(SEGMENT_VALUES[segment.id])
        data[segment.id] = draw(st.lists(values, min_size=rows, max_size=rows))
    for question in q.scored_questions():
        answer = _answer(q, question.id, draw(st.sampled_from([False, False, False, True])))
        kind = draw(st.sampled_from(["some", "some", "some", "all", "none"]))
        if kind == "none":  # an all-null column
            continue
        cell = answer if kind == "all" else st.none() | answer
        data[question.id] = draw(st.lists(cell, min_size=rows, max_size=rows))
    for question_id in non_answer_questions(q):
        # which non-answer a missing answer was; a mark beside an answer must not count
        marks = st.sampled_from([None, None, 1, 2])
        data[non_answer_column(question_id)] = draw(st.lists(marks, min_size=rows, max_size=rows))
    return pl.DataFrame(data, schema=schema)


def _reference_row(q: Questionnaire, frame: pl.DataFrame) -> dict[str, Any]:
    """Every figure of one group, computed plainly with polars on the engine's per-respondent
    scores (rules 1-4 from `engine.respondent_scores`)."""
    scored = engine.respondent_scores(q, frame)
    row: dict[str, Any] = {"len|": frame.height}
    overall = scored.get_column(engine.OVERALL_COLUMN)
    row |= {"all|": overall.mean(), "alln|": overall.count(), "allsd|": overall.std()}
    for dim in q.dimensions:
        score = scored.get_column(engine.dimension_column(dim.id))
        row |= {f"dim|{dim.id}": score.mean(), f"dimn|{dim.id}": score.count()}
        row[f"dimsd|{dim.id}"] = score.std()
        complete = scored.filter(pl.all_horizontal(pl.col(i.id).is_not_null() for i in dim.items))
        row[f"tn|{dim.id}"] = complete.height
        row[f"tvar|{dim.id}"] = complete.select(
            pl.sum_horizontal(pl.col(i.id) for i in dim.items).var()
        ).item()
        for item in dim.items:
            row[f"ivar|{dim.id}|{item.id}"] = complete.get_column(item.id).var()
    for question in q.scored_questions():
        scale = q.scale_of(question)
        lo, hi = engine.bounds_of(q, question)
        values = scored.get_column(question.id)
        row |= {f"mean|{question.id}": values.mean(), f"n|{question.id}": values.count()}
        row[f"sd|{question.id}"] = values.std()
        row[f"fav|{question.id}"] = int(values.is_in(scale.favorable_values()).sum())
        row[f"neu|{question.id}"] = int(values.is_in(scale.neutral_values()).sum())
        for point in scale.resolved_points():
            stored = lo + hi - point.value if question.reverse else point.value
            row[f"cnt|{question.id}|{point.value:g}"] = int((values == stored).sum())
    for question_id in non_answer_questions(q):
        missing = frame.get_column(question_id).is_null()
        marks = frame.get_column(non_answer_column(question_id))
        row[f"dk|{question_id}"] = int((missing & (marks == 1)).sum())
        row[f"na|{question_id}"] = int((missing & (marks == 2)).sum())
    return row


def _assert_rows_equal(found: dict[str, Any], expected: dict[str, Any], where: str) -> None:
    assert set(found) == set(expected), where
    for key, value in expected.items():
        got = found[key]
        if value is None or got is None:
            assert got is None and value is None, f"{where} {key}: {got!r} != {value!r}"
        else:
            assert math.isclose(got, value, rel_tol=1e-9, abs_tol=1e-9), (
                f"{where} {key}: {got!r} != {value!r}"
            )


def _check(q: Questionnaire, frame: pl.DataFrame) -> None:
    segments = [s.id for s in q.segments]
    found = aggregate.Aggregates(q, frame, segments)
    _assert_rows_equal(found.total, _reference_row(q, frame), "total")
    for segment in segments:
        keys = frame.get_column(segment).fill_null(NOT_STATED)
        expected_values = sorted(set(keys.to_list())) if frame.height else []
        assert [value for value, _row in found.groups[segment]] == expected_values
        for value, row in found.groups[segment]:
            members = frame.filter(keys == value)
            _assert_rows_equal(row, _reference_row(q, members), f"{segment}={value}")
    keys = [pl.col(s).cast(pl.String).fill_null(NOT_STATED) for s in segments]
    crossed = frame.group_by(keys).len() if segments and frame.height else pl.DataFrame()
    assert found.crossed() == {tuple(cell): n for *cell, n in crossed.iter_rows()}


FALLBACKS = {
    "counted": {},
    "a pass per segment": {"CELL_LIMIT": 1},
    "crossing from distinct rows": {"CROSSED_LIMIT": 1},
    "dimensions and overall summed": {"PATTERN_LIMIT": 1},
    "overall summed": {"BIN_LIMIT": 200},
}


@pytest.mark.parametrize("fallback", list(FALLBACKS))
def test_aggregates_equal_a_plain_polars_computation_per_group(
    any_q: Questionnaire, fallback: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    q = any_q
    for name, value in FALLBACKS[fallback].items():
        owner = aggregate if name in ("CELL_LIMIT", "CROSSED_LIMIT") else coding
        monkeypatch.setattr(owner, name, value)

    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(answer_frames(q))
    def check(frame: pl.DataFrame) -> None:
        _check(q, frame)

    check()


def _reference_r(q: Questionnaire, frame: pl.DataFrame, column: str, outcome: str):
    scored = engine.respondent_scores(q, frame)
    pairs = scored.select(pl.col(column).alias("x"), pl.col(outcome).alias("y")).drop_nulls()
    x, y = pairs.get_column("x"), pairs.get_column("y")
    n = pairs.height
    sums = [float(v or 0) for v in (x.sum(), y.sum(), (x * x).sum(), (y * y).sum(), (x * y).sum())]
    return n, stats.pearson_from_sums(n, *sums)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_driver_correlations_equal_pearson_on_respondent_scores(any_q, data) -> None:
    q = any_q
    frame = data.draw(answer_frames(q))
    found = aggregate.Aggregates(q, frame, [])
    columns = [engine.dimension_column(d.id) for d in q.dimensions]
    columns += [i.id for i in q.all_items()]
    for outcome in (o.id for o in q.outcomes):
        for column in columns:
            n, *sums = found.correlation(column, outcome)
            expected_n, expected_r = _reference_r(q, frame, column, outcome)
            r = stats.pearson_from_sums(n, *sums)
            assert n == expected_n
            if expected_r is None or r is None:
                # a side with (almost) no variance: both formulas may only disagree at the edge
                assert r is None or expected_r is None or abs(r - expected_r) < 1e-6
            else:
                assert math.isclose(r, expected_r, rel_tol=1e-9, abs_tol=1e-9), column


def test_constant_answers_have_no_variance_and_no_alpha(q: Questionnaire) -> None:
    rows = 7
    schema = answers_schema(q)
    data: dict[str, list[Any]] = {name: [None] * rows for name in schema}
    data["respondent"] = [f"r{i}" for i in range(rows)]
    for item in q.all_items():
        points = q.scale_of(item).resolved_points()
        data[item.id] = [points[1].value if points else 0.1] * rows
    # t1 (a `number` scale): 0.1, whose sums are inexact in floating point
    results = summarise(q, pl.DataFrame(data, schema=schema))
    for dim in results.dimensions:
        assert dim.sd == 0
        assert dim.alpha is None  # no variance in the totals
    assert next(i for i in results.items if i.id == "t1").sd == 0


def test_a_question_called_overall_keeps_its_own_answers(tmp_path: Path) -> None:
    text = QUESTIONNAIRE.replace(
        "{id: hrs, text: Hours?, scale: hours}", "{id: overall, text: All?, scale: agree5}"
    )
    path = tmp_path / "overall-outcome.yaml"
    path.write_text(text, encoding="utf-8")
    q = load_questionnaire(path)
    schema = answers_schema(q)
    data: dict[str, list[Any]] = {name: [None] * 4 for name in schema}
    data["respondent"] = ["a", "b", "c", "d"]
    data["o1"] = [1.0, 2.0, 5.0, 5.0]
    data["overall"] = [2.0, 2.0, 3.0, None]
    results = summarise(q, pl.DataFrame(data, schema=schema))
    outcome = next(o for o in results.outcomes if o.id == "overall")
    assert outcome.n == 3
    assert outcome.mean == pytest.approx(7 / 3)
    assert outcome.distribution == {"1": 0, "2": 2, "3": 1, "4": 0, "5": 0}


def test_an_empty_frame_has_no_figures_and_no_groups(q: Questionnaire) -> None:
    frame = pl.DataFrame(schema=answers_schema(q))
    found = aggregate.Aggregates(q, frame, ["team", "site"])
    assert found.total["len|"] == 0
    assert found.total["all|"] is None and found.total["alln|"] == 0
    assert found.total["n|o1"] == 0 and found.total["mean|o1"] is None
    assert found.groups == {"team": [], "site": []}


SIX_ITEMS = Path(__file__).parent / "data" / "valid" / "six-item-dimension.yaml"


def test_a_dimension_of_many_combinations_answered_by_few_equals_the_plain_computation() -> None:
    """Six items of six codes each make 46,656 combinations of answers, of which a small
    survey uses a few dozen: the figures counted over the combinations used are those of the
    respondents' own scores."""
    q = load_questionnaire(SIX_ITEMS)
    assert coding.PATTERN_LIMIT >= 6**6  # counted per combination, not summed

    answer = st.sampled_from([1.0, 2.0, 3.0, 4.0, 5.0] * 3 + [None])  # most rows complete

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.integers(2, 60).flatmap(lambda rows: _wide_frames(q, rows, answer)))
    def check(frame: pl.DataFrame) -> None:
        _check(q, frame)

    check()


@st.composite
def _wide_frames(draw, q: Questionnaire, rows: int, answer) -> pl.DataFrame:
    data: dict[str, list[Any]] = {"respondent": [f"r{i}" for i in range(rows)]}
    data["team"] = draw(st.lists(st.sampled_from(["A", "B", None]), min_size=rows, max_size=rows))
    for item in q.all_items():
        data[item.id] = draw(st.lists(answer, min_size=rows, max_size=rows))
    return pl.DataFrame(data, schema=answers_schema(q))
