"""Conventions every command keeps: results on stdout, messages on stderr (and none with -Q,
except warnings), JSON with `-o -`, exit 130 with one plain line on Ctrl-C, exit 1 without
an error when the user declines, and shell completion of ids, segment names and paths."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cxassess.cli import app
from cxassess.cli.completion import header_names, questionnaire_ids, segment_names
from cxassess.interview.autosave import partial_path
from cxassess.interview.terminal import Terminal

EXPORTS = Path(__file__).parent / "data" / "exports"
OUR_LAYOUT = str(EXPORTS / "three-abilities-our-layout.csv")
BAD_LABEL = str(EXPORTS / "minimal-bad-label-and-outside-scale.csv")
MINIMAL = str(Path(__file__).parent / "data" / "valid" / "minimal.yaml")
FULL = ["Support", "4", "2", "5", "n", "3", "agree", "9", "fine"]


def answers(*lines: str) -> str:
    return "".join(f"{line}\n" for line in lines)


# -- messages on stderr, none with -Q --------------------------------------------------


def test_score_says_what_it_wrote_on_stderr_and_nothing_with_quiet(runner, tmp_path) -> None:
    out = tmp_path / "results.json"
    said = runner.invoke(app, ["score", OUR_LAYOUT, "-q", "three-abilities", "-o", str(out)])
    assert said.exit_code == 0, said.output
    assert said.stdout == ""
    assert f"wrote {out}" in said.stderr
    for words in (
        ["score", OUR_LAYOUT, "-q", "three-abilities", "-o", str(out), "-Q"],
        ["-Q", "score", OUR_LAYOUT, "-q", "three-abilities", "-o", str(out)],
    ):
        quiet = runner.invoke(app, words)
        assert quiet.exit_code == 0, quiet.output
        assert "wrote" not in quiet.stderr
        assert quiet.stdout == ""


def test_quiet_still_shows_warnings_about_unreadable_answers(runner, tmp_path) -> None:
    out = tmp_path / "results.json"
    result = runner.invoke(app, ["score", BAD_LABEL, "-q", MINIMAL, "-o", str(out), "-Q"])
    assert result.exit_code == 0, result.output
    assert "could not be read and were counted as missing" in result.stderr
    assert "wrote" not in result.stderr


def test_quiet_of_one_invocation_does_not_carry_over_to_the_next(runner, tmp_path) -> None:
    out = tmp_path / "results.json"
    runner.invoke(app, ["-Q", "score", OUR_LAYOUT, "-q", "three-abilities", "-o", str(out)])
    again = runner.invoke(app, ["score", OUR_LAYOUT, "-q", "three-abilities", "-o", str(out)])
    assert f"wrote {out}" in again.stderr


def test_score_dash_output_is_json_on_stdout_and_only_messages_on_stderr(runner) -> None:
    result = runner.invoke(app, ["score", BAD_LABEL, "-q", MINIMAL, "-o", "-"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["schema"].startswith("cxassess.results/")
    assert "{" not in result.stderr


def test_init_brand_quiet_writes_the_file_without_a_word(runner, tmp_path) -> None:
    target = tmp_path / "brand.yaml"
    result = runner.invoke(app, ["init", "brand", "-o", str(target), "-Q"])
    assert result.exit_code == 0, result.output
    assert target.is_file()
    assert result.stderr == "" and result.stdout == ""


# -- cancelling is not an error --------------------------------------------------------


def test_ctrl_c_in_a_command_exits_130_with_one_plain_line(runner, monkeypatch) -> None:
    import cxassess.pipeline

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(cxassess.pipeline, "score_inputs", interrupted)
    result = runner.invoke(app, ["score", OUR_LAYOUT, "-q", "three-abilities"])
    assert result.exit_code == 130
    assert result.stderr.strip().splitlines() == ["interrupted; nothing more was done"]
    assert "error" not in result.stderr


def test_answering_no_to_replace_exits_1_saying_nothing_was_changed(runner, monkeypatch, tmp_path):
    out = tmp_path / "r.json"
    out.write_text("keep me")
    terminal = Terminal.scripted(["n"], interactive=True)
    monkeypatch.setattr(Terminal, "for_process", classmethod(lambda cls: terminal))
    result = runner.invoke(app, ["run", MINIMAL, "-o", str(out)])
    assert result.exit_code == 1
    assert "nothing was changed" in result.stderr
    assert "error" not in result.stderr
    assert out.read_text() == "keep me"


@pytest.mark.parametrize("option", ["--force", "--overwrite"])
def test_run_force_and_its_old_spelling_replace_the_file(runner, tmp_path, option) -> None:
    out = tmp_path / "r.json"
    out.write_text("old")
    result = runner.invoke(app, ["run", MINIMAL, "-o", str(out), option], input=answers(*FULL))
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["completed"]


def test_run_help_shows_force_but_not_the_old_spelling(runner) -> None:
    shown = runner.invoke(app, ["run", "--help"], env={"COLUMNS": "100"}).stdout
    assert "--force" in shown and "--overwrite" not in shown


@pytest.mark.skipif(not hasattr(signal, "SIGINT"), reason="needs SIGINT")
def test_ctrl_c_in_run_exits_130_with_one_line_naming_the_resume_command(tmp_path) -> None:
    out = tmp_path / "r.json"
    process = subprocess.Popen(
        [sys.executable, "-m", "cxassess", "run", MINIMAL, "-o", str(out)],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NO_COLOR": "1", "COLUMNS": "300"},
    )
    try:
        assert process.stdin is not None
        for line in ("Support", "4", "2"):
            process.stdin.write(line + "\n")
        process.stdin.flush()
        partial = partial_path(out)
        deadline = time.monotonic() + 60  # only stops a broken run from hanging the suite
        while time.monotonic() < deadline:
            try:
                if len(json.loads(partial.read_text()).get("answers", {})) >= 2:
                    break
            except (FileNotFoundError, json.JSONDecodeError):
                pass
            time.sleep(0.05)
        process.send_signal(signal.SIGINT)
        _out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 130
    lines = err.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("interrupted at question 4 of 9")
    assert "3 of 9 questions answered" in lines[0]
    assert f"--resume {partial}" in lines[0]
    assert "error" not in lines[0]


# -- shell completion --------------------------------------------------------------------


def complete(words: str, env: dict[str, str] | None = None) -> list[str]:
    """What bash would be offered for the command line `words` (ending in the word typed)."""
    parts = words.split(" ")
    script = Path(sys.executable).parent / "cxassess"
    if not script.is_file():
        pytest.skip("needs the installed cxassess script (shells complete that command)")
    result = subprocess.run(
        [str(script)],
        capture_output=True,
        text=True,
        env={
            **os.environ,
            **(env or {}),
            "_CXASSESS_COMPLETE": "complete_bash",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(parts) - 1),
        },
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_show_completion_prints_a_script_for_the_shell(runner) -> None:
    result = runner.invoke(app, ["--show-completion", "bash"])
    assert result.exit_code == 0
    assert "_CXASSESS_COMPLETE" in result.stdout


def test_questionnaire_ids_complete_from_the_catalogue() -> None:
    assert "three-abilities" in questionnaire_ids()
    offered = complete("cxassess score answers.csv -q three")
    assert set(offered) == {"three-abilities", "three-abilities-customer"}
    assert complete("cxassess show ./") == []  # a path: the shell completes files


def test_segment_names_complete_from_the_questionnaire_and_the_header() -> None:
    offered = complete(f"cxassess score {OUR_LAYOUT} -q three-abilities -g ")
    assert offered[:2] == ["team", "role"]
    assert "respondent" in offered  # a column of the file: -g takes any column
    assert "cap-stock" not in offered  # a question, not a segment
    per_group = complete(f"cxassess report {OUR_LAYOUT} -q three-abilities --per-group r")
    assert per_group == ["role", "respondent"]


def test_header_names_read_only_the_first_line_and_give_up_on_a_huge_one(tmp_path) -> None:
    semicolons = tmp_path / "export.csv"
    semicolons.write_bytes(b"\xef\xbb\xbfrespondent;team;q1\r\n1;Sales;4\n")
    assert header_names(semicolons) == ["respondent", "team", "q1"]
    huge = tmp_path / "huge.csv"
    huge.write_text("a," * 5000 + "team\n")
    assert header_names(huge, limit=1000) == []
    assert header_names(tmp_path / "missing.csv") == []
    assert header_names(tmp_path / "answers.xlsx") == []


def test_segment_names_without_a_known_questionnaire_use_the_header_alone() -> None:
    names = segment_names({"inputs": [OUR_LAYOUT], "questionnaire": "no-such-questionnaire"})
    assert names[:3] == ["respondent", "team", "role"]
