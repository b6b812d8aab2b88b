"""Bad inputs: every unreadable cell is located and explained; unusable files stop with one
clear message; --strict stops at the first problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from cxassess.errors import FileNotFound, InputError, ResponseError
from cxassess.format.loader import load_questionnaire
from cxassess.inputs import read_responses
from cxassess.inputs.columns import CellGroup, cell_count

THREE_V1 = str(Path(__file__).parent / "data" / "questionnaires" / "three-abilities-1.0.yaml")

DATA = Path(__file__).parent / "data"
EXPORTS = DATA / "exports"
HEADER = "respondent,team,a1,a2,a3,b1,b2,b3,recommend,note\n"


@pytest.fixture(scope="module")
def q():
    return load_questionnaire(DATA / "valid" / "minimal.yaml")


def write(tmp_path: Path, text: str, name: str = "answers.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_problems_bad_cells_become_missing_with_row_column_value_and_expectation(q) -> None:
    responses = read_responses([EXPORTS / "minimal-bad-label-and-outside-scale.csv"], q)
    cells = [p for p in responses.problems if p.location.column is not None]
    assert [(p.location.line, p.where) for p in cells] == [
        (3, "column C 'a1'"),
        (4, "column G 'b2'"),
        (5, "column I 'recommend'"),
    ]
    assert "'Agreee' is not an answer on this scale" in cells[0].what
    assert "expected 1 to 5 or a label ('Strongly disagree' ... 'Strongly agree')" in cells[0].hint
    assert cells[1].what == "7 is outside the scale"
    assert cells[2].hint == "expected a whole number from 0 to 10"
    frame = responses.frame
    assert frame["a1"].to_list() == [4.0, None, 3.0, 5.0]
    assert frame["b2"].to_list() == [4.0, 4.0, None, 5.0]
    assert frame["recommend"].to_list() == [9.0, 8.0, 6.0, None]
    assert cell_count(responses.problems) == 3


def test_problems_strict_stops_at_the_first_bad_cell(q) -> None:
    with pytest.raises(ResponseError) as caught:
        read_responses([EXPORTS / "minimal-bad-label-and-outside-scale.csv"], q, strict=True)
    error = caught.value
    assert error.exit_code == 2
    assert error.location is not None and error.location.line == 3
    assert error.message == "column C 'a1': 'Agreee' is not an answer on this scale"


def test_problems_strict_passes_clean_files(q) -> None:
    responses = read_responses([EXPORTS / "minimal-response-finished.json"], q, strict=True)
    assert responses.frame.height == 1


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.csv", "the file is empty"),
        ("minimal-headers-only.csv", "no answers, only header rows"),
        ("no-matching-column.csv", "no column matches a question of 'minimal'"),
    ],
)
def test_problems_unusable_files_stop_with_one_message(q, name, message) -> None:
    with pytest.raises(InputError) as caught:
        read_responses([EXPORTS / name], q)
    assert message in caught.value.message
    assert caught.value.exit_code == 2
    assert caught.value.hint


def test_problems_missing_file_is_named(q, tmp_path) -> None:
    with pytest.raises(FileNotFound) as caught:
        read_responses([tmp_path / "answers.csv"], q)
    assert caught.value.message == f"input file not found: {tmp_path / 'answers.csv'}"


def test_problems_missing_required_questions_are_one_problem(q, tmp_path) -> None:
    path = write(tmp_path, "a1,a2\n4,2\n")
    responses = read_responses([path], q)
    (problem,) = responses.problems
    assert problem.location.line == 1
    assert "no column matches 5 required questions (a3, b1, b2, b3, recommend)" in problem.what
    with pytest.raises(ResponseError):
        read_responses([path], q, strict=True)


def test_problems_close_header_is_suggested(q, tmp_path) -> None:
    three = load_questionnaire(THREE_V1)
    header = [s.id for s in three.scored_questions() if s.id != "acc-hours"]
    path = write(
        tmp_path,
        ",".join([*header, "Our opening hour suit customers"]) + "\n" + ",".join(["3"] * 19) + "\n",
    )
    problems = read_responses([path], three).problems
    missing = next(p for p in problems if "required question acc-hours" in p.what)
    assert "column 'Our opening hour suit customers' looks like acc-hours" in missing.hint
    unmatched = next(p for p in problems if "match no question" in p.what)
    assert unmatched.severity == "warning"


def test_problems_second_column_for_a_question_is_ignored_with_a_warning(q, tmp_path) -> None:
    path = write(tmp_path, "a1,a2,a3,b1,b2,b3,recommend,A1\n4,2,4,4,4,4,9,1\n")
    responses = read_responses([path], q)
    (problem,) = responses.problems
    assert problem.severity == "warning"
    assert "also matches 'a1', already read from column A" in problem.what
    assert responses.frame["a1"].to_list() == [4.0]


def test_problems_blank_rows_are_skipped_and_rows_still_count(q, tmp_path) -> None:
    path = write(tmp_path, HEADER + "p1,N,4,2,4,4,4,4,9,\n,,,,,,,,,\n\np3,N,4,2,4,4,Nope,4,9,\n")
    responses = read_responses([path], q)
    assert responses.frame["respondent"].to_list() == ["p1", "p3"]
    (problem,) = responses.problems
    assert problem.location.line == 5


def test_problems_short_and_long_rows_are_read(q, tmp_path) -> None:
    path = write(tmp_path, HEADER + "p1,N,4,2\np2,N,4,2,4,4,4,4,9,,extra,cells\n")
    frame = read_responses([path], q).frame
    assert frame["a2"].to_list() == [2.0, 2.0]
    assert frame["b3"].to_list() == [None, 4.0]


def test_problems_many_bad_cells_of_one_column_are_one_line_with_the_count(q, tmp_path) -> None:
    rows = "".join(f"p{i},N,{'Nope' if i % 3 else 'x'},2,4,4,4,4,9,\n" for i in range(12))
    responses = read_responses([write(tmp_path, HEADER + rows)], q)
    (group,) = responses.problems
    assert isinstance(group, CellGroup) and group.cells == 12
    assert group.location.line == 2
    assert group.what.startswith("12 cells cannot be read: ")
    assert "'Nope' is not an answer on this scale (8 cell(s), row(s) 3, 4, 6, ...)" in group.what
    assert "'x' is not an answer on this scale (4 cell(s), row(s) 2, 5, 8, ...)" in group.what
    assert cell_count(responses.problems) == 12


def test_problems_a_few_bad_cells_are_listed_one_by_one(q, tmp_path) -> None:
    rows = "".join(f"p{i},N,Nope,2,4,4,4,4,9,\n" for i in range(3))
    responses = read_responses([write(tmp_path, HEADER + rows)], q)
    assert [p.location.line for p in responses.problems] == [2, 3, 4]
    assert not any(isinstance(p, CellGroup) for p in responses.problems)


def test_problems_unfinished_run_is_skipped_with_a_warning(q) -> None:
    responses = read_responses(
        [EXPORTS / "minimal-response-finished.json", EXPORTS / "minimal-response-unfinished.json"],
        q,
    )
    assert responses.frame["respondent"].to_list() == ["dana"]
    (warning,) = responses.problems
    assert warning.severity == "warning"
    assert "unfinished run" in warning.what
    assert [s.rows for s in responses.sources] == [1, 0]


def test_problems_response_file_of_another_questionnaire_is_refused(q) -> None:
    with pytest.raises(InputError) as caught:
        read_responses([EXPORTS / "three-abilities-response-finished.json"], q)
    assert "answers questionnaire 'three-abilities', not 'minimal'" in caught.value.message
    assert caught.value.hint == "score it with -q three-abilities, or leave it out"


def test_problems_damaged_json_names_line_and_column(q, tmp_path) -> None:
    path = write(tmp_path, '{"schema": "cxassess.response/1",\n  "answers": {,}}', "r.json")
    with pytest.raises(InputError) as caught:
        read_responses([path], q)
    assert caught.value.location is not None and caught.value.location.line == 2
    assert "not valid JSON" in caught.value.message


def test_problems_json_that_is_not_a_response_file_is_refused(q, tmp_path) -> None:
    path = write(tmp_path, '{"schema": "cxassess.results/1"}', "results.json")
    with pytest.raises(InputError) as caught:
        read_responses([path], q)
    assert "not a cxassess response file (schema: cxassess.results/1)" in caught.value.message


def test_problems_response_answers_outside_the_scale_are_reported(q, tmp_path) -> None:
    text = (EXPORTS / "minimal-response-finished.json").read_text().replace('"a1": 4', '"a1": 9')
    responses = read_responses([write(tmp_path, text, "r.json")], q)
    (problem,) = responses.problems
    assert problem.where == "answers.a1" and problem.what == "9 is outside the scale"
    assert responses.frame["a1"].to_list() == [None]


def test_problems_map_reads_odd_headers_and_labels(q) -> None:
    responses = read_responses(
        [EXPORTS / "minimal-odd-headers.csv"], q, mapping=EXPORTS / "minimal-odd-headers-map.yaml"
    )
    assert responses.problems == []
    frame = responses.frame
    assert frame["team"].to_list() == ["North", "North", "South"]
    assert frame["a1"].to_list() == [5.0, 4.0, 3.0]
    assert frame["recommend"].to_list() == [10.0, 9.0, 7.0]
    assert frame["note"].to_list() == [None, "Good", None]


def test_problems_wrong_questionnaire_is_refused_with_the_right_one_suggested() -> None:
    trust = load_questionnaire(Path("questionnaires/trust-culture.yaml"))
    three = load_questionnaire(THREE_V1)
    with pytest.raises(InputError) as caught:
        read_responses([EXPORTS / "three-abilities-google-forms.csv"], trust)
    total = len(trust.scored_questions())
    assert three.version == "1.0"
    assert f"of the {total} questions of 'trust-culture' have a column" in caught.value.message
    assert "is this the right questionnaire?" in caught.value.message
    # The fixture holds answers to version 1.0; the built-in (2.0) still shares most columns.
    assert caught.value.hint.startswith("the columns match ")
    assert "questions of 'three-abilities': try -q three-abilities" in caught.value.hint


def test_problems_damaged_spreadsheet_is_one_message(q, tmp_path) -> None:
    path = tmp_path / "answers.xlsx"
    path.write_bytes(b"this is not a workbook")
    with pytest.raises(InputError) as caught:
        read_responses([path], q)
    assert caught.value.message.startswith(f"{path}: cannot read this spreadsheet")
    assert caught.value.hint == "save it again from Excel as .xlsx, or export it as CSV"
