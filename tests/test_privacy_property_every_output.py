"""The differencing rule on every output that lists groups, with random memberships.

Hypothesis draws people over two or three segments; we score them as `cxassess score` does,
make the per-group reports as `report --per-group` does (from the answers already read), and
the gap by group as `gap -g` does. A reader who holds all of these and knows who belongs where
must not be able to single out fewer people than the minimum or a hidden group: for every pair
of shown groups where one holds the other, the difference is empty or at least the minimum; no
hidden group's membership equals a shown one; and no sum or difference of shown groups gives
a hidden group or a small crossed cell.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cxassess.format.loader import load_questionnaire
from cxassess.gap.compute import compute_gap
from cxassess.gap.pairing import pair_questionnaires
from cxassess.pipeline import ScoredInputs
from cxassess.report.groups import group_results
from cxassess.report.request import LoadedInputs, ReportRequest
from cxassess.responses import answers_schema
from cxassess.scoring.differencing import UNION_LIMIT
from cxassess.scoring.summary import summarise

DATA = Path(__file__).parent / "data"
MINIMAL = load_questionnaire(DATA / "valid" / "minimal.yaml")
GAP_STAFF = load_questionnaire(DATA / "gap" / "staff.yaml")
GAP_CUSTOMER = load_questionnaire(DATA / "gap" / "customer.yaml")
SEGMENTS = ["team", "role", "site"]

people_over_segments = st.lists(
    st.tuples(*(st.sampled_from(["p", "q", "r", "s"]) for _ in SEGMENTS)), min_size=1, max_size=36
)


def frame_of(q, people: list[tuple], segments: list[str], seed: int = 0) -> pl.DataFrame:
    """One row per person: their segment values, and answers to every scored question."""
    rng = np.random.default_rng(seed)
    schema = answers_schema(q)
    for segment in segments:
        schema.setdefault(segment, pl.String)
    data: dict[str, list] = {name: [] for name in schema}
    for index, values in enumerate(people):
        row = dict(zip(segments, values, strict=False))
        for name, kind in schema.items():
            if name == "respondent":
                data[name].append(f"r{index}")
            elif name in row:
                data[name].append(row[name])
            elif kind == pl.Float64:
                top = 10 if name == "recommend" else 5
                data[name].append(float(rng.integers(0 if top == 10 else 1, top + 1)))
            else:
                data[name].append(None)
    return pl.DataFrame(data, schema=schema)


def members(frame: pl.DataFrame, condition: dict[str, str]) -> frozenset[int]:
    rows = frame.select(list(condition)).iter_rows(named=True)
    return frozenset(
        i for i, row in enumerate(rows) if all(row[k] == v for k, v in condition.items())
    )


def in_span(vectors: list[np.ndarray], target: np.ndarray) -> bool:
    matrix = np.array(vectors, dtype=float)
    stacked = np.vstack([matrix, target.astype(float)])
    return np.linalg.matrix_rank(stacked) == np.linalg.matrix_rank(matrix)


def assert_reader_learns_nothing_small(
    size: int, shown: list[frozenset], hidden: list[frozenset], cells: list[frozenset], minimum: int
) -> None:
    everyone = frozenset(range(size))
    sets = [everyone, *shown]
    for a, b in itertools.permutations(sets, 2):
        if a < b:
            assert len(b - a) >= minimum, (sorted(a), sorted(b))
    for group in hidden:
        if group != everyone:
            assert group not in sets, sorted(group)
    vectors = [np.array([i in s for i in range(size)]) for s in sets]
    for group in hidden:
        if group and group != everyone:
            target = np.array([i in group for i in range(size)])
            assert not in_span(vectors, target), sorted(group)
    small = [c for c in cells if len(c) < minimum]
    if len(cells) > 1:
        unions = small_unions(small, minimum)
        # the check is complete up to UNION_LIMIT unions (docs/confidentiality.md says so);
        # beyond it, every single small cell is still checked
        if len(unions) > UNION_LIMIT:
            unions = [c for c in unions if c in small]
        for people in unions:
            if people != everyone:
                target = np.array([i in people for i in range(size)])
                assert not in_span(vectors, target), sorted(people)


def small_unions(small: list[frozenset], minimum: int) -> list[frozenset]:
    """Every union of small crossed cells that still holds fewer than the minimum (counting
    stops once there are more than `UNION_LIMIT`)."""
    found: list[frozenset] = []

    def grow(start: int, people: frozenset) -> None:
        for at in range(start, len(small)):
            if len(found) > UNION_LIMIT:
                return
            union = people | small[at]
            if len(union) < minimum:
                found.append(union)
                grow(at + 1, union)

    grow(0, frozenset())
    return found


def crossed_cells(frame: pl.DataFrame, segments: list[str]) -> list[frozenset]:
    cells: dict[tuple, set] = {}
    for index, row in enumerate(frame.select(segments).iter_rows()):
        cells.setdefault(row, set()).add(index)
    return [frozenset(c) for c in cells.values()]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(people_over_segments, st.integers(min_value=2, max_value=3), st.integers(2, 6))
def test_property_whole_report_and_per_group_reports_isolate_no_one(people, width, minimum):
    segments = SEGMENTS[:width]
    frame = frame_of(MINIMAL, people, segments)
    q = MINIMAL.model_copy(
        update={
            "segments": [
                *MINIMAL.segments,
                *(
                    s.model_copy(update={"id": x, "title": x})
                    for s in MINIMAL.segments
                    for x in segments[1:]
                ),
            ]
        }
    )
    results = summarise(q, frame, segments=segments, min_group_size=minimum)
    shown = [members(frame, {g.segment: g.value}) for g in results.groups if not g.suppressed]
    hidden = [members(frame, {g.segment: g.value}) for g in results.groups if g.suppressed]
    # the reports per group of the first segment, scored from the same answers
    scored = ScoredInputs(results, [], frame, q, list(segments), [])
    loaded = LoadedInputs(results, q, "organisation", scored=scored)
    request = ReportRequest(inputs=[Path("answers.csv")], segments=segments, per_group=segments[0])
    values = [g.value for g in results.groups if g.segment == segments[0] and not g.suppressed]
    for value, report in group_results(request, loaded, segments[0], values).items():
        inside = members(frame, {segments[0]: value})
        assert report.respondents == len(inside)
        for g in report.groups:
            group = members(frame, {segments[0]: value, g.segment: g.value})
            assert g.n == len(group)
            (hidden if g.suppressed else shown).append(group)
    assert_reader_learns_nothing_small(
        frame.height, shown, hidden, crossed_cells(frame, segments), minimum
    )


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(people_over_segments, st.integers(2, 6))
def test_property_gap_by_group_shows_only_groups_the_results_may_show(people, minimum):
    segments = ["team", "region"]
    staff_frame = frame_of(GAP_STAFF, people, segments)
    customer_frame = frame_of(
        GAP_CUSTOMER, [(v[1], v[2]) for v in people], ["region", "channel"], 1
    )
    staff = summarise(GAP_STAFF, staff_frame, segments=segments, min_group_size=minimum)
    customer = summarise(GAP_CUSTOMER, customer_frame, segments=["region"], min_group_size=minimum)
    pairing = pair_questionnaires(GAP_STAFF, GAP_CUSTOMER)
    gap = compute_gap(staff, customer, pairing, segments=segments)
    staff_shown = {(g.segment, g.value): g.n for g in staff.groups if not g.suppressed}
    customer_shown = {(g.segment, g.value): g.n for g in customer.groups if not g.suppressed}
    for group in gap.groups:
        key = (group.segment, group.value)
        if group.suppressed:
            assert group.overall is None and not group.dimensions
            continue
        if group.side in ("both", "staff"):
            assert staff_shown.get(key) == group.n_staff, key
        if group.side in ("both", "customer"):
            assert customer_shown.get(key) == group.n_customer, key
    shown = [
        members(staff_frame, {g.segment: g.value})
        for g in gap.groups
        if not g.suppressed and g.side != "customer"
    ]
    hidden = [members(staff_frame, {g.segment: g.value}) for g in staff.groups if g.suppressed]
    assert_reader_learns_nothing_small(
        staff_frame.height, shown, hidden, crossed_cells(staff_frame, segments), minimum
    )
