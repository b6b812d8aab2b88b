"""A team's own report (`report --per-group`) shows the team's comments only when as many
people stand behind them as the organisation's report requires: a team of five is a group
of the organisation, not a person's own assessment."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from cxassess.cli import app

MINIMAL = Path(__file__).parent / "data" / "valid" / "minimal.yaml"
HEADER = "respondent,team,a1,a2,a3,b1,b2,b3,recommend,note"


def _export(path: Path) -> Path:
    lines = [HEADER]
    for i in range(60):
        team = "Late" if i >= 55 else ("North" if i % 2 else "South")
        answers = ",".join(str(1 + (i * k) % 5) for k in range(1, 7))
        lines.append(f"p{i},{team},{answers},{i % 11},secret of p{i} in {team}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_team_below_the_comment_minimum_shows_no_comment_in_its_own_report(
    tmp_path: Path,
) -> None:
    answers = _export(tmp_path / "answers.csv")
    out = tmp_path / "teams"
    result = CliRunner().invoke(
        app,
        [
            "report",
            str(answers),
            "-q",
            str(MINIMAL),
            "-g",
            "team",
            "--per-group",
            "team",
            "-o",
            str(tmp_path / "report.html"),
            "--out-dir",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    late = (out / "team-late.html").read_text(encoding="utf-8")
    assert "secret of" not in late
    assert "they need at least 10 people behind them, and this group has 5" in late
    north = (out / "team-north.html").read_text(encoding="utf-8")
    assert north.count("in North") >= 10  # a team of 28 keeps its comments
    assert "in Late" not in (tmp_path / "report.html").read_text(encoding="utf-8")
