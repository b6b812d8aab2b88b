"""`cxassess score` against an independent calculation of the spec's rules in plain Python.

The answers are random but seeded; they are written as a CSV (numbers and labels mixed), scored
through the whole pipeline, and every figure is compared with what the rules say, computed
here without polars or any code of the scoring engine. Cronbach's alpha agrees to 1e-6.
"""

from __future__ import annotations

import csv
import math
import random
import statistics
from pathlib import Path

import pytest

from cxassess.format.loader import load_questionnaire
from cxassess.pipeline import score_inputs

MINIMAL = Path(__file__).parent / "data" / "valid" / "minimal.yaml"
Q = load_questionnaire(MINIMAL)
DIMS = {
    "alpha": (1.0, {"a1": 1.0, "a2": 1.0, "a3": 2.0}),
    "beta": (2.0, {"b1": 1.0, "b2": 1.0, "b3": 1.0}),
}
REVERSED = {"a2"}
LABELS = {
    1: "Strongly disagree",
    2: "Disagree",
    3: "Neither agree nor disagree",
    4: "Agree",
    5: "Strongly agree",
}
TEAMS = ["North"] * 22 + ["South"] * 14 + ["East"] * 4  # East too small; South hidden with it
LEVELS = [(0, "low"), (50, "mid"), (80, "high")]


def make_rows(seed: int = 7) -> list[dict]:
    rnd = random.Random(seed)
    rows = []
    for index, team in enumerate(TEAMS):
        lean = rnd.choice([-1, 0, 0, 1])
        row: dict = {"respondent": f"p{index:02d}", "team": team}
        for dim in DIMS.values():
            for item in dim[1]:
                draw = rnd.random()
                if draw < 0.08:
                    row[item] = None  # skipped
                elif draw < 0.12:
                    row[item] = "n/a"  # Don't know
                else:
                    value = min(5, max(1, round(rnd.gauss(3.4 + lean, 1.0))))
                    row[item] = (6 - value) if item in REVERSED else value
        row["recommend"] = None if rnd.random() < 0.1 else rnd.randint(0, 10)
        row["note"] = rnd.choice(["", "", "More staff please", "Good team"])
        rows.append(row)
    return rows


def write_csv(rows: list[dict], path: Path) -> None:
    columns = ["respondent", "team", "a1", "a2", "a3", "b1", "b2", "b3", "recommend", "note"]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for n, row in enumerate(rows):
            cells = []
            for column in columns:
                value = row.get(column)
                if value is None:
                    cells.append("")
                elif value == "n/a":
                    cells.append("Don't know")
                elif isinstance(value, int) and column != "recommend" and n % 3 == 0:
                    cells.append(LABELS[value])  # a third of the rows as labels
                else:
                    cells.append(str(value))
            writer.writerow(cells)


def answered(rows: list[dict], item: str) -> list[float]:
    """Rule 1: answered values of an item after reversal."""
    values = [r[item] for r in rows if isinstance(r.get(item), int)]
    return [float(6 - v if item in REVERSED else v) for v in values]


def item_score(value: float) -> float:
    return (value - 1) / 4 * 100  # rule 2


def respondent_dimension(row: dict, items: dict[str, float]) -> float | None:
    """Rule 3: weighted mean of answered item scores, if at least half (rounded up) answered."""
    scores = []
    for item, weight in items.items():
        value = row.get(item)
        if isinstance(value, int):
            reversed_value = 6 - value if item in REVERSED else value
            scores.append((item_score(reversed_value), weight))
    if len(scores) < math.ceil(len(items) / 2):
        return None
    return sum(s * w for s, w in scores) / sum(w for _, w in scores)


def respondent_overall(row: dict) -> float | None:
    """Rule 4: weighted mean (dimension weights) of non-missing dimension scores."""
    parts = []
    for weight, items in DIMS.values():
        score = respondent_dimension(row, items)
        if score is not None:
            parts.append((score, weight))
    if not parts:
        return None
    return sum(s * w for s, w in parts) / sum(w for _, w in parts)


def alpha(rows: list[dict], items: dict[str, float]) -> float | None:
    """Rule 8: listwise complete respondents, sample variances."""
    complete = [r for r in rows if all(isinstance(r.get(i), int) for i in items)]
    if len(items) < 2 or len(complete) < 3:
        return None
    matrix = [[float(6 - r[i] if i in REVERSED else r[i]) for i in items] for r in complete]
    k = len(items)
    item_vars = [statistics.variance([m[j] for m in matrix]) for j in range(k)]
    total_var = statistics.variance([sum(m) for m in matrix])
    return k / (k - 1) * (1 - sum(item_vars) / total_var)


def level(score: float | None) -> str | None:
    if score is None:
        return None
    return [name for low, name in LEVELS if low <= score][-1]


def mean_or_none(values: list[float]) -> float | None:
    return statistics.fmean(values) if values else None


def expected_figures(rows: list[dict]) -> dict:
    figures: dict = {"items": {}, "dimensions": {}}
    for _weight, items in DIMS.values():
        for item in items:
            values = answered(rows, item)
            n = len(values)
            fav = sum(v in (4, 5) for v in values)
            neu = sum(v == 3 for v in values)
            raw = [r[item] for r in rows if isinstance(r.get(item), int)]
            figures["items"][item] = {
                "n": n,
                "mean": mean_or_none(values),
                "score": item_score(statistics.fmean(values)) if n else None,
                "favorable": 100 * fav / n,
                "neutral": 100 * neu / n,
                "unfavorable": 100 * (n - fav - neu) / n,
                "distribution": {str(v): raw.count(v) for v in range(1, 6)},
            }
    for name, (_weight, items) in DIMS.items():
        scores = [s for r in rows if (s := respondent_dimension(r, items)) is not None]
        figures["dimensions"][name] = {
            "score": mean_or_none(scores),
            "n": len(scores),
            "alpha": alpha(rows, items),
        }
    overall = [s for r in rows if (s := respondent_overall(r)) is not None]
    figures["overall"] = {"score": mean_or_none(overall), "n": len(overall)}
    nps = [r["recommend"] for r in rows if r["recommend"] is not None]
    promoters = sum(v >= 9 for v in nps)
    detractors = sum(v <= 6 for v in nps)
    figures["nps"] = {
        "n": len(nps),
        "nps": 100 * (promoters - detractors) / len(nps),
        "promoters": 100 * promoters / len(nps),
        "passives": 100 * (len(nps) - promoters - detractors) / len(nps),
        "detractors": 100 * detractors / len(nps),
    }
    return figures


@pytest.fixture(scope="module")
def scored(tmp_path_factory):
    rows = make_rows()
    path = tmp_path_factory.mktemp("independent") / "answers.csv"
    write_csv(rows, path)
    results, problems = score_inputs([path], Q, segments=["team"])
    assert problems == []
    return rows, results


def close(a: float | None, b: float | None, tolerance: float = 1e-9) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=0, abs_tol=tolerance)


def test_independent_items_follow_rules_1_2_and_6(scored) -> None:
    rows, results = scored
    expected = expected_figures(rows)["items"]
    for item in results.items:
        want = expected[item.id]
        assert item.n == want["n"]
        for field in ("mean", "score", "favorable", "neutral", "unfavorable"):
            assert close(getattr(item, field), want[field]), (item.id, field)
        assert item.distribution == want["distribution"]


def test_independent_dimensions_follow_rules_3_5_8_and_9(scored) -> None:
    rows, results = scored
    expected = expected_figures(rows)["dimensions"]
    for dim in results.dimensions:
        want = expected[dim.id]
        assert dim.n == want["n"]
        assert close(dim.score, want["score"])
        assert dim.level == level(want["score"])
        assert want["alpha"] is not None
        assert dim.alpha == pytest.approx(want["alpha"], abs=1e-6)


def test_independent_overall_follows_rule_4(scored) -> None:
    rows, results = scored
    want = expected_figures(rows)["overall"]
    assert results.overall.n == want["n"]
    assert close(results.overall.score, want["score"])
    assert results.overall.level == level(want["score"])


def test_independent_nps_follows_rule_7(scored) -> None:
    rows, results = scored
    want = expected_figures(rows)["nps"]
    (outcome,) = results.outcomes
    assert outcome.n == want["n"]
    for field in ("nps", "promoters", "passives", "detractors"):
        assert close(getattr(outcome, field), want[field]), field


def test_independent_recommendations_follow_rule_10(scored) -> None:
    rows, results = scored
    figures = expected_figures(rows)
    candidates = [
        ("fix-alpha", 0, figures["dimensions"]["alpha"]["score"], 80, 100),
        ("fix-beta", 1, figures["dimensions"]["beta"]["score"], 80, 100),
        ("fix-a1", 2, figures["items"]["a1"]["mean"], 3, 4),
    ]
    firing = [c for c in candidates if c[2] < c[3]]
    firing.sort(key=lambda c: (c[1], -(c[3] - c[2]) / c[4]))
    assert [r.id for r in results.recommendations] == [c[0] for c in firing]
    assert firing  # the data are built so that at least one fires


def test_independent_groups_follow_rule_11_with_complementary_hiding(scored) -> None:
    rows, results = scored
    groups = {g.value: g for g in results.groups}
    assert {v: g.n for v, g in groups.items()} == {"North": 22, "South": 14, "East": 4}
    assert groups["East"].suppressed and groups["South"].suppressed
    for hidden in (groups["East"], groups["South"]):
        assert hidden.overall is None and hidden.dimensions == [] and hidden.items == []
        assert hidden.comments == []
    north = groups["North"]
    assert not north.suppressed
    want = expected_figures([r for r in rows if r["team"] == "North"])
    assert close(north.overall.score if north.overall else None, want["overall"]["score"])
    for dim in north.dimensions:
        assert close(dim.score, want["dimensions"][dim.id]["score"])
        assert dim.alpha == pytest.approx(want["dimensions"][dim.id]["alpha"], abs=1e-6)
    assert any("'South' (n=14) is also hidden" in note for note in results.notes)


def test_independent_drivers_are_pearson_correlations_with_the_outcome(scored) -> None:
    rows, results = scored
    assert results.drivers is not None and results.drivers.outcome == "recommend"
    for driver in results.drivers.dimensions:
        pairs = [
            (s, float(r["recommend"]))
            for r in rows
            if r["recommend"] is not None
            and (s := respondent_dimension(r, DIMS[driver.id][1])) is not None
        ]
        xs, ys = zip(*pairs, strict=True)
        assert driver.r == pytest.approx(statistics.correlation(xs, ys), abs=1e-9)
        # The relative weights use the respondents who answered the outcome and every dimension.
        complete = [
            r
            for r in rows
            if r["recommend"] is not None
            and all(respondent_dimension(r, items) is not None for _w, items in DIMS.values())
        ]
        assert driver.n == results.drivers.dimensions_n == len(complete)
