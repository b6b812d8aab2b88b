"""`cxassess score` on a CSV read in batches, as a user runs it: the figures, exit codes and
messages of reading it whole, no byte cap, and progress only at a terminal."""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

import pytest
from rich.console import Console

import cxassess.cli.score
import cxassess.pipeline
from cxassess.cli import app
from cxassess.inputs import batches, limits

MINIMAL = str(Path(__file__).parent / "data" / "valid" / "minimal.yaml")


def _export(path: Path, rows: int = 120, repeat: bool = False) -> Path:
    rng = random.Random(3)
    lines = ["respondent,team,a1,a2,a3,b1,b2,b3,recommend"]
    for i in range(rows):
        ident = "p1" if repeat and i == rows - 1 else f"p{i}"
        answers = ",".join(str(rng.randint(1, 5)) for _ in range(6))
        lines.append(f"{ident},{rng.choice(['North', 'South'])},{answers},{rng.randint(0, 10)}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def streamed(monkeypatch) -> None:
    """Every CSV read in batches of 16 rows, and a byte cap a batch-read file is far over."""
    monkeypatch.setattr(limits, "STREAM_FROM_BYTES", 0)
    monkeypatch.setattr(limits, "MAX_INPUT_BYTES", 500)
    monkeypatch.setattr(batches, "DEFAULT_BATCH_ROWS", 16)


def _json(runner, path: Path, out: Path, *more: str):
    result = runner.invoke(app, ["score", str(path), "-q", MINIMAL, "-o", str(out), *more])
    assert "Traceback" not in result.output + result.stderr
    return result


def test_score_reads_in_batches_with_the_figures_of_reading_whole(runner, tmp_path, monkeypatch):
    path = _export(tmp_path / "answers.csv")
    whole = _json(runner, path, tmp_path / "whole.json", "-g", "team")
    assert whole.exit_code == 0, whole.stderr
    monkeypatch.setattr(limits, "STREAM_FROM_BYTES", 0)
    monkeypatch.setattr(limits, "MAX_INPUT_BYTES", 500)
    batched = _json(runner, path, tmp_path / "batched.json", "-g", "team")
    assert batched.exit_code == 0, batched.stderr
    first, second = (json.loads((tmp_path / n).read_text()) for n in ("whole.json", "batched.json"))
    first.pop("generated"), second.pop("generated")
    assert first == second and second["respondents"] == 120
    assert ": 120 respondent(s), 1 breakdown(s)" in batched.stderr


@pytest.mark.usefixtures("streamed")
def test_score_refuses_a_repeat_in_a_later_batch_with_exit_code_2(runner, tmp_path) -> None:
    path = _export(tmp_path / "answers.csv", repeat=True)
    result = _json(runner, path, tmp_path / "r.json")
    assert result.exit_code == 2
    assert "1 response(s) appear more than once" in result.stderr
    assert "(response 120) repeats" in result.stderr and "--keep-first-duplicate" in result.stderr
    kept = _json(runner, path, tmp_path / "r.json", "--keep-first-duplicate")
    assert kept.exit_code == 0, kept.stderr
    assert "left out 1 repeated response(s)" in kept.stderr


@pytest.mark.usefixtures("streamed")
def test_score_refuses_an_unknown_segment_before_reading_the_rows(runner, tmp_path) -> None:
    result = _json(runner, _export(tmp_path / "answers.csv"), tmp_path / "r.json", "-g", "Regio")
    assert result.exit_code == 2
    assert "unknown segment 'Regio'" in result.stderr


@pytest.mark.usefixtures("streamed")
def test_score_at_a_terminal_shows_reading_and_scoring_in_batches(runner, monkeypatch, tmp_path):
    shown = Console(file=io.StringIO(), force_terminal=True, width=100, color_system=None)
    monkeypatch.setattr(cxassess.cli.score, "err_console", lambda: shown)
    result = _json(runner, _export(tmp_path / "answers.csv"), tmp_path / "r.json")
    assert result.exit_code == 0, result.output
    assert "Reading and scoring the answers" in shown.file.getvalue()
    quiet = _json(runner, _export(tmp_path / "answers.csv"), tmp_path / "q.json")
    assert "Reading" not in quiet.stderr  # not a terminal: nothing drawn


def test_rows_read_are_shown_with_their_rate_at_most_twice_a_second(monkeypatch) -> None:
    clock = iter([100.0, 100.1, 100.7, 100.9, 102.0])
    monkeypatch.setattr(cxassess.pipeline.time, "monotonic", lambda: next(clock))
    told: list[str] = []
    rows_read = cxassess.pipeline._rows_progress(told.append)  # started at 100.0
    for rows in (10_000, 70_000, 90_000, 200_000):
        rows_read(rows)
    assert told == [
        "Reading and scoring the answers: 70,000 rows (100,000 a second)",
        "Reading and scoring the answers: 200,000 rows (100,000 a second)",
    ]


def test_a_segment_with_more_values_than_groups_can_be_is_refused_at_its_column(
    tmp_path, monkeypatch
) -> None:
    """Found by the reviewer: -g on an id-like column of 1.5 million values ran out of
    memory after minutes (exit 1); it is refused at once, exit 2, with the column named."""
    from typer.testing import CliRunner

    from cxassess.cli import app
    from cxassess.inputs import columns

    monkeypatch.setattr(columns, "MAX_SEGMENT_VALUES", 50)
    path = tmp_path / "answers.csv"
    rows = [f"p{i},t{i},3,3,3,3,3,3,5" for i in range(80)]
    path.write_text("respondent,team,a1,a2,a3,b1,b2,b3,recommend\n" + "\n".join(rows) + "\n")
    minimal = Path(__file__).parent / "data" / "valid" / "minimal.yaml"
    result = CliRunner().invoke(app, ["score", str(path), "-q", str(minimal), "-g", "team"])
    assert result.exit_code == 2, result.output
    assert f"{path}:1:2: the segment 'team' has 80 different values" in result.stderr
    assert "at most 50 groups are scored" in result.stderr
    assert "Traceback" not in result.output


def test_a_segment_spread_over_exports_is_refused_across_them(tmp_path, monkeypatch) -> None:
    """Found by the reviewer: two exports of 40 ids each passed a limit of 50 per file and were
    scored with a group per id; together they are refused, exit 2, saying so."""
    from typer.testing import CliRunner

    from cxassess.cli import app
    from cxassess.inputs import columns

    monkeypatch.setattr(columns, "MAX_SEGMENT_VALUES", 50)
    paths = []
    for month in ("march", "april"):
        path = tmp_path / f"{month}.csv"
        rows = [f"{month}{i},{month}-t{i},3,3,3,3,3,{i % 5},5" for i in range(40)]
        path.write_text("respondent,team,a1,a2,a3,b1,b2,b3,recommend\n" + "\n".join(rows) + "\n")
        paths.append(str(path))
    minimal = Path(__file__).parent / "data" / "valid" / "minimal.yaml"
    result = CliRunner().invoke(app, ["score", *paths, "-q", str(minimal), "-g", "team"])
    assert result.exit_code == 2, result.output
    assert "the segment 'team' has 80 different values across the inputs" in result.stderr
    assert "at most 50 groups are scored" in result.stderr
    assert "Traceback" not in result.output
