"""`run_assessment` as a library call, with a scripted terminal in interactive mode: the
questions a person at a terminal is asked (continue a saved run? replace a file?), Ctrl-C."""

from __future__ import annotations

from pathlib import Path

import pytest

from cxassess.errors import Cancelled, InterruptedRun
from cxassess.interview.assessment import InputEnded, RunRequest, run_assessment
from cxassess.interview.autosave import partial_path, read_response
from cxassess.interview.terminal import Terminal

MINIMAL = str(Path(__file__).parent / "data" / "valid" / "minimal.yaml")
FULL = ["Support", "4", "2", "5", "n", "3", "agree", "9", "note"]


def flat(text: str) -> str:
    return " ".join(text.split())


def start(out: Path, answers: list[str], *, interactive: bool = True, **options) -> Terminal:
    terminal = Terminal.scripted(answers, interactive=interactive)
    run_assessment(RunRequest(questionnaire=MINIMAL, output=out, **options), terminal)
    return terminal


def test_assessment_offers_to_continue_a_saved_run_and_enter_accepts(tmp_path):
    out = tmp_path / "r.json"
    start(out, ["Support", "4", "q"])
    terminal = start(out, ["", *FULL[2:]])
    text = flat(terminal.transcript())
    assert "An unfinished run (2 of 9 questions answered) is saved in" in text
    assert "Continue it? [Y/n]" in text
    record = read_response(out)
    assert record.answers["a1"] == 4.0 and record.segments == {"team": "Support"}


def test_assessment_declining_to_continue_starts_again(tmp_path):
    out = tmp_path / "r.json"
    start(out, ["Support", "4", "q"])
    start(out, ["n", "Sales", "1", "1", "1", "1", "1", "1", "0", ""])
    record = read_response(out)
    assert record.segments == {"team": "Sales"}
    assert record.answers["a1"] == 1.0
    assert not partial_path(out).exists()


def test_assessment_asks_before_replacing_an_existing_file(tmp_path):
    out = tmp_path / "r.json"
    out.write_text("earlier")
    with pytest.raises(Cancelled, match="nothing was changed"):
        start(out, ["", *FULL])  # Enter takes the default: no
    assert out.read_text() == "earlier"
    start(out, ["y", *FULL])
    assert read_response(out).completed is not None


def test_assessment_confirm_repeats_until_yes_or_no(tmp_path):
    out = tmp_path / "r.json"
    out.write_text("earlier")
    terminal = start(out, ["perhaps", "yes", *FULL])
    assert "Please type y or n." in terminal.transcript()


def test_assessment_ctrl_c_keeps_the_partial_file_and_says_how_to_continue(tmp_path):
    out = tmp_path / "r.json"

    def lines():
        yield "Support"
        yield "4"
        raise KeyboardInterrupt

    terminal = Terminal.scripted(lines(), interactive=True)
    with pytest.raises(InterruptedRun) as caught:
        run_assessment(RunRequest(questionnaire=MINIMAL, output=out), terminal)
    assert "interrupted at question 3 of 9" in caught.value.message
    assert "2 of 9 questions answered" in caught.value.hint
    assert "\n" not in caught.value.message + caught.value.hint  # one line
    assert caught.value.exit_code == 130
    assert "--resume" in caught.value.hint
    assert read_response(partial_path(out)).answers == {"a1": 4.0}


def test_assessment_ctrl_c_before_any_answer_says_nothing_was_saved(tmp_path):
    def lines():
        raise KeyboardInterrupt
        yield ""

    terminal = Terminal.scripted(lines(), interactive=True)
    with pytest.raises(InterruptedRun) as caught:
        run_assessment(RunRequest(questionnaire=MINIMAL, output=tmp_path / "r.json"), terminal)
    assert caught.value.hint == "no answers were saved yet"
    assert not any(tmp_path.iterdir())


def test_assessment_end_of_input_is_an_input_error(tmp_path):
    with pytest.raises(InputEnded) as caught:
        start(tmp_path / "r.json", ["Support"], interactive=False)
    assert caught.value.exit_code == 2


def test_assessment_quit_before_any_answer_writes_nothing(tmp_path):
    terminal = start(tmp_path / "r.json", ["q"])
    assert "nothing was saved" in terminal.transcript()
    assert not any(tmp_path.iterdir())


def test_assessment_partial_file_is_saved_after_every_answer(tmp_path, monkeypatch):
    out = tmp_path / "r.json"
    seen: list[dict] = []
    import cxassess.interview.autosave as autosave

    original = autosave.save_partial

    def spy(path, record):
        seen.append(dict(record.answers))
        return original(path, record)

    monkeypatch.setattr(autosave, "save_partial", spy)
    start(out, FULL)
    assert seen[1] == {"a1": 4.0}
    assert seen[2] == {"a1": 4.0, "a2": 2.0}
    assert len(seen) == len(FULL)


def test_assessment_resumed_run_fits_answers_to_a_changed_questionnaire(tmp_path):
    out = tmp_path / "r.json"
    start(out, ["Support", "4", "q"])
    partial = partial_path(out)
    text = partial.read_text().replace('"a1": 4.0', '"a1": 4.0, "gone": 2.0, "a2": 9.0')
    text = text.replace('"version": "1.0"', '"version": "0.9"')
    partial.write_text(text)
    terminal = Terminal.scripted(FULL[2:], interactive=False)
    run_assessment(RunRequest(questionnaire=MINIMAL, resume=partial), terminal)
    transcript = flat(terminal.transcript())
    assert "given to version 0.9; this is version 1.0" in transcript
    assert "dropped the answer to 'gone'" in transcript
    assert "'a2' will be asked again: 9 is not on its scale" in transcript
    record = read_response(out)
    assert record.answers["a2"] == 2.0
    assert record.questionnaire.version == "1.0"


def test_assessment_flags_given_again_on_resume_win(tmp_path):
    out = tmp_path / "r.json"
    start(out, ["Support", "4", "q"])
    terminal = Terminal.scripted(FULL[2:], interactive=False)
    run_assessment(
        RunRequest(
            questionnaire=MINIMAL,
            resume=partial_path(out),
            respondent="R-17",
            segments=["team=Sales"],
        ),
        terminal,
    )
    record = read_response(out)
    assert record.respondent == "R-17"
    assert record.segments == {"team": "Sales"}


def test_assessment_without_output_offers_the_unfinished_run_in_this_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    first = Terminal.scripted(["Support", "4", "q"], interactive=True)
    run_assessment(RunRequest(questionnaire=MINIMAL, respondent="Ana"), first)
    terminal = Terminal.scripted(["", *FULL[2:]], interactive=True)
    outcome = run_assessment(RunRequest(questionnaire=MINIMAL, respondent="Ana"), terminal)
    assert "Continue it? [Y/n]" in flat(terminal.transcript())
    assert outcome.output == tmp_path / "response-minimal-ana.json"
    assert read_response(outcome.output).answers["a1"] == 4.0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["response-minimal-ana.json"]
