"""The survey-design checks of `cxassess validate`: each planted fault is found at its line,
well-written items raise none, and a warning can be silenced on its item with a reason."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from cxassess.cli import app
from cxassess.format.catalog import find_questionnaire
from cxassess.format.loader import read_questionnaire
from cxassess.format.validate import validate_files
from cxassess.format.wording import reading_grade

DATA = Path(__file__).parent / "data" / "lint"
PLANTED = DATA / "planted-wording-faults.yaml"
WELL_WRITTEN = DATA / "well-written.yaml"


def _checks(path: Path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for p in validate_files([path]).problems:
        item = p.where.split("[")[-1].rstrip("]")
        check = p.what.split("[")[-1].split("]")[0] if "[" in p.what else "band"
        found.setdefault(item, set()).add(check)
    return found


def test_each_planted_fault_is_found_on_its_own_item() -> None:
    found = _checks(PLANTED)
    assert "double-barrelled" in found["two-qualities"]
    assert "double-barrelled" in found["two-actions"]
    assert "absolute" in found["absolute-word"]
    assert "double-negative" in found["negative-reversed"]
    assert "leading" in found["leading-opener"]
    assert "reading-grade" in found["hard-words"]
    assert found["too-many-words"] == {"too-long"}
    assert "near-duplicate" in found["repeated-twice"]


def test_overlapping_and_gapped_bands_are_warned_about() -> None:
    outcome = validate_files([PLANTED])
    texts = [p.what for p in outcome.problems]
    assert any("overlaps the band of 'low-advice'" in t for t in texts)
    assert any("between 70 and 80" in t for t in texts)


def test_well_written_items_raise_no_warning() -> None:
    outcome = validate_files([WELL_WRITTEN], strict=True)
    assert outcome.problems == []
    assert outcome.exit_code == 0


def test_a_list_of_one_kind_is_not_two_ideas() -> None:
    assert "contact" not in _checks(WELL_WRITTEN)


def test_every_warning_names_file_line_item_why_and_fix() -> None:
    for p in validate_files([PLANTED]).problems:
        assert p.location.file == str(PLANTED) and p.location.line
        assert p.where and p.what and p.hint


def test_strict_validate_fails_on_wording_warnings_with_the_message() -> None:
    result = CliRunner().invoke(app, ["validate", "--strict", str(PLANTED)])
    assert result.exit_code == 2
    assert "asks two things at once" in result.output
    assert "not valid" in result.output


def test_a_silenced_check_needs_a_reason(tmp_path: Path) -> None:
    text = WELL_WRITTEN.read_text().replace(
        "        scale: factual\n",
        "        scale: factual\n        lint: {ignore: [absolute]}\n",
        1,
    )
    path = tmp_path / "no-reason.yaml"
    path.write_text(text)
    questionnaire, problems = read_questionnaire(path)
    assert questionnaire is None
    assert any("reason" in str(p) for p in problems)


def test_other_languages_skip_word_checks_and_say_so_once(tmp_path: Path) -> None:
    text = PLANTED.read_text().replace(
        "text: Our bills are clear and correct.",
        "text: {en: Our bills are clear., es: Nuestras facturas son claras y correctas.}",
    )
    text = text.replace('version: "1"', 'version: "1"\nlanguages: [en, es]')
    text = text.replace("text: {en", "text: {en", 1)
    path = tmp_path / "two-languages.yaml"
    path.write_text(text)
    outcome = validate_files([path])
    assert len(outcome.notes) == 1 and "es" in outcome.notes[0]


def test_staff_and_customer_items_that_ask_different_things_are_flagged(tmp_path: Path) -> None:
    staff = find_questionnaire("three-abilities")
    customer_text = find_questionnaire("three-abilities-customer").read_text()
    original = 'text: "When I want something they sell, they have it."'
    assert original in customer_text
    planted = customer_text.replace(
        original, 'text: "The car park is big enough on a Saturday morning."'
    )
    path = tmp_path / "customer.yaml"
    path.write_text(planted)
    assert not any("[pair-overlap]" in p.what for p in validate_files([staff]).problems)
    outcome = validate_files([staff, path])
    flagged = [p for p in outcome.problems if "[pair-overlap]" in p.what]
    assert [p.where for p in flagged] == ["capability.items[ccap-stock]"]


def test_reading_grade_is_low_for_plain_words_and_high_for_long_ones() -> None:
    assert reading_grade("We have what customers ask for.") < 9
    assert reading_grade("Organisational communication facilitates collaboration.") > 9


def test_a_planted_pair_that_asks_something_else_is_the_only_warning() -> None:
    customer = DATA / "planted-pair-customer.yaml"
    outcome = validate_files([WELL_WRITTEN, customer])
    assert [(p.location.file, p.location.line, p.where) for p in outcome.problems] == [
        (str(customer), 27, "service.items[ccontact]")
    ]
    assert "[pair-overlap]" in outcome.problems[0].what
    assert validate_files([customer]).problems == []
