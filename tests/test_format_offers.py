"""`offers:` lets an item narrow the extra answers (don't know, does not apply) of its scale."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cxassess.cli import app
from cxassess.format.catalog import resolve_questionnaire
from cxassess.format.describe import format_json_schema
from cxassess.format.loader import read_questionnaire
from cxassess.format.models import offered_non_answers

DATA = Path(__file__).parent / "data"


def _both_scale(tmp_path: Path, a1: str) -> Path:
    text = (DATA / "valid" / "minimal.yaml").read_text()
    text = text.replace(
        "    not_applicable: Don't know\n",
        "    dont_know: Don't know\n    not_applicable: Does not apply\n",
    )
    text = text.replace("      - {id: a1, text: One, scale: agree5}", a1)
    path = tmp_path / "q.yaml"
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("offers", "expected"),
    [
        ("", ("dont_know", "not_applicable")),
        (", offers: [dont_know]", ("dont_know",)),
        (", offers: [not_applicable]", ("not_applicable",)),
        (", offers: [not_applicable, dont_know]", ("dont_know", "not_applicable")),
        (", offers: []", ()),
    ],
)
def test_an_item_offers_what_it_lists_or_else_all_its_scale_defines(
    tmp_path: Path, offers: str, expected: tuple[str, ...]
) -> None:
    path = _both_scale(tmp_path, "      - {id: a1, text: One, scale: agree5" + offers + "}")
    q, problems = read_questionnaire(path)
    assert q is not None and problems == []
    a1 = q.question("a1")
    assert offered_non_answers(a1, q.scale_of(a1)) == expected


def test_an_old_file_without_offers_keeps_what_its_scale_defines() -> None:
    q, problems = read_questionnaire(DATA / "valid" / "minimal.yaml")
    assert q is not None and problems == []
    a1 = q.question("a1")
    assert offered_non_answers(a1, q.scale_of(a1)) == ("not_applicable",)
    nps = q.question("recommend")
    assert offered_non_answers(nps, q.scale_of(nps)) == ()


def test_listing_a_kind_twice_is_an_error_on_its_line(tmp_path: Path) -> None:
    path = _both_scale(
        tmp_path, "      - {id: a1, text: One, scale: agree5, offers: [dont_know, dont_know]}"
    )
    _q, problems = read_questionnaire(path)
    assert [(p.location.line, p.severity) for p in problems] == [(27, "error")]
    assert "'dont_know' is listed twice" in problems[0].what


def test_the_json_schema_describes_offers() -> None:
    schema = json.loads(format_json_schema())
    offers = schema["$defs"]["Item"]["properties"]["offers"]
    assert "dont_know" in json.dumps(offers) and "neither" in offers["description"]


def test_builtin_items_offer_both_unless_they_say_otherwise() -> None:
    q = resolve_questionnaire("three-abilities")
    item = q.all_items()[0]
    assert offered_non_answers(item, q.scale_of(item)) == ("dont_know", "not_applicable")


def test_show_names_both_extra_answers_and_what_an_item_offers(runner, tmp_path: Path) -> None:
    path = _both_scale(tmp_path, "      - {id: a1, text: One, scale: agree5, offers: [dont_know]}")
    result = runner.invoke(app, ["show", str(path)])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.replace("│", " ").split())
    assert "don't know: Don't know; does not apply: Does not apply" in text
    assert "a1 One (agree5, offers Don't know)" in text
