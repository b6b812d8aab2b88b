"""The answer exports of LimeSurvey, Qualtrics and Microsoft Forms, as their documentation lays
them out for forms made by `cxassess export`, score exactly like the same answers in our own
layout, with no `--map` (fixtures written by tests/data/exports/make_tool_exports.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cxassess.format.catalog import resolve_questionnaire
from cxassess.pipeline import score_inputs

DATA = Path(__file__).parent / "data"
EXPORTS = DATA / "exports"
QUESTIONNAIRE = DATA / "export" / "user-written-four-point.yaml"
TOOLS = ["limesurvey-codes", "limesurvey-full-text", "qualtrics", "microsoft-forms"]
SAID = {"qualtrics": ["left out 1 survey preview or test response(s)"]}
"""What reading each export says: only that Qualtrics' preview response was left out."""


def _comparable(results) -> dict:
    return results.model_dump(exclude={"generated", "sources", "input_hash"})


@pytest.fixture(scope="module")
def reference():
    q = resolve_questionnaire(str(QUESTIONNAIRE))
    results, problems = score_inputs(
        [EXPORTS / "front-desk-check-our-layout.csv"], q, segments=["site"], min_group_size=3
    )
    assert problems == []
    assert results.respondents == 6
    return q, results


@pytest.mark.parametrize("tool", TOOLS)
def test_tool_export_of_our_form_scores_like_our_layout(reference, tool) -> None:
    q, expected = reference
    path = EXPORTS / f"front-desk-check-{tool}.csv"
    results, problems = score_inputs([path], q, segments=["site"], min_group_size=3)
    assert [p.what for p in problems] == SAID.get(tool, [])  # metadata ignored without a word
    assert _comparable(results) == _comparable(expected)


def test_reference_holds_the_answers_and_the_breakdown(reference) -> None:
    # guards the comparison above: the figures exist, and the site breakdown is shown
    _q, results = reference
    data = results.model_dump()
    greeted = next(i for i in data["items"] if i["id"] == "w-greeted")
    assert greeted["n"] == 6
    assert [(g["value"], g["n"]) for g in data["groups"]] == [("North", 3), ("South", 3)]
