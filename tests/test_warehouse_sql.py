"""The warehouse queries of `docs/warehouse.md`, run by DuckDB over a Parquet file, give the counts
`cxassess score` gives on the same file: each item's answers per point for every group, and the
combinations of a dimension's answers from which its score, spread and alpha follow. They also
hold the groups cxassess hides, which is why the page says their output is not to be published.

Skipped when duckdb (the `bench` extra) is not installed."""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from cxassess.cli import app
from cxassess.format.loader import load_questionnaire

duckdb = pytest.importorskip("duckdb")

ROOT = Path(__file__).parent.parent
PAGE = ROOT / "docs" / "warehouse.md"
QUESTIONNAIRE = ROOT / "benchmarks" / "bench-ten-items.yaml"
TEAMS = ["Team A", "Team B", "Team C", "Team D"]
REGIONS = ["North", "South", "East", "West"]


def page_queries(parquet: Path) -> list[str]:
    """The page's sql blocks, reading `parquet` where they say 'answers.parquet'."""
    blocks = re.findall(r"```sql\n(.*?)```", PAGE.read_text(encoding="utf-8"), re.S)
    assert len(blocks) == 2, "the page shows the item query and the dimension query"
    return [block.replace("'answers.parquet'", f"'{parquet}'") for block in blocks]


def answers_with_a_tiny_team(seed: int, rows: int) -> pl.DataFrame:
    """Random answers of four teams in four regions, about 12% skipped, plus a team of three
    people that cxassess must hide."""
    rng = np.random.default_rng(seed)
    q = load_questionnaire(QUESTIONNAIRE)
    teams = rng.choice(TEAMS, size=rows).tolist()
    teams[:3] = ["Tiny team"] * 3
    columns: dict[str, list] = {
        "respondent": [f"r{n}" for n in range(rows)],
        "team": teams,
        "region": rng.choice(REGIONS, size=rows).tolist(),
    }
    for question in q.scored_questions():
        points = rng.integers(1, 6, size=rows)
        skipped = rng.random(rows) < 0.12
        columns[question.id] = [None if s else int(p) for p, s in zip(points, skipped, strict=True)]
    return pl.DataFrame(columns, schema_overrides={c: pl.Int64 for c in list(columns)[3:]})


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    from typer.testing import CliRunner

    folder = tmp_path_factory.mktemp("warehouse")
    parquet = folder / "answers.parquet"
    answers_with_a_tiny_team(seed=15, rows=700).write_parquet(parquet)
    out = folder / "results.json"
    args = ["score", str(parquet), "-q", str(QUESTIONNAIRE), "-g", "team", "-g", "region"]
    result = CliRunner().invoke(app, [*args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "wrote" in result.output
    return parquet, json.loads(out.read_text(encoding="utf-8"))


def shown_groups(results: dict) -> list[tuple[str, str, dict]]:
    """The whole sample (segment and group empty) and every group cxassess shows."""
    whole = [("", "", results)]
    return whole + [(g["segment"], g["value"], g) for g in results["groups"] if not g["suppressed"]]


def test_item_query_counts_equal_cxassess_distributions_for_every_shown_group(scored) -> None:
    parquet, results = scored
    counts: dict[tuple[str, str, str], dict[str, int]] = defaultdict(dict)
    for segment, group, item, answer, n in duckdb.sql(page_queries(parquet)[0]).fetchall():
        counts[(segment, group, item)][str(answer)] = n
    compared = 0
    for segment, group, holder in shown_groups(results):
        for item in holder["items"]:
            if item["distribution"] is None:
                continue
            expected = {point: n for point, n in item["distribution"].items() if n}
            assert counts[(segment, group, item["id"])] == expected, (segment, group, item["id"])
            compared += 1
    # everyone, four regions and three teams: the fourth team is hidden with the tiny one
    assert compared == 10 * len(shown_groups(results)) == 10 * 8


def test_item_query_also_holds_the_teams_cxassess_hides(scored) -> None:
    parquet, results = scored
    hidden = {g["value"]: g for g in results["groups"] if g["suppressed"]}
    assert hidden["Tiny team"]["hidden_reason"] == "too_few"
    assert len(hidden) == 2, "a second team is hidden, or the tiny one is its total minus the rest"
    rows = duckdb.sql(page_queries(parquet)[0]).fetchall()
    for team, group in hidden.items():
        assert all(item["distribution"] is None for item in group.get("items") or [])
        answered = sum(
            n for segment, value, item, _a, n in rows if (segment, value) == ("team", team)
        )
        assert answered > 0, f"the aggregate gives {team}'s answers, which cxassess hides"


def dimension_figures(patterns: dict[tuple, int], reverse: list[bool]) -> dict[str, float | None]:
    """A dimension's score, n, standard deviation and alpha from counts of answer combinations,
    by the rules of docs/scoring.md (items 1-5, reversed as 6 - v, at least half answered)."""
    k = len(reverse)
    scores, weights, complete, complete_weights = [], [], [], []
    for combination, n in patterns.items():
        values = [
            None if v is None else (6 - v if r else v)
            for v, r in zip(combination, reverse, strict=True)
        ]
        answered = [v for v in values if v is not None]
        if len(answered) >= math.ceil(k / 2):
            scores.append(np.mean([(v - 1) / 4 * 100 for v in answered]))
            weights.append(n)
        if len(answered) == k:
            complete.append(values)
            complete_weights.append(n)
    w, s = np.array(weights, float), np.array(scores)
    n = w.sum()
    mean = (w * s).sum() / n
    sd = math.sqrt((w * (s - mean) ** 2).sum() / (n - 1))
    cw, cv = np.array(complete_weights, float), np.array(complete, float)

    def variance(x: np.ndarray) -> float:
        m = (cw * x).sum() / cw.sum()
        return (cw * (x - m) ** 2).sum() / (cw.sum() - 1)

    items = sum(variance(cv[:, j]) for j in range(k))
    alpha = k / (k - 1) * (1 - items / variance(cv.sum(axis=1)))
    return {"score": mean, "n": n, "sd": sd, "alpha": alpha}


def test_dimension_query_gives_cxassess_scores_spread_and_alpha(scored) -> None:
    parquet, results = scored
    q = load_questionnaire(QUESTIONNAIRE)
    capability = next(d for d in q.dimensions if d.id == "capability")
    reverse = [bool(item.reverse) for item in capability.items]
    per_group: dict[tuple[str, str], dict[tuple, int]] = defaultdict(lambda: defaultdict(int))
    for team, region, *combination, people in duckdb.sql(page_queries(parquet)[1]).fetchall():
        for key in (("", ""), ("team", team), ("region", region)):
            per_group[key][tuple(combination)] += people
    compared = 0
    for segment, group, holder in shown_groups(results):
        shown = next(d for d in holder["dimensions"] if d["id"] == "capability")
        expected = dimension_figures(per_group[(segment, group)], reverse)
        assert shown["n"] == expected["n"]
        for figure in ("score", "sd", "alpha"):
            assert shown[figure] == pytest.approx(expected[figure], rel=1e-9, abs=1e-9), figure
        compared += 1
    assert compared == len(shown_groups(results)) == 8
