"""What a report may print: hostile answers print as text, hidden groups appear nowhere, and
per-group files stay inside the output folder."""

from __future__ import annotations

import csv
import random
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cxassess.cli import app
from cxassess.format.catalog import resolve_questionnaire

HOSTILE_IMG = '<img src="file:///etc/passwd">'
HOSTILE_FORMULA = '=HYPERLINK("http://evil.example","click")'
AMPERSAND = "Queues < 2 min & fair — Доступность ελληνικά"
SECRET = "TINYTEAM-SECRET-REMARK about the payroll mistake"
SECRET_TWO = "WEETEAM-SECRET-REMARK on the night shift"


def write_answers(path: Path, teams: dict[str, int], comments: dict[str, list[str]]) -> Path:
    """A CSV in cxassess's own layout for three-abilities: one row per respondent."""
    q = resolve_questionnaire("three-abilities")
    items = [(i.id, i.reverse) for i in q.all_items()]
    rng = random.Random(5)
    header = ["respondent", "team", "role", *(i for i, _r in items), "recommend", "one-change"]
    rows = [header]
    number = 0
    for team, size in teams.items():
        lift = rng.uniform(-0.6, 0.6)
        for index in range(size):
            number += 1
            cells = [f"R{number}", team, "Front line"]
            for _item, reverse in items:
                value = min(5, max(1, round(rng.gauss(3.4 + lift, 0.9))))
                cells.append(str(6 - value if reverse else value))
            cells.append(str(min(10, max(0, round(rng.gauss(7 + lift * 2, 1.8))))))
            team_comments = comments.get(team, [])
            cells.append(team_comments[index] if index < len(team_comments) else "")
            rows.append(cells)
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


def pdf_text(path: Path) -> str:
    """The text of a PDF, as poppler extracts it (one string)."""
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return done.stdout


REPORT = ["report", "-q", "three-abilities", "--min-comment-group-size", "5"]


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    answers = write_answers(
        folder / "answers.csv",
        {"Alpha team": 14, "Beta team": 9, "Tiny": 3, "Wee": 2},
        {
            "Alpha team": [HOSTILE_IMG, HOSTILE_FORMULA, AMPERSAND],
            "Tiny": [SECRET],
            "Wee": [SECRET_TWO],
        },
    )
    output = folder / "report.pdf"
    result = CliRunner().invoke(
        app,
        [*REPORT, str(answers), "-g", "team", "-o", str(output)],
    )
    assert result.exit_code == 0, result.output
    html = folder / "report.html"
    result = CliRunner().invoke(
        app,
        [*REPORT, str(answers), "-g", "team", "-o", str(html)],
    )
    assert result.exit_code == 0, result.output
    return output, html


def test_hostile_comments_print_as_written(hostile_report: tuple[Path, Path]) -> None:
    pdf, _html = hostile_report
    text = pdf_text(pdf)
    assert HOSTILE_IMG in text
    assert HOSTILE_FORMULA in text
    assert AMPERSAND in text


def test_hostile_comments_are_escaped_in_the_html(hostile_report: tuple[Path, Path]) -> None:
    _pdf, html = hostile_report
    source = html.read_text(encoding="utf-8")
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in source
    assert HOSTILE_IMG not in source
    assert "Queues &lt; 2 min &amp; fair" in source


def test_hidden_groups_comments_appear_nowhere(hostile_report: tuple[Path, Path]) -> None:
    pdf, html = hostile_report
    for text in (pdf_text(pdf), html.read_text(encoding="utf-8")):
        assert "TINYTEAM-SECRET" not in text
        assert "WEETEAM-SECRET" not in text


def test_hidden_groups_show_only_their_n(hostile_report: tuple[Path, Path]) -> None:
    text = pdf_text(hostile_report[0])
    lines = [line for line in text.splitlines() if "Tiny" in line or "Wee" in line]
    assert lines, "the hidden groups are listed with their n"
    for line in lines:
        words = line.replace("fewer than 5 respondents", "").split()
        figures = [w for w in words if w.isdigit()]
        assert figures in (["3"], ["2"]), line
        assert "hidden" in line


def test_report_without_breakdown_shows_all_comments(tmp_path: Path) -> None:
    answers = write_answers(tmp_path / "a.csv", {"Alpha team": 6}, {"Alpha team": [AMPERSAND]})
    output = tmp_path / "r.pdf"
    result = CliRunner().invoke(
        app, ["report", str(answers), "-q", "three-abilities", "-o", str(output)]
    )
    assert result.exit_code == 0, result.output
    assert AMPERSAND in pdf_text(output)


def test_per_group_files_stay_inside_the_output_folder(tmp_path: Path) -> None:
    answers = write_answers(
        tmp_path / "a.csv",
        {"../../escape": 6, "/etc/cron.d/x": 6, "Ålesund & Co": 5, "Tiny": 2, "Wee": 2},
        {"Tiny": [SECRET]},
    )
    out_dir = tmp_path / "out" / "reports"
    result = CliRunner().invoke(
        app,
        [
            "report", str(answers), "-q", "three-abilities", "--per-group", "team",
            "--out-dir", str(out_dir), "--jobs", "1", "-o", str(out_dir / "overview.html"),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in out_dir.iterdir())
    # Tiny and Wee together hold fewer than 5, so the next smallest group goes with them.
    assert written == [
        "overview.html",
        "team-escape.html",
        "team-etc-cron-d-x.html",
    ]
    assert not (tmp_path / "escape.html").exists()
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["reports"]
    assert "skipped Tiny (n=2): fewer than 5 respondents" in result.output
    assert "skipped Ålesund & Co (n=5): hidden so that 'Tiny' and 'Wee' (hidden)" in result.output
    for page in out_dir.iterdir():
        assert "TINYTEAM-SECRET" not in page.read_text(encoding="utf-8")
