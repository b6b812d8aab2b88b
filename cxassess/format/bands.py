"""Warnings about the score bands that a dimension's recommendations are aimed at.

Advice should fire for the band it was written for: two recommendations of one dimension whose
ranges partly overlap send mixed messages (advice for 70 shown at 25), and a hole between
ranges leaves some scores with no advice at all. Ranges that are exactly the same count as one
band with several pieces of advice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cxassess.errors import Location, Problem
from cxassess.format.models import Questionnaire

if TYPE_CHECKING:
    from cxassess.format.nodes import NodeMap


def _fmt(lo: float, hi: float | None) -> str:
    return f"{lo:g}-{hi:g}" if hi is not None else f"{lo:g} and above"


def dimension_bands(q: Questionnaire) -> dict[str, list[tuple[float, float, int]]]:
    """Each dimension's recommendation ranges as (`at_least`, `below`, index of the
    recommendation); an open lower end is 0 and an open upper end is 100 (plus a hair)."""
    found: dict[str, list[tuple[float, float, int]]] = {}
    for r, rec in enumerate(q.recommendations):
        if rec.when.dimension is None:
            continue
        lo, hi = q.condition_bounds(rec.when)
        found.setdefault(rec.when.dimension, []).append(
            (lo if lo is not None else 0.0, hi if hi is not None else 100.000001, r)
        )
    return found


def check_bands(q: Questionnaire, nodes: NodeMap, file: str) -> list[Problem]:
    """Warnings for dimension advice whose bands partly overlap or leave a gap below the
    highest band covered."""
    problems: list[Problem] = []
    for dim_id, bands in dimension_bands(q).items():
        distinct = sorted({(lo, hi) for lo, hi, _r in bands})
        first_rec = {(lo, hi): r for lo, hi, r in reversed(bands)}
        for i, (lo, hi) in enumerate(distinct):
            rec = q.recommendations[first_rec[(lo, hi)]]
            line = nodes.line_of(("recommendations", first_rec[(lo, hi)], "when"))
            where = f"recommendations[{rec.id}].when"
            shown_hi = None if hi > 100 else hi
            for other_lo, other_hi in distinct[:i]:
                if other_hi > lo:
                    other = q.recommendations[first_rec[(other_lo, other_hi)]]
                    problems.append(
                        Problem(
                            Location(file, line),
                            where,
                            f"its band ({_fmt(lo, shown_hi)}) overlaps the band of "
                            f"'{other.id}' ({_fmt(other_lo, None if other_hi > 100 else other_hi)})"
                            f" for dimension '{dim_id}', so a score in both gets advice "
                            "written for two different situations",
                            "give the lower band 'at_least:' equal to the band below's "
                            "'below:', or use 'level:'",
                            "warning",
                        )
                    )
                    break
            reach = max([0.0, *(h for _l, h in distinct[:i])])
            if lo > reach + 1e-9:
                problems.append(
                    Problem(
                        Location(file, line),
                        where,
                        f"no advice for dimension '{dim_id}' between {reach:g} and {lo:g}, "
                        "so scores there get none",
                        f"lower 'at_least:' to {reach:g} or add advice for that band",
                        "warning",
                    )
                )
    return problems
