"""Fuzz: mutated CSVs, workbooks and questionnaires thrown at `score`, `validate` and `report`
end in exit 0, or exit 2 with a message; never a traceback, an internal error or exit 1."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

from hostile_files import QUESTIONNAIRE, good_csv_text, good_xlsx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cxassess.cli import app
from cxassess.resources import data_dir

GOOD_CSV = good_csv_text(rows=8).encode()
GOOD_YAML = (data_dir("questionnaires") / f"{QUESTIONNAIRE}.yaml").read_bytes()
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SPECIAL = [b'"', b",", b";", b"\r", b"\n", b"\x00", b"\xff\xfe", b"&a", b"*a", b"\t", b"- ", b": "]


@st.composite
def mutated(draw: st.DrawFn, original: bytes) -> bytes:
    """`original` with a few bytes replaced, inserted or deleted, or cut short."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        action = draw(st.sampled_from(["replace", "insert", "delete", "cut", "special"]))
        if action == "replace" and data:
            data[at] = draw(st.integers(0, 255))
        elif action == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif action == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        elif action == "cut":
            del data[at:]
        else:
            data[at:at] = draw(st.sampled_from(SPECIAL))
    return bytes(data)


def _good_xlsx_bytes() -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        return good_xlsx(Path(folder)).read_bytes()


GOOD_XLSX = _good_xlsx_bytes()


def _rezipped(sheet: bytes) -> bytes:
    """The good workbook with its sheet's XML replaced."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(GOOD_XLSX)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info, sheet if info.filename == "xl/worksheets/sheet1.xml" else data)
    return out.getvalue()


with zipfile.ZipFile(io.BytesIO(GOOD_XLSX)) as _book:
    GOOD_SHEET = _book.read("xl/worksheets/sheet1.xml")


def check(args: list[str]) -> None:
    result = CliRunner().invoke(app, args)
    output = result.output
    assert result.exit_code in (0, 2), output
    assert "Traceback" not in output
    assert "internal error" not in output
    if result.exit_code == 2:
        assert "error:" in output, output


@FUZZ
@given(mutated(GOOD_CSV))
def test_score_survives_mutated_csv(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "mutated.csv"
        path.write_bytes(data)
        check(["score", str(path), "-q", QUESTIONNAIRE])


@FUZZ
@given(st.one_of(mutated(GOOD_XLSX), mutated(GOOD_SHEET).map(_rezipped)))
def test_score_survives_mutated_xlsx(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "mutated.xlsx"
        path.write_bytes(data)
        check(["score", str(path), "-q", QUESTIONNAIRE])


@FUZZ
@given(mutated(GOOD_YAML))
def test_validate_survives_mutated_yaml(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "mutated.yaml"
        path.write_bytes(data)
        check(["validate", str(path)])


@settings(FUZZ, max_examples=15)
@given(mutated(GOOD_CSV))
def test_report_survives_mutated_csv(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "mutated.csv"
        path.write_bytes(data)
        check(["report", str(path), "-q", QUESTIONNAIRE, "-o", str(Path(folder) / "r.html")])
