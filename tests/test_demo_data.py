"""`cxassess demo`: reproducible, realistic sample data that goes through the normal path."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
from schema_check import assert_matches_schema
from typer.testing import CliRunner

from cxassess.cli import app
from cxassess.compare import compare_results
from cxassess.demo import NOT_APPLICABLE, generate, write_data
from cxassess.format.catalog import resolve_questionnaire
from cxassess.gap.build import build_gap
from cxassess.gap.model import read_gap
from cxassess.pipeline import score_inputs
from cxassess.results import read_results


def test_same_seed_gives_the_same_answers() -> None:
    assert generate(11) == generate(11)
    assert generate(11) != generate(12)


def test_staff_answers_look_like_a_real_survey() -> None:
    data = generate()
    header, rows = data.staff[0], data.staff[1:]
    q = resolve_questionnaire("three-abilities")
    assert header[:3] == ["respondent", "team", "role"]
    assert [i.id for i in q.all_items()] == header[3 : 3 + len(q.all_items())]
    assert 250 <= len(rows) <= 400
    teams = Counter(row[1] for row in rows)
    assert len(teams) >= 6
    assert any(n < 5 for n in teams.values())
    assert max(teams.values()) > 3 * min(n for n in teams.values() if n >= 5)
    cells = [cell for row in rows for cell in row[3 : 3 + len(q.all_items())]]
    assert "" in cells
    assert NOT_APPLICABLE in cells
    comments = [row[-2] for row in rows if row[-2]] + [row[-1] for row in rows if row[-1]]
    assert any("<" in c and "&" in c and "клиенты" in c for c in comments)
    assert len(set(comments)) == len(comments), "no comment is repeated word for word"


def test_customer_answers_use_the_customer_questionnaire() -> None:
    header = generate().customers[0]
    q = resolve_questionnaire("three-abilities-customer")
    assert header[:3] == ["respondent", "channel", "tenure"]
    for item in q.all_items():
        assert item.id in header


def test_demo_files_score_through_the_normal_input_path(tmp_path: Path) -> None:
    files = write_data(tmp_path)
    staff, staff_problems = score_inputs(
        [files.staff_csv], resolve_questionnaire("three-abilities"), segments=["team"]
    )
    customers, customer_problems = score_inputs(
        [files.customer_csv], resolve_questionnaire("three-abilities-customer")
    )
    assert not [p for p in staff_problems + customer_problems if p.severity == "error"]
    assert staff.respondents == len(generate().staff) - 1
    assert sum(1 for g in staff.groups if g.suppressed) >= 1
    scores = {d.id: d.score for d in staff.dimensions}
    assert scores["accessibility"] < scores["enjoyability"]
    staff_by_dim = {d.id: d.score or 0 for d in staff.dimensions}
    customer_by_dim = {d.id: d.score or 0 for d in customers.dimensions}
    for dim in ("accessibility", "enjoyability"):
        assert customer_by_dim[dim] < staff_by_dim[dim] - 5, "customers see less than staff"
    with files.staff_csv.open(encoding="utf-8") as handle:
        assert next(csv.reader(handle))[0] == "respondent"


@pytest.mark.parametrize("seed", ["7"])
def test_demo_command_writes_data_results_and_report(tmp_path: Path, seed: str) -> None:
    out = tmp_path / "demo"
    result = CliRunner().invoke(app, ["demo", "--out-dir", str(out), "--seed", seed])
    assert result.exit_code == 0, result.output
    for name in (
        "staff-answers.csv",
        "customer-answers.csv",
        "last-year-staff-answers.csv",
        "brand.yaml",
        "logo.svg",
        "previous-results.json",
        "results.json",
        "report.pdf",
        "gap.json",
        "gap.pdf",
    ):
        assert (out / name).is_file(), name
        if name != "logo.svg":
            assert name in result.output.replace("\n", "")
    for pdf in ("report.pdf", "gap.pdf"):
        assert (out / pdf).read_bytes().startswith(b"%PDF")
    results = read_results(out / "results.json")
    assert results.questionnaire.id == "three-abilities"
    assert {g.segment for g in results.groups} == {"team", "role"}
    previous = read_results(out / "previous-results.json")
    assert previous.generated < results.generated
    assert read_gap(out / "gap.json").staff.respondents == results.respondents
    for name, kind in [("results.json", "results"), ("previous-results.json", "results"),
                       ("gap.json", "gap")]:  # fmt: skip
        assert assert_matches_schema(out / name) == kind, name


def test_demo_gap_has_a_clear_blind_spot_and_a_hidden_strength(tmp_path: Path) -> None:
    files = write_data(tmp_path)
    gap = build_gap(files.staff_csv, files.customer_csv, staff_questionnaire="three-abilities").gap
    blind = [d for d in gap.dimensions if d.status == "blind-spot"]
    assert blind, "at least one dimension where staff rate clearly and far above customers"
    assert all(d.clear and (d.ci_low or 0) > 0 for d in blind)
    strengths = [r for r in [*gap.dimensions, *gap.items] if r.status == "hidden-strength"]
    assert strengths, "customers clearly above staff somewhere"
    assert all((r.ci_high or 0) < 0 for r in strengths)
    assert any(r.status == "aligned" for r in gap.dimensions), "and a dimension in the noise"


def test_demo_last_year_differs_believably(tmp_path: Path) -> None:
    files = write_data(tmp_path)
    q = resolve_questionnaire("three-abilities")
    now, _ = score_inputs([files.staff_csv], q, segments=["team"])
    assert files.previous_csv is not None
    then, _ = score_inputs([files.previous_csv], q, segments=["team"])
    comparison = compare_results(now, then)
    moved = [d.id for d in comparison.dimensions if d.marked]
    assert moved == ["accessibility"], "one dimension moved beyond the noise"
    assert not comparison.overall.marked
    assert any(not c.marked for c in comparison.items)
    assert 0.85 < then.respondents / now.respondents < 1.0


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_demo_report_keeps_each_dimension_on_one_page(tmp_path: Path, paper: str) -> None:
    import subprocess

    files = write_data(tmp_path)
    output = tmp_path / f"{paper}.pdf"
    previous = tmp_path / "previous.json"
    assert files.previous_csv is not None
    result = CliRunner().invoke(
        app,
        [
            "score", str(files.previous_csv), "-q", "three-abilities", "-g", "team",
            "-o", str(previous),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(
        app,
        [
            "report", str(files.staff_csv), "-q", "three-abilities", "-g", "team",
            "--brand", str(files.brand), "--paper", paper, "-o", str(output),
            "--customer", str(files.customer_csv), "--compare", str(previous),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = subprocess.run(
        ["pdftotext", "-layout", str(output), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")
    dimension_pages = [p for p in pages if "Question by question" in p]
    assert len(dimension_pages) == 3
    for page in dimension_pages:
        assert "By team" in page
        assert "What to do" in page
    summary = next(p for p in pages if "Executive summary" in p)
    assert "PRIORITIESTOACTON" in summary.replace(" ", "")
    words = " ".join(summary.split())
    assert "largest blind spot" in words and "Since the previous survey" in words
    change = next(p for p in pages if "Change since the last survey" in p)
    assert "Questions that moved" in change
