"""Change over time: every change carries a Welch interval, and only changes larger than
their noise are marked."""

from __future__ import annotations

import json
import math
import random
import statistics
from pathlib import Path

import polars as pl
import pytest

from cxassess.compare import compare_results
from cxassess.errors import InputError
from cxassess.format.loader import load_questionnaire
from cxassess.gap.change import compare_gaps
from cxassess.gap.compute import compute_gap
from cxassess.gap.pairing import pair_questionnaires
from cxassess.responses import answers_schema
from cxassess.scoring.intervals import t_quantile
from cxassess.scoring.summary import summarise

DATA = Path(__file__).parent / "data"
MINIMAL = load_questionnaire(DATA / "valid" / "minimal.yaml")
STAFF_Q = load_questionnaire(DATA / "gap" / "staff.yaml")
CUSTOMER_Q = load_questionnaire(DATA / "gap" / "customer.yaml")


def frame(q, rows: list[dict]) -> pl.DataFrame:
    schema = answers_schema(q)
    data = {name: [row.get(name) for row in rows] for name in schema}
    data["respondent"] = [f"r{i}" for i in range(len(rows))]
    return pl.DataFrame(data, schema=schema)


def rows(q, n: int, seed: int, centre: dict[str, float], teams=("A", "B")) -> list[dict]:
    rnd = random.Random(seed)
    out = []
    for index in range(n):
        row: dict = {"team": teams[index % len(teams)], "region": "North"}
        for item in q.all_items():
            mean = centre.get(item.id, 3.0)
            row[item.id] = float(min(5, max(1, round(rnd.gauss(mean, 1.0)))))
        row["recommend"] = float(min(10, max(0, round(rnd.gauss(centre.get("nps", 7), 2)))))
        out.append(row)
    return out


def results(q, data, **options):
    return summarise(q, frame(q, data), **options)


def test_compare_marks_a_change_larger_than_its_noise() -> None:
    before = results(MINIMAL, rows(MINIMAL, 80, 1, {}))
    # beta items up by a whole scale point, alpha unchanged apart from sampling noise
    after = results(MINIMAL, rows(MINIMAL, 80, 2, {"b1": 4.0, "b2": 4.0, "b3": 4.0}))
    comparison = compare_results(after, before)
    beta = comparison.find("dimension", "beta")
    alpha = comparison.find("dimension", "alpha")
    assert beta.marked and beta.direction == "up"
    assert beta.change == pytest.approx(
        after.dimension("beta").score - before.dimension("beta").score
    )
    assert not alpha.marked and alpha.direction is None
    assert alpha.ci_low < 0 < alpha.ci_high


def test_compare_interval_is_welch_from_both_surveys() -> None:
    before = results(MINIMAL, rows(MINIMAL, 40, 3, {}))
    after = results(MINIMAL, rows(MINIMAL, 60, 4, {"a1": 3.6}))
    comparison = compare_results(after, before)
    old, new = before.dimension("alpha"), after.dimension("alpha")
    vo, vn = old.sd**2 / old.n, new.sd**2 / new.n
    df = (vo + vn) ** 2 / (vo**2 / (old.n - 1) + vn**2 / (new.n - 1))
    half = t_quantile(0.975, df) * math.sqrt(vo + vn)
    change = comparison.find("dimension", "alpha")
    assert change.df == pytest.approx(df)
    assert change.ci_high - change.change == pytest.approx(half)
    assert change.marked == (change.ci_low > 0 or change.ci_high < 0)


def test_compare_same_answers_marks_nothing() -> None:
    data = rows(MINIMAL, 50, 5, {})
    comparison = compare_results(results(MINIMAL, data), results(MINIMAL, data))
    everything = [comparison.overall, *comparison.dimensions, *comparison.items]
    assert all(c.change == pytest.approx(0) and not c.marked for c in everything)
    assert all(not c.marked for c in comparison.outcomes)


def test_compare_covers_items_outcomes_and_nps() -> None:
    before = results(MINIMAL, rows(MINIMAL, 120, 6, {"nps": 5}))
    after = results(MINIMAL, rows(MINIMAL, 120, 7, {"nps": 9.5}))
    comparison = compare_results(after, before)
    assert {c.id for c in comparison.items} == {i.id for i in MINIMAL.all_items()}
    nps = comparison.find("nps", "recommend")
    assert nps.previous == pytest.approx(before.outcomes[0].nps)
    assert nps.current == pytest.approx(after.outcomes[0].nps)
    assert nps.marked and nps.direction == "up"
    assert comparison.find("outcome", "recommend").marked


def test_compare_refuses_results_of_another_questionnaire() -> None:
    staff = results(STAFF_Q, rows(STAFF_Q, 10, 8, {}))
    minimal = results(MINIMAL, rows(MINIMAL, 10, 9, {}))
    with pytest.raises(InputError) as caught:
        compare_results(staff, minimal)
    assert caught.value.exit_code == 2
    assert "'gap-staff'" in caught.value.message and "'minimal'" in caught.value.message
    assert "cxassess gap" in caught.value.hint


def test_compare_notes_a_changed_version() -> None:
    before = results(MINIMAL, rows(MINIMAL, 10, 10, {}))
    after = results(MINIMAL, rows(MINIMAL, 10, 11, {}))
    before.questionnaire.version = "0.9"
    comparison = compare_results(after, before)
    assert any("version 0.9 to 1.0" in note for note in comparison.notes)


def test_compare_groups_hidden_in_either_survey_keep_only_sizes() -> None:
    before_rows = rows(MINIMAL, 40, 12, {}, teams=("A", "B", "C"))
    # B is down to 3 of 40 answers; the privacy rule hides it, and one more group with it
    after_rows = rows(MINIMAL, 40, 13, {}, teams=("A",) * 6 + ("C",) * 6 + ("B",))
    before = results(MINIMAL, before_rows, segments=["team"])
    after = results(MINIMAL, after_rows, segments=["team"])
    comparison = compare_results(after, before)
    groups = {g.value: g for g in comparison.groups}
    assert groups["B"].suppressed and groups["B"].dimensions == []
    assert groups["B"].overall is None
    shown = [g for g in groups.values() if not g.suppressed]
    assert shown and all(g.dimensions and g.overall for g in shown)
    assert json.loads(comparison.to_json())["schema"] == "cxassess.comparison/1"


def _gap(staff_rows, customer_rows):
    staff = results(STAFF_Q, staff_rows)
    customer = results(CUSTOMER_Q, customer_rows)
    return compute_gap(staff, customer, pair_questionnaires(STAFF_Q, CUSTOMER_Q))


def test_compare_gaps_marks_only_gaps_that_moved_beyond_noise() -> None:
    then = _gap(rows(STAFF_Q, 80, 14, {"b1": 4.5}), rows(CUSTOMER_Q, 80, 15, {"cb1": 2.5}))
    now = _gap(rows(STAFF_Q, 80, 16, {"b1": 4.5}), rows(CUSTOMER_Q, 80, 17, {"cb1": 4.5}))
    comparison = compare_gaps(now, then)
    b1 = next(c for c in comparison.items if c.id == "b1")
    assert b1.marked and b1.direction == "down"
    assert b1.change == pytest.approx(
        next(i.gap for i in now.items if i.id == "b1")
        - next(i.gap for i in then.items if i.id == "b1")
    )
    a1 = next(c for c in comparison.items if c.id == "a1")
    assert not a1.marked
    # noise of a gap change comes from all four samples
    now_a1 = next(i for i in now.items if i.id == "a1")
    then_a1 = next(i for i in then.items if i.id == "a1")
    variances = [(r.sd_staff**2 / r.n_staff, r.n_staff) for r in (now_a1, then_a1)] + [
        (r.sd_customer**2 / r.n_customer, r.n_customer) for r in (now_a1, then_a1)
    ]
    total = sum(v for v, _n in variances)
    df = total**2 / sum(v * v / (n - 1) for v, n in variances)
    assert a1.df == pytest.approx(df)
    assert a1.ci_high - a1.change == pytest.approx(t_quantile(0.975, df) * math.sqrt(total))


def test_compare_gaps_refuses_other_questionnaires() -> None:
    now = _gap(rows(STAFF_Q, 20, 18, {}), rows(CUSTOMER_Q, 20, 19, {}))
    then = now.model_copy(deep=True)
    then.customer.questionnaire = "something-else"
    with pytest.raises(InputError, match="the customer questionnaire is 'gap-customer' now"):
        compare_gaps(now, then)


def test_compare_change_without_spread_is_exact() -> None:
    same = [{i.id: 4.0 for i in MINIMAL.all_items()} for _ in range(5)]
    higher = [{i.id: 5.0 for i in MINIMAL.all_items()} for _ in range(5)]
    comparison = compare_results(results(MINIMAL, higher), results(MINIMAL, same))
    change = comparison.find("item", "a1")
    assert change.change == pytest.approx(25.0)
    assert change.ci_low == change.ci_high == pytest.approx(25.0)
    assert change.marked
    assert statistics.mean([25.0]) == change.change


def test_compare_with_an_older_version_skips_items_whose_meaning_changed(tmp_path) -> None:
    from cxassess.compare import compare_results as _compare
    from cxassess.demo import write_data
    from cxassess.format.catalog import resolve_questionnaire
    from cxassess.pipeline import score_inputs

    files = write_data(tmp_path)
    now, _ = score_inputs([files.staff_csv], resolve_questionnaire("three-abilities"))
    ref = now.questionnaire.model_copy(update={"version": "1.0", "changes": []})
    then = now.model_copy(update={"questionnaire": ref})
    comparison = _compare(now, then)
    compared = {c.id for c in comparison.items}
    assert "cap-busy" not in compared and "enj-chore" not in compared
    assert "cap-knowledge" in compared
    assert "capability" not in {d.id for d in comparison.dimensions}
    assert any("meaning changed" in n and "cap-busy" in n for n in comparison.notes)
