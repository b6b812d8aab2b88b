"""One input classifier for every command, and `-g` names that match no column refused.

`report folder/` and `gap folder/` find the questionnaire the same way (from the response
files in the folder); a segment named on the command line that is no column of the input, or
that no respondent has a value for, is exit 2 on `score`, `report` and `gap`, naming the
closest columns, never a breakdown of one group "(not stated)" holding everyone.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cxassess.cli import app
from cxassess.demo import write_data
from cxassess.gap.inputs import open_side
from cxassess.inputs.classify import classify, named_questionnaire

EXPORTS = Path(__file__).parent / "data" / "exports"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return write_data(tmp_path_factory.mktemp("segments"), seed=7)


@pytest.fixture(scope="module")
def staff_without_teams(demo) -> Path:
    """The demo's staff answers with every team cell emptied."""
    with demo.staff_csv.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    target = demo.folder / "staff-no-teams.csv"
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows({**row, "team": ""} for row in rows)
    return target


def response_folder(folder: Path, questionnaire: str, count: int) -> Path:
    """A folder of finished response files of `minimal`."""
    folder.mkdir()
    record = json.loads((EXPORTS / "minimal-response-finished.json").read_text())
    record["questionnaire"]["id"] = questionnaire
    for index in range(count):
        record["respondent"] = f"person-{index}"
        record["answers"]["a1"] = 1 + index % 5
        record["answers"]["a3"] = 1 + index // 5 % 5
        (folder / f"r{index:02}.json").write_text(json.dumps(record), encoding="utf-8")
    return folder


def test_a_folder_of_response_files_names_their_questionnaire(tmp_path) -> None:
    folder = response_folder(tmp_path / "answers", "minimal", 3)
    info = classify(folder)
    assert (info.kind, info.questionnaire) == ("folder", "minimal")
    export = classify(EXPORTS / "minimal-headers-only.csv")
    assert (export.kind, export.questionnaire) == ("export", None)
    assert named_questionnaire([export, info]) == "minimal"


def test_report_and_gap_infer_a_folders_questionnaire_alike(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("CXASSESS_PATH", str(Path(__file__).parent / "data" / "valid"))
    folder = response_folder(tmp_path / "answers", "minimal", 6)
    output = tmp_path / "report.html"
    code, text = run("report", str(folder), "-o", str(output))
    assert code == 0, text
    assert "which questionnaire" not in text and output.exists()
    assert open_side(folder, role="staff").questionnaire.id == "minimal"


@pytest.mark.parametrize(
    ("kind", "content"),
    [
        ("gap", '{"schema": "cxassess.gap/1"}'),
        ("comparison", '{"schema": "cxassess.comparison/1"}'),
        ("results", '{"schema": "cxassess.results/1"}'),
        ("unknown", '{"answers": 3}'),
    ],
)
def test_our_json_files_are_told_apart_by_their_schema_whatever_their_name(
    tmp_path, kind, content
) -> None:
    path = tmp_path / "anything.json"
    path.write_text(content, encoding="utf-8")
    assert classify(path).kind == kind


def test_score_refuses_a_results_file_as_answers(demo, tmp_path) -> None:
    results = tmp_path / "results.json"
    code, text = run("score", str(demo.staff_csv), "-q", "three-abilities", "-o", str(results))
    assert code == 0, text
    code, text = run("score", str(results), "-q", "three-abilities")
    assert code == 2
    assert "this is a results file of `cxassess score`, not answers to score" in text
    assert "cxassess report" in text


def test_score_segment_matching_no_column_names_the_closest(demo) -> None:
    code, text = run("score", str(demo.staff_csv), "-q", "three-abilities", "-g", "tema")
    assert code == 2
    assert "unknown segment 'tema': not a segment of 'three-abilities'" in text
    assert "the closest columns: 'team'" in text
    assert "Traceback" not in text


def test_score_segment_nobody_has_a_value_for_is_refused(staff_without_teams) -> None:
    code, text = run("score", str(staff_without_teams), "-q", "three-abilities", "-g", "team")
    assert code == 2
    assert "segment 'team': no respondent has a value for it (its column is empty)" in text
    assert "(not stated)" in text  # says what would have happened, and refuses it


def test_report_segment_matching_no_column_is_exit_2_before_writing(demo, tmp_path) -> None:
    output = tmp_path / "r.html"
    code, text = run(
        "report", str(demo.staff_csv), "-q", "three-abilities", "-g", "rol", "-o", str(output)
    )
    assert code == 2
    assert "unknown segment 'rol'" in text and "the closest columns: 'role'" in text
    assert not output.exists()


def test_report_segment_nobody_has_a_value_for_is_exit_2(staff_without_teams, tmp_path) -> None:
    output = tmp_path / "r.html"
    code, text = run(
        "report", str(staff_without_teams), "-q", "three-abilities", "--per-group", "team",
        "--out-dir", str(tmp_path / "teams"), "-o", str(output),
    )  # fmt: skip
    assert code == 2
    assert "segment 'team': no respondent has a value for it" in text
    assert not output.exists()


def test_gap_segment_of_neither_questionnaire_names_the_closest(demo) -> None:
    code, text = run("gap", str(demo.staff_csv), str(demo.customer_csv), "-g", "teams")
    assert code == 2
    assert "has a segment 'teams'" in text and "did you mean 'team'?" in text


def test_gap_segment_nobody_has_a_value_for_is_exit_2(demo, staff_without_teams) -> None:
    code, text = run("gap", str(staff_without_teams), str(demo.customer_csv), "-g", "team")
    assert code == 2
    assert "segment 'team': no respondent has a value for it (its column is empty)" in text
