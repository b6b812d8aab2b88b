"""How each perception gap moved since a previous `gap.json`, with the same rule as
`cxassess.compare` uses for results (`scoring.intervals.beyond_noise`): a move is marked only
when its p-value, adjusted over the moves of its kind, is at most 5% and it is at least 5 points."""

from __future__ import annotations

from cxassess.compare import Change, mark_family, measured_change
from cxassess.errors import InputError
from cxassess.gap.model import GapComparison, GapResults, GapRow


def _gap_change(now: GapRow, then: GapRow) -> Change:
    """The change of one gap: noise from all four samples (staff and customers, both times)."""
    fields = {
        "kind": "gap",
        "id": now.id,
        "dimension": now.dimension,
        "title": now.title,
        "previous": then.gap,
        "current": now.gap,
        "n_previous": min(then.n_staff, then.n_customer),
        "n_current": min(now.n_staff, now.n_customer),
    }
    if now.gap is None or then.gap is None:
        return Change(**fields)
    return measured_change(
        fields,
        now.gap - then.gap,
        [
            (now.sd_staff, now.n_staff),
            (now.sd_customer, now.n_customer),
            (then.sd_staff, then.n_staff),
            (then.sd_customer, then.n_customer),
        ],
    )


def _family(changes: list[Change]) -> list[Change]:
    """The moves of one kind, marked together (adjusted for their number)."""
    mark_family(changes)
    return changes


def compare_gaps(current: GapResults, previous: GapResults) -> GapComparison:
    """How each perception gap moved since a previous `gap.json` (current minus previous gap:
    negative means the gap closed). Refuses gaps of other questionnaires with an `InputError`."""
    for side in ("staff", "customer"):
        now, then = getattr(current, side).questionnaire, getattr(previous, side).questionnaire
        if now != then:
            raise InputError(
                f"cannot compare gaps: the {side} questionnaire is '{now}' now but was '{then}'",
                hint="--compare needs a gap.json made from the same pair of questionnaires",
            )
    notes = []
    if previous.generated and current.generated and previous.generated > current.generated:
        notes.append("The previous gap was produced after the current one; check the order.")
    old_dims = {d.id: d for d in previous.dimensions}
    old_items = {(i.id, i.customer_id): i for i in previous.items}
    overall = None
    if current.overall is not None and previous.overall is not None:
        overall = _gap_change(current.overall, previous.overall)
    return GapComparison(
        previous_generated=previous.generated,
        overall=overall,
        dimensions=_family(
            [_gap_change(d, old_dims[d.id]) for d in current.dimensions if d.id in old_dims]
        ),
        items=_family(
            [
                _gap_change(i, old_items[(i.id, i.customer_id)])
                for i in current.items
                if (i.id, i.customer_id) in old_items
            ]
        ),
        notes=notes,
    )
