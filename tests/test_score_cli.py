"""`cxassess score` and `cxassess template` as a user runs them: exit codes and messages."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from cxassess.cli import app
from cxassess.results import read_results

THREE_V1 = str(Path(__file__).parent / "data" / "questionnaires" / "three-abilities-1.0.yaml")

DATA = Path(__file__).parent / "data"
EXPORTS = DATA / "exports"
MINIMAL = str(DATA / "valid" / "minimal.yaml")
OURS = str(EXPORTS / "three-abilities-our-layout.csv")


def run(runner, *args: str):
    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.output + result.stderr
    return result


def test_score_cli_shows_the_tables(runner) -> None:
    result = run(runner, "score", OURS, "-q", THREE_V1, "-g", "team")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "13 respondent(s) from 1 file(s)" in out
    for text in ("Overall index", "Capability", "Accessibility", "cap-stock", "recommend"):
        assert text in out
    assert "By team" in out and "hidden" in out
    online = next(line for line in out.splitlines() if line.strip().startswith("Online"))
    assert online.split() == ["Online", "2", "hidden"]
    assert result.stderr == ""


def test_score_cli_writes_json(runner, tmp_path) -> None:
    target = tmp_path / "out" / "results.json"
    result = run(runner, "score", OURS, "-q", THREE_V1, "-g", "role", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert f"wrote {target}: 13 respondent(s), 1 breakdown(s)" in result.stderr
    results = read_results(target)
    assert results.respondents == 13 and results.questionnaire.id == "three-abilities"
    assert result.stdout == ""


def test_score_cli_json_to_stdout(runner) -> None:
    result = run(runner, "score", OURS, "-q", THREE_V1, "-o", "-")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["schema"] == "cxassess.results/1"


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_score_cli_writes_tables(runner, tmp_path, suffix) -> None:
    target = tmp_path / f"results{suffix}"
    result = run(runner, "score", OURS, "-q", THREE_V1, "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert target.stat().st_size > 100


def test_score_cli_bad_cells_are_summarised_and_scoring_goes_on(runner) -> None:
    path = str(EXPORTS / "minimal-bad-label-and-outside-scale.csv")
    result = run(runner, "score", path, "-q", MINIMAL)
    assert result.exit_code == 0
    err = result.stderr
    assert "warning: 3 answer(s) could not be read and were counted as missing:" in err
    assert f"{path}:3: column C 'a1': 'Agreee' is not an answer on this scale" in err
    assert f"{path}:4: column G 'b2': 7 is outside the scale" in err
    assert "expected a whole number from 0 to 10" in err
    assert "note: 3 answer(s) could not be read" in result.stdout


def test_score_cli_lists_only_the_first_20_bad_cells(runner, tmp_path) -> None:
    path = tmp_path / "many.csv"
    rows = ["a1,a2,a3,b1,b2,b3,recommend"] + ["x,y,z,u,v,w,q"] * 3 + ["4,2,4,4,4,4,9"]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = run(runner, "score", str(path), "-q", MINIMAL)
    assert result.exit_code == 0
    assert "21 answer(s) could not be read and were counted as missing; the first 20:" in (
        result.stderr
    )
    assert "  ... and 1 more" in result.stderr
    assert result.stderr.count("is not an answer on this scale") == 20


def test_score_cli_many_bad_cells_of_one_column_are_one_line(runner, tmp_path) -> None:
    path = tmp_path / "many.csv"
    rows = ["a1,a2,a3,b1,b2,b3,recommend"] + [f"x{i % 2},2,4,4,4,4,9" for i in range(25)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = run(runner, "score", str(path), "-q", MINIMAL)
    assert result.exit_code == 0
    assert "25 answer(s) could not be read and were counted as missing:" in result.stderr
    assert "column A 'a1': 25 cells cannot be read: 'x0' is not an answer" in result.stderr
    assert "(13 cell(s), row(s) 2, 4, 6, ...)" in result.stderr
    assert "more" not in result.stderr


def test_score_cli_strict_stops_with_exit_2(runner) -> None:
    path = str(EXPORTS / "minimal-bad-label-and-outside-scale.csv")
    result = run(runner, "score", path, "-q", MINIMAL, "--strict")
    assert result.exit_code == 2
    assert f"error: {path}:3: column C 'a1': 'Agreee' is not an answer on this scale" in (
        result.stderr
    )
    assert "hint: expected 1 to 5 or a label" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("missing.csv", "error: input file not found: {path}"),
        ("empty.csv", "error: {path}: the file is empty"),
        ("minimal-headers-only.csv", "error: {path}: no answers, only header rows"),
        (
            "no-matching-column.csv",
            "error: {path}: no column matches a question of 'minimal' (headers: 'Name', 'Age', "
            "'Favourite colour')",
        ),
    ],
)
def test_score_cli_unusable_inputs_exit_2_with_one_message(runner, name, message) -> None:
    path = str(EXPORTS / name)
    result = run(runner, "score", path, "-q", MINIMAL)
    assert result.exit_code == 2
    assert message.format(path=path) in result.stderr
    assert "hint:" in result.stderr
    assert result.stderr.count("error:") == 1


def test_score_cli_unknown_segment_exit_2_with_hint(runner) -> None:
    result = run(runner, "score", OURS, "-q", THREE_V1, "-g", "region")
    assert result.exit_code == 2
    assert (
        "error: unknown segment 'region': not a segment of 'three-abilities' and not a column "
        "of the input" in result.stderr
    )
    assert "hint: the questionnaire's segments are: team, role" in result.stderr


def test_score_cli_segment_may_be_any_column(runner, tmp_path) -> None:
    source = EXPORTS / "three-abilities-microsoft-forms.csv"
    result = run(
        runner,
        "score",
        str(source),
        "-q",
        THREE_V1,
        "-g",
        "Email",
        "--min-group-size",
        "1",
        "-o",
        "-",
    )
    assert result.exit_code == 0, result.stderr
    groups = json.loads(result.stdout)["groups"]
    assert {g["segment"] for g in groups} == {"email"}
    assert [g["value"] for g in groups] == ["anonymous"] and groups[0]["n"] == 13


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "results.txt"], "error: cannot write results as '.txt'"),
        (["--min-group-size", "0"], "error: --min-group-size must be at least 1, not 0"),
        (["--lang", "fr"], "error: 'three-abilities' has no texts in 'fr'"),
        (["-g", "recommend"], "error: 'recommend' is a question, not a segment"),
        (["-q", "no-such-questionnaire"], "no-such-questionnaire"),
    ],
)
def test_score_cli_bad_options_exit_2(runner, args, message) -> None:
    base = ["score", OURS, "-q", THREE_V1]
    result = run(runner, *base, *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_score_cli_map_mistakes_are_listed(runner) -> None:
    result = run(
        runner,
        "score",
        str(EXPORTS / "minimal-odd-headers.csv"),
        "-q",
        MINIMAL,
        "--map",
        str(EXPORTS / "minimal-map-with-mistakes.yaml"),
    )
    assert result.exit_code == 2
    assert "columns.Dept: 'teem' is not an item, outcome, segment or comment" in result.stderr
    assert "3 problem(s) in" in result.stderr


def test_score_cli_map_reads_odd_export(runner) -> None:
    result = run(
        runner,
        "score",
        str(EXPORTS / "minimal-odd-headers.csv"),
        "-q",
        MINIMAL,
        "--map",
        str(EXPORTS / "minimal-odd-headers-map.yaml"),
        "-o",
        "-",
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["respondents"] == 3
    assert result.stderr == ""


def test_score_cli_mixes_response_files_and_warns_about_unfinished(runner) -> None:
    result = run(
        runner,
        "score",
        str(EXPORTS / "minimal-response-finished.json"),
        str(EXPORTS / "minimal-response-unfinished.json"),
        "-q",
        MINIMAL,
        "-o",
        "-",
    )
    assert result.exit_code == 0
    assert "unfinished run (no `completed` time); skipped" in result.stderr
    assert json.loads(result.stdout)["respondents"] == 1


def test_template_cli_prints_the_header_row(runner) -> None:
    result = run(runner, "template", MINIMAL)
    assert result.exit_code == 0
    assert result.stdout.strip() == "respondent,team,a1,a2,a3,b1,b2,b3,recommend,note"


def test_template_cli_file_filled_in_is_scored(runner, tmp_path) -> None:
    blank = tmp_path / "blank.csv"
    result = run(runner, "template", "three-abilities", "-o", str(blank))
    assert result.exit_code == 0
    assert f"wrote {blank}" in result.stderr
    header = next(csv.reader(blank.open(encoding="utf-8")))
    assert header[:3] == ["respondent", "team", "role"] and "recommend" in header
    filled = tmp_path / "filled.csv"
    shutil.copy(blank, filled)
    with filled.open("a", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        for n in range(3):
            writer.writerow([f"p{n}", "Sales", "Manager", *["4"] * 18, "9", "4", "4", "4", "", ""])
    scored = run(runner, "score", str(filled), "-q", "three-abilities", "-o", "-")
    assert scored.exit_code == 0, scored.stderr
    assert json.loads(scored.stdout)["respondents"] == 3
    assert scored.stderr == ""


def test_template_cli_xlsx_has_answer_lists(runner, tmp_path) -> None:
    target = tmp_path / "blank.xlsx"
    result = run(runner, "template", "three-abilities", "-o", str(target))
    assert result.exit_code == 0
    import fastexcel

    reader = fastexcel.read_excel(target.read_bytes())
    assert reader.sheet_names == ["Answers", "Questions", "Choices"]
    guide = reader.load_sheet(1).to_polars()
    row = guide.filter(guide["column"] == "cap-busy").row(0, named=True)
    assert row["question"].startswith("On our busiest days")
    assert "1 = Strongly disagree" in row["answers"]
    assert "or write 'Don't know'" in row["answers"]
    assert "Does not apply" in row["answers"]


def test_template_cli_bad_suffix_exit_2(runner, tmp_path) -> None:
    result = run(runner, "template", MINIMAL, "-o", str(tmp_path / "blank.pdf"))
    assert result.exit_code == 2
    assert "error: cannot write a template as '.pdf'" in result.stderr
