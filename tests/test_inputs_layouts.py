"""The same answers, exported by every survey tool we read, give identical results."""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

import pytest
from results_compare import assert_close

from cxassess.format.catalog import resolve_questionnaire
from cxassess.inputs import read_responses
from cxassess.inputs.exports import (
    GOOGLE_FORMS,
    MICROSOFT_FORMS,
    OURS,
    QUALTRICS,
    SPREADSHEET,
    SURVEYMONKEY,
    detect_delimiter,
    detect_layout,
    open_export,
)
from cxassess.pipeline import score_inputs
from cxassess.responses import ResponseFile, ResponseQuestionnaire

THREE_V1 = str(Path(__file__).parent / "data" / "questionnaires" / "three-abilities-1.0.yaml")

EXPORTS = Path(__file__).parent / "data" / "exports"
LAYOUT_FILES = {
    "our-layout": OURS,
    "google-forms": GOOGLE_FORMS,
    "qualtrics": QUALTRICS,
    "surveymonkey": SURVEYMONKEY,
    "microsoft-forms": MICROSOFT_FORMS,
    "semicolon-bom": GOOGLE_FORMS,
}
SEGMENTS = ["team", "role"]


@pytest.fixture(scope="module")
def q():
    return resolve_questionnaire(THREE_V1)


def comparable(results) -> dict:
    """Everything in the results except what names the input files or the time."""
    return results.model_dump(exclude={"generated", "sources", "input_hash"})


@pytest.fixture(scope="module")
def reference(q) -> dict:
    results, problems = score_inputs(
        [EXPORTS / "three-abilities-our-layout.csv"], q, segments=SEGMENTS
    )
    assert problems == []
    assert results.respondents == 13
    return comparable(results)


@pytest.mark.parametrize("name", sorted(LAYOUT_FILES))
def test_layouts_each_tool_gives_identical_results(q, reference, name) -> None:
    path = EXPORTS / f"three-abilities-{name}.csv"
    assert open_export(path).layout == LAYOUT_FILES[name]
    results, problems = score_inputs([path], q, segments=SEGMENTS)
    assert [p for p in problems if p.severity == "error"] == []
    assert comparable(results) == reference


def test_layouts_reference_holds_the_fixture_answers(reference) -> None:
    # spot checks that the shared answers were read, not merely read identically
    items = {i["id"]: i for i in reference["items"]}
    assert items["cap-stock"]["n"] == 13
    assert items["acc-options"]["n"] == 12  # one "Don't know"
    assert items["acc-aftersales"]["n"] == 12  # one skipped
    assert items["cap-knowledge"]["n"] == 12  # one skipped
    assert items["cap-stock"]["distribution"] == {"1": 0, "2": 2, "3": 3, "4": 6, "5": 2}
    assert reference["outcomes"][0]["n"] == 13
    groups = {(g["segment"], g["value"]): g for g in reference["groups"]}
    assert groups[("team", "Sales")]["n"] == 6 and not groups[("team", "Sales")]["suppressed"]
    assert groups[("team", "Online")]["suppressed"]
    assert groups[("team", "Support")]["suppressed"]  # hidden too: Online + total reveal it
    comments = {c["id"]: c["answers"] for c in reference["comments"]}
    # with Online and Support hidden, the whole sample's comments would come from Sales' six
    # people only, fewer than the comment threshold (10)
    assert comments["one-change"] == []


def test_layouts_qualtrics_leaves_out_the_preview_row(q) -> None:
    responses = read_responses([EXPORTS / "three-abilities-qualtrics.csv"], q)
    assert responses.frame.height == 13
    assert any("preview" in p.what for p in responses.problems)
    assert responses.frame["respondent"][0] == "R_0001abcdEFGH"


def test_layouts_xlsx_written_by_excel_reads_like_the_csv(q, reference, tmp_path) -> None:
    xlsxwriter = pytest.importorskip("xlsxwriter")
    rows = list(csv.reader(io.StringIO(_text("three-abilities-microsoft-forms.csv"))))
    path = tmp_path / "Staff survey(1-13).xlsx"
    workbook = xlsxwriter.Workbook(path)
    sheet = workbook.add_worksheet("Sheet1")
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if r and cell.isdigit():
                sheet.write_number(r, c, int(cell))  # Excel keeps numbers as numbers
            elif cell:
                sheet.write_string(r, c, cell)
    workbook.close()
    results, problems = score_inputs([path], q, segments=SEGMENTS)
    assert problems == []
    assert comparable(results) == reference


def test_layouts_xlsx_not_at_a1_reports_real_rows(tmp_path) -> None:
    xlsxwriter = pytest.importorskip("xlsxwriter")
    q = resolve_questionnaire(str(Path(__file__).parent / "data" / "valid" / "minimal.yaml"))
    path = tmp_path / "offset.xlsx"
    workbook = xlsxwriter.Workbook(path)
    sheet = workbook.add_worksheet()
    sheet.write_row(2, 1, ["a1", "a2", "a3", "b1", "b2", "b3"])
    sheet.write_row(3, 1, [4, 4, 4, 4, 4, 4])
    sheet.write_row(4, 1, [4, "Agreee", 4, 4, 4, 4])
    workbook.close()
    responses = read_responses([path], q)
    (problem,) = [p for p in responses.problems if p.location.column is not None]
    assert problem.location.line == 5
    assert problem.where == "column C 'a2'"


def test_layouts_utf16_tab_separated_qualtrics_export(q, reference, tmp_path) -> None:
    rows = list(csv.reader(io.StringIO(_text("three-abilities-qualtrics.csv"))))
    buffer = io.StringIO()
    csv.writer(buffer, delimiter="\t", lineterminator="\r\n").writerows(rows)
    path = tmp_path / "qualtrics.tsv"
    path.write_bytes(codecs.BOM_UTF16_LE + buffer.getvalue().encode("utf-16-le"))
    results, _problems = score_inputs([path], q, segments=SEGMENTS)
    assert comparable(results) == reference


def test_layouts_windows_1252_file_is_read(tmp_path) -> None:
    q = resolve_questionnaire(THREE_V1)
    text = _text("three-abilities-google-forms.csv").replace("Sales", "Ventes é")
    path = tmp_path / "cp1252.csv"
    path.write_bytes(text.encode("cp1252"))
    responses = read_responses([path], q)
    assert "Ventes é" in responses.frame["team"].to_list()


def test_layouts_response_files_mix_with_an_export(q, reference, tmp_path) -> None:
    rows = list(csv.DictReader(io.StringIO(_text("three-abilities-our-layout.csv"))))
    paths: list[Path] = []
    for row in rows[:3]:
        answers = {
            s.id: (None if row[s.id] in ("", "Don't know") else float(row[s.id]))
            for s in q.scored_questions()
        }
        record = ResponseFile(
            questionnaire=ResponseQuestionnaire(id=q.id, version=q.version),
            respondent=row["respondent"],
            segments={"team": row["team"], "role": row["role"]},
            started="2025-03-10T09:00:00+00:00",
            completed="2025-03-10T09:05:00+00:00",
            answers=answers,
            comments={c.id: row[c.id] or None for c in q.comments},
        )
        path = tmp_path / f"response-{row['respondent']}.json"
        path.write_text(record.to_json(), encoding="utf-8")
        paths.append(path)
    rest = tmp_path / "rest.csv"
    with rest.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows[3:])
    results, problems = score_inputs([*paths, rest], q, segments=SEGMENTS)
    assert problems == []
    assert_close(comparable(results), reference)  # several parts: sums added in another order
    assert [s.rows for s in results.sources] == [1, 1, 1, 10]


def test_layouts_folder_input_reads_every_answer_file(q, tmp_path) -> None:
    (tmp_path / "a.csv").write_bytes((EXPORTS / "three-abilities-our-layout.csv").read_bytes())
    (tmp_path / "notes.md").write_text("not an answer file")
    responses = read_responses([tmp_path], q)
    assert responses.frame.height == 13
    assert [Path(s.file).name for s in responses.sources] == ["a.csv"]


@pytest.mark.parametrize(
    ("first_rows", "layout"),
    [
        ([["respondent", "team", "cap-stock"]], OURS),
        ([["Timestamp", "Email Address", "Team"]], GOOGLE_FORMS),
        ([["Horodateur", "Équipe"]], GOOGLE_FORMS),
        ([["ID", "Start time", "Completion time", "Email", "Name"]], MICROSOFT_FORMS),
        (
            [["Q1", "Q2"], ["Team", "Text"], ['{"ImportId":"QID1"}', '{"ImportId":"QID2"}']],
            QUALTRICS,
        ),
        ([["Respondent ID", "Team"], ["", "Response"]], SURVEYMONKEY),
        ([["Name", "Score"]], SPREADSHEET),
    ],
)
def test_layouts_detected_from_the_first_rows(first_rows, layout) -> None:
    assert detect_layout(first_rows) == layout


@pytest.mark.parametrize(
    ("sample", "delimiter"),
    [
        ("a,b,c\n1,2,3\n", ","),
        ("a;b;c\n1;2,5;3\n", ";"),
        ("a\tb\tc\n1\t2\t3\n", "\t"),
        ('"x, y";b\n"1, 2";3\n', ";"),
        ("sep=;\na;b\n1;2\n", ";"),
    ],
)
def test_layouts_delimiter_detected(sample, delimiter) -> None:
    assert detect_delimiter(sample) == delimiter


def _text(name: str) -> str:
    return (EXPORTS / name).read_text(encoding="utf-8-sig")
