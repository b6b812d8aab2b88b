"""Round trip: export a questionnaire, fill the form as each tool would, score the tool's
answer export with no `--map`, and get results identical to the same answers in our layout.

The tools' layouts are described, and built from our exported files, in `export_layouts.py`.
"""

from __future__ import annotations

import pytest
from export_layouts import (
    LAYOUTS,
    NON_ANSWERS,
    RESPONDENTS,
    USER_WRITTEN,
    answers,
    our_layout,
)

from cxassess.exporting.common import value_text
from cxassess.format.catalog import resolve_questionnaire
from cxassess.pipeline import score_inputs


@pytest.fixture(params=["three-abilities", str(USER_WRITTEN)], ids=["built-in", "user-written"])
def q(request):
    return resolve_questionnaire(request.param)


def comparable(results) -> dict:
    return results.model_dump(exclude={"generated", "sources", "input_hash"})


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_round_trip_tool_export_scores_like_our_layout(q, layout, tmp_path) -> None:
    people = answers(q)
    segments = [s.id for s in q.segments]
    reference, problems = score_inputs(
        [our_layout(q, people, tmp_path / "ours.csv")], q, segments=segments
    )
    assert problems == []
    assert reference.respondents == RESPONDENTS
    path = LAYOUTS[layout](q, people, tmp_path)
    results, problems = score_inputs([path], q, segments=segments)
    # the tools' own columns (ids, dates, `seed`...) are ignored without a word; the SurveyJS
    # layout adds a column of the site's own, which is named as unmatched
    assert [p.what for p in problems if "'HappenedAt'" not in p.what] == []
    assert comparable(results) == comparable(reference)


@pytest.mark.parametrize("layout", ["limesurvey-codes", "qualtrics", "microsoft-forms"])
def test_round_trip_with_ids_that_tools_must_rename(layout, tmp_path) -> None:
    # a digit first and more than 20 characters: LimeSurvey's code is not the id's letters
    text = USER_WRITTEN.read_text(encoding="utf-8").replace(
        "id: w-greeted", "id: 1-greeted-quickly-at-the-front-desk"
    )
    path = tmp_path / "renamed-ids.yaml"
    path.write_text(text, encoding="utf-8")
    q = resolve_questionnaire(str(path))
    people = answers(q)
    reference, _ = score_inputs([our_layout(q, people, tmp_path / "ours.csv")], q)
    results, problems = score_inputs([LAYOUTS[layout](q, people, tmp_path)], q)
    assert [p.what for p in problems] == []
    assert comparable(results) == comparable(reference)


def test_round_trip_answers_are_really_read(q, tmp_path) -> None:
    # guards the comparison above: the reference holds the answers, not an empty result
    people = answers(q)
    results, _ = score_inputs([our_layout(q, people, tmp_path / "ours.csv")], q)
    first = q.all_items()[0].id
    given = [p[first] for p in people if p[first] not in (None, *NON_ANSWERS)]
    item = next(i for i in results.model_dump()["items"] if i["id"] == first)
    assert item["n"] == len(given) > 0
    assert value_text(1) == "1"
