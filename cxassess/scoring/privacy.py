"""Rule 11: what of scored results may be shown. Applied once, here, for every command.

`apply_privacy` takes results (fresh from scoring, or read back from a file, which is not
trusted) and the privacy settings, and returns the results with everything that could give a
person away left out: groups hidden as `differencing.decide` says (the reason stored on each
group), item and dimension figures answered by fewer than the minimum, and comments where
their group is too small or could be told apart from a larger list.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cxassess.errors import InputError
from cxassess.results import GroupResult, Results
from cxassess.scoring.blanking import (
    NON_ANSWER_COUNTS,
    blank,
    pool,
    protect_the_rest,
    thin_drivers,
)
from cxassess.scoring.options import DEFAULT_MIN_GROUP_SIZE

if TYPE_CHECKING:
    from cxassess.scoring.differencing import Hidden, Key, Membership

NOT_STATED = "(not stated)"


DEFAULT_MIN_COMMENT_GROUP_SIZE = 10
"""The smallest group whose comments are shown (as Glint uses), unless told otherwise."""


@dataclass(frozen=True)
class PrivacySettings:
    """The thresholds of rule 11. `min_comment_group_size` None means the default (10), or
    the score threshold when that is higher; given, it may not be below the score threshold."""

    min_group_size: int = DEFAULT_MIN_GROUP_SIZE
    min_comment_group_size: int | None = None

    def __post_init__(self) -> None:
        if self.min_group_size < 1:
            raise InputError(
                f"--min-group-size must be at least 1, not {self.min_group_size}",
                hint="5 is the usual choice",
            )
        given = self.min_comment_group_size
        if given is not None and given < self.min_group_size:
            raise InputError(
                f"--min-comment-group-size {given} is below --min-group-size {self.min_group_size}",
                hint="comments need at least as large a group as scores; leave the option "
                f"out for {max(DEFAULT_MIN_COMMENT_GROUP_SIZE, self.min_group_size)}",
            )

    @property
    def comment_threshold(self) -> int:
        """The smallest group whose comments are shown."""
        if self.min_comment_group_size is not None:
            return self.min_comment_group_size
        return max(DEFAULT_MIN_COMMENT_GROUP_SIZE, self.min_group_size)


def _titles(results: Results) -> dict[str, str]:
    return {g.segment: g.segment for g in results.groups}


def membership(results: Results) -> Membership:
    """Who belongs to which group of `results`, as far as the results tell."""
    # imported here, not at the top: NumPy then loads in the background while the inputs
    # parse (pipeline._import_in_background) instead of when the pipeline is imported
    from cxassess.scoring.differencing import membership_of

    return membership_of(
        [(g.segment, g.value, g.n) for g in results.groups], results.respondents, results.crossing
    )


def hidden_groups(
    results: Results,
    settings: PrivacySettings,
    titles: Mapping[str, str] | None = None,
    fixed: Collection[Key] = (),
) -> dict[Key, Hidden]:
    """Which groups of `results` must be hidden, and why (groups hidden already stay so;
    groups in `fixed` are published elsewhere already and are never the ones chosen)."""
    # imported here for start-up time, as in `membership`
    from cxassess.scoring.differencing import Hidden, decide

    already = {
        (g.segment, g.value): Hidden(
            g.hidden_reason or "too_few", g.hidden_why or "hidden when the results were scored"
        )
        for g in results.groups
        if g.suppressed
    }
    return decide(
        membership(results),
        settings.min_group_size,
        already=already,
        titles=titles or _titles(results),
        fixed=fixed,
    )


def _counts_kept(figure: Any, minimum: int, wider: Mapping[str, int] | None) -> Any:
    """A shown figure, without its non-answer counts when they speak of fewer than `minimum`
    people (say, three people who all chose "Don't know"), or when, with `wider` (the pools of
    a group holding this one), the two pools differ by fewer than `minimum` people."""
    people = pool(figure)
    wider_pool = people if wider is None else wider.get(figure.id, people)
    if 0 < people < minimum or 0 < wider_pool - people < minimum:
        return figure.model_copy(update=dict.fromkeys(NON_ANSWER_COUNTS))
    return figure


def _thin(
    figures: list,
    minimum: int,
    wider: Mapping[str, int] | None = None,
    wider_pools: Mapping[str, int] | None = None,
) -> list:
    """Figures with fewer than `minimum` answers blanked; with `wider` (the same figure's n in
    a group holding this one), also those whose n differs from it by fewer than the minimum.
    The non-answer counts of a figure that stays are held to the same two rules, counted
    over everyone they speak of (`blanking.pool`)."""
    out = []
    for f in figures:
        if any(getattr(f, name, None) is not None for name in NON_ANSWER_COUNTS):
            f = _counts_kept(f, minimum, wider_pools)
        if f.hidden_why:
            out.append(f)
        elif 0 < f.n < minimum:
            out.append(blank(f, f"answered by fewer than {minimum} people"))
        elif wider is not None and 0 < wider.get(f.id, f.n) - f.n < minimum:
            out.append(
                blank(
                    f,
                    f"hidden so that the answers of fewer than {minimum} people "
                    "cannot be worked out from a larger group",
                )
            )
        else:
            out.append(f)
    return out


def _without_small_alpha(dimension: Any, minimum: int) -> Any:
    """A dimension whose consistency (alpha) rests on fewer than `minimum` people's complete
    answers, with alpha left out: it is a figure of those few people."""
    if dimension.alpha is not None and dimension.alpha_n < minimum:
        return dimension.model_copy(update={"alpha": None})
    return dimension


def _figures(holder: Any, minimum: int, wider: Any = None) -> dict[str, Any]:
    """Item, outcome and dimension figures of the whole sample or a group, thinned."""

    def ns(name: str) -> Mapping[str, int] | None:
        return None if wider is None else {f.id: f.n for f in getattr(wider, name)}

    def pools(name: str) -> Mapping[str, int] | None:
        return None if wider is None else {f.id: pool(f) for f in getattr(wider, name)}

    update = {
        name: _thin(getattr(holder, name), minimum, ns(name), pools(name))
        for name in ("items", "outcomes", "dimensions")
    }
    update["dimensions"] = [_without_small_alpha(d, minimum) for d in update["dimensions"]]
    overall = holder.overall
    if overall is not None and overall.score is not None and overall.n < minimum:
        update["overall"] = overall.model_copy(update={"score": None, "level": None, "sd": None})
    return update


def _comment_lists(
    results: Results, members: Membership, hidden: Collection[Key], threshold: int
) -> tuple[bool, set[Key]]:
    """Whether the whole sample's comments may be shown, and which groups' comments may: the
    people behind a list (its group without members of hidden groups) number at least
    `threshold`, and no larger shown list holds them with fewer than `threshold` more."""
    import numpy as np  # imported here for start-up time, as in `membership`

    shown = [(g.segment, g.value) for g in results.groups if (g.segment, g.value) not in hidden]
    if members.matrix is None or members.weights is None:
        # Who belongs where is not known: only what holds however the groups overlap.
        left = results.respondents - sum(members.sizes[k] for k in hidden)
        ok = {
            k
            for k in shown
            if not hidden
            and members.sizes[k] >= threshold
            and not 0 < results.respondents - members.sizes[k] < threshold
        }
        return left >= threshold, ok
    keep = np.ones(members.matrix.shape[1], dtype=bool)
    for key in hidden:
        keep &= ~members.row(key)
    people = {k: members.row(k) & keep for k in shown}
    size = {k: int(members.weights[v].sum()) for k, v in people.items()}
    whole = int(members.weights[keep].sum())
    listed = {k for k in shown if size[k] >= threshold}
    changed = True
    while changed:
        changed = False
        for inner in sorted(listed, key=lambda k: (size[k], k)):
            outers = [(keep, whole)] + [(people[k], size[k]) for k in listed if k != inner]
            if any(
                np.all(outer >= people[inner]) and 0 < n - size[inner] < threshold
                for outer, n in outers
            ):
                listed.discard(inner)
                changed = True
                break
    return whole >= threshold, listed


def _sorted_comments(comments: list) -> list:
    return [
        c.model_copy(update={"answers": sorted(c.answers, key=lambda a: (a.casefold(), a))})
        for c in comments
    ]


def apply_privacy(
    results: Results,
    settings: PrivacySettings,
    *,
    titles: Mapping[str, str] | None = None,
    comments_without: Collection[Key] | None = None,
    fixed: Collection[Key] = (),
) -> Results:
    """What of `results` may be shown under `settings` (rule 11), decided once for every output.

    Groups are hidden as `differencing.decide` says, keeping only n and the reason; item,
    outcome and dimension figures with fewer answers than the minimum are blanked with the
    reason, in the whole sample and in every shown group, and so are a group's figures whose
    answer count differs from the whole sample's by fewer than the minimum; comments are kept
    only for lists of at least the comment threshold, in a fixed order (not the file's).
    `comments_without` names the groups whose members' comments the lists already leave out
    (by default those hidden in `results`); if more groups are hidden now, their members'
    comments cannot be told apart, so every comment is left out and a note says so. `fixed`
    names groups that hold exactly the people of a group published elsewhere (a team's
    managers who are all the managers): never chosen to be hidden, since that protects no one."""
    minimum = max(settings.min_group_size, results.min_group_size)
    if minimum != settings.min_group_size:
        settings = PrivacySettings(minimum, settings.min_comment_group_size)
    threshold = max(settings.comment_threshold, results.min_comment_group_size)
    members = membership(results)
    hidden = hidden_groups(results, settings, titles, fixed)
    excluded = set(
        comments_without
        if comments_without is not None
        else ((g.segment, g.value) for g in results.groups if g.suppressed)
    )
    notes = list(results.notes)
    label = titles or {}
    for g in results.groups:
        key = (g.segment, g.value)
        if key in hidden and not g.suppressed and hidden[key].reason != "too_few":
            why = hidden[key].why
            notes.append(f"{label.get(g.segment, g.segment)} '{g.value}' (n={g.n}) is also {why}.")
    drop_all = bool(set(hidden) - excluded)
    whole_comments, listed = _comment_lists(results, members, hidden, threshold)
    if drop_all and any(c.answers for c in results.comments):
        notes.append(
            "Comments are left out: more groups are hidden than when the answers were scored, "
            "and which comment came from whom is not kept."
        )
    groups = []
    # the whole sample is what was asked for; with fewer people than the minimum in all (one
    # person's own assessment), its figures are theirs to see
    whole_figures = (
        _figures(results, minimum)
        if results.respondents >= minimum
        else {
            "items": results.items,
            "outcomes": results.outcomes,
            "dimensions": results.dimensions,
        }
    )
    wider = results.model_copy(update=whole_figures)
    for g in results.groups:
        key = (g.segment, g.value)
        if key in hidden:
            groups.append(
                GroupResult(
                    segment=g.segment,
                    value=g.value,
                    n=g.n,
                    suppressed=True,
                    hidden_reason=hidden[key].reason,
                    hidden_why=hidden[key].why,
                )
            )
            continue
        comments = g.comments
        if drop_all or key not in listed:
            comments = [c.model_copy(update={"answers": []}) for c in comments]
        update = _figures(g, minimum, wider) | {"comments": _sorted_comments(comments)}
        groups.append(g.model_copy(update=update))
    groups = protect_the_rest(groups, wider, minimum)
    comments = results.comments
    if drop_all or (not whole_comments and results.respondents >= threshold):
        comments = [c.model_copy(update={"answers": []}) for c in comments]
    blanked = {
        f.id for f in (*whole_figures["items"], *whole_figures["dimensions"]) if f.hidden_why
    }
    recommendations = [
        r for r in results.recommendations if (r.item or r.dimension or "") not in blanked
    ]
    drivers = results.drivers
    if drivers is not None:
        drivers = thin_drivers(drivers, minimum, blanked)
    notes = [n for n in notes if "to protect anonymity" not in n]
    if any(g.suppressed for g in groups):
        notes.append(
            f"Groups with fewer than {minimum} respondents, and groups whose figures could "
            "give a smaller group away, show only their number of respondents, to protect "
            "anonymity; the members of hidden groups give no comment anywhere."
        )
    return results.model_copy(
        update=whole_figures
        | {
            "groups": groups,
            "comments": _sorted_comments(comments),
            "min_group_size": minimum,
            "min_comment_group_size": threshold,
            "recommendations": recommendations,
            "drivers": drivers,
            "notes": list(dict.fromkeys(notes)),
        }
    )


def same_privacy(current: Results, previous: Results) -> tuple[Results, Results]:
    """Both results re-checked (`apply_privacy`) under the stricter of their thresholds, so that
    a group hidden in one survey is protected in the other as well, and a file that claims a
    threshold it does not keep is corrected before anything of it is shown."""
    settings = PrivacySettings(
        max(current.min_group_size, previous.min_group_size),
        max(current.min_comment_group_size, previous.min_comment_group_size) or None,
    )
    return apply_privacy(current, settings), apply_privacy(previous, settings)
