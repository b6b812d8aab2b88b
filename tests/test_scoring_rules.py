"""Each scoring rule of the spec, checked on small cases computed by hand."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from cxassess.format.loader import load_questionnaire
from cxassess.responses import answers_schema
from cxassess.scoring import engine, stats
from cxassess.scoring.differencing import decide, membership_of
from cxassess.scoring.summary import summarise


def groups_to_suppress(counts: dict[str, int], minimum: int) -> set[str]:
    """The groups of one breakdown that rule 11 hides."""
    groups = [("team", value, n) for value, n in counts.items()]
    members = membership_of(groups, sum(counts.values()), None)
    return {value for _segment, value in decide(members, minimum)}


MINIMAL = Path(__file__).parent / "data" / "valid" / "minimal.yaml"


@pytest.fixture(scope="module")
def q():
    return load_questionnaire(MINIMAL)


def frame(q, rows: list[dict]) -> pl.DataFrame:
    schema = answers_schema(q)
    data = {name: [row.get(name) for row in rows] for name in schema}
    data["respondent"] = [f"r{i}" for i in range(len(rows))]
    return pl.DataFrame(data, schema=schema)


def test_rule1_reversal_maps_v_to_lo_plus_hi_minus_v() -> None:
    assert engine.reverse_value(1, 1, 5) == 5
    assert engine.reverse_value(2, 1, 5) == 4
    assert engine.reverse_value(3, 0, 10) == 7


def test_rule2_item_score_runs_from_0_to_100() -> None:
    assert engine.item_score(1, 1, 5) == 0
    assert engine.item_score(3, 1, 5) == 50
    assert engine.item_score(5, 1, 5) == 100
    assert engine.item_score(7, 0, 10) == 70


def test_rule1_and_2_reversed_item_scores_on_reversed_value(q) -> None:
    # a2 is reversed: a raw 2 becomes 4, score 75
    results = summarise(q, frame(q, [{"a2": 2.0}]))
    a2 = next(i for i in results.items if i.id == "a2")
    assert a2.mean == 4.0
    assert a2.score == 75.0
    assert a2.distribution["2"] == 1  # distribution keeps the raw answer


def test_rule3_dimension_score_is_weighted_mean_of_answered_items(q) -> None:
    # alpha: a1 (w1)=5 ->100, a2 reversed (w1) raw 5 -> 1 -> 0, a3 (w2)=4 -> 75
    # (100*1 + 0*1 + 75*2) / 4 = 62.5
    scored = engine.respondent_scores(q, frame(q, [{"a1": 5.0, "a2": 5.0, "a3": 4.0}]))
    assert scored[engine.dimension_column("alpha")][0] == pytest.approx(62.5)


def test_rule3_needs_half_the_items_rounded_up(q) -> None:
    # 3 items: 2 answers needed. One answer -> missing; two -> scored on those two.
    scored = engine.respondent_scores(q, frame(q, [{"a1": 5.0}, {"a1": 5.0, "a3": 1.0}]))
    column = scored[engine.dimension_column("alpha")].to_list()
    assert column[0] is None
    assert column[1] == pytest.approx((100 * 1 + 0 * 2) / 3)
    assert engine.min_answered(3) == 2
    assert engine.min_answered(4) == 2
    assert engine.min_answered(5) == 3


def test_rule4_overall_is_weighted_mean_of_present_dimensions(q) -> None:
    # alpha = 100 (weight 1), beta = 50 (weight 2) -> (100 + 100) / 3
    rows = [{"a1": 5.0, "a2": 1.0, "a3": 5.0, "b1": 3.0, "b2": 3.0, "b3": 3.0}]
    scored = engine.respondent_scores(q, frame(q, rows))
    assert scored[engine.OVERALL_COLUMN][0] == pytest.approx(200 / 3)
    # beta missing -> overall is alpha alone
    scored = engine.respondent_scores(q, frame(q, [{"a1": 5.0, "a3": 5.0}]))
    assert scored[engine.OVERALL_COLUMN][0] == pytest.approx(100)
    # nothing answered -> missing
    scored = engine.respondent_scores(q, frame(q, [{}]))
    assert scored[engine.OVERALL_COLUMN][0] is None


def test_rule5_group_score_is_mean_of_respondent_scores_and_n_counts_them(q) -> None:
    rows = [
        {"a1": 5.0, "a3": 5.0},  # alpha 100
        {"a1": 1.0, "a3": 1.0},  # alpha 0
        {"a1": 3.0},  # alpha missing (1 of 3 answered)
    ]
    results = summarise(q, frame(q, rows))
    alpha = results.dimension("alpha")
    assert alpha is not None
    assert alpha.score == pytest.approx(50)
    assert alpha.n == 2


def test_rule6_shares_favourable_neutral_unfavourable(q) -> None:
    rows = [{"b1": v} for v in (5.0, 4.0, 3.0, 2.0, 1.0, None)]
    b1 = next(i for i in summarise(q, frame(q, rows)).items if i.id == "b1")
    assert b1.n == 5
    assert (b1.favorable, b1.neutral, b1.unfavorable) == (40.0, 20.0, 40.0)


def test_rule6_favourable_is_judged_after_reversal(q) -> None:
    rows = [{"a2": 1.0}, {"a2": 2.0}, {"a2": 5.0}]  # reversed: 5, 4, 1
    a2 = next(i for i in summarise(q, frame(q, rows)).items if i.id == "a2")
    assert a2.favorable == pytest.approx(200 / 3)
    assert a2.unfavorable == pytest.approx(100 / 3)


def test_rule7_nps_is_percent_promoters_minus_detractors(q) -> None:
    answers = [10, 9, 9, 8, 7, 6, 0, 3, None, 10]
    results = summarise(
        q, frame(q, [{"recommend": None if a is None else float(a)} for a in answers])
    )
    nps = results.outcomes[0]
    # 9 answered: promoters 4 (10, 9, 9, 10), passives 2, detractors 3
    assert nps.n == 9
    assert nps.nps == pytest.approx(100 * (4 - 3) / 9)
    assert nps.promoters == pytest.approx(400 / 9)
    assert nps.passives == pytest.approx(200 / 9)
    assert nps.detractors == pytest.approx(300 / 9)


def test_rule8_alpha_listwise_with_sample_variances(q) -> None:
    # beta items, complete rows only; the fourth row is incomplete and left out
    rows = [
        {"b1": 5.0, "b2": 4.0, "b3": 5.0},
        {"b1": 3.0, "b2": 3.0, "b3": 2.0},
        {"b1": 1.0, "b2": 2.0, "b3": 2.0},
        {"b1": 4.0, "b2": 4.0, "b3": 3.0},
        {"b1": 2.0, "b3": 1.0},
    ]
    # hand computation: item variances (ddof=1)
    b1, b2, b3 = [5, 3, 1, 4], [4, 3, 2, 4], [5, 2, 2, 3]
    totals = [sum(t) for t in zip(b1, b2, b3, strict=True)]

    def var(xs: list[float]) -> float:
        m = sum(xs) / len(xs)
        return sum((x - m) ** 2 for x in xs) / (len(xs) - 1)

    expected = 3 / 2 * (1 - (var(b1) + var(b2) + var(b3)) / var(totals))
    # a minimum of 4: with the usual 5, an alpha resting on four complete rows is hidden
    beta = summarise(q, frame(q, rows), min_group_size=4).dimension("beta")
    assert beta is not None
    assert beta.alpha == pytest.approx(expected, abs=1e-9)
    assert summarise(q, frame(q, rows)).dimension("beta").alpha is None
    assert beta.alpha_n == 4


def test_rule8_alpha_is_null_with_fewer_than_three_complete_respondents(q) -> None:
    rows = [{"b1": 5.0, "b2": 4.0, "b3": 5.0}, {"b1": 3.0, "b2": 3.0, "b3": 2.0}]
    assert summarise(q, frame(q, rows)).dimension("beta").alpha is None
    assert stats.cronbach_alpha([1.0], 2.0, 10) is None  # fewer than 2 items


def test_rule9_level_is_band_with_largest_min_not_above(q) -> None:
    assert q.level_for(0).id == "low"
    assert q.level_for(49.99).id == "low"
    assert q.level_for(50).id == "mid"
    assert q.level_for(80).id == "high"
    assert q.level_for(100).id == "high"
    assert q.level_for(None) is None


def test_rule10_recommendations_fire_below_threshold_in_priority_order(q) -> None:
    # alpha 50 (<80 fires, high), beta 75 (<80 fires, medium), a1 mean 3 (not < 3)
    rows = [{"a1": 3.0, "a2": 3.0, "a3": 3.0, "b1": 4.0, "b2": 4.0, "b3": 4.0}]
    fired = summarise(q, frame(q, rows)).recommendations
    assert [r.id for r in fired] == ["fix-alpha", "fix-beta"]
    rows = [{"a1": 2.0, "a2": 3.0, "a3": 3.0, "b1": 5.0, "b2": 5.0, "b3": 5.0}]
    fired = summarise(q, frame(q, rows)).recommendations
    assert [r.id for r in fired] == ["fix-alpha", "fix-a1"]
    assert fired[1].score == 2.0 and fired[1].below == 3.0


def test_rule10_same_priority_ordered_by_distance_below() -> None:
    far = engine.recommendation_order("medium", 20, 60, 100)
    near = engine.recommendation_order("medium", 55, 60, 100)
    high = engine.recommendation_order("high", 59, 60, 100)
    assert sorted([near, far, high]) == [high, far, near]


def test_rule11_small_groups_show_only_n_and_a_lone_one_takes_the_next_with_it(q) -> None:
    rows = [{"team": "big", "a1": 5.0, "a3": 5.0, "note": "fine"}] * 6
    rows += [{"team": "mid", "a1": 3.0, "a3": 3.0, "note": "middling"}] * 5
    rows += [{"team": "tiny", "a1": 1.0, "a3": 1.0, "note": "secret"}] * 2
    results = summarise(q, frame(q, rows), segments=["team"], min_group_size=5)
    groups = {g.value: g for g in results.groups}
    assert groups["tiny"].suppressed and groups["tiny"].n == 2
    assert groups["mid"].suppressed, "the next smallest group is hidden too"
    assert not groups["big"].suppressed
    assert groups["tiny"].overall is None and groups["tiny"].dimensions == []
    assert groups["tiny"].comments == []
    assert "secret" not in groups["big"].model_dump_json()
    assert any("'mid'" in note for note in results.notes)


def test_rule11_two_small_groups_need_no_extra_suppression() -> None:
    assert groups_to_suppress({"a": 10, "b": 2, "c": 3}, 5) == {"b", "c"}
    assert groups_to_suppress({"a": 10, "b": 12}, 5) == set()


def test_rule11_a_higher_threshold_later_hides_groups_as_scoring_would(q) -> None:
    from cxassess.scoring.privacy import PrivacySettings, apply_privacy

    rows = [{"team": "big", "a1": 5.0, "a3": 5.0}] * 9
    rows += [{"team": "mid", "a1": 3.0, "a3": 3.0}] * 7
    rows += [{"team": "small", "a1": 1.0, "a3": 1.0}] * 6
    results = summarise(q, frame(q, rows), segments=["team"], min_group_size=5)
    assert not any(g.suppressed for g in results.groups)
    tightened = apply_privacy(results, PrivacySettings(7))
    hidden = {g.value for g in tightened.groups if g.suppressed}
    assert hidden == {"small", "mid"}  # 'small' alone could be worked out, so 'mid' goes too
    assert all(g.overall is None for g in tightened.groups if g.suppressed)
    assert apply_privacy(results, PrivacySettings(3)).groups == results.groups


def test_rule11_hidden_groups_together_below_minimum_take_the_next_smallest_too() -> None:
    assert groups_to_suppress({"a": 20, "d": 8, "b": 2, "c": 2}, 5) == {"b", "c", "d"}
    # 20 shown alone would be the total minus the 4 hidden people
    assert groups_to_suppress({"a": 20, "b": 2, "c": 2}, 5) == {"a", "b", "c"}


def test_rule11_comments_of_hidden_groups_appear_nowhere(q) -> None:
    rows = [{"team": "big", "role": "lead", "a1": 5.0, "note": f"big {i}"} for i in range(6)]
    rows += [{"team": "mid", "role": "lead", "a1": 3.0, "note": f"mid {i}"} for i in range(5)]
    rows += [{"team": "tiny", "role": "lead", "a1": 1.0, "note": "secret"} for _ in range(2)]
    schema = answers_schema(q)
    schema["role"] = pl.String
    data = {name: [row.get(name) for row in rows] for name in schema}
    results = summarise(
        q,
        pl.DataFrame(data, schema=schema),
        segments=["team", "role"],
        min_group_size=5,
        min_comment_group_size=5,
    )
    text = results.model_dump_json()
    assert "secret" not in text
    assert "mid 0" not in text  # 'mid' is hidden too, so 'tiny' cannot be worked out
    assert results.comments[0].answers == sorted(f"big {i}" for i in range(6))
    lead = next(g for g in results.groups if g.segment == "role")
    assert not lead.suppressed and "secret" not in lead.model_dump_json()
