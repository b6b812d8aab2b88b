"""Change over time: this survey against the previous one, with a noise test on every change.

`compare_results(current, previous)` sets two `Results` of the same questionnaire side by side;
`cxassess.gap.change.compare_gaps` does the same for two perception gaps. Every change carries
a 95% Welch confidence interval (see `cxassess.scoring.intervals`) and is `marked` only when it
is beyond the noise by `intervals.beyond_noise` (p-value adjusted over the changes of its kind,
and at least 5 points), so a report never celebrates or worries about a move that is within
the noise, nor about one of many moves that chance alone would produce.

The two surveys are treated as independent samples. When largely the same people answer both
times the true noise is smaller, so the test errs on the side of marking too little.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from cxassess.errors import InputError
from cxassess.scoring.intervals import (
    beyond_noise,
    nps_sd,
    p_value,
    printed_difference,
    welch_interval,
)
from cxassess.scoring.privacy import same_privacy

if TYPE_CHECKING:
    from cxassess.results import GroupResult, ItemResult, Overall, Results

COMPARISON_SCHEMA = "cxassess.comparison/1"


class _Out(BaseModel):
    model_config = ConfigDict(extra="ignore")


class SideInfo(_Out):
    """Which results a figure comes from: questionnaire, date, respondents, input files."""

    questionnaire: str
    version: str = ""
    title: str = ""
    audience: str = ""
    generated: str = ""
    respondents: int = 0
    input_hash: str = ""
    sources: list[str] = Field(default_factory=list)


class Change(_Out):
    """The change of one figure between two surveys (current minus previous).

    `marked` is True only when the change is beyond the noise by the one rule of
    `scoring.intervals.beyond_noise`: its p-value, adjusted (Benjamini-Hochberg) over the
    changes of its kind in this comparison, is at most 5%, and it is at least 5 points;
    `direction` is then `up` or `down`, else None.
    """

    kind: Literal["overall", "dimension", "item", "outcome", "nps", "gap"]
    id: str
    dimension: str | None = None
    title: str = ""
    previous: float | None = None
    current: float | None = None
    change: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    n_previous: int = 0
    n_current: int = 0
    df: float | None = None
    p_value: float | None = None
    """Two-sided p-value of this change alone (None in files written before)."""
    p_adjusted: float | None = None
    """The p-value adjusted over the changes compared with it (Benjamini-Hochberg)."""
    marked: bool = False
    direction: Literal["up", "down"] | None = None


class GroupChange(_Out):
    """Changes within one group present in both surveys; a group small enough to be hidden in
    either survey keeps only its sizes (rule 11)."""

    segment: str
    value: str
    n_previous: int
    n_current: int
    suppressed: bool = False
    overall: Change | None = None
    dimensions: list[Change] = Field(default_factory=list)


class Comparison(_Out):
    """Every change between two `Results` of one questionnaire (`cxassess.comparison/1`)."""

    schema_: str = Field(default=COMPARISON_SCHEMA, alias="schema")
    questionnaire: str
    current: SideInfo
    previous: SideInfo
    confidence: float = 0.95
    overall: Change
    dimensions: list[Change] = Field(default_factory=list)
    items: list[Change] = Field(default_factory=list)
    outcomes: list[Change] = Field(default_factory=list)
    """Outcome scores (kind `outcome`) and, for NPS questions, the NPS (kind `nps`)."""
    groups: list[GroupChange] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    def to_json(self) -> str:
        """The `cxassess.comparison/1` JSON text."""
        return self.model_dump_json(by_alias=True, indent=2)

    def find(self, kind: str, ident: str) -> Change | None:
        """The change of one figure, e.g. `find("dimension", "capability")`, for templates."""
        pool = {
            "overall": [self.overall],
            "dimension": self.dimensions,
            "item": self.items,
            "outcome": self.outcomes,
            "nps": self.outcomes,
        }.get(kind, [])
        return next((c for c in pool if c.kind == kind and c.id == ident), None)


def side_info(results: Results) -> SideInfo:
    """The identifying facts of a `Results`, as shown beside a comparison or gap."""
    ref = results.questionnaire
    return SideInfo(
        questionnaire=ref.id,
        version=ref.version,
        title=ref.title,
        audience=ref.audience,
        generated=results.generated,
        respondents=results.respondents,
        input_hash=results.input_hash,
        sources=[s.file for s in results.sources],
    )


def change(
    kind: str,
    ident: str,
    previous: tuple[float | None, float | None, int],
    current: tuple[float | None, float | None, int],
    *,
    title: str = "",
    dimension: str | None = None,
) -> Change:
    """One `Change` from (value, sd, n) of each survey, with its Welch interval."""
    prev_value, prev_sd, prev_n = previous
    cur_value, cur_sd, cur_n = current
    fields = {
        "kind": kind,
        "id": ident,
        "dimension": dimension,
        "title": title,
        "previous": prev_value,
        "current": cur_value,
        "n_previous": prev_n,
        "n_current": cur_n,
    }
    if prev_value is None or cur_value is None:
        return Change(**fields)
    return measured_change(fields, cur_value - prev_value, [(cur_sd, cur_n), (prev_sd, prev_n)])


def measured_change(
    fields: dict, difference: float, samples: list[tuple[float | None, int]]
) -> Change:
    """A `Change` with its Welch interval over `samples` (sd, n) and its p-value, marked as a
    family of one (`mark_family` marks it again among the changes compared with it)."""
    interval = welch_interval(difference, samples)
    found = Change(
        **fields,
        change=interval.difference,
        ci_low=interval.low,
        ci_high=interval.high,
        df=interval.df,
        p_value=p_value(interval),
    )
    return mark_family([found])[0]


def mark_family(changes: Sequence[Change | None]) -> list[Change | None]:
    """Mark the changes of one family (the items of a comparison, its dimensions, ...) by the
    one rule of `beyond_noise`: adjusted over the family, and at least the minimum effect."""
    present = [c for c in changes if c is not None]
    decided = beyond_noise(
        [(c.change, c.p_value) for c in present],
        printed=[printed_difference(c.current, c.previous) for c in present],
    )
    for found, (marked, adjusted) in zip(present, decided, strict=True):
        found.marked, found.p_adjusted = marked, adjusted
        found.direction = ("up" if (found.change or 0) > 0 else "down") if marked else None
    return list(changes)


def _marked(changes: list[Change]) -> list[Change]:
    mark_family(changes)
    return changes


def _overall(current: Overall, previous: Overall) -> Change:
    return change(
        "overall",
        "overall",
        (previous.score, previous.sd, previous.n),
        (current.score, current.sd, current.n),
        title="Overall index",
    )


def _item_changes(
    current: Sequence[ItemResult],
    previous: Sequence[ItemResult],
    kind: str,
    earlier_id: dict[str, str | None] | None = None,
) -> list[Change]:
    before = {i.id: i for i in previous}
    found = []
    for item in current:
        old_id = (earlier_id or {}).get(item.id, item.id)
        old = before.get(old_id) if old_id else None
        if old is None:
            continue
        found.append(
            change(
                kind,
                item.id,
                (old.score, old.sd, old.n),
                (item.score, item.sd, item.n),
                title=item.text,
                dimension=item.dimension,
            )
        )
        nps_now, nps_then = getattr(item, "nps", None), getattr(old, "nps", None)
        if nps_now is not None and nps_then is not None:
            found.append(
                change(
                    "nps",
                    item.id,
                    (nps_then, nps_sd(old.promoters, old.detractors, old.n), old.n),  # type: ignore[attr-defined]
                    (nps_now, nps_sd(item.promoters, item.detractors, item.n), item.n),  # type: ignore[attr-defined]
                    title=item.text,
                )
            )
    return found


def _group_changes(current: Sequence[GroupResult], previous: Sequence[GroupResult]):
    before = {(g.segment, g.value): g for g in previous}
    found = []
    for group in current:
        old = before.get((group.segment, group.value))
        if old is None:
            continue
        entry = GroupChange(
            segment=group.segment, value=group.value, n_previous=old.n, n_current=group.n
        )
        if group.suppressed or old.suppressed or group.overall is None or old.overall is None:
            entry.suppressed = True
        else:
            entry.overall = _overall(group.overall, old.overall)
            old_dims = {d.id: d for d in old.dimensions}
            entry.dimensions = _marked(
                [
                    change(
                        "dimension",
                        d.id,
                        (old_dims[d.id].score, old_dims[d.id].sd, old_dims[d.id].n),
                        (d.score, d.sd, d.n),
                        title=d.title,
                    )
                    for d in group.dimensions
                    if d.id in old_dims
                ]
            )
        found.append(entry)
    return found


def _added_and_removed(what: str, current: Sequence[str], previous: Sequence[str]) -> list[str]:
    notes = []
    added = [x for x in current if x not in set(previous)]
    removed = [x for x in previous if x not in set(current)]
    if added:
        notes.append(f"New {what} without a previous figure: {', '.join(added)}.")
    if removed:
        notes.append(f"{what.capitalize()} in the previous survey only: {', '.join(removed)}.")
    return notes


def _kept_meaning(
    current: Results, previous: Results
) -> tuple[dict[str, str | None], set[str], list[str]]:
    """From the questionnaire's `changes:` since the previous version: the earlier id of each
    item (None when its meaning changed, so it is not compared), the dimensions holding such
    items (their scores are not compared either), and notes saying which."""
    since = previous.questionnaire.version
    earlier: dict[str, str | None] = {}
    for entry in current.questionnaire.changes:
        if entry.since != since:
            continue
        earlier[entry.item] = None if entry.new_meaning else (entry.replaces or entry.item)
    if not earlier:
        return {}, set(), []
    dims_of = {i.id: i.dimension for i in current.items}
    reworded = sorted(i for i, old in earlier.items() if old is None)
    changed_dims = {d for i in reworded if (d := dims_of.get(i))}
    renamed = sorted(f"{old} (now {i})" for i, old in earlier.items() if old and old != i)
    notes = []
    if reworded:
        notes.append(
            "Not compared, because their meaning changed in version "
            f"{current.questionnaire.version}: " + ", ".join(reworded) + "."
        )
    if changed_dims:
        notes.append(
            "Dimension scores not compared, because some of their items changed meaning: "
            + ", ".join(sorted(changed_dims))
            + ". The overall index rests on them too: read its change as a rough guide."
        )
    if renamed:
        notes.append("Compared under a new id, with the same meaning: " + ", ".join(renamed) + ".")
    return earlier, changed_dims, notes


def compare_results(current: Results, previous: Results) -> Comparison:
    """Every change from `previous` to `current` (overall, dimensions, items, outcomes with
    NPS, and groups present in both), each with its 95% interval and `marked` when larger
    than its noise. Refuses results of different questionnaires with an `InputError`."""
    cur_ref, prev_ref = current.questionnaire, previous.questionnaire
    current, previous = same_privacy(current, previous)
    if cur_ref.id != prev_ref.id:
        raise InputError(
            f"cannot compare results of questionnaire '{cur_ref.id}' with results of "
            f"'{prev_ref.id}'",
            hint="--compare needs earlier results of the same questionnaire "
            "(to set staff against customers, use `cxassess gap`)",
        )
    notes: list[str] = []
    if cur_ref.version != prev_ref.version:
        notes.append(
            f"The questionnaire changed from version {prev_ref.version} to {cur_ref.version}; "
            "only dimensions and items present in both are compared."
        )
    if previous.generated and current.generated and previous.generated > current.generated:
        notes.append(
            "The 'previous' results were produced after the current ones; check the order."
        )
    notes += _added_and_removed(
        "dimensions", [d.id for d in current.dimensions], [d.id for d in previous.dimensions]
    )
    notes += _added_and_removed(
        "items", [i.id for i in current.items], [i.id for i in previous.items]
    )
    earlier_id, changed_dims, more = _kept_meaning(current, previous)
    notes += more
    old_dims = {d.id: d for d in previous.dimensions if d.id not in changed_dims}
    dimensions = [
        change(
            "dimension",
            d.id,
            (old_dims[d.id].score, old_dims[d.id].sd, old_dims[d.id].n),
            (d.score, d.sd, d.n),
            title=d.title,
        )
        for d in current.dimensions
        if d.id in old_dims
    ]
    return Comparison(
        questionnaire=cur_ref.id,
        current=side_info(current),
        previous=side_info(previous),
        overall=_overall(current.overall, previous.overall),
        dimensions=_marked(dimensions),
        items=_marked(_item_changes(current.items, previous.items, "item", earlier_id)),
        outcomes=_marked(_item_changes(current.outcomes, previous.outcomes, "outcome", earlier_id)),
        groups=_group_changes(current.groups, previous.groups),
        notes=notes,
    )
