"""The screens: readable at 60 columns, no colour with NO_COLOR or without a terminal."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from rich.console import Console

from cxassess.format.catalog import resolve_questionnaire
from cxassess.interview import render
from cxassess.interview.assessment import RunRequest, run_assessment
from cxassess.interview.record import finished_record, new_record
from cxassess.interview.session import Session
from cxassess.interview.steps import build_steps
from cxassess.interview.terminal import Terminal

COLOUR = re.compile(r"\x1b\[[0-9;]*3[0-9][;m]|\x1b\[[0-9;]*38;")


def console(width: int, **options) -> Console:
    return Console(file=io.StringIO(), width=width, highlight=False, **options)


def printed(con: Console, renderable) -> str:
    con.print(renderable)
    return con.file.getvalue()


@pytest.fixture
def session() -> Session:
    q = resolve_questionnaire("three-abilities")
    return Session(build_steps(q, "en"), new_record(q, language="en"))


def test_render_question_at_60_columns_keeps_every_line_within_the_width(session):
    session.submit("")
    session.submit("")
    view = session.view()
    text = printed(
        console(60, color_system=None),
        render.question(view, "The three abilities", 60, "'x' is not one of the choices."),
    )
    assert all(len(line) <= 60 for line in text.splitlines())
    assert "Capability · 1 of 6" in text
    assert "3/26" in text
    assert "  3  Neither agree nor disagree" in text
    assert "  d  Don't know" in text
    assert "  n  Does not apply: I don't see this part of our work" in text
    assert "b back · s skip · q save and quit" in text  # this question has no help


def test_render_whole_run_at_60_columns_stays_within_the_width(tmp_path):
    answers = [
        "Ops",
        "2",
        *["4"] * 18,
        "8",
        "4",
        "4",
        "4",
        "Fewer forms and clearer refunds please",
        "",
    ]
    terminal = Terminal.scripted(answers, interactive=True, width=60)
    run_assessment(
        RunRequest(questionnaire="three-abilities", output=tmp_path / "r.json"), terminal
    )
    transcript = terminal.transcript()
    long_lines = [line for line in transcript.splitlines() if len(line) > 60]
    # only the command to copy may be longer: it is printed whole, never broken
    assert all(line.lstrip().startswith("cxassess report") for line in long_lines), long_lines
    assert "Overall index" in transcript


def test_render_no_color_environment_strips_colours(monkeypatch, session):
    monkeypatch.setenv("NO_COLOR", "1")
    con = Console(file=io.StringIO(), width=80, force_terminal=True, highlight=False)
    text = printed(con, render.question(session.view(), "Title", 80, "hint"))
    assert not COLOUR.search(text)


def test_render_terminal_uses_colour_when_allowed(monkeypatch, session):
    monkeypatch.delenv("NO_COLOR", raising=False)
    con = Console(
        file=io.StringIO(), width=80, force_terminal=True, color_system="standard", highlight=False
    )
    text = printed(con, render.question(session.view(), "Title", 80, "hint"))
    assert COLOUR.search(text)


def test_render_bar_reads_without_colour():
    assert render.bar(0.5, 10).plain == "█████░░░░░"
    assert render.bar(1.5, 4).plain == "████"
    assert render.bar(-1, 4).plain == "░░░░"


def test_render_nps_is_one_line_of_numbers():
    q = resolve_questionnaire(Path(__file__).parent / "data" / "valid" / "minimal.yaml")
    steps = build_steps(q, "en")
    session = Session(
        steps, new_record(q, language="en"), start=steps.index_of("recommend", "question")
    )
    text = printed(console(60, color_system=None), render.question(session.view(), "", 60))
    assert "0  1  2  3  4  5  6  7  8  9  10" in text


def test_render_summary_shows_scores_levels_and_first_three_recommendations():
    q = resolve_questionnaire(Path(__file__).parent / "data" / "valid" / "minimal.yaml")
    record = new_record(q, language="en")
    record.answers = {"a1": 1, "a2": 5, "a3": 1, "b1": 2, "b2": 2, "b3": 2, "recommend": 3}
    record.comments = {}
    _final, results = finished_record(q, record)
    text = printed(console(60, color_system=None), render.summary(results, Path("r.json"), 60))
    assert "cxassess report r.json -o r.pdf" in text
    assert "Overall index" in text and "Low" in text
    assert re.search(r"Alpha\s+░+\s+0 Low", text)
    assert "1. Fix alpha (high)" in text
    assert "2. Fix beta (medium)" in text
    assert "3. Fix a1 (low)" in text


def test_render_summary_says_when_too_few_answers_to_score():
    q = resolve_questionnaire(Path(__file__).parent / "data" / "valid" / "minimal.yaml")
    record = new_record(q, language="en")
    _final, results = finished_record(q, record)
    text = printed(console(80, color_system=None), render.summary(results, Path("r.json"), 80))
    assert "Too few answers to compute an overall index." in text
    assert "too few answers" in text


def test_render_command_quotes_paths_with_spaces():
    assert render.command_line("cxassess", "report", Path("my answers.json")) == (
        "cxassess report 'my answers.json'"
    )
