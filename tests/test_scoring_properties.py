"""Properties that hold for any answers: scores stay in 0-100, double reversal is identity."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from cxassess.format.loader import load_questionnaire
from cxassess.responses import answers_schema
from cxassess.scoring import engine
from cxassess.scoring.summary import summarise

Q = load_questionnaire(Path(__file__).parent / "data" / "valid" / "minimal.yaml")
ITEMS = [i.id for i in Q.all_items()]

answer = st.one_of(st.none(), st.integers(min_value=1, max_value=5).map(float))
row = st.fixed_dictionaries({item: answer for item in ITEMS})


@given(st.floats(-1e6, 1e6), st.floats(-1e3, 1e3), st.floats(1e-3, 1e3))
def test_reversing_twice_is_the_identity(value: float, lo: float, span: float) -> None:
    hi = lo + span
    twice = engine.reverse_value(engine.reverse_value(value, lo, hi), lo, hi)
    assert abs(twice - value) <= 1e-9 * max(1.0, abs(value), abs(lo), abs(hi))


@settings(max_examples=60, deadline=None)
@given(st.lists(row, min_size=1, max_size=30))
def test_every_score_lies_between_0_and_100(rows: list[dict]) -> None:
    schema = answers_schema(Q)
    data = {name: [r.get(name) for r in rows] for name in schema}
    results = summarise(Q, pl.DataFrame(data, schema=schema))
    scores = [results.overall.score]
    scores += [d.score for d in results.dimensions]
    scores += [i.score for i in results.items]
    for score in scores:
        assert score is None or -1e-9 <= score <= 100 + 1e-9
    for item in results.items:
        if item.n and not item.hidden_why:
            total = item.favorable + item.neutral + item.unfavorable
            assert abs(total - 100) < 1e-9


@settings(max_examples=60, deadline=None)
@given(st.lists(row, min_size=1, max_size=20))
def test_respondent_scores_lie_between_0_and_100(rows: list[dict]) -> None:
    schema = answers_schema(Q)
    data = {name: [r.get(name) for r in rows] for name in schema}
    scored = engine.respondent_scores(Q, pl.DataFrame(data, schema=schema))
    for column in [engine.OVERALL_COLUMN, *(engine.dimension_column(d.id) for d in Q.dimensions)]:
        for value in scored[column].to_list():
            assert value is None or -1e-9 <= value <= 100 + 1e-9
