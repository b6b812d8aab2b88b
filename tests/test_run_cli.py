"""`cxassess run` through the command line, with scripted input (no terminal)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cxassess.cli import app
from cxassess.format.catalog import resolve_questionnaire
from cxassess.interview.autosave import partial_path, read_response
from cxassess.responses import answers_frame
from cxassess.scoring.summary import summarise

MINIMAL = str(Path(__file__).parent / "data" / "valid" / "minimal.yaml")
# team, a1..a3, b1..b3, recommend, note
FULL = ["Support", "4", "2", "5", "n", "3", "agree", "9", "More staff & <fewer> forms"]


def flat(text: str) -> str:
    """Output with line wrapping undone, for matching long messages."""
    return " ".join(text.split())


def lines(*answers: str) -> str:
    return "".join(f"{a}\n" for a in answers)


def run(runner, args: list[str], answers: list[str] | str, env: dict | None = None):
    text = answers if isinstance(answers, str) else lines(*answers)
    return runner.invoke(app, ["run", *args], input=text, env=env)


def test_run_full_run_writes_a_complete_response_file(runner, tmp_path):
    out = tmp_path / "r.json"
    result = run(runner, [MINIMAL, "-o", str(out), "--respondent", "Ana"], FULL)
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert data["schema"] == "cxassess.response/1"
    assert data["questionnaire"] == {"id": "minimal", "version": "1.0"}
    assert data["respondent"] == "Ana"
    assert data["segments"] == {"team": "Support"}
    assert data["answers"] == {
        "a1": 4.0,
        "a2": 2.0,
        "a3": 5.0,
        "b1": None,
        "b2": 3.0,
        "b3": 4.0,
        "recommend": 9.0,
    }
    assert data["not_applicable"] == ["b1"]
    assert data["comments"] == {"note": "More staff & <fewer> forms"}
    assert data["started"] and data["completed"]
    assert not partial_path(out).exists()
    assert "Thank you" in result.stdout
    assert "Overall index" in result.stdout
    assert f"cxassess report {out} -o {out.with_suffix('.pdf')}" in result.stdout


def test_run_scores_in_the_file_match_the_scoring_engine(runner, tmp_path):
    out = tmp_path / "r.json"
    assert run(runner, [MINIMAL, "-o", str(out)], FULL).exit_code == 0
    record = read_response(out)
    q = resolve_questionnaire(MINIMAL)
    results = summarise(q, answers_frame(q, [record]))
    assert record.scores is not None
    assert record.scores.overall.score == pytest.approx(results.overall.score)
    assert record.scores.overall.level == results.overall.level
    for dim in results.dimensions:
        assert record.scores.dimensions[dim.id].score == pytest.approx(dim.score)
    # alpha: 4 -> 75 (a1), a2 reversed 2 -> 4 -> 75, a3 5 -> 100 weight 2: (75+75+200)/4 = 87.5
    assert record.scores.dimensions["alpha"].score == pytest.approx(87.5)


def test_run_summary_shows_dimension_bars_and_recommendations(runner, tmp_path):
    out = tmp_path / "r.json"
    answers = ["", "1", "1", "1", "1", "1", "1", "0", ""]
    result = run(runner, [MINIMAL, "-o", str(out)], answers)
    assert result.exit_code == 0, result.output
    assert "Alpha" in result.stdout and "Beta" in result.stdout
    assert "█" in result.stdout or "░" in result.stdout
    assert "Where to start" in result.stdout
    assert "1. Fix alpha (high)" in result.stdout
    assert "Do it" in result.stdout


def test_run_back_skip_help_and_invalid_keys(runner, tmp_path):
    out = tmp_path / "r.json"
    script = ["s", "7", "?", "strongly", "3", "b", "", "b", "5", "s", "4", "4", "4", "4", "4"]
    script += ["s", ""]  # recommend cannot be skipped: "s" refused, then an empty line: asked again
    script += ["10", ""]
    result = run(runner, [MINIMAL, "-o", str(out)], script)
    assert result.exit_code == 0, result.output
    out_text = flat(result.stdout)
    assert "7 is not one of the choices." in out_text
    assert "could be Strongly disagree, Strongly agree" in out_text
    assert "No extra help for this question." in out_text
    assert "Earlier answer: 3 Neither agree nor disagree" in out_text
    assert "This question needs an answer." in out_text
    data = json.loads(out.read_text())
    assert data["segments"] == {"team": None}
    assert data["answers"]["a1"] == 5.0
    assert data["answers"]["recommend"] == 10.0
    assert data["comments"] == {"note": None}


def test_run_output_has_no_colour_or_cursor_codes_without_a_terminal(runner, tmp_path):
    result = run(runner, [MINIMAL, "-o", str(tmp_path / "r.json")], FULL)
    assert result.exit_code == 0
    assert "\x1b" not in result.output


def test_run_input_ending_early_is_exit_2_and_keeps_the_partial_file(runner, tmp_path):
    out = tmp_path / "r.json"
    result = run(runner, [MINIMAL, "-o", str(out)], ["Support", "4", "2"])
    assert result.exit_code == 2
    assert "input ended before the last required answer" in result.stderr
    assert "'a3'" in result.stderr
    partial = partial_path(out)
    assert f"--resume {partial}" in result.stderr
    assert not out.exists()
    assert read_response(partial).answers == {"a1": 4.0, "a2": 2.0}


def test_run_input_ending_after_the_last_required_answer_completes(runner, tmp_path):
    out = tmp_path / "r.json"
    result = run(runner, [MINIMAL, "-o", str(out)], FULL[:-1])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["comments"] == {"note": None}


def test_run_quit_then_resume_keeps_every_answer(runner, tmp_path):
    out = tmp_path / "r.json"
    first = run(runner, [MINIMAL, "-o", str(out)], ["Support", "4", "2", "q"])
    assert first.exit_code == 0
    partial = partial_path(out)
    assert f"Saved (3 of 9 questions answered) in:\n  {partial}\n" in first.stdout
    assert f"cxassess run {MINIMAL} --resume {partial}" in first.stdout
    second = run(runner, [MINIMAL, "--resume", str(partial)], FULL[3:])
    assert second.exit_code == 0, second.output
    assert "Continuing your saved run: 3 of 9 questions answered" in flat(second.stdout)
    data = json.loads(out.read_text())
    assert data["segments"] == {"team": "Support"}
    assert data["answers"]["a1"] == 4.0 and data["answers"]["a2"] == 2.0
    assert data["answers"]["a3"] == 5.0 and data["answers"]["recommend"] == 9.0
    assert not partial.exists()


def test_run_resume_accepts_the_output_path_and_needs_no_questionnaire(runner, tmp_path):
    out = tmp_path / "r.json"
    run(runner, [MINIMAL, "-o", str(out)], ["Support", "4", "q"])
    # the questionnaire is found from its id only when it is on the search path, so give it
    result = run(runner, [MINIMAL, "--resume", str(out)], FULL[2:])
    assert result.exit_code == 0, result.output
    assert read_response(out).answers["a1"] == 4.0


def test_run_same_command_with_a_saved_run_refuses_without_a_terminal(runner, tmp_path):
    out = tmp_path / "r.json"
    run(runner, [MINIMAL, "-o", str(out)], ["Support", "4", "q"])
    result = run(runner, [MINIMAL, "-o", str(out)], FULL)
    assert result.exit_code == 2
    assert "an unfinished run (2 of 9 questions answered) is saved in" in result.stderr
    assert "--resume" in result.stderr and "delete that file" in result.stderr
    assert read_response(partial_path(out)).answers == {"a1": 4.0}


def test_run_existing_output_is_not_replaced_without_overwrite(runner, tmp_path):
    out = tmp_path / "r.json"
    out.write_text("keep me")
    result = run(runner, [MINIMAL, "-o", str(out)], FULL)
    assert result.exit_code == 2
    assert "already exists; nothing was changed" in result.stderr
    assert out.read_text() == "keep me"
    again = run(runner, [MINIMAL, "-o", str(out), "--overwrite"], FULL)
    assert again.exit_code == 0, again.output
    assert read_response(out).completed is not None


def test_run_resume_of_a_complete_response_is_refused(runner, tmp_path):
    out = tmp_path / "r.json"
    run(runner, [MINIMAL, "-o", str(out)], FULL)
    result = run(runner, [MINIMAL, "--resume", str(out)], FULL)
    assert result.exit_code == 2
    assert "already complete" in result.stderr


def test_run_resume_of_a_missing_file_is_exit_2(runner, tmp_path):
    result = run(runner, [MINIMAL, "--resume", str(tmp_path / "nope.json")], [])
    assert result.exit_code == 2
    assert "no saved run at" in result.stderr


def test_run_resume_of_a_file_that_is_not_a_response_is_exit_2(runner, tmp_path):
    bad = tmp_path / "bad.json.partial.json"
    bad.write_text('{"answers": 3}')
    result = run(runner, [MINIMAL, "--resume", str(bad)], [])
    assert result.exit_code == 2
    assert "not a cxassess response file" in result.stderr
    assert "Traceback" not in result.output


def test_run_resume_with_another_questionnaire_is_refused(runner, tmp_path):
    out = tmp_path / "r.json"
    run(runner, [MINIMAL, "-o", str(out)], ["Support", "4", "q"])
    result = run(runner, ["three-abilities", "--resume", str(partial_path(out))], [])
    assert result.exit_code == 2
    assert "holds answers to 'minimal', not 'three-abilities'" in result.stderr


def test_run_segments_from_flags_are_not_asked(runner, tmp_path):
    out = tmp_path / "r.json"
    args = ["three-abilities", "-o", str(out), "--segment", "team=Support"]
    args += ["--segment", "role=team LEADER"]
    result = run(runner, args, ["4"] * 22)
    assert result.exit_code == 0, result.output
    assert "About you" not in result.stdout
    data = json.loads(out.read_text())
    assert data["segments"] == {"team": "Support", "role": "Team leader"}


def test_run_segments_from_prompts_offer_the_closed_list(runner, tmp_path):
    out = tmp_path / "r.json"
    result = run(runner, ["three-abilities", "-o", str(out)], ["North", "7", "man", *["4"] * 22])
    assert result.exit_code == 0, result.output
    assert "  3  Manager" in result.stdout
    assert "7 is not one of the choices." in result.stdout
    assert json.loads(out.read_text())["segments"] == {"team": "North", "role": "Manager"}


@pytest.mark.parametrize(
    ("flag", "message"),
    [
        ("team", "is not KEY=VALUE"),
        ("region=North", "has no segment 'region'"),
        ("role=Boss", "'Boss' is not a choice of 'role'"),
        ("team=", "has no value"),
    ],
)
def test_run_bad_segment_flags_are_exit_2(runner, tmp_path, flag, message):
    result = run(runner, ["three-abilities", "-o", str(tmp_path / "r.json"), "--segment", flag], [])
    assert result.exit_code == 2
    assert message in result.stderr


def test_run_unknown_language_is_exit_2(runner, tmp_path):
    result = run(runner, ["three-abilities", "-o", str(tmp_path / "r.json"), "--lang", "fr"], [])
    assert result.exit_code == 2
    assert "has no texts in language 'fr'" in result.stderr
    assert "en" in result.stderr


def test_run_unknown_questionnaire_is_exit_2(runner, tmp_path):
    result = run(runner, ["no-such-thing", "-o", str(tmp_path / "r.json")], [])
    assert result.exit_code == 2
    assert "no questionnaire 'no-such-thing'" in result.stderr


def test_run_without_questionnaire_or_resume_is_exit_2(runner):
    result = run(runner, [], [])
    assert result.exit_code == 2
    assert "which questionnaire?" in result.stderr


def test_run_default_output_is_named_after_questionnaire_and_respondent(
    runner, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    result = run(runner, [MINIMAL, "--respondent", "Ana López"], FULL)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "response-minimal-ana-lopez.json").is_file()
    again = run(runner, [MINIMAL, "--respondent", "Ana López"], FULL)
    assert again.exit_code == 0
    assert (tmp_path / "response-minimal-ana-lopez-2.json").is_file()


def test_run_default_output_notes_an_unfinished_run_without_a_terminal(
    runner, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    run(runner, [MINIMAL], ["Support", "4", "q"])
    saved = list(tmp_path.glob("response-minimal-*.json.partial.json"))
    assert len(saved) == 1
    result = run(runner, [MINIMAL], ["Support", "4", "q"])
    note = f"an unfinished run (2 of 9 questions answered) is saved in {saved[0].name}"
    assert note in flat(result.stdout)
    assert f"--resume {saved[0]}" in result.stdout


def test_run_help_lists_the_options(runner):
    result = runner.invoke(app, ["run", "--help"])
    assert result.exit_code == 0
    for option in ("--output", "--respondent", "--segment", "--lang", "--resume", "--force"):
        assert option in result.output


BILINGUAL = """\
format: cxassess/1
id: bilingual
version: "2"
title: {en: Service check, es: Control de servicio}
audience: staff
languages: [en, es]
scales:
  agree3:
    type: likert
    points:
      - {value: 1, label: {en: Disagree, es: En desacuerdo}}
      - {value: 2, label: {en: Unsure, es: No estoy seguro}}
      - {value: 3, label: {en: Agree, es: De acuerdo}}
    not_applicable: {en: Don't know, es: No sé}
segments:
  - id: role
    title: {en: Role, es: Puesto}
    choices: [Front line, Manager]
dimensions:
  - id: care
    title: {en: Care, es: Cuidado}
    items:
      - {id: c1, text: {en: We listen., es: Escuchamos.}, scale: agree3}
      - {id: c2, text: {en: We follow up., es: Hacemos seguimiento.}, scale: agree3}
levels:
  - {id: low, min: 0, title: {en: Low, es: Bajo}}
  - {id: high, min: 50, title: {en: High, es: Alto}}
recommendations:
  - id: listen
    when: {dimension: care, below: 100}
    title: {en: Listen more, es: Escuchar más}
"""


def test_run_lang_shows_questions_and_labels_in_that_language(runner, tmp_path):
    source = tmp_path / "bilingual.yaml"
    source.write_text(BILINGUAL, encoding="utf-8")
    out = tmp_path / "r.json"
    result = run(runner, [str(source), "-o", str(out), "--lang", "es"], ["2", "no e", "n"])
    assert result.exit_code == 0, result.output
    assert "Control de servicio" in result.stdout
    assert "Escuchamos." in result.stdout and "  2  No estoy seguro" in result.stdout
    assert "n for No sé" in flat(result.stdout)
    assert "Cuidado" in result.stdout and "Escuchar más" in result.stdout
    data = json.loads(out.read_text())
    assert data["language"] == "es"
    assert data["segments"] == {"role": "Manager"}
    assert data["answers"] == {"c1": 2.0, "c2": None}
    assert data["not_applicable"] == ["c2"]


def test_run_resume_keeps_the_saved_language(runner, tmp_path):
    source = tmp_path / "bilingual.yaml"
    source.write_text(BILINGUAL, encoding="utf-8")
    out = tmp_path / "r.json"
    run(runner, [str(source), "-o", str(out), "--lang", "es"], ["1", "q"])
    result = run(runner, [str(source), "--resume", str(partial_path(out))], ["1", "1"])
    assert result.exit_code == 0, result.output
    assert "Escuchamos." in result.stdout
    assert json.loads(out.read_text())["language"] == "es"


@pytest.mark.parametrize(
    "questionnaire",
    [
        "three-abilities",
        "three-abilities-customer",
        "trust-culture",
        "internal-communication",
        "experience-focus",
    ],
)
def test_run_every_built_in_questionnaire_completes_with_number_keys(
    runner, tmp_path, questionnaire
):
    out = tmp_path / "r.json"
    result = run(runner, [questionnaire, "-o", str(out)], ["1"] * 120)
    assert result.exit_code == 0, result.output
    record = read_response(out)
    q = resolve_questionnaire(questionnaire)
    assert set(record.answers) == {x.id for x in q.scored_questions()}
    assert all(value == 1.0 for value in record.answers.values())
    assert record.completed is not None and record.scores is not None


def test_run_resume_into_another_output_moves_the_run_there(runner, tmp_path):
    first = tmp_path / "first.json"
    run(runner, [MINIMAL, "-o", str(first)], ["Support", "4", "q"])
    second = tmp_path / "elsewhere" / "second.json"
    result = run(
        runner, [MINIMAL, "--resume", str(partial_path(first)), "-o", str(second)], FULL[2:]
    )
    assert result.exit_code == 0, result.output
    assert read_response(second).answers["a1"] == 4.0
    assert not partial_path(first).exists() and not partial_path(second).exists()
    assert not first.exists()
