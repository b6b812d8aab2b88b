"""Progress on stderr: drawn at a terminal (each step, and counts with their known total),
nothing at all when stderr is not a terminal or with -Q."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console

import cxassess.cli.report
import cxassess.cli.score
from cxassess.cli import app
from cxassess.outputs.progress import steps_on

EXPORT = str(Path(__file__).parent / "data" / "exports" / "three-abilities-our-layout.csv")


def console(*, terminal: bool) -> Console:
    return Console(file=io.StringIO(), force_terminal=terminal, width=100, color_system=None)


def test_a_terminal_sees_each_step_and_the_known_total() -> None:
    shown = console(terminal=True)
    with steps_on(shown) as progress:
        assert progress.shown
        progress.step("Reading the answers")
        progress.count(0, 6, "")
        progress.count(2, 6, "team-sales.pdf")
    text = shown.file.getvalue()
    assert "Reading the answers" in text
    assert "0/6 reports" in text and "2/6 reports" in text
    assert "/?" not in text


def test_no_terminal_or_quiet_draws_nothing() -> None:
    for shown, quiet in ((console(terminal=False), False), (console(terminal=True), True)):
        with steps_on(shown, quiet=quiet) as progress:
            assert not progress.shown
            progress.step("Reading the answers")
            progress.count(1, 3, "x")
        assert shown.file.getvalue() == ""


def test_score_at_a_terminal_shows_reading_scoring_and_writing(runner, monkeypatch, tmp_path):
    shown = console(terminal=True)
    monkeypatch.setattr(cxassess.cli.score, "err_console", lambda: shown)
    out = tmp_path / "results.json"
    result = runner.invoke(app, ["score", EXPORT, "-q", "three-abilities", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = shown.file.getvalue()
    assert "Reading the answers" in text
    assert "Scoring 13 responses" in text
    assert f"Writing {out}" in text


def test_score_without_a_terminal_prints_no_progress(runner, tmp_path) -> None:
    out = tmp_path / "results.json"
    result = runner.invoke(app, ["score", EXPORT, "-q", "three-abilities", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Reading" not in result.stderr and "Scoring" not in result.stderr
    assert result.stderr.strip().splitlines()[-1] == f"wrote {out}: 13 respondent(s)"


def test_report_per_group_counts_reports_against_their_total(runner, monkeypatch, tmp_path):
    shown = console(terminal=True)
    monkeypatch.setattr(cxassess.cli.report, "err_console", lambda: shown)
    result = runner.invoke(
        app,
        [
            "report",
            EXPORT,
            "-q",
            "three-abilities",
            "-o",
            str(tmp_path / "overview.html"),
            "--per-group",
            "team",
            "--min-group-size",
            "2",
            "--out-dir",
            str(tmp_path / "teams"),
        ],
    )
    assert result.exit_code == 0, result.output
    text = shown.file.getvalue()
    written = len(list((tmp_path / "teams").glob("*.html"))) + 1
    assert written > 2
    assert f"{written}/{written} reports" in text
    assert "/?" not in text
