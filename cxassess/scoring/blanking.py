"""How a figure is blanked under rule 11, and the rules that blank figures beyond one group's
own count: the remainder of a breakdown (everyone minus its shown groups), a group's own report
following what the whole report hid for it, and drivers resting on hidden figures.
`privacy.apply_privacy` decides which groups are hidden and calls these."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cxassess.results import Drivers, GroupResult, Results

FIGURE_KINDS = ("items", "outcomes", "dimensions")
"""The kinds of figure a result and each of its groups hold."""

BLANK_DRIVER = {
    "r": None,
    "weight": None,
    "weight_low": None,
    "weight_high": None,
    "focus": False,
    "score": None,
}
"""What a driver keeps of its figures when its item or dimension is hidden: none."""


KEPT = ("id", "dimension", "text", "reverse", "positive", "n", "title", "summary", "weight")


def blank(figure: Any, why: str) -> Any:
    """The same item, outcome or dimension with only its identity and n."""
    kept = {k: v for k, v in figure.model_dump().items() if k in KEPT}
    if "items" in type(figure).model_fields:
        kept["items"] = list(figure.items)
    return type(figure)(**kept, hidden_why=why)


NON_ANSWER_COUNTS = ("dont_know", "not_applicable")
"""An item's counts of who chose "Don't know" and "Does not apply" (not answers, so not in n)."""


def pool(figure: Any) -> int:
    """The respondents an item's figures speak of: its answers and its counted non-answers."""
    return figure.n + sum(getattr(figure, name, None) or 0 for name in NON_ANSWER_COUNTS)


def thin_drivers(drivers: Drivers, minimum: int, blanked: set[str]) -> Drivers:
    """Drivers with the figures of any driver on too few people, or of a blanked item or
    dimension, removed. A kind with any driver removed also loses its ranking (which leads
    was decided with the removed figures in it), and with all removed its R² too, with the
    reason stated, so no sentence or chart speaks of figures that are not shown."""
    update: dict[str, object] = {}
    for part in ("dimensions", "items"):
        found = getattr(drivers, part)
        kept = [
            d if d.n >= minimum and d.id not in blanked else d.model_copy(update=BLANK_DRIVER)
            for d in found
        ]
        update[part] = kept
        removed = [d for d, k in zip(found, kept, strict=True) if k is not d]
        if removed:
            update[f"{part}_leading"] = []
        if found and len(removed) == len(found):
            update[f"{part}_r2"] = None
            update[f"{part}_why_not"] = getattr(drivers, f"{part}_why_not") or (
                "too few people answered for its figures to be shown without risk to anonymity"
            )
    return drivers.model_copy(update=update)


_REST_WHY = (
    "hidden so that the answers of the people outside this breakdown's shown groups (fewer "
    "than {minimum}) cannot be worked out by subtracting the shown groups from everyone"
)


def protect_the_rest(groups: list[GroupResult], whole: Any, minimum: int) -> list[GroupResult]:
    """Groups with further figures blanked so that, in each breakdown, everyone's figure minus
    the shown groups' figures never speaks of 1 to `minimum` - 1 people. Each group is safe
    against the whole on its own (`_thin`), but the shown groups of one breakdown together can
    leave a small remainder: teams of 8 and 8 shown out of 18, with the two people of the hidden
    teams the only others who answered a question, give those two people's answers away. The
    smallest shown group's figure is blanked until the remainder is empty or large enough; the
    non-answer counts follow the same rule over the people they speak of."""
    out = list(groups)
    for segment in dict.fromkeys(g.segment for g in groups):
        members = [i for i, g in enumerate(out) if g.segment == segment and not g.suppressed]
        for name in ("items", "outcomes", "dimensions"):
            for total in getattr(whole, name):
                if total.hidden_why:
                    continue
                for counts in (False, True):
                    _blank_until_safe(out, members, name, total, minimum, counts)
    return out


def _blank_until_safe(
    groups: list[GroupResult], members: list[int], name: str, total: Any, minimum: int, counts: bool
) -> None:
    """`protect_the_rest` for one figure of one breakdown: its values, or (`counts`) its
    non-answer counts."""

    def shown(index: int) -> Any | None:
        figure = next((f for f in getattr(groups[index], name) if f.id == total.id), None)
        if figure is None or figure.hidden_why:
            return None
        if counts and all(getattr(figure, c, None) is None for c in NON_ANSWER_COUNTS):
            return None
        return figure

    if counts and all(getattr(total, c, None) is None for c in NON_ANSWER_COUNTS):
        return
    size = pool if counts else (lambda f: f.n)
    while True:
        present = [(i, f) for i in members if (f := shown(i)) is not None]
        rest = size(total) - sum(size(f) for _i, f in present)
        if not present or not 0 < rest < minimum:
            return
        index, smallest = min(present, key=lambda pair: (size(pair[1]), pair[0]))
        if counts:
            replaced = smallest.model_copy(update=dict.fromkeys(NON_ANSWER_COUNTS))
        else:
            replaced = blank(smallest, _REST_WHY.format(minimum=minimum))
        figures = [replaced if f.id == total.id else f for f in getattr(groups[index], name)]
        groups[index] = groups[index].model_copy(update={name: figures})


def carry_blanks(sub: Results, group: GroupResult) -> Results:
    """A group's own report (`sub`, its respondents scored alone) with every figure blanked
    that the whole report blanks for that group, in the group's figures and in its breakdown.
    Otherwise the team report shows what the organisation's report hid, and the difference of
    the two gives the people behind it away."""
    reference = {(name, f.id): f for name in FIGURE_KINDS for f in getattr(group, name)}
    removed = {f.id for f in (*group.items, *group.dimensions) if f.hidden_why}

    def follow(holder: Any) -> dict[str, list]:
        return {
            name: [_follow(f, reference.get((name, f.id))) for f in getattr(holder, name)]
            for name in FIGURE_KINDS
        }

    groups = [g if g.suppressed else g.model_copy(update=follow(g)) for g in sub.groups]
    drivers = sub.drivers
    if drivers is not None:
        drivers = thin_drivers(drivers, sub.min_group_size, removed)
    return sub.model_copy(update=follow(sub) | {"groups": groups, "drivers": drivers})


def _follow(figure: Any, known: Any) -> Any:
    """`figure` blanked as far as `known` (the whole report's figure for the same people) is."""
    if known is None or figure.hidden_why:
        return figure
    if known.hidden_why:
        return blank(figure, known.hidden_why)
    if all(getattr(known, c, None) is None for c in NON_ANSWER_COUNTS) and any(
        getattr(figure, c, None) is not None for c in NON_ANSWER_COUNTS
    ):
        figure = figure.model_copy(update=dict.fromkeys(NON_ANSWER_COUNTS))
    if getattr(known, "alpha", 0) is None and getattr(figure, "alpha", None) is not None:
        figure = figure.model_copy(update={"alpha": None})
    return figure
