"""The gap's figures, checked against an independent calculation in plain Python from the raw
answers (reversal, item scores, rule 3 for dimensions, Welch intervals with a t quantile found
by integrating the t density), plus statuses, order, groups and the JSON file."""

from __future__ import annotations

import json
import math
import random
import statistics
from pathlib import Path

import polars as pl
import pytest

from cxassess.errors import InputError
from cxassess.format.catalog import resolve_questionnaire
from cxassess.format.loader import load_questionnaire
from cxassess.gap.compute import compute_gap
from cxassess.gap.model import GAP_SCHEMA, read_gap
from cxassess.gap.pairing import pair_questionnaires
from cxassess.responses import answers_schema
from cxassess.scoring.summary import summarise

DATA = Path(__file__).parent / "data" / "gap"
STAFF_Q = load_questionnaire(DATA / "staff.yaml")
CUSTOMER_Q = load_questionnaire(DATA / "customer.yaml")

# -- the independent calculation ---------------------------------------------------------

STAFF_ITEMS = {
    "alpha": [("a1", 1, False), ("a2", 1, True), ("a3", 2, False)],
    "beta": [("b1", 1, False), ("b2", 1, False)],
}
CUSTOMER_ITEMS = {
    "alpha": [("ca1", 1, False), ("ca2", 1, True), ("a3", 1, False), ("ca-extra", 1, False)],
    "beta": [("cb1", 1, False), ("cb2", 1, False)],
}
PAIRS = {"a1": "ca1", "a2": "ca2", "a3": "a3", "b1": "cb1", "b2": "cb2"}
REVERSED = {"a2", "ca2"}


def item_score(raw: float, reverse: bool) -> float:
    value = 6 - raw if reverse else raw
    return (value - 1) / 4 * 100


def dimension_scores(rows: list[dict], items: list[tuple[str, float, bool]]) -> list[float]:
    scores = []
    for row in rows:
        answered = [(item_score(row[i], rev), w) for i, w, rev in items if row.get(i) is not None]
        if len(answered) >= math.ceil(len(items) / 2):
            scores.append(sum(s * w for s, w in answered) / sum(w for _s, w in answered))
    return scores


def item_scores(rows: list[dict], item: str) -> list[float]:
    return [item_score(r[item], item in REVERSED) for r in rows if r.get(item) is not None]


def t_975_by_integration(df: float) -> float:
    """The 97.5% t quantile found by Simpson integration of the t density and bisection."""
    const = math.gamma((df + 1) / 2) / (math.sqrt(df * math.pi) * math.gamma(df / 2))

    def cdf(t: float) -> float:
        steps = 4000
        h = t / steps
        total = 0.0
        for k in range(steps + 1):
            x = k * h
            weight = 1 if k in (0, steps) else (4 if k % 2 else 2)
            total += weight * const * (1 + x * x / df) ** (-(df + 1) / 2)
        return 0.5 + total * h / 3

    low, high = 0.0, 20.0
    for _ in range(60):
        middle = (low + high) / 2
        low, high = (middle, high) if cdf(middle) < 0.975 else (low, middle)
    return (low + high) / 2


def expected_gap(staff: list[float], customer: list[float]) -> tuple[float, float, float]:
    gap = statistics.mean(staff) - statistics.mean(customer)
    vs = statistics.variance(staff) / len(staff)
    vc = statistics.variance(customer) / len(customer)
    se = math.sqrt(vs + vc)
    df = (vs + vc) ** 2 / (vs**2 / (len(staff) - 1) + vc**2 / (len(customer) - 1))
    half = t_975_by_integration(df) * se
    return gap, gap - half, gap + half


# -- answers ------------------------------------------------------------------------------


def random_rows(items: list[str], n: int, seed: int, centre: dict[str, float], segments: dict):
    rnd = random.Random(seed)
    rows = []
    for _ in range(n):
        row: dict = {s: rnd.choice(v) for s, v in segments.items()}
        for item in items:
            if rnd.random() < 0.1:
                row[item] = None
            else:
                row[item] = float(min(5, max(1, round(rnd.gauss(centre.get(item, 3.0), 1.0)))))
        row["recommend"] = float(rnd.randint(0, 10))
        rows.append(row)
    return rows


def frame(q, rows: list[dict]) -> pl.DataFrame:
    schema = answers_schema(q)
    data = {name: [row.get(name) for row in rows] for name in schema}
    data["respondent"] = [f"r{i}" for i in range(len(rows))]
    return pl.DataFrame(data, schema=schema)


STAFF_ROWS = random_rows(
    ["a1", "a2", "a3", "b1", "b2", "g1"],
    70,
    11,
    {"a1": 4.2, "a2": 2.0, "b1": 4.0, "b2": 3.6},
    {"team": ["Red", "Blue", "Tiny"], "region": ["North", "South"]},
)
CUSTOMER_ROWS = random_rows(
    ["ca1", "ca2", "a3", "ca-extra", "cb1", "cb2", "d1"],
    95,
    12,
    {"ca1": 3.1, "ca2": 2.4, "cb1": 4.4, "cb2": 3.5},
    {"region": ["North", "South", "East"], "channel": ["Phone", "Web"]},
)
# a tiny team, to be hidden by the anonymity rule
for row in STAFF_ROWS[:3]:
    row["team"] = "Tiny"
for row in STAFF_ROWS[3:]:
    row["team"] = row["team"] if row["team"] != "Tiny" else "Red"


@pytest.fixture(scope="module")
def gap():
    staff = summarise(STAFF_Q, frame(STAFF_Q, STAFF_ROWS), segments=["team", "region"])
    customer = summarise(CUSTOMER_Q, frame(CUSTOMER_Q, CUSTOMER_ROWS), segments=["region"])
    pairing = pair_questionnaires(STAFF_Q, CUSTOMER_Q)
    return compute_gap(staff, customer, pairing, segments=["region", "team"])


# -- tests --------------------------------------------------------------------------------


@pytest.mark.parametrize("dimension", ["alpha", "beta"])
def test_gap_dimension_figures_match_independent_calculation(gap, dimension: str) -> None:
    staff = dimension_scores(STAFF_ROWS, STAFF_ITEMS[dimension])
    customer = dimension_scores(CUSTOMER_ROWS, CUSTOMER_ITEMS[dimension])
    value, low, high = expected_gap(staff, customer)
    row = gap.dimension(dimension)
    assert row.staff == pytest.approx(statistics.mean(staff), abs=1e-9)
    assert row.customer == pytest.approx(statistics.mean(customer), abs=1e-9)
    assert row.gap == pytest.approx(value, abs=1e-9)
    assert row.ci_low == pytest.approx(low, abs=1e-6)
    assert row.ci_high == pytest.approx(high, abs=1e-6)
    assert (row.n_staff, row.n_customer) == (len(staff), len(customer))
    assert row.clear == (low > 0 or high < 0)


@pytest.mark.parametrize("staff_item", list(PAIRS))
def test_gap_item_figures_match_independent_calculation(gap, staff_item: str) -> None:
    staff = item_scores(STAFF_ROWS, staff_item)
    customer = item_scores(CUSTOMER_ROWS, PAIRS[staff_item])
    value, low, high = expected_gap(staff, customer)
    row = next(i for i in gap.items if i.id == staff_item)
    assert row.customer_id == PAIRS[staff_item]
    assert row.gap == pytest.approx(value, abs=1e-9)
    assert row.ci_low == pytest.approx(low, abs=1e-6)
    assert row.ci_high == pytest.approx(high, abs=1e-6)
    assert row.clear == (low > 0 or high < 0)


def test_gap_nps_matches_independent_calculation(gap) -> None:
    def nps(rows):
        answers = [r["recommend"] for r in rows]
        return 100 * (sum(a >= 9 for a in answers) - sum(a <= 6 for a in answers)) / len(answers)

    def contributions(rows):
        return [100 if r["recommend"] >= 9 else -100 if r["recommend"] <= 6 else 0 for r in rows]

    (row,) = gap.nps
    assert row.staff == pytest.approx(nps(STAFF_ROWS))
    assert row.customer == pytest.approx(nps(CUSTOMER_ROWS))
    value, low, high = expected_gap(contributions(STAFF_ROWS), contributions(CUSTOMER_ROWS))
    assert row.gap == pytest.approx(value)
    assert row.ci_low == pytest.approx(low, abs=1e-6)
    assert row.ci_high == pytest.approx(high, abs=1e-6)


def test_gap_statuses_follow_interval_and_threshold(gap) -> None:
    for row in [*gap.dimensions, *gap.items]:
        if not row.clear:
            assert row.status == "aligned"
        elif row.gap < 0:
            assert row.status == "hidden-strength"
        elif row.gap >= gap.threshold:
            assert row.status == "blind-spot"
        else:
            assert row.status == "staff-higher"
    # a1: staff centred at 4.2, customers at 3.1 -> a clear blind spot of about 25 points
    a1 = next(i for i in gap.items if i.id == "a1")
    assert a1.status == "blind-spot"
    assert next(h.id for h in gap.blind_spots if h.kind == "item") == "a1"
    # b1: customers (4.4) above staff (4.0)
    b1 = next(i for i in gap.items if i.id == "b1")
    assert b1.status == "hidden-strength"
    assert "b1" in [h.id for h in gap.hidden_strengths]


def test_gap_rows_are_sorted_by_size_of_gap(gap) -> None:
    sizes = [abs(r.gap) for r in gap.items]
    assert sizes == sorted(sizes, reverse=True)
    sizes = [abs(r.gap) for r in gap.dimensions]
    assert sizes == sorted(sizes, reverse=True)


def test_gap_overall_only_when_dimensions_match(gap) -> None:
    assert gap.overall is None
    assert any("overall indexes are not compared" in note for note in gap.notes)
    assert gap.unpaired.staff_dimensions == ["gamma"]
    assert gap.unpaired.customer_items == ["ca-extra", "d1"]


def test_gap_groups_on_both_sides_pair_by_value(gap) -> None:
    region = {g.value: g for g in gap.groups if g.segment == "region"}
    assert set(region) == {"North", "South"}
    assert all(g.side == "both" for g in region.values())
    north = region["North"]
    staff = dimension_scores([r for r in STAFF_ROWS if r["region"] == "North"], STAFF_ITEMS["beta"])
    customer = dimension_scores(
        [r for r in CUSTOMER_ROWS if r["region"] == "North"], CUSTOMER_ITEMS["beta"]
    )
    beta = next(d for d in north.dimensions if d.id == "beta")
    value, low, high = expected_gap(staff, customer)
    assert beta.gap == pytest.approx(value)
    assert beta.ci_low == pytest.approx(low, abs=1e-6)
    assert beta.ci_high == pytest.approx(high, abs=1e-6)
    assert any("'East' has customer answers but no staff answers" in n for n in gap.notes)


def test_gap_groups_on_one_side_are_set_against_the_other_side_whole(gap) -> None:
    teams = {g.value: g for g in gap.groups if g.segment == "team"}
    assert set(teams) == {"Red", "Blue", "Tiny"}
    red = teams["Red"]
    assert red.side == "staff"
    assert red.n_customer == len(CUSTOMER_ROWS)
    staff = dimension_scores([r for r in STAFF_ROWS if r["team"] == "Red"], STAFF_ITEMS["alpha"])
    customer = dimension_scores(CUSTOMER_ROWS, CUSTOMER_ITEMS["alpha"])
    alpha = next(d for d in red.dimensions if d.id == "alpha")
    assert alpha.gap == pytest.approx(expected_gap(staff, customer)[0])


def test_gap_hidden_group_keeps_only_its_sizes(gap) -> None:
    tiny = next(g for g in gap.groups if g.value == "Tiny")
    assert tiny.suppressed
    assert tiny.n_staff == 3
    assert tiny.overall is None and tiny.dimensions == []
    data = json.loads(gap.to_json())
    hidden = next(g for g in data["groups"] if g["value"] == "Tiny")
    assert hidden["dimensions"] == [] and hidden["overall"] is None


def test_gap_json_has_the_documented_fields(gap, tmp_path) -> None:
    data = json.loads(gap.to_json())
    assert data["schema"] == GAP_SCHEMA == "cxassess.gap/1"
    for key in ("dimensions", "items", "blind_spots", "hidden_strengths", "recommendations"):
        assert key in data
    required = {"id", "staff", "customer", "gap", "ci_low", "ci_high", "n_staff", "n_customer"}
    for row in data["dimensions"] + data["items"]:
        assert required <= set(row)
        assert isinstance(row["clear"], bool)
    assert data["staff"]["questionnaire"] == "gap-staff"
    assert data["customer"]["respondents"] == len(CUSTOMER_ROWS)
    path = tmp_path / "gap.json"
    path.write_text(gap.to_json())
    again = read_gap(path)
    assert again.dimensions == gap.dimensions


def test_read_gap_refuses_other_files(tmp_path) -> None:
    path = tmp_path / "results.json"
    path.write_text(json.dumps({"schema": "cxassess.results/1"}))
    with pytest.raises(InputError, match="not a cxassess gap file"):
        read_gap(path)
    path.write_text("{ not json")
    with pytest.raises(InputError, match="not JSON"):
        read_gap(path)


def test_gap_with_too_few_answers_says_so() -> None:
    staff = summarise(STAFF_Q, frame(STAFF_Q, STAFF_ROWS[:1]))
    customer = summarise(CUSTOMER_Q, frame(CUSTOMER_Q, CUSTOMER_ROWS))
    result = compute_gap(staff, customer, pair_questionnaires(STAFF_Q, CUSTOMER_Q))
    assert all(r.status == "too-few" for r in result.dimensions)
    assert all(r.ci_low is None and not r.clear for r in result.dimensions)
    assert not result.blind_spots
    assert [r.status for r in result.recommendations] == ["unclear"]


def test_gap_refuses_results_of_another_questionnaire() -> None:
    staff = summarise(STAFF_Q, frame(STAFF_Q, STAFF_ROWS))
    customer = summarise(CUSTOMER_Q, frame(CUSTOMER_Q, CUSTOMER_ROWS))
    pairing = pair_questionnaires(STAFF_Q, CUSTOMER_Q)
    with pytest.raises(InputError, match="the customer results are of questionnaire 'gap-staff'"):
        compute_gap(staff, staff, pairing)
    assert compute_gap(staff, customer, pairing).dimensions


def test_gap_of_built_in_pair_has_an_overall_gap() -> None:
    staff_q = resolve_questionnaire("three-abilities")
    customer_q = resolve_questionnaire("three-abilities-customer")
    rnd = random.Random(5)
    staff_rows = [{i.id: float(rnd.randint(3, 5)) for i in staff_q.all_items()} for _ in range(30)]
    cust_rows = [
        {i.id: float(rnd.randint(1, 4)) for i in customer_q.all_items()} for _ in range(40)
    ]
    staff = summarise(staff_q, frame(staff_q, staff_rows))
    customer = summarise(customer_q, frame(customer_q, cust_rows))
    result = compute_gap(staff, customer, pair_questionnaires(staff_q, customer_q))
    assert result.overall is not None
    assert result.overall.gap == pytest.approx(staff.overall.score - customer.overall.score)
    assert len(result.items) == 18
