"""`cxassess gap` as a user runs it: inputs of every kind, outputs, refusals with exit codes
and messages."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path

import polars as pl
import pytest

from cxassess.cli import app
from cxassess.format.catalog import resolve_questionnaire
from cxassess.format.loader import load_questionnaire
from cxassess.responses import answers_schema
from cxassess.scoring.summary import summarise

DATA = Path(__file__).parent / "data" / "gap"


def _frame(q, n: int, seed: int, centre: dict[str, float]) -> pl.DataFrame:
    rnd = random.Random(seed)
    schema = answers_schema(q)
    data: dict[str, list] = {name: [] for name in schema}
    for index in range(n):
        for name, kind in schema.items():
            if name == "respondent":
                data[name].append(f"r{index}")
            elif kind == pl.Float64:
                if name == "recommend":
                    data[name].append(float(rnd.randint(0, 10)))
                else:
                    mean = centre.get(name, centre.get("*", 3.0))
                    data[name].append(float(min(5, max(1, round(rnd.gauss(mean, 0.9))))))
            else:
                segment = next((s for s in q.segments if s.id == name), None)
                values = segment.choices if segment and segment.choices else ["One", "Two"]
                data[name].append(values[index % len(values)] if segment else None)
    return pl.DataFrame(data, schema=schema)


@pytest.fixture(scope="module")
def built_in(tmp_path_factory) -> dict[str, Path]:
    """Results files and CSV exports of the built-in staff and customer questionnaires."""
    folder = tmp_path_factory.mktemp("gap")
    staff_q = resolve_questionnaire("three-abilities")
    customer_q = resolve_questionnaire("three-abilities-customer")
    staff = _frame(staff_q, 60, 1, {"*": 4.0})
    customer = _frame(customer_q, 80, 2, {"*": 3.0})
    paths = {
        "staff_csv": folder / "staff.csv",
        "customer_csv": folder / "customers.csv",
        "staff_json": folder / "staff-results.json",
        "customer_json": folder / "customer-results.json",
    }
    staff.drop("one-change", "got-it-right").write_csv(paths["staff_csv"])
    customer.drop("one-change", "got-it-right").write_csv(paths["customer_csv"])
    paths["staff_json"].write_text(summarise(staff_q, staff, segments=["team"]).to_json())
    paths["customer_json"].write_text(summarise(customer_q, customer).to_json())
    return paths


@pytest.fixture(scope="module")
def test_pair(tmp_path_factory) -> dict[str, Path]:
    """Results of the test questionnaires, whose customer side holds hostile text."""
    folder = tmp_path_factory.mktemp("pair")
    staff_q = load_questionnaire(DATA / "staff.yaml")
    customer_q = load_questionnaire(DATA / "customer.yaml")
    paths = {"staff": folder / "staff.json", "customer": folder / "customer.json"}
    # results name their questionnaire by id; these test files are not on the search path
    paths["staff"].write_text(summarise(staff_q, _frame(staff_q, 30, 3, {"a1": 4.5})).to_json())
    customer = summarise(customer_q, _frame(customer_q, 40, 4, {"ca1": 2.0}))
    paths["customer"].write_text(customer.to_json())
    return paths


QUESTIONNAIRES = [
    "-q",
    str(DATA / "staff.yaml"),
    "--customer-questionnaire",
    str(DATA / "customer.yaml"),
]


def test_gap_finds_no_questionnaire_for_results_of_an_unknown_id(runner, test_pair) -> None:
    result = runner.invoke(app, ["gap", str(test_pair["staff"]), str(test_pair["customer"])])
    assert result.exit_code == 2
    assert "the staff results are of questionnaire 'gap-staff', which cannot be found" in (
        result.stderr
    )
    assert "name its file with -q" in result.stderr


def test_gap_prints_the_table_for_results_files(runner, built_in) -> None:
    result = runner.invoke(
        app, ["gap", str(built_in["staff_json"]), str(built_in["customer_json"])]
    )
    assert result.exit_code == 0, result.output
    for word in ("Capability", "Accessibility", "Enjoyability", "blind spot", "Overall index"):
        assert word in result.stdout
    assert "What to do about the gap" in result.stdout


def test_gap_scores_survey_exports_itself(runner, built_in, tmp_path) -> None:
    out = tmp_path / "gap.json"
    result = runner.invoke(
        app,
        ["gap", str(built_in["staff_csv"]), str(built_in["customer_csv"]), "-o", str(out)],
    )
    assert result.exit_code == 0, result.output
    assert f"wrote {out}" in result.stderr
    data = json.loads(out.read_text())
    assert data["schema"] == "cxassess.gap/1"
    assert data["staff"]["questionnaire"] == "three-abilities"
    assert data["customer"]["questionnaire"] == "three-abilities-customer"
    assert {d["id"] for d in data["dimensions"]} == {"capability", "accessibility", "enjoyability"}
    assert len(data["items"]) == 18
    assert data["blind_spots"], "staff centred a whole point above customers"
    assert any("scored with the questionnaire 'three-abilities'" in n for n in data["notes"])
    # the same answers as results files give the same gap
    again = tmp_path / "again.json"
    runner.invoke(
        app,
        ["gap", str(built_in["staff_json"]), str(built_in["customer_json"]), "-o", str(again)],
    )
    other = json.loads(again.read_text())
    for mine, theirs in zip(data["dimensions"], other["dimensions"], strict=True):
        assert mine["gap"] == pytest.approx(theirs["gap"])
        assert mine["ci_low"] == pytest.approx(theirs["ci_low"])


def test_gap_refuses_questionnaires_sharing_no_dimension(runner, built_in) -> None:
    result = runner.invoke(
        app,
        [
            "gap",
            str(built_in["staff_json"]),
            str(built_in["customer_csv"]),
            "--customer-questionnaire",
            str(DATA / "customer-no-shared-dimension.yaml"),
        ],
    )
    assert result.exit_code == 2
    assert "'three-abilities' and 'gap-customer-unrelated' share no dimension" in result.stderr
    assert "hint:" in result.stderr
    assert "Traceback" not in result.output


def test_gap_reports_a_bad_pair_with_file_and_line(runner, test_pair, tmp_path) -> None:
    bad = DATA / "customer-pair-unknown-item.yaml"
    result = runner.invoke(
        app,
        [
            "gap",
            str(test_pair["staff"]),
            str(test_pair["customer"]),
            "-q",
            str(DATA / "staff.yaml"),
            "--customer-questionnaire",
            str(bad),
        ],
    )
    assert result.exit_code == 2
    # the customer results are of 'gap-customer', the file given is another questionnaire
    assert "but 'gap-customer-unknown' was given" in result.stderr
    csv = tmp_path / "customers.csv"
    _frame(load_questionnaire(bad), 10, 5, {}).drop("respondent").write_csv(csv)
    result = runner.invoke(
        app,
        [
            "gap",
            str(test_pair["staff"]),
            str(csv),
            "-q",
            str(DATA / "staff.yaml"),
            "--customer-questionnaire",
            str(bad),
        ],
    )
    assert result.exit_code == 2
    assert f"{bad}:34: dimensions[beta].items[cb1].pair: 'b11' is not an item" in result.stderr
    assert "did you mean 'b1'" in result.stderr


def test_gap_refuses_inputs_given_in_the_wrong_order(runner, built_in) -> None:
    result = runner.invoke(
        app, ["gap", str(built_in["customer_json"]), str(built_in["staff_json"])]
    )
    assert result.exit_code == 2
    assert "give the staff answers first" in result.stderr


def test_gap_refuses_an_unknown_output_type_before_any_work(runner, tmp_path) -> None:
    result = runner.invoke(
        app, ["gap", "missing.csv", "missing.csv", "-o", str(tmp_path / "gap.docx")]
    )
    assert result.exit_code == 2
    assert "unknown file type '.docx'" in result.stderr


def test_gap_refuses_a_missing_input(runner, built_in) -> None:
    result = runner.invoke(app, ["gap", str(built_in["staff_json"]), "nowhere.csv"])
    assert result.exit_code == 2
    assert "customer input not found: nowhere.csv" in result.stderr


def test_gap_refuses_an_unknown_segment(runner, built_in) -> None:
    result = runner.invoke(
        app, ["gap", str(built_in["staff_json"]), str(built_in["customer_json"]), "-g", "region"]
    )
    assert result.exit_code == 2
    assert "has a segment 'region'" in result.stderr
    assert "channel" in result.stderr and "team" in result.stderr


def test_gap_by_a_staff_segment_needs_that_breakdown(runner, built_in) -> None:
    ok = runner.invoke(
        app, ["gap", str(built_in["staff_json"]), str(built_in["customer_json"]), "-g", "team"]
    )
    assert ok.exit_code == 0, ok.output
    assert "Gap by team" in ok.stdout
    missing = runner.invoke(
        app, ["gap", str(built_in["staff_json"]), str(built_in["customer_json"]), "-g", "role"]
    )
    assert missing.exit_code == 2
    assert "no breakdown by 'role'" in missing.stderr and "-g role" in missing.stderr


def test_gap_compare_shows_how_each_gap_moved(runner, built_in, tmp_path) -> None:
    previous = tmp_path / "previous.json"
    args = ["gap", str(built_in["staff_csv"]), str(built_in["customer_csv"])]
    assert runner.invoke(app, [*args, "-o", str(previous)]).exit_code == 0
    current = tmp_path / "current.json"
    result = runner.invoke(app, [*args, "--compare", str(previous), "-o", str(current)])
    assert result.exit_code == 0, result.output
    assert "Gap change since" in result.stdout
    comparison = json.loads(current.read_text())["comparison"]
    assert len(comparison["dimensions"]) == 3
    assert all(c["change"] == pytest.approx(0) and not c["marked"] for c in comparison["items"])
    wrong = runner.invoke(app, [*args, "--compare", str(built_in["staff_json"])])
    assert wrong.exit_code == 2
    assert "not a cxassess gap file" in wrong.stderr


def test_gap_html_prints_hostile_text_as_text(runner, test_pair, tmp_path) -> None:
    out = tmp_path / "gap.html"
    result = runner.invoke(
        app,
        [
            "gap",
            str(test_pair["staff"]),
            str(test_pair["customer"]),
            *QUESTIONNAIRES,
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    html = out.read_text()
    assert "<img src" not in html
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in html
    assert "&lt;b&gt;quickly&lt;/b&gt; &amp;" in html
    assert "Dimension by dimension" in html


def test_gap_pdf_is_written(runner, test_pair, tmp_path) -> None:
    out = tmp_path / "gap.pdf"
    result = runner.invoke(
        app,
        [
            "gap",
            str(test_pair["staff"]),
            str(test_pair["customer"]),
            *QUESTIONNAIRES,
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert data.startswith(b"%PDF-")
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
        ).stdout
        flat = " ".join(text.split())
        assert '<img src="file:///etc/passwd">' in flat  # printed as written, never fetched
        assert "The experience perception gap" in flat


def test_gap_reads_folders_of_response_files(runner, tmp_path) -> None:
    from cxassess.responses import ResponseFile, ResponseQuestionnaire

    rnd = random.Random(9)
    for role, q_id, n, centre in (
        ("staff", "three-abilities", 8, 4),
        ("customers", "three-abilities-customer", 9, 2),
    ):
        q = resolve_questionnaire(q_id)
        folder = tmp_path / role
        folder.mkdir()
        for index in range(n):
            answers = {
                i.id: float(min(5, max(1, centre + rnd.choice((-1, 0, 0, 1)))))
                for i in q.all_items()
            }
            record = ResponseFile(
                questionnaire=ResponseQuestionnaire(id=q_id, version=q.version),
                respondent=f"{role}-{index}",
                completed="2025-01-01T10:00:00+00:00",
                answers=answers,
            )
            (folder / f"{role}-{index}.json").write_text(record.to_json())
    out = tmp_path / "gap.json"
    result = runner.invoke(
        app, ["gap", str(tmp_path / "staff"), str(tmp_path / "customers"), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert data["staff"]["respondents"] == 8
    assert data["customer"]["respondents"] == 9
    assert not any("scored with the questionnaire" in n for n in data["notes"])


def test_gap_output_path_with_markup_characters_is_printed_as_is(
    runner, built_in, tmp_path
) -> None:
    target = tmp_path / "[/]" / "g[red]x[/red].json"
    result = runner.invoke(
        app,
        ["gap", str(built_in["staff_json"]), str(built_in["customer_json"]), "-o", str(target)],
    )
    assert result.exit_code == 0, result.output
    assert target.exists()
    assert f"wrote {target}" in result.stderr
    assert "MarkupError" not in result.output


def test_gap_dash_output_prints_the_json_alone_on_stdout(runner, built_in, tmp_path) -> None:
    target = tmp_path / "gap.json"
    pair = [str(built_in["staff_json"]), str(built_in["customer_json"])]
    result = runner.invoke(app, ["gap", *pair, "-o", "-", "-o", str(target)])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)  # nothing but the JSON: no tables
    assert printed == json.loads(target.read_text())
    assert f"wrote {target}" in result.stderr
    quiet = runner.invoke(
        app, ["gap", str(built_in["staff_json"]), str(built_in["customer_json"]), "-o", "-", "-Q"]
    )
    assert quiet.exit_code == 0 and quiet.stderr == ""


@pytest.mark.parametrize("width", [60, 80, 120])
def test_gap_tables_keep_every_figure_uncut_in_narrow_terminals(runner, built_in, width) -> None:
    pair = [str(built_in["staff_json"]), str(built_in["customer_json"])]
    result = runner.invoke(app, ["gap", *pair], env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    header = next(line for line in lines if line.split()[:2] == ["dimension", "staff"])
    assert header.split()[-1] in ("reading", "change")
    assert "95% interval" in header
    for line in lines:
        if " to " in line and "%" not in line:  # a row with its interval: whole, never cut
            assert "…" not in line and len(line.rstrip()) <= width, line


def test_gap_by_group_on_80_columns_keeps_every_column_and_names_hidden_groups(
    runner, tmp_path
) -> None:
    """A hidden group's reason once sat in a cell that could not wrap: on an 80-column screen
    it pushed the counts out of sight and cut the last dimension to "Ca"."""
    from cxassess.demo import write_data

    files = write_data(tmp_path)
    result = runner.invoke(
        app,
        ["gap", str(files.staff_csv), str(files.customer_csv), "-g", "team"],
        env={"COLUMNS": "80"},
    )
    assert result.exit_code == 0, result.output
    table = result.stdout[result.stdout.index("Gap by team") :]
    header = next(line for line in table.splitlines() if line.strip().startswith("team"))
    for column in ("staff n", "cust. n", "Accessibility", "Enjoyability", "Capability"):
        assert column in header, header
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    flat = " ".join(table.split())
    assert "Hidden, to protect anonymity: Finance & billing, Head office" in flat, flat
    assert "(staff: fewer than 5 respondents)" in flat
