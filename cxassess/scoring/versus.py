"""Each group's figures beside the whole sample's: the difference, and whether it is beyond the
noise, decided once for every output (the heatmap, team reports).

The families of `intervals.beyond_noise` are those a reader sees at once: for one breakdown,
the overall index and the dimensions of all its shown groups (the heatmap's cells), then the
questions of all its groups, then the outcome scores, then the NPS.
"""

from __future__ import annotations

from dataclasses import dataclass

from cxassess.results import GroupResult, Results
from cxassess.scoring.intervals import Figure, nps_sd, versus_whole

Key = tuple[str, str]
"""(kind, id): `("overall", "overall")`, `("dimension", id)`, `("item", id)`, `("outcome", id)`,
`("nps", id)`."""


@dataclass(frozen=True)
class Beside:
    """A group's figure minus the whole sample's, and whether that is beyond the noise."""

    difference: float | None
    marked: bool


def _figures(owner: Results | GroupResult) -> dict[str, dict[Key, Figure]]:
    """The (score, sd, n) of each figure, by family."""
    overall = owner.overall
    found: dict[str, dict[Key, Figure]] = {"dimensions": {}, "items": {}, "outcomes": {}, "nps": {}}
    if overall is not None:
        found["dimensions"][("overall", "overall")] = (overall.score, overall.sd, overall.n)
    for d in owner.dimensions:
        if not d.hidden_why:
            found["dimensions"][("dimension", d.id)] = (d.score, d.sd, d.n)
    for i in owner.items:
        if not i.hidden_why:
            found["items"][("item", i.id)] = (i.score, i.sd, i.n)
    for o in owner.outcomes:
        if o.hidden_why:
            continue
        found["outcomes"][("outcome", o.id)] = (o.score, o.sd, o.n)
        if o.nps is not None:
            found["nps"][("nps", o.id)] = (o.nps, nps_sd(o.promoters, o.detractors, o.n), o.n)
    return found


def versus_organisation(results: Results, segment: str) -> dict[str, dict[Key, Beside]]:
    """For each shown group of `segment` (by value), each of its figures beside the whole
    sample's: the difference (group minus whole) and whether it is marked. Hidden groups and
    hidden figures have no entry."""
    whole = _figures(results)
    groups = [g for g in results.groups if g.segment == segment and not g.suppressed]
    own = {g.value: _figures(g) for g in groups}
    found: dict[str, dict[Key, Beside]] = {g.value: {} for g in groups}
    for family, reference in whole.items():
        keys = [(value, key) for value, figures in own.items() for key in figures[family]]
        keys = [(value, key) for value, key in keys if key in reference]
        decided = versus_whole([(own[value][family][key], reference[key]) for value, key in keys])
        for (value, key), (difference, marked) in zip(keys, decided, strict=True):
            found[value][key] = Beside(difference, marked)
    return found
