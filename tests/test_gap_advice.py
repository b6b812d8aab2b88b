"""Gap-aimed recommendations: the advice file, and when each piece of advice fires."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cxassess.gap.advice import ADVICE_FILE, gap_recommendations, load_advice
from cxassess.gap.compute import gap_row
from cxassess.gap.model import GapResults, SideInfo

SEEDS = Path("/work/shared/seeds")


def _texts() -> list[str]:
    out = []
    for advice in load_advice().advice:
        out += [advice.title, advice.why, *advice.actions]
    return out


def test_gap_advice_file_loads_and_covers_the_three_abilities() -> None:
    advice = load_advice()
    for dimension in ("capability", "accessibility", "enjoyability"):
        assert any(a.dimension == dimension and a.when == "blind-spot" for a in advice.advice)
    for status in ("blind-spot", "hidden-strength", "unclear", "aligned"):
        assert any(a.dimension is None and a.when == status for a in advice.advice)
    assert all(a.actions for a in advice.advice)


def test_gap_advice_uses_only_known_placeholders() -> None:
    for text in _texts():
        assert set(re.findall(r"\{(\w+)\}", text)) <= {
            "dimension",
            "threshold",
            "questions",
            "those",
            "count",
        }, text


def test_gap_advice_first_action_starts_soon() -> None:
    for advice in load_advice().advice:
        first = advice.actions[0].lower()
        assert any(word in first for word in ("this month", "next two weeks", "next team")), first


@pytest.mark.skipif(not SEEDS.is_dir(), reason="seed articles not present")
def test_gap_advice_copies_no_sentence_from_the_seed_articles() -> None:
    def runs(text: str, size: int = 7) -> set[tuple[str, ...]]:
        words = re.findall(r"[a-z']+", text.lower())
        return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}

    seeds = set().union(*(runs(p.read_text(encoding="utf-8")) for p in SEEDS.glob("*.txt")))
    ours = runs(ADVICE_FILE.read_text(encoding="utf-8"))
    assert not ours & seeds


def _gap(dimensions, items=(), threshold: float = 10.0) -> GapResults:
    return GapResults(
        generated="2025-01-01T00:00:00+00:00",
        threshold=threshold,
        staff=SideInfo(questionnaire="s"),
        customer=SideInfo(questionnaire="c"),
        dimensions=list(dimensions),
        items=list(items),
    )


def _dim(ident: str, staff: float, customer: float, sd: float = 10.0, n: int = 100):
    return gap_row("dimension", ident, (staff, sd, n), (customer, sd, n), 10.0, title=ident.title())


def _item(ident: str, dimension: str, staff: float, customer: float, sd: float = 10.0):
    return gap_row(
        "item",
        ident,
        (staff, sd, 100),
        (customer, sd, 100),
        10.0,
        dimension=dimension,
        title=f"Staff wording of {ident}.",
    )


def test_gap_advice_fires_for_a_blind_spot_dimension_with_its_own_text() -> None:
    gap = _gap([_dim("accessibility", 75, 50), _dim("capability", 60, 60)])
    (rec,) = gap_recommendations(gap)
    assert rec.id == "accessibility-blind-spot"
    assert rec.priority == "high" and rec.status == "blind-spot"
    assert rec.dimension == "accessibility"


def test_gap_advice_item_only_blind_spot_fires_one_step_lower_about_the_questions() -> None:
    gap = _gap(
        [_dim("capability", 62, 60)],
        [_item("cap-stock", "capability", 80, 55), _item("cap-busy", "capability", 60, 60)],
    )
    assert gap.dimensions[0].status == "aligned"
    (rec,) = gap_recommendations(gap)
    assert rec.id == "any-blind-spot-items"
    assert rec.priority == "medium"
    assert rec.items == ["Staff wording of cap-stock."]
    assert "one question of Capability" in rec.why
    assert "as a whole shows no clear gap" in rec.why


def test_gap_advice_generic_text_names_the_dimension() -> None:
    gap = _gap([_dim("ethics", 40, 70)])
    (rec,) = gap_recommendations(gap)
    assert rec.status == "hidden-strength" and rec.priority == "low"
    assert rec.title == "Tell your people what customers value in Ethics"
    assert "{" not in rec.why + "".join(rec.actions)


def test_gap_advice_orders_by_priority_then_size() -> None:
    gap = _gap([_dim("enjoyability", 50, 70), _dim("capability", 70, 55), _dim("x", 90, 50)])
    recs = gap_recommendations(gap)
    assert [r.dimension for r in recs] == ["x", "capability", "enjoyability"]


def test_gap_advice_when_nothing_is_clear_tells_noise_from_agreement() -> None:
    noisy = _gap([_dim("capability", 62, 60, sd=30, n=8)])
    assert [r.id for r in gap_recommendations(noisy)] == ["collect-more-answers"]
    assert "10 points" in gap_recommendations(noisy)[0].why
    precise = _gap([_dim("capability", 60.5, 60, sd=5, n=400)])
    assert [r.id for r in gap_recommendations(precise)] == ["shared-view"]


def test_gap_advice_stays_silent_for_small_clear_gaps() -> None:
    gap = _gap([_dim("capability", 65, 60, sd=5, n=400)])
    assert gap.dimensions[0].status == "staff-higher"
    assert gap_recommendations(gap) == []
