"""`cxassess schema KIND`: JSON Schemas of the questionnaire and of every JSON file cxassess
writes, each naming the file's `schema` key; every file written by score, report, gap and
run validates against its schema (strictly: no key the schema does not list)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from schema_check import assert_matches_schema, closed

from cxassess.cli import app
from cxassess.demo import write_data, write_previous_results
from cxassess.format.describe import format_json_schema
from cxassess.schemas import SCHEMA_KINDS, json_schema

DATA = Path(__file__).parent / "data"
MINIMAL = str(DATA / "valid" / "minimal.yaml")
STAFF_Q = "three-abilities"
CUSTOMER_Q = "three-abilities-customer"
# team, a1..a3, b1..b3, recommend, note
ANSWERS = ["Support", "4", "2", "5", "n", "3", "agree", "9", "More staff & <fewer> forms"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):
    """The demo's answers and last year's results, as `cxassess demo` writes them."""
    files = write_data(tmp_path_factory.mktemp("schemas"))
    files.previous_results = write_previous_results(files)
    return files


@pytest.mark.parametrize("kind", SCHEMA_KINDS)
def test_every_schema_is_a_valid_draft_2020_12_schema(kind) -> None:
    schema = json_schema(kind)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == f"https://cxassess.dev/schema/{kind}-1.json"


@pytest.mark.parametrize(
    ("kind", "key"),
    [("results", "cxassess.results/1"), ("gap", "cxassess.gap/1"),
     ("response", "cxassess.response/1")],
)  # fmt: skip
def test_each_schema_requires_the_schema_key_that_names_it(kind, key) -> None:
    schema = json_schema(kind)
    assert schema["properties"]["schema"]["const"] == key
    assert "schema" in schema["required"]
    other = {"schema": "cxassess.gap/1" if kind != "gap" else "cxassess.results/1"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(other, schema)


def test_schema_without_a_kind_is_the_questionnaire_schema_as_before(runner) -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0, result.output
    assert result.stdout == format_json_schema()
    named = runner.invoke(app, ["schema", "questionnaire"])
    assert named.stdout == result.stdout


@pytest.mark.parametrize("kind", ["results", "gap", "response"])
def test_schema_kind_prints_or_writes_that_schema(runner, tmp_path, kind) -> None:
    printed = runner.invoke(app, ["schema", kind])
    assert printed.exit_code == 0, printed.output
    assert json.loads(printed.stdout) == json_schema(kind)
    target = tmp_path / f"{kind}.schema.json"
    written = runner.invoke(app, ["schema", kind, "-o", str(target)])
    assert written.exit_code == 0, written.output
    assert f"wrote {target}" in written.stderr
    assert json.loads(target.read_text(encoding="utf-8")) == json_schema(kind)


def test_schema_of_an_unknown_kind_is_exit_2_naming_the_kinds(runner) -> None:
    result = runner.invoke(app, ["schema", "report"])
    assert result.exit_code == 2
    assert "no schema called 'report'" in result.stderr
    assert "questionnaire, results, gap, response" in result.stderr
    assert "Traceback" not in result.output


def test_results_of_score_with_groups_match_their_schema(runner, demo, tmp_path) -> None:
    out = tmp_path / "results.json"
    args = ["score", str(demo.staff_csv), "-q", STAFF_Q, "-g", "team", "-g", "role"]
    result = runner.invoke(app, [*args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert any(g["suppressed"] for g in data["groups"]) and data["drivers"]
    assert assert_matches_schema(data) == "results"


def test_results_with_the_change_since_last_time_match_their_schema(runner, demo) -> None:
    args = ["score", str(demo.staff_csv), "-q", STAFF_Q, "-g", "team"]
    result = runner.invoke(app, [*args, "--compare", str(demo.previous_results), "-o", "-"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["comparison"]["schema"] == "cxassess.comparison/1"
    assert assert_matches_schema(data) == "results"


def test_previous_results_of_the_demo_match_their_schema(demo) -> None:
    assert assert_matches_schema(demo.previous_results) == "results"


def test_gap_files_match_their_schema_with_and_without_a_comparison(runner, demo, tmp_path):
    first, second = tmp_path / "gap.json", tmp_path / "gap-again.json"
    args = ["gap", str(demo.staff_csv), str(demo.customer_csv), "-q", STAFF_Q]
    args += ["--customer-questionnaire", CUSTOMER_Q, "-g", "team"]
    result = runner.invoke(app, [*args, "-o", str(first)])
    assert result.exit_code == 0, result.output
    assert assert_matches_schema(first) == "gap"
    result = runner.invoke(app, [*args, "--compare", str(first), "-o", str(second)])
    assert result.exit_code == 0, result.output
    assert json.loads(second.read_text(encoding="utf-8"))["comparison"] is not None
    assert assert_matches_schema(second) == "gap"


def test_response_files_of_run_match_their_schema_finished_or_not(runner, tmp_path) -> None:
    done = tmp_path / "ana.json"
    answers = "".join(f"{a}\n" for a in ANSWERS)
    result = runner.invoke(app, ["run", MINIMAL, "-o", str(done)], input=answers)
    assert result.exit_code == 0, result.output
    assert assert_matches_schema(done) == "response"
    unfinished = tmp_path / "ben.json"
    result = runner.invoke(app, ["run", MINIMAL, "-o", str(unfinished)], input="Support\n4\n")
    assert result.exit_code == 2, result.output
    (partial,) = tmp_path.glob("ben*.partial.json")
    assert json.loads(partial.read_text(encoding="utf-8"))["completed"] is None
    assert assert_matches_schema(partial) == "response"


def test_a_key_the_model_does_not_know_fails_the_strict_check(demo) -> None:
    data = json.loads(demo.previous_results.read_text(encoding="utf-8"))
    data["overall"]["median"] = 61.0  # a writer adding a figure its model lacks
    with pytest.raises(jsonschema.ValidationError, match="median"):
        assert_matches_schema(data)
    jsonschema.validate(data, json_schema("results"))  # the published schema allows it
    assert closed({"type": "object", "properties": {}})["additionalProperties"] is False
