"""Recommendations are aimed at a band: a score fires its own band's advice, never advice
written for a higher or lower band."""

from __future__ import annotations

import pytest

from cxassess.format.catalog import find_questionnaire
from cxassess.format.loader import load_questionnaire
from cxassess.results import DimensionResult, ItemResult
from cxassess.scoring.engine import bounds_of
from cxassess.scoring.summary import fired_recommendations

BUILT_INS = [
    "three-abilities",
    "three-abilities-customer",
    "trust-culture",
    "internal-communication",
    "experience-focus",
]


def _uniform(ident: str, score: float):
    q = load_questionnaire(find_questionnaire(ident))
    dims = [DimensionResult(id=d.id, score=score, n=8) for d in q.dimensions]
    items = []
    for question in q.scored_questions():
        lo, hi = bounds_of(q, question)
        items.append(ItemResult(id=question.id, mean=lo + (hi - lo) * score / 100, n=8))
    return q, fired_recommendations(q, dims, items)


@pytest.mark.parametrize("ident", BUILT_INS)
@pytest.mark.parametrize("score", [25.0, 50.0, 70.0, 90.0])
def test_each_dimension_fires_only_the_advice_of_its_band(ident: str, score: float) -> None:
    q, fired = _uniform(ident, score)
    level = q.level_for(score)
    assert level is not None
    by_id = {r.id: r for r in q.recommendations}
    for rec in fired:
        cond = by_id[rec.id].when
        if cond.dimension is None:
            continue
        lo, hi = q.condition_bounds(cond)
        assert lo is not None and lo <= score and (hi is None or score < hi), rec.id
        assert lo == level.min, f"{rec.id} is aimed at another band than {level.id}"
    top = max(q.levels, key=lambda lv: lv.min)
    fired_dims = {r.dimension for r in fired if r.dimension}
    if score < top.min:
        assert fired_dims == {d.id for d in q.dimensions}
    else:
        assert fired_dims == set()


@pytest.mark.parametrize("ident", BUILT_INS)
def test_a_uniformly_low_sample_gets_no_advice_written_for_high_scores(ident: str) -> None:
    _q, low = _uniform(ident, 25.0)
    _q, high = _uniform(ident, 70.0)
    assert {r.id for r in low if r.dimension}.isdisjoint({r.id for r in high if r.dimension})


def test_a_lower_bound_stops_advice_below_its_band(tmp_path) -> None:
    q = load_questionnaire(find_questionnaire("three-abilities"))
    rec = next(r for r in q.recommendations if r.when.level == "established")
    fired_at_25 = fired_recommendations(
        q, [DimensionResult(id=rec.when.dimension or "", score=25.0)], []
    )
    fired_at_65 = fired_recommendations(
        q, [DimensionResult(id=rec.when.dimension or "", score=65.0)], []
    )
    assert rec.id not in {r.id for r in fired_at_25}
    assert rec.id in {r.id for r in fired_at_65}
