"""Exports offer each item exactly the non-answers it offers (`offers:`), as `run` does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cxassess.exporting import render_export
from cxassess.exporting.common import options
from cxassess.exporting.xlsform import sheets
from cxassess.format.loader import read_questionnaire
from cxassess.inputs.toolnames import item_runs

USER_WRITTEN = Path(__file__).parent / "data" / "export" / "user-written-four-point.yaml"


@pytest.fixture
def narrowed(tmp_path: Path):
    """The user-written questionnaire with both non-answers on its scale, one item offering
    none of them and one offering only "don't know"."""
    text = USER_WRITTEN.read_text(encoding="utf-8")
    text = text.replace(
        "    not_applicable: {en: Not sure, fr: Je ne sais pas}\n",
        "    not_applicable: {en: Does not apply, fr: Sans objet}\n"
        "    dont_know: {en: Not sure, fr: Je ne sais pas}\n",
    )
    text = text.replace(
        "        scale: agree4\n        reverse: true\n",
        "        scale: agree4\n        reverse: true\n        offers: []\n",
    )
    text = text.replace(
        "scale: agree4, required: false}", "scale: agree4, required: false, offers: [dont_know]}"
    )
    path = tmp_path / "offers-narrowed.yaml"
    path.write_text(text, encoding="utf-8")
    q, problems = read_questionnaire(path)
    assert q is not None, problems
    return q


def _labels(q, question_id: str) -> list[str]:
    question = next(x for x in q.scored_questions() if x.id == question_id)
    return [o.labels["en"] for o in options(q, q.scale_of(question), question)]


def test_options_follow_each_items_offers(narrowed) -> None:
    assert _labels(narrowed, "w-greeted")[-2:] == ["Not sure", "Does not apply"]
    assert "Not sure" not in _labels(narrowed, "w-ignored")
    assert "Does not apply" not in _labels(narrowed, "w-ignored")
    assert _labels(narrowed, "h-time")[-1] == "Not sure"
    assert "Does not apply" not in _labels(narrowed, "h-time")


def test_grids_split_where_the_offered_non_answers_change(narrowed) -> None:
    runs = {tag: [x.id for x in items] for tag, _dim, items in item_runs(narrowed)}
    assert ["w-greeted"] in runs.values() and ["w-ignored"] in runs.values()
    assert ["h-answer"] in runs.values() and ["h-time"] in runs.values()


def test_xlsform_gives_a_narrowed_item_its_own_list_and_converts(narrowed, tmp_path) -> None:
    book = sheets(narrowed, "en")
    types = {row["name"]: row["type"] for row in book["survey"] if "name" in row}
    assert types["w-greeted"] != types["w-ignored"] != types["h-time"]
    by_list: dict[str, list[str]] = {}
    for choice in book["choices"]:
        by_list.setdefault(choice["list_name"], []).append(choice["name"])
    assert by_list[types["w-ignored"].split()[1]] == ["1", "2", "3", "4"]
    assert by_list[types["h-time"].split()[1]] == ["1", "2", "3", "4", "dk"]
    assert by_list[types["w-greeted"].split()[1]] == ["1", "2", "3", "4", "dk", "na"]
    pyxform = pytest.importorskip("pyxform.xls2xform")
    path = tmp_path / "form.xlsx"
    path.write_bytes(render_export(narrowed, "xlsform"))
    assert pyxform.convert(xlsform=str(path)).warnings == []


def test_surveyjs_offers_a_narrowed_item_no_extra_answer(narrowed) -> None:
    form = json.loads(render_export(narrowed, "surveyjs"))
    questions = {e["name"]: e for page in form["pages"] for e in page["elements"]}
    values = [
        c["value"] if isinstance(c, dict) else c for c in questions["w-ignored"].get("choices", [])
    ]
    values += [c["value"] for c in questions["w-ignored"].get("rateValues", [])]
    assert values and "dk" not in map(str, values) and "na" not in map(str, values)
