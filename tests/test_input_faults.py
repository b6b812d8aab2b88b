"""Broken inputs end in exit 2 naming the file and row (or exit 1 for the user's full disk),
never in "internal error"; odd but genuine encodings are read, giving the same figures."""

from __future__ import annotations

import codecs
import csv
import errno
import json
from pathlib import Path

import pytest
from hostile_files import QUESTIONNAIRE, good_csv_text
from typer.testing import CliRunner

from cxassess.cli import app


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def _with_comment(text: str, comment: str) -> str:
    lines = text.splitlines()
    lines[5] = lines[5].replace("better tools", comment)
    return "\n".join(lines) + "\n"


def _column_letter(header: str, name: str) -> str:
    """The spreadsheet letter (A, B, ... Z, AA) of column `name` in a CSV header line."""
    number = next(csv.reader([header])).index(name) + 1
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def test_stray_quote_in_unquoted_field_names_file_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "stray-quote.csv"
    path.write_text(_with_comment(good_csv_text(), 'sec"ret tools'))
    code, output = run("score", str(path), "-q", QUESTIONNAIRE)
    assert code == 2
    column = _column_letter(good_csv_text().splitlines()[0], "one-change")
    assert (
        f"{path}:6: column {column} 'one-change': a quote inside a field that is not quoted"
        in output
    )
    assert "double quotes" in output
    assert "internal error" not in output
    assert "Traceback" not in output


def test_unterminated_quoted_field_names_file_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "unterminated-quote.csv"
    path.write_text(_with_comment(good_csv_text(), '"never closed'))
    code, output = run("score", str(path), "-q", QUESTIONNAIRE)
    assert code == 2
    column = _column_letter(good_csv_text().splitlines()[0], "one-change")
    assert f"{path}:6: column {column} 'one-change': a quoted field is never closed" in output
    assert "internal error" not in output


def _overall(*args: str) -> tuple[float, int]:
    result = CliRunner().invoke(app, [*args, "-o", "-"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    return data["overall"]["score"], data["respondents"]


@pytest.mark.parametrize(
    ("name", "encode"),
    [
        ("mac-cr-line-ends.csv", lambda t: t.replace("\n", "\r").encode()),
        ("utf16-no-bom.csv", lambda t: t.encode("utf-16-le")),
        ("utf16-be-no-bom.csv", lambda t: t.encode("utf-16-be")),
        ("utf32-bom.csv", lambda t: codecs.BOM_UTF32_LE + t.encode("utf-32-le")),
        ("utf32-no-bom.csv", lambda t: t.encode("utf-32-be")),
    ],
)
def test_odd_encodings_and_line_ends_give_the_same_figures(
    tmp_path: Path, name: str, encode
) -> None:
    text = good_csv_text()
    plain = tmp_path / "plain.csv"
    plain.write_text(text)
    odd = tmp_path / name
    odd.write_bytes(encode(text))
    assert _overall("score", str(odd), "-q", QUESTIONNAIRE) == _overall(
        "score", str(plain), "-q", QUESTIONNAIRE
    )


def test_binary_data_named_csv_says_what_the_file_is(tmp_path: Path) -> None:
    path = tmp_path / "binary-data.csv"
    path.write_bytes(bytes(range(256)) * 20)
    code, output = run("score", str(path), "-q", QUESTIONNAIRE)
    assert code == 2
    assert f"{path}: this is not a text export: it holds binary data" in output


def _deep(schema: str) -> str:
    return '{"schema": "' + schema + '", "a":\n' + "[" * 100_000 + "]" * 100_000 + "}"


def test_json_nested_100000_deep_is_exit_2_in_score(tmp_path: Path) -> None:
    path = tmp_path / "nested-deep.json"
    path.write_text(_deep("cxassess.response/1"))
    code, output = run("score", str(path), "-q", QUESTIONNAIRE)
    assert code == 2
    assert f"{path}:2: the JSON is nested too deep" in output
    assert "RecursionError" not in output


def test_json_nested_100000_deep_is_exit_2_in_gap(tmp_path: Path) -> None:
    deep = tmp_path / "nested-deep.json"
    deep.write_text(_deep("cxassess.results/1"))
    answers = tmp_path / "answers.csv"
    answers.write_text(good_csv_text())
    code, output = run("gap", str(deep), str(answers))
    assert code == 2
    assert f"{deep}:2: the JSON is nested too deep" in output
    assert "Traceback" not in output


def test_full_disk_behind_stdout_is_exit_1_no_space(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = tmp_path / "answers.csv"
    answers.write_text(good_csv_text())

    class FullDisk:
        def write(self, text: str) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

        def flush(self) -> None:
            pass

    import cxassess.outputs.files as files

    monkeypatch.setattr(files, "sys", type("S", (), {"stdout": FullDisk()}))
    code, output = run("score", str(answers), "-q", QUESTIONNAIRE, "-o", "-")
    assert code == 1
    assert "cannot write standard output: no space left on device" in output
    assert "internal error" not in output


def test_full_disk_behind_an_output_file_is_exit_1_no_space(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    answers = tmp_path / "answers.csv"
    answers.write_text(good_csv_text())
    target = tmp_path / "results.json"

    def no_space(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", no_space)
    code, output = run("score", str(answers), "-q", QUESTIONNAIRE, "-o", str(target))
    assert code == 1
    assert f"cannot write {target}: no space left on device" in output
    assert not target.exists()
    assert not list(tmp_path.glob(".results.json.*"))


def test_a_comment_too_long_for_a_cell_is_said_in_the_workbook_and_whole_in_json(
    tmp_path: Path,
) -> None:
    import openpyxl

    rows = list(csv.reader(good_csv_text().splitlines()))
    long = " ".join(f"word{i}" for i in range(6000))
    rows[3][rows[0].index("one-change")] = long
    answers = tmp_path / "comment-longer-than-a-cell.csv"
    with answers.open("w", newline="") as handle:
        csv.writer(handle).writerows(rows)
    for suffix in ("xlsx", "json"):
        code, output = run(
            "score", str(answers), "-q", QUESTIONNAIRE, "-o", str(tmp_path / f"r.{suffix}")
        )
        assert code == 0, output
    answers_json = json.loads((tmp_path / "r.json").read_text())
    assert long in [a for c in answers_json["comments"] for a in c["answers"]]
    sheet = openpyxl.load_workbook(tmp_path / "r.xlsx")["Comments"]
    cells = [v for row in sheet.iter_rows(values_only=True) for v in row if isinstance(v, str)]
    cut = [v for v in cells if v.startswith("word0 ")]
    assert len(cut) == 1
    assert len(cut[0]) == 32_767
    assert cut[0].endswith("keep it whole]")
    assert f"{len(long):,} characters" in cut[0]


def test_a_cut_off_utf16_file_is_bad_input_not_a_crash(tmp_path: Path) -> None:
    # A byte-order mark, then text cut in the middle of a character (found by the fuzz test).
    text = good_csv_text().encode("utf-16")
    path = tmp_path / "cut-off-utf16.csv"
    path.write_bytes(text[: len(text) // 2 * 2 - 3] + b"\x00\xd8")
    result = CliRunner().invoke(app, ["score", str(path), "-q", QUESTIONNAIRE, "-o", "-"])
    assert result.exit_code in (0, 2), result.output
    assert "Traceback" not in result.output and "UnicodeDecodeError" not in result.output


@pytest.mark.parametrize(
    ("where", "value"),
    [("dont_know", -5), ("n", -1), ("weight", 1e309), ("weight", 7.0)],
)
def test_a_results_file_with_impossible_counts_or_weights_is_refused(
    tmp_path: Path, where: str, value: float
) -> None:
    from test_report_safety import write_answers

    answers = write_answers(tmp_path / "answers.csv", {"North": 30}, {})
    results = tmp_path / "results.json"
    code, output = run("score", str(answers), "-q", QUESTIONNAIRE, "-o", str(results))
    assert code == 0, output
    data = json.loads(results.read_text(encoding="utf-8"))
    target = data["drivers"]["dimensions"][0] if where == "weight" else data["items"][0]
    target[where] = value
    results.write_text(json.dumps(data).replace("Infinity", "1e309"), encoding="utf-8")
    code, output = run("report", str(results), "-o", str(tmp_path / "report.html"))
    assert code == 2, output
    assert "not a cxassess results file" in output and where in output
