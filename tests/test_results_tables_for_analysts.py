"""The CSV and the workbook as an analyst opens them: pandas and polars read the CSV's `value`
column as numbers, `kind` names what a row is about and never holds an id, comments have rows
of their own; every sheet of the workbook is an Excel table with filters, shares are fractions
shown as percentages and scores are shown with one decimal, spelled "favourable" throughout."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import polars as pl
import pytest

from cxassess.demo import write_data
from cxassess.format.catalog import resolve_questionnaire
from cxassess.format.loader import load_questionnaire
from cxassess.outputs.tables import TIDY_COLUMNS, tidy_rows
from cxassess.outputs.workbook import sheets, table_headers
from cxassess.outputs.writers import compare_with_previous, write_results
from cxassess.pipeline import score_inputs

DATA = Path(__file__).parent / "data"
KINDS = {
    "overall", "dimension", "item", "outcome", "driver", "recommendation", "group", "comment",
    "change of overall", "change of dimension", "change of item", "change of outcome",
    "change of nps",
}  # fmt: skip


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory):
    """The demo's staff survey by team, with comments, drivers and the change since last year."""
    files = write_data(tmp_path_factory.mktemp("analysts"))
    q = resolve_questionnaire("three-abilities")
    previous, _ = score_inputs([files.previous_csv], q, segments=["team"])
    current, _ = score_inputs([files.staff_csv], q, segments=["team"])
    assert current.drivers is not None and current.comments and current.recommendations
    return current, compare_with_previous(current, previous)


@pytest.fixture(scope="module")
def csv_path(scored, tmp_path_factory: pytest.TempPathFactory) -> Path:
    results, comparison = scored
    return write_results(results, tmp_path_factory.mktemp("csv") / "results.csv", comparison)


@pytest.fixture(scope="module")
def book(scored, tmp_path_factory: pytest.TempPathFactory):
    results, comparison = scored
    path = write_results(results, tmp_path_factory.mktemp("xlsx") / "results.xlsx", comparison)
    return openpyxl.load_workbook(path)


def test_pandas_reads_the_value_column_as_numbers(csv_path) -> None:
    frame = pd.read_csv(csv_path, encoding="utf-8-sig")
    assert tuple(frame.columns) == TIDY_COLUMNS
    assert frame["value"].dtype == "float64"
    assert frame["n"].dtype == "int64"
    assert frame["value"].notna().sum() > 1000


def test_polars_reads_the_value_column_as_floats_whatever_comes_first(csv_path) -> None:
    frame = pl.read_csv(csv_path)
    assert frame.schema["value"] == pl.Float64
    assert frame.schema["n"] == pl.Int64
    assert frame.schema["label"] == pl.String
    # counts come first in some groups: every value still has its decimal point
    text = csv_path.read_text(encoding="utf-8-sig").splitlines()[1:]
    values = [line for line in text if ",answered " in line]
    assert values and all(".0," in line for line in values)


def test_words_are_labels_and_numbers_are_values(scored, csv_path) -> None:
    results, _ = scored
    frame = pd.read_csv(csv_path, encoding="utf-8-sig", keep_default_na=False)
    everyone = frame[(frame["segment"] == "(all)") & (frame["id"] == "")]
    level = everyone[(everyone["kind"] == "overall") & (everyone["measure"] == "level")]
    assert level["label"].tolist() == [results.overall.level]
    assert level["value"].tolist() == [""]
    score = everyone[(everyone["kind"] == "overall") & (everyone["measure"] == "score")]
    assert float(score["value"].iloc[0]) == pytest.approx(results.overall.score)
    recs = frame[frame["kind"] == "recommendation"]
    first = results.recommendations[0]
    mine = recs[recs["id"] == first.id].set_index("measure")
    assert mine.loc["priority", "label"] == first.priority
    assert mine.loc["title", "label"] == first.title
    assert float(mine.loc["score", "value"]) == pytest.approx(first.score)


def test_kind_holds_no_ids_and_drivers_name_their_outcome(scored, csv_path) -> None:
    results, _ = scored
    frame = pd.read_csv(csv_path, encoding="utf-8-sig", keep_default_na=False)
    assert set(frame["kind"]) <= KINDS
    drivers = frame[frame["kind"] == "driver"]
    assert set(drivers["outcome"]) == {results.drivers.outcome}
    assert set(frame[frame["kind"] != "driver"]["outcome"]) == {""}
    focus = drivers[drivers["measure"] == "focus"]
    assert set(focus["value"].astype(float)) <= {0.0, 1.0}
    assert set(focus["label"]) <= {"true", "false"}
    expected = {d.id for d in [*results.drivers.dimensions, *results.drivers.items] if d.focus}
    assert set(focus[focus["label"] == "true"]["id"]) == expected


def test_comments_have_rows_of_their_own_for_shown_groups_only(scored, csv_path) -> None:
    results, _ = scored
    frame = pd.read_csv(csv_path, encoding="utf-8-sig", keep_default_na=False)
    comments = frame[frame["kind"] == "comment"]
    assert set(comments["measure"]) == {"answer"}
    assert set(comments["value"]) == {""}
    everyone = comments[comments["segment"] == "(all)"]
    assert sorted(everyone["label"]) == sorted(a for c in results.comments for a in c.answers)
    hidden = {g.value for g in results.groups if g.suppressed}
    assert not set(comments["group"]) & hidden


def test_one_spelling_favourable_in_every_table(scored, csv_path, book) -> None:
    frame = pd.read_csv(csv_path, encoding="utf-8-sig", keep_default_na=False)
    assert {"favourable", "unfavourable"} <= set(frame["measure"])
    assert not any("favorable" in str(m) for m in frame["measure"])
    for sheet in book:
        for row in sheet.iter_rows(values_only=True):
            assert not any("favorable" in str(cell) for cell in row if cell is not None)


def test_every_sheet_is_a_table_with_filters_over_its_rows(book) -> None:
    for sheet in book:
        assert list(sheet.tables) == [sheet.title], sheet.title
        table = sheet.tables[sheet.title]
        last = max(sheet.max_row, 2)
        assert table.ref == f"A1:{openpyxl.utils.get_column_letter(sheet.max_column)}{last}"
        assert table.autoFilter is not None and table.autoFilter.ref == table.ref
        headers = [c.value for c in sheet[1]]
        assert [c.name for c in table.tableColumns] == headers


def _column(sheet, header: str) -> list:
    headers = [c.value for c in sheet[1]]
    index = headers.index(header)
    return [row[index] for row in sheet.iter_rows(min_row=2)]


def test_shares_are_fractions_shown_as_percentages(scored, book) -> None:
    results, _ = scored
    items = book["Items"]
    cells = _column(items, "favourable")
    assert [c.number_format for c in cells] == ["0%"] * len(results.items)
    assert [c.value for c in cells] == pytest.approx([i.favorable / 100 for i in results.items])
    promoters = _column(book["Outcomes"], "promoters")
    assert promoters[0].number_format == "0%"
    assert promoters[0].value == pytest.approx(results.outcomes[0].promoters / 100)


def test_scores_have_one_fixed_decimal_format(scored, book) -> None:
    results, _ = scored
    for sheet, header in [
        ("Dimensions", "score"), ("Items", "score"), ("Groups", "overall"),
        ("Recommendations", "score"), ("Change", "change"), ("Drivers", "score"),
    ]:  # fmt: skip
        formats = {c.number_format for c in _column(book[sheet], header) if c.value is not None}
        assert formats == {"0.0"}, (sheet, header)
    scores = [c.value for c in _column(book["Dimensions"], "score")]
    assert scores == pytest.approx([d.score for d in results.dimensions])  # stored in full
    assert {c.number_format for c in _column(book["Items"], "mean")} == {"0.00"}
    assert {c.number_format for c in _column(book["Drivers"], "r")} == {"0.00"}
    summary = {row[0].value: row[1] for row in book["Summary"].iter_rows(min_row=2)}
    assert summary["overall score"].number_format == "0.0"
    assert summary["respondents"].value == results.respondents


def test_an_empty_sheet_is_still_a_table(tmp_path) -> None:
    q = load_questionnaire(DATA / "valid" / "minimal.yaml")
    scored, _ = score_inputs([DATA / "exports" / "minimal-formula-team-names.csv"], q)
    results = scored.model_copy(update={"recommendations": []})  # no advice fired
    path = write_results(results, tmp_path / "results.xlsx")
    sheet = openpyxl.load_workbook(path)["Recommendations"]
    assert sheet.tables["Recommendations"].ref == "A1:G2"
    assert all(c.value is None for c in sheet[2])


def test_table_headers_are_unique_ignoring_case_and_safe() -> None:
    assert table_headers(["n", "N", "score", "n"]) == ["n", "N (2)", "score", "n (3)"]
    assert table_headers(["=SUM(A1)"]) == ["'=SUM(A1)"]


def test_data_sheet_holds_the_csv_rows(scored) -> None:
    results, comparison = scored
    data = sheets(results, comparison)["Data"]
    assert data.header == list(TIDY_COLUMNS)
    assert len(data.rows) == len(tidy_rows(results, comparison))


def test_a_comment_that_looks_like_a_formula_is_text_in_the_csv(tmp_path) -> None:
    q = load_questionnaire(DATA / "valid" / "minimal.yaml")
    results, _ = score_inputs([DATA / "exports" / "minimal-formula-team-names.csv"], q)
    path = write_results(results, tmp_path / "results.csv")
    frame = pl.read_csv(path).filter(pl.col("kind") == "comment")
    assert frame["label"].to_list() == ["'=cmd|' /C calc'!A0"]
