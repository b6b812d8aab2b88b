"""Compute the experience perception gap from staff and customer `Results`.

For every shared dimension, paired item and shared outcome: both scores (0-100), the gap
(staff minus customers), its 95% Welch interval, whether it is beyond the noise (the one rule
of `scoring.intervals.beyond_noise`, over the gaps of its kind), and a
status naming blind spots (staff clearly and far above customers) and hidden strengths
(customers clearly above staff). The same per group when a segment is asked for.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from cxassess.compare import side_info
from cxassess.errors import InputError
from cxassess.gap.model import (
    GapResults,
    GapRow,
    GroupGap,
    Highlight,
    NpsGap,
    Status,
    Unpaired,
)
from cxassess.scoring.intervals import (
    CONFIDENCE,
    MIN_EFFECT,
    beyond_noise,
    nps_sd,
    p_value,
    printed_difference,
    welch_interval,
)

if TYPE_CHECKING:
    from cxassess.gap.pairing import Pairing
    from cxassess.results import DimensionResult, GroupResult, Overall, Results

DEFAULT_THRESHOLD = 10.0
"""Points (0-100) from which a clear staff-above-customers gap counts as a blind spot."""

Figure = tuple[float | None, float | None, int]
"""A score, its standard deviation and its n."""

_MISSING: Figure = (None, None, 0)


def status_of(gap: float | None, clear: bool, has_interval: bool, threshold: float) -> Status:
    """How a gap reads, from its size and whether it is beyond the noise (`clear`)."""
    if gap is None or not has_interval:
        return "too-few"
    if not clear:
        return "aligned"
    if gap < 0:
        return "hidden-strength"
    return "blind-spot" if gap >= threshold else "staff-higher"


def gap_row(kind: str, ident: str, staff: Figure, customer: Figure, threshold: float, **labels):
    """One `GapRow` from the (score, sd, n) of each side."""
    s_score, s_sd, s_n = staff
    c_score, c_sd, c_n = customer
    row = GapRow(
        kind=kind,  # type: ignore[arg-type]
        id=ident,
        staff=s_score,
        customer=c_score,
        n_staff=s_n,
        n_customer=c_n,
        sd_staff=s_sd,
        sd_customer=c_sd,
        **labels,
    )
    if s_score is None or c_score is None:
        return row
    interval = welch_interval(s_score - c_score, [(s_sd, s_n), (c_sd, c_n)])
    row.gap = interval.difference
    row.ci_low, row.ci_high, row.df = interval.low, interval.high, interval.df
    row.p_value = p_value(interval)
    return classify([row], threshold)[0]


def classify(rows: list[GapRow], threshold: float) -> list[GapRow]:
    """Decide which gaps of one family (the items, the dimensions, ...) are beyond the noise,
    by the one rule of `beyond_noise`, and how each reads; returns `rows`, updated."""
    decided = beyond_noise(
        [(r.gap, r.p_value) for r in rows],
        printed=[printed_difference(r.staff, r.customer) for r in rows],
    )
    for row, (clear, adjusted) in zip(rows, decided, strict=True):
        row.clear, row.p_adjusted = clear, adjusted
        row.status = status_of(row.gap, clear, row.ci_low is not None, threshold)
    return rows


def by_size(rows: Sequence[GapRow]) -> list[GapRow]:
    """Largest gap first, in either direction; rows without a gap last."""
    return sorted(rows, key=lambda r: (r.gap is None, -abs(r.gap or 0.0)))


def _overall_figure(overall: Overall | None) -> Figure:
    return _MISSING if overall is None else (overall.score, overall.sd, overall.n)


def _dimension_rows(
    pairing: Pairing,
    staff_dims: Sequence[DimensionResult],
    customer_dims: Sequence[DimensionResult],
    threshold: float,
) -> list[GapRow]:
    staff = {d.id: d for d in staff_dims}
    customer = {d.id: d for d in customer_dims}
    rows = []
    for dim_id in pairing.dimensions:
        s, c = staff.get(dim_id), customer.get(dim_id)
        rows.append(
            gap_row(
                "dimension",
                dim_id,
                _MISSING if s is None else (s.score, s.sd, s.n),
                _MISSING if c is None else (c.score, c.sd, c.n),
                threshold,
                title=s.title if s and s.title else dim_id,
            )
        )
    return rows


def _item_rows(pairing: Pairing, staff: Results, customer: Results, threshold: float):
    staff_items = {i.id: i for i in staff.items}
    customer_items = {i.id: i for i in customer.items}
    rows = []
    for pair in pairing.items:
        s, c = staff_items.get(pair.staff.id), customer_items.get(pair.customer.id)
        rows.append(
            gap_row(
                "item",
                pair.staff.id,
                _MISSING if s is None else (s.score, s.sd, s.n),
                _MISSING if c is None else (c.score, c.sd, c.n),
                threshold,
                customer_id=pair.customer.id,
                dimension=pair.dimension,
                title=s.text if s else pairing.staff.text(pair.staff.text),
                customer_text=c.text if c else pairing.customer.text(pair.customer.text),
                reverse=bool(s.reverse if s else pair.staff.reverse),
                positive=s.positive if s else "",
                customer_positive=c.positive if c else "",
            )
        )
    return rows


def _outcomes(pairing: Pairing, staff: Results, customer: Results, threshold: float):
    staff_out = {o.id: o for o in staff.outcomes}
    customer_out = {o.id: o for o in customer.outcomes}
    rows, nps = [], []
    for outcome_id in pairing.outcomes:
        customer_id = pairing.outcome_customer.get(outcome_id, outcome_id)
        s, c = staff_out.get(outcome_id), customer_out.get(customer_id)
        if s is None or c is None:
            continue
        rows.append(
            gap_row(
                "outcome",
                outcome_id,
                (s.score, s.sd, s.n),
                (c.score, c.sd, c.n),
                threshold,
                title=s.text,
                customer_text=c.text,
            )
        )
        if s.nps is not None and c.nps is not None:
            interval = welch_interval(
                s.nps - c.nps,
                [
                    (nps_sd(s.promoters, s.detractors, s.n), s.n),
                    (nps_sd(c.promoters, c.detractors, c.n), c.n),
                ],
            )
            nps.append(
                NpsGap(
                    id=outcome_id,
                    staff=s.nps,
                    customer=c.nps,
                    gap=interval.difference,
                    ci_low=interval.low,
                    ci_high=interval.high,
                    n_staff=s.n,
                    n_customer=c.n,
                    p_value=p_value(interval),
                )
            )
    for gap, (clear, adjusted) in zip(
        nps,
        beyond_noise(
            [(g.gap, g.p_value) for g in nps],
            printed=[printed_difference(g.staff, g.customer) for g in nps],
        ),
        strict=True,
    ):
        gap.clear, gap.p_adjusted = clear, adjusted
    return classify(rows, threshold), nps


def _highlights(rows: Sequence[GapRow], status: str) -> list[Highlight]:
    chosen = [r for r in rows if r.status == status and r.gap is not None]
    chosen.sort(key=lambda r: -abs(r.gap or 0.0))
    return [
        Highlight(
            kind=r.kind,  # type: ignore[arg-type]
            id=r.id,
            dimension=r.dimension,
            title=r.title,
            gap=r.gap,  # type: ignore[arg-type]
            ci_low=r.ci_low,  # type: ignore[arg-type]
            ci_high=r.ci_high,  # type: ignore[arg-type]
        )
        for r in chosen
    ]


def _group_gap(
    pairing: Pairing,
    segment: str,
    value: str,
    side: str,
    staff: tuple[int, Overall | None, Sequence[DimensionResult], bool | str],
    customer: tuple[int, Overall | None, Sequence[DimensionResult], bool | str],
    threshold: float,
) -> GroupGap:
    s_n, s_overall, s_dims, s_hidden = staff
    c_n, c_overall, c_dims, c_hidden = customer
    group = GroupGap(segment=segment, value=value, side=side, n_staff=s_n, n_customer=c_n)  # type: ignore[arg-type]
    if s_hidden or c_hidden:
        group.suppressed = True
        whys = [f"{who}: {w}" for who, w in (("staff", s_hidden), ("customers", c_hidden)) if w]
        group.hidden_why = "; ".join(w for w in whys if not w.endswith(": True"))
        return group
    if pairing.same_dimensions:
        group.overall = gap_row(
            "overall",
            "overall",
            _overall_figure(s_overall),
            _overall_figure(c_overall),
            threshold,
            title="Overall index",
        )
    group.dimensions = classify(_dimension_rows(pairing, s_dims, c_dims, threshold), threshold)
    return group


def _group_side(group: GroupResult):
    hidden = (group.hidden_why or True) if group.suppressed else False
    return (group.n, group.overall, group.dimensions, hidden)


def _total_side(results: Results):
    return (results.respondents, results.overall, results.dimensions, False)


def check_segments(pairing: Pairing, segments: Sequence[str]) -> None:
    """Refuse a segment that neither questionnaire defines (before any scoring work)."""
    known = sorted({s.id for s in (*pairing.staff.segments, *pairing.customer.segments)})
    for segment in segments:
        if segment not in known:
            near = difflib.get_close_matches(segment, known, n=3, cutoff=0.5)
            raise InputError(
                f"neither '{pairing.staff.id}' nor '{pairing.customer.id}' has a segment "
                f"'{segment}'",
                hint=(f"did you mean {' or '.join(repr(n) for n in near)}? " if near else "")
                + (f"use one of: {', '.join(known)}" if known else "")
                or "these questionnaires define no segments",
            )


def _groups_for(
    pairing: Pairing, staff: Results, customer: Results, segment: str, threshold: float
) -> tuple[list[GroupGap], list[str]]:
    check_segments(pairing, [segment])
    in_staff = any(s.id == segment for s in pairing.staff.segments)
    in_customer = any(s.id == segment for s in pairing.customer.segments)
    found: dict[str, list[GroupResult]] = {"staff": [], "customer": []}
    for side, results, present in (
        ("staff", staff, in_staff),
        ("customer", customer, in_customer),
    ):
        if not present:
            continue
        found[side] = [g for g in results.groups if g.segment == segment]
        if not found[side] and results.respondents:
            raise InputError(
                f"the {side} results hold no breakdown by '{segment}'",
                hint=f"score them again with `-g {segment}`, or give the answers themselves",
            )
    notes: list[str] = []
    groups: list[GroupGap] = []
    if in_staff and in_customer:
        customer_groups = {g.value: g for g in found["customer"]}
        staff_values = {g.value for g in found["staff"]}
        for group in found["staff"]:
            other = customer_groups.get(group.value)
            if other is None:
                notes.append(
                    f"{segment} '{group.value}' has staff answers but no customer answers."
                )
                continue
            groups.append(
                _group_gap(
                    pairing,
                    segment,
                    group.value,
                    "both",
                    _group_side(group),
                    _group_side(other),
                    threshold,
                )
            )
        for value in customer_groups:
            if value not in staff_values:
                notes.append(f"{segment} '{value}' has customer answers but no staff answers.")
    elif in_staff:
        for group in found["staff"]:
            groups.append(
                _group_gap(
                    pairing,
                    segment,
                    group.value,
                    "staff",
                    _group_side(group),
                    _total_side(customer),
                    threshold,
                )
            )
    else:
        for group in found["customer"]:
            groups.append(
                _group_gap(
                    pairing,
                    segment,
                    group.value,
                    "customer",
                    _total_side(staff),
                    _group_side(group),
                    threshold,
                )
            )
    return groups, notes


def _check_results(pairing: Pairing, staff: Results, customer: Results) -> None:
    for side, results, q in (
        ("staff", staff, pairing.staff),
        ("customer", customer, pairing.customer),
    ):
        if results.questionnaire.id != q.id:
            raise InputError(
                f"the {side} results are of questionnaire '{results.questionnaire.id}', "
                f"not '{q.id}'",
                hint="give the questionnaire the answers were collected with",
            )


def compute_gap(
    staff: Results,
    customer: Results,
    pairing: Pairing,
    *,
    segments: Sequence[str] = (),
    threshold: float = DEFAULT_THRESHOLD,
    notes: Sequence[str] = (),
) -> GapResults:
    """The perception gap between staff and customer results of two paired questionnaires.

    Rows are sorted by the size of the gap, largest first; blind spots and hidden strengths
    are named; gap-aimed recommendations come from the gap advice file."""
    from cxassess.gap.advice import gap_recommendations

    _check_results(pairing, staff, customer)
    all_notes = list(notes)
    overall = None
    if pairing.same_dimensions:
        overall = gap_row(
            "overall",
            "overall",
            _overall_figure(staff.overall),
            _overall_figure(customer.overall),
            threshold,
            title="Overall index",
        )
    else:
        all_notes.append(
            "The two questionnaires do not have the same dimensions and weights, so their "
            "overall indexes are not compared; see the dimensions instead."
        )
    dimensions = by_size(
        classify(
            _dimension_rows(pairing, staff.dimensions, customer.dimensions, threshold), threshold
        )
    )
    items = by_size(classify(_item_rows(pairing, staff, customer, threshold), threshold))
    outcomes, nps = _outcomes(pairing, staff, customer, threshold)
    groups: list[GroupGap] = []
    for segment in dict.fromkeys(segments):
        found, extra = _groups_for(pairing, staff, customer, segment, threshold)
        groups += found
        all_notes += extra
    if len(items) > 1:
        all_notes.append(
            f"A gap is marked only when it is at least {MIN_EFFECT:g} points and beyond the "
            "noise once corrected for comparing many items at once, so chance alone marks "
            "few, if any."
        )
    result = GapResults(
        generated=datetime.now(UTC).replace(microsecond=0).isoformat(),
        language=staff.language,
        confidence=CONFIDENCE,
        threshold=threshold,
        staff=side_info(staff),
        customer=side_info(customer),
        overall=overall,
        dimensions=dimensions,
        items=items,
        outcomes=by_size(outcomes),
        nps=nps,
        blind_spots=_highlights([*dimensions, *items], "blind-spot"),
        hidden_strengths=_highlights([*dimensions, *items], "hidden-strength"),
        groups=groups,
        unpaired=Unpaired(
            staff_dimensions=pairing.unpaired_staff_dimensions,
            customer_dimensions=pairing.unpaired_customer_dimensions,
            staff_items=pairing.unpaired_staff_items,
            customer_items=pairing.unpaired_customer_items,
        ),
        notes=all_notes,
    )
    result.recommendations = gap_recommendations(result)
    return result
