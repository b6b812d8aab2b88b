"""Rule 11 for per-group reports: each group's own breakdown, checked against the whole report.

A team's report broken down by role shows crossed groups (this team's managers, this team's
front line) that the whole report does not. Together with the whole report's groups, and with
the other teams' reports, they must not give away a hidden group or fewer people than the
minimum, so they go through the same decision (`differencing.decide`), with the whole
report's shown groups fixed (they are published already).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np

from cxassess.scoring.blanking import carry_blanks
from cxassess.scoring.differencing import Hidden, Membership, decide
from cxassess.scoring.privacy import PrivacySettings, apply_privacy, membership

if TYPE_CHECKING:
    from cxassess.results import Results

_WHY = (
    "hidden because, with the groups of the whole report and of the other groups' reports, "
    "its figures would give away a hidden group or fewer people than the minimum"
)


def protect_within(
    results: Results, segment: str, subs: Mapping[str, Results]
) -> dict[str, Results]:
    """Each of `subs` (the respondents of one shown group of `results`' `segment`, by value,
    broken down by the other segments) with every breakdown group hidden that, combined with
    the groups `results` shows and those of the other `subs`, would give someone away, and
    with every figure blanked that `results` blanks for that group."""
    found = _protect_breakdowns(results, segment, subs)
    published = {(g.segment, g.value): g for g in results.groups}
    return {
        value: carry_blanks(sub, published[(segment, value)])
        if (segment, value) in published
        else sub
        for value, sub in found.items()
    }


def _protect_breakdowns(
    results: Results, segment: str, subs: Mapping[str, Results]
) -> dict[str, Results]:
    """`protect_within`'s breakdown rule: the groups of each sub-report checked together with
    the whole report's."""
    members = membership(results)
    if members.matrix is None or members.cells is None or members.segments is None:
        return dict(subs)
    where = {s: i for i, s in enumerate(members.segments)}
    extra, rows, owners = [], [], []
    for value, sub in subs.items():
        if segment not in where or any(g.segment not in where for g in sub.groups):
            return dict(subs)
        for g in sub.groups:
            extra.append((f"{g.segment} within {segment} {value}", g.value))
            rows.append(
                [
                    c[where[segment]] == value and c[where[g.segment]] == g.value
                    for c in members.cells
                ]
            )
            owners.append((value, g))
    if not rows:
        return dict(subs)
    combined = Membership(
        keys=[*members.keys, *extra],
        sizes=members.sizes | {k: g.n for k, (_v, g) in zip(extra, owners, strict=True)},
        total=members.total,
        matrix=np.vstack([members.matrix, np.array(rows, dtype=bool)]),
        weights=members.weights,
        cells=members.cells,
        segments=members.segments,
    )
    already = {
        (g.segment, g.value): Hidden(g.hidden_reason or "too_few", g.hidden_why)
        for g in results.groups
        if g.suppressed
    }
    already |= {
        k: Hidden(g.hidden_reason or "too_few", g.hidden_why)
        for k, (_v, g) in zip(extra, owners, strict=True)
        if g.suppressed
    }
    shown = [(g.segment, g.value) for g in results.groups if not g.suppressed]
    # a team's breakdown group holding exactly the people of a group the whole report shows
    # (this team's managers are all the managers) is published already: hiding it protects
    # nothing, so it is fixed too, and the decision hides another group instead
    published = {members.row(k).astype(bool).tobytes() for k in shown}
    same_as_shown = {
        (value, g.segment, g.value): k
        for k, row, (value, g) in zip(extra, rows, owners, strict=True)
        if not g.suppressed and np.array(row, dtype=bool).tobytes() in published
    }
    shown += list(same_as_shown.values())
    hidden = decide(combined, results.min_group_size, already=already, fixed=shown)
    newly = {
        (value, g.segment, g.value)
        for k, (value, g) in zip(extra, owners, strict=True)
        if k in hidden and not g.suppressed
    }
    found: dict[str, Results] = {}
    for value, sub in subs.items():
        groups = [
            g.model_copy(
                update={"suppressed": True, "hidden_reason": "differencing", "hidden_why": _WHY}
            )
            if (value, g.segment, g.value) in newly
            else g
            for g in sub.groups
        ]
        settings = PrivacySettings(sub.min_group_size, sub.min_comment_group_size or None)
        fixed = [
            (g.segment, g.value) for g in sub.groups if (value, g.segment, g.value) in same_as_shown
        ]
        found[value] = apply_privacy(
            sub.model_copy(update={"groups": groups}), settings, fixed=fixed
        )
    return found
