"""Per item, how many chose "Don't know" and how many "Does not apply": read apart from survey
exports and response files, never counted as answers, hidden wherever the item is hidden, and
shown in results.json, the CSV, the workbook and the report's dimension pages."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest

from cxassess.cli import app
from cxassess.format.loader import load_questionnaire
from cxassess.inputs.reader import read_responses
from cxassess.scoring.summary import summarise

MINIMAL = Path(__file__).parent / "data" / "valid" / "minimal.yaml"
COLUMNS = ["respondent", "team", "a1", "a2", "a3", "b1", "b2", "b3", "recommend"]


@pytest.fixture
def both(tmp_path: Path) -> Path:
    """The minimal questionnaire with both extra answers on its agreement scale."""
    text = MINIMAL.read_text().replace(
        "    not_applicable: Don't know\n",
        "    dont_know: Don't know\n    not_applicable: Does not apply\n",
    )
    path = tmp_path / "both.yaml"
    path.write_text(text)
    return path


def write_export(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    return path


def people(teams: str) -> list[list[str]]:
    """One row per letter of `teams`, the respondent's team. a1: the first three don't know,
    the next two say it does not apply (also spelt N/A); b1: the ninth person says 'DK';
    everything else answered."""
    rows = []
    for i, team in enumerate(teams):
        a1 = "Don't know" if i < 3 else ("Does not apply" if i == 3 else "N/A") if i < 5 else "4"
        b1 = "DK" if i == 8 else str(1 + i % 5)
        rows.append([f"r{i}", team, a1, "2", "3", b1, "5", "4", str(i % 11)])
    return rows


def test_each_kind_is_counted_apart_and_neither_is_an_answer(both: Path, tmp_path: Path):
    q = load_questionnaire(both)
    export = write_export(tmp_path / "answers.csv", people("A" * 8 + "B" * 8))
    results = summarise(q, read_responses([export], q).frame)
    a1 = next(i for i in results.items if i.id == "a1")
    b1 = next(i for i in results.items if i.id == "b1")
    assert (a1.dont_know, a1.not_applicable, a1.n) == (3, 2, 11)
    assert (b1.dont_know, b1.not_applicable, b1.n) == (1, 0, 15)
    # the score is that of the eleven real answers alone (all "4" = 75 on a 1-5 scale)
    assert a1.mean == 4.0 and a1.score == 75.0
    assert sum(a1.distribution.values()) == a1.n


def test_blank_cells_are_no_choice_of_either(both: Path, tmp_path: Path) -> None:
    q = load_questionnaire(both)
    rows = people("A" * 8 + "B" * 8)
    for row in rows[:4]:
        row[COLUMNS.index("a2")] = ""
    results = summarise(q, read_responses([write_export(tmp_path / "a.csv", rows)], q).frame)
    a2 = next(i for i in results.items if i.id == "a2")
    assert (a2.dont_know, a2.not_applicable, a2.n) == (0, 0, 12)


def test_a_scale_without_extra_answers_has_no_counts(both: Path, tmp_path: Path) -> None:
    q = load_questionnaire(both)
    results = summarise(
        q, read_responses([write_export(tmp_path / "a.csv", people("A" * 8 + "B" * 8))], q).frame
    )
    nps = next(o for o in results.outcomes if o.id == "recommend")
    assert nps.dont_know is None and nps.not_applicable is None


def test_response_files_keep_the_kind(both: Path, tmp_path: Path) -> None:
    q = load_questionnaire(both)
    paths = []
    for i, (dont_know, not_applicable) in enumerate([(["a1"], []), ([], ["a1"]), (["a1"], [])]):
        record = {
            "schema": "cxassess.response/1",
            "questionnaire": {"id": "minimal", "version": "1.0"},
            "respondent": f"p{i}",
            "segments": {"team": "A"},
            "answers": {"a1": None, "a2": 3, "a3": 3, "b1": 3, "b2": 3, "b3": 3},
            "dont_know": dont_know,
            "not_applicable": not_applicable,
            "completed": "2026-12-01T10:00:00+00:00",
        }
        path = tmp_path / f"p{i}.json"
        path.write_text(json.dumps(record))
        paths.append(path)
    results = summarise(q, read_responses(paths, q).frame, min_group_size=1)
    a1 = next(i for i in results.items if i.id == "a1")
    assert (a1.dont_know, a1.not_applicable, a1.n) == (2, 1, 0)


def test_counts_are_hidden_in_a_hidden_group_and_for_a_hidden_item(both: Path, tmp_path: Path):
    q = load_questionnaire(both)
    export = write_export(tmp_path / "a.csv", people("C" * 8 + "A" * 8 + "B" * 3))
    results = summarise(q, read_responses([export], q).frame, segments=["team"], min_group_size=5)
    # B is too small, and A is hidden so that B cannot be worked out from the total
    for hidden in ("A", "B"):
        group = next(g for g in results.groups if g.value == hidden)
        assert group.suppressed
        assert all(i.dont_know is None and i.not_applicable is None for i in group.items)
    # in team C, a1 has three answers (five chose neither): hidden, its counts too
    team_c = next(g for g in results.groups if g.value == "C")
    a1 = next(i for i in team_c.items if i.id == "a1")
    assert a1.hidden_why and a1.dont_know is None and a1.not_applicable is None
    b1 = next(i for i in team_c.items if i.id == "b1")
    assert not b1.hidden_why and (b1.dont_know, b1.not_applicable) == (0, 0)
    total_a1 = next(i for i in results.items if i.id == "a1")
    assert (total_a1.dont_know, total_a1.not_applicable) == (3, 2)


def test_score_writes_the_counts_to_json_csv_and_workbook(runner, both: Path, tmp_path: Path):
    export = write_export(tmp_path / "answers.csv", people("A" * 8 + "B" * 8))
    for suffix in ("json", "csv", "xlsx"):
        out = tmp_path / f"results.{suffix}"
        result = runner.invoke(app, ["score", str(export), "-q", str(both), "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert f"wrote {out}" in " ".join(result.output.split())
    items = {i["id"]: i for i in json.loads((tmp_path / "results.json").read_text())["items"]}
    assert (items["a1"]["dont_know"], items["a1"]["not_applicable"]) == (3, 2)
    rows = list(csv.DictReader((tmp_path / "results.csv").open(encoding="utf-8")))
    found = {
        (r["id"], r["measure"]): r["value"]
        for r in rows
        if r["group"] == "(all)" and r["measure"] in ("dont_know", "not_applicable")
    }
    assert found[("a1", "dont_know")] == "3.0" and found[("a1", "not_applicable")] == "2.0"
    sheet = openpyxl.load_workbook(tmp_path / "results.xlsx")["Items"]
    header, *values = list(sheet.iter_rows(values_only=True))
    a1 = dict(zip(header, next(v for v in values if v[0] == "a1"), strict=True))
    assert (a1["don't know"], a1["does not apply"]) == (3, 2)


def test_the_dimension_page_says_how_many_chose_each(runner, both: Path, tmp_path: Path):
    export = write_export(tmp_path / "answers.csv", people("A" * 8 + "B" * 8))
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["report", str(export), "-q", str(both), "-o", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "Not counted as answers: 3 chose “Don’t know”, 2 chose “Does not apply”" in html
    assert "Not counted as answers: 1 chose “Don’t know”" in html


def test_counts_of_fewer_people_than_the_minimum_are_hidden_even_with_no_answer(
    both: Path, tmp_path: Path
) -> None:
    """In team C nobody answers a3: three chose "Don't know", four left it blank. Showing
    "3 chose Don't know" would tell what each of those three said; nor may team D's zero give
    C's three away by subtraction from the total."""
    q = load_questionnaire(both)
    rows = people("C" * 7 + "D" * 7)
    for i, row in enumerate(rows):
        row[COLUMNS.index("a1")] = "4"
        row[COLUMNS.index("a3")] = ("Don't know" if i < 3 else "") if i < 7 else "3"
    export = write_export(tmp_path / "a.csv", rows)
    results = summarise(q, read_responses([export], q).frame, segments=["team"], min_group_size=5)
    groups = {g.value: g for g in results.groups}
    assert not groups["C"].suppressed and not groups["D"].suppressed
    c_a3 = next(i for i in groups["C"].items if i.id == "a3")
    d_a3 = next(i for i in groups["D"].items if i.id == "a3")
    total_a3 = next(i for i in results.items if i.id == "a3")
    assert (c_a3.n, c_a3.dont_know, c_a3.not_applicable) == (0, None, None)
    assert (d_a3.n, d_a3.dont_know, d_a3.not_applicable) == (7, None, None)
    assert d_a3.mean == 3.0  # the answers themselves are shown as before
    assert (total_a3.n, total_a3.dont_know) == (7, 3)


def test_an_older_response_file_counts_its_one_extra_answer(tmp_path: Path) -> None:
    """Files saved before the two were apart list either under not_applicable: on a scale
    whose only extra answer is a don't know, it is counted as that."""
    source = tmp_path / "not-sure.yaml"
    source.write_text(
        MINIMAL.read_text().replace("    not_applicable: Don't know\n", "    dont_know: Not sure\n")
    )
    q = load_questionnaire(source)
    record = {
        "schema": "cxassess.response/1",
        "questionnaire": {"id": "minimal", "version": "1.0"},
        "answers": {"a1": None, "a2": 3},
        "not_applicable": ["a1"],
        "completed": "2026-12-01T10:00:00+00:00",
    }
    path = tmp_path / "old.json"
    path.write_text(json.dumps(record))
    a1 = summarise(q, read_responses([path], q).frame).items[0]
    assert (a1.id, a1.dont_know, a1.not_applicable, a1.n) == ("a1", 1, None, 0)
