"""`validate --json` gives programs every problem with where it is, and the same exit code."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from cxassess.cli import app

DATA = Path(__file__).parent / "data"


def test_validate_json_lists_each_problem_with_file_line_and_hint() -> None:
    bad = DATA / "invalid" / "invalid-duplicate-item-id.yaml"
    result = CliRunner().invoke(app, ["validate", str(bad), "--json"])
    assert result.exit_code == 2, result.output
    found = json.loads(result.stdout)
    assert found["valid"] is False and found["errors"] >= 1
    problem = found["problems"][0]
    assert problem["file"] == str(bad) and isinstance(problem["line"], int)
    assert problem["severity"] == "error" and problem["message"] and problem["hint"]


def test_validate_json_of_a_good_file_says_valid() -> None:
    good = DATA / "valid" / "minimal.yaml"
    result = CliRunner().invoke(app, ["validate", str(good), "--json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert found["valid"] is True and found["errors"] == 0
    assert [p for p in found["problems"] if p["severity"] == "error"] == []
