"""The gap applies its own anonymity threshold to results files scored with a lower one."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl

from cxassess.cli import app
from cxassess.format.catalog import resolve_questionnaire
from cxassess.responses import answers_schema
from cxassess.scoring.summary import summarise


def _results(q, teams: dict[str, int], value: float, min_group_size: int) -> str:
    schema = answers_schema(q)
    rows = [(team, i) for team, n in teams.items() for i in range(n)]
    data: dict[str, list] = {name: [None] * len(rows) for name in schema}
    data["respondent"] = [f"{team}-{i}" for team, i in rows]
    if "team" in schema:
        data["team"] = [team for team, _ in rows]
    for item in q.all_items():
        data[item.id] = [value + (i % 2) for _, i in rows]
    frame = pl.DataFrame(data, schema=schema)
    segments = ["team"] if "team" in schema else []
    return summarise(q, frame, segments=segments, min_group_size=min_group_size).to_json()


def test_gap_hides_groups_of_a_results_file_scored_with_a_lower_threshold(
    runner, tmp_path: Path
) -> None:
    staff = tmp_path / "staff.json"
    customers = tmp_path / "customers.json"
    staff.write_text(
        _results(resolve_questionnaire("three-abilities"), {"Big": 12, "Small": 3, "Tiny": 2}, 3, 2)
    )
    customers.write_text(
        _results(resolve_questionnaire("three-abilities-customer"), {"all": 10}, 2, 2)
    )
    out = tmp_path / "gap.json"
    result = runner.invoke(app, ["gap", str(staff), str(customers), "-g", "team", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text()
    data = json.loads(text)
    shown = [g for g in data.get("groups", []) if not g.get("suppressed")]
    assert all(g.get("value") not in ("Small", "Tiny") for g in shown)
    assert "Small" in text  # named with its n, nothing else
