"""`cxassess score --compare`: the change since previous results in the terminal (an arrow
only beyond the noise), in results.json as a `comparison` object that readers of results
ignore, in the CSV and the workbook, and the inputs it refuses."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from cxassess.cli import app
from cxassess.compare import compare_results
from cxassess.demo import DemoFiles, write_data
from cxassess.format.catalog import resolve_questionnaire
from cxassess.outputs.terminal import results_view
from cxassess.pipeline import score_inputs
from cxassess.results import read_results

STAFF_Q = "three-abilities"


def run(*args: str):
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.output
    return result


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoFiles:
    files = write_data(tmp_path_factory.mktemp("scorecompare"))
    result = run(
        "score", str(files.previous_csv), "-q", STAFF_Q, "-g", "team",
        "-o", str(files.folder / "previous.json"),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return files


@pytest.fixture(scope="module")
def comparison(demo: DemoFiles):
    current, _problems = score_inputs(
        [demo.staff_csv], resolve_questionnaire(STAFF_Q), segments=["team"]
    )
    return compare_results(current, read_results(demo.folder / "previous.json"))


def test_score_compare_terminal_marks_only_changes_beyond_the_noise(
    demo: DemoFiles, comparison
) -> None:
    result = run(
        "score", str(demo.staff_csv), "-q", STAFF_Q, "--compare", str(demo.folder / "previous.json")
    )
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Change since" in out and "(286 respondent(s) then)" in out
    lines = out.splitlines()
    for change in [*comparison.dimensions, *comparison.items]:
        label = change.title if change.kind == "dimension" else change.id
        line = next(row for row in lines if row.strip().startswith(label))
        expected = f"{change.change:+.1f}"
        assert expected in line, (label, line)
        arrow = "▲" if change.direction == "up" else "▼"
        assert (arrow in line) == change.marked, (label, line)
        if not change.marked:
            assert "▲" not in line and "▼" not in line
    assert "▲ or ▼ marks a change larger than its noise" in out


def test_score_compare_view_keeps_the_table_without_comparison(demo: DemoFiles) -> None:
    current, _problems = score_inputs([demo.staff_csv], resolve_questionnaire(STAFF_Q))
    console = Console(record=True, width=120)
    console.print(results_view(current))
    text = console.export_text()
    assert "change" not in text.split("Items", 1)[1].splitlines()[2]
    assert "▲" not in text


def test_score_compare_json_holds_the_comparison(
    demo: DemoFiles, comparison, tmp_path: Path
) -> None:
    target = tmp_path / "results.json"
    result = run(
        "score", str(demo.staff_csv), "-q", STAFF_Q, "-g", "team",
        "--compare", str(demo.folder / "previous.json"), "-o", str(target),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    moved = sum(
        1 for c in [comparison.overall, *comparison.dimensions, *comparison.items] if c.marked
    )
    assert f"{moved} figure(s) moved beyond the noise" in result.stderr
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["schema"] == "cxassess.results/1"
    block = data["comparison"]
    assert block["schema"] == "cxassess.comparison/1"
    assert block["overall"]["change"] == pytest.approx(comparison.overall.change)
    assert [d["marked"] for d in block["dimensions"]] == [d.marked for d in comparison.dimensions]
    assert {g["value"] for g in block["groups"]} == {g.value for g in comparison.groups}
    # readers of results (report, gap, an older cxassess) read the file as before
    again = read_results(target)
    assert again.respondents == comparison.current.respondents


def test_score_compare_json_to_stdout(demo: DemoFiles) -> None:
    result = run(
        "score", str(demo.staff_csv), "-q", STAFF_Q,
        "--compare", str(demo.folder / "previous.json"), "-o", "-",
    )  # fmt: skip
    assert result.exit_code == 0
    assert json.loads(result.stdout)["comparison"]["questionnaire"] == STAFF_Q


def test_score_compare_csv_and_xlsx_hold_the_change(
    demo: DemoFiles, comparison, tmp_path: Path
) -> None:
    import fastexcel

    previous = str(demo.folder / "previous.json")
    csv_path, xlsx_path = tmp_path / "r.csv", tmp_path / "r.xlsx"
    for target in (csv_path, xlsx_path):
        result = run(
            "score", str(demo.staff_csv), "-q", STAFF_Q, "-g", "team",
            "--compare", previous, "-o", str(target),
        )  # fmt: skip
        assert result.exit_code == 0, result.output
    with csv_path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    access = {
        r["measure"]: r["value"] or r["label"]
        for r in rows
        if r["kind"] == "change of dimension" and r["id"] == "accessibility"
        and r["segment"] == "(all)"
    }  # fmt: skip
    expected = comparison.find("dimension", "accessibility")
    assert float(access["change"]) == pytest.approx(expected.change)
    assert access["beyond_noise"] == ("1.0" if expected.marked else "0.0")
    hidden = {
        r["group"] for r in rows if r["kind"].startswith("change of") and r["segment"] == "team"
    }
    shown = {g.value for g in comparison.groups if not g.suppressed}
    assert hidden == shown, "groups hidden in either survey have no change rows"
    sheet = fastexcel.read_excel(xlsx_path).load_sheet("Change").to_polars()
    assert "beyond the noise" in sheet.columns
    assert sheet.filter(sheet["id"] == "accessibility")["change"][0] == pytest.approx(
        expected.change
    )


def test_score_compare_with_another_questionnaire_is_exit_2_before_scoring(
    demo: DemoFiles,
) -> None:
    result = run(
        "score", str(demo.customer_csv), "-q", "three-abilities-customer",
        "--compare", str(demo.folder / "previous.json"),
    )  # fmt: skip
    assert result.exit_code == 2
    assert (
        "the previous results are of questionnaire 'three-abilities', these answers of "
        "'three-abilities-customer'" in result.output
    )
    assert "--compare needs earlier results of the same questionnaire" in result.output


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("gap.json", '{"schema": "cxassess.gap/1"}', "a gap file of `cxassess gap`"),
        ("ana.json", '{"schema": "cxassess.response/1"}', "one person's response file"),
        ("answers.csv", "team,score\nNorth,4\n", "not a results file"),
        ("broken.json", '{"schema": "cxassess.results/1"}', "not a cxassess results file"),
    ],
)
def test_score_compare_with_something_else_is_exit_2(
    demo: DemoFiles, tmp_path: Path, name: str, content: str, message: str
) -> None:
    previous = tmp_path / name
    previous.write_text(content, encoding="utf-8")
    result = run("score", str(demo.staff_csv), "-q", STAFF_Q, "--compare", str(previous))
    assert result.exit_code == 2
    assert message in result.output
    assert str(previous) in result.output


def test_score_compare_missing_file_is_exit_2(demo: DemoFiles, tmp_path: Path) -> None:
    result = run(
        "score", str(demo.staff_csv), "-q", STAFF_Q, "--compare", str(tmp_path / "none.json")
    )
    assert result.exit_code == 2
    assert "previous results file not found" in result.output
