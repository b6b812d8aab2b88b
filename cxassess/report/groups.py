"""Results for one group at a time, for `report --per-group`.

From answers, each group's respondents are scored on their own by the one scoring engine
(`summarise`), so a team's report has everything the organisation's has: consistency, drivers,
recommendations, and breakdowns by the other segments (with their own anonymity rule). From a
results file, the group's figures are taken as scored; recommendations are worked out again
when the questionnaire is known, and drivers are left out (they need the answers).

`group_documents` turns them into finished reports, with file names that are slugs of the
group's value, checked to lie inside the output folder.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from cxassess.errors import InputError
from cxassess.pipeline import resolve_segments
from cxassess.report.context import ReportOptions
from cxassess.report.document import render_document
from cxassess.report.extras import group_additions
from cxassess.report.participation import segment_title, team_sentences
from cxassess.results import GroupResult, Overall, Results
from cxassess.scoring.privacy import NOT_STATED, PrivacySettings
from cxassess.scoring.privacy_groups import protect_within
from cxassess.scoring.summary import fired_recommendations, summarise
from cxassess.scoring.versus import versus_organisation

if TYPE_CHECKING:
    from cxassess.pipeline import ScoredInputs
    from cxassess.rendering.brand import Brand
    from cxassess.report.context import Section
    from cxassess.report.extras import Additions
    from cxassess.report.request import LoadedInputs, ReportOutcome, ReportRequest
    from cxassess.scoring.versus import Beside


def _from_answers(
    request: ReportRequest, scored: ScoredInputs, segment: str, values: Sequence[str]
) -> dict[str, Results]:
    """Each group's results, scored from the answers the whole report was scored from."""
    q, frame, results = scored.questionnaire, scored.frame, scored.results
    (key,), _extra = resolve_segments(q, [segment])
    others = [i for i in scored.segment_ids if i != key and i in frame.columns]
    indexed = frame.with_row_index("_row")

    def people(condition: pl.Expr) -> frozenset[int]:
        return frozenset(indexed.filter(condition)["_row"])

    found: dict[str, Results] = {}
    shown = {
        people(_is(g.segment, g.value))
        for g in results.groups
        if not g.suppressed and g.segment in frame.columns
    }
    for value in values:
        members = frame.filter(_is(key, value))
        # this group's breakdown groups that hold exactly the people of a group the whole
        # report shows are published already: the privacy decision must hide others instead
        fixed = [
            (other, sub)
            for other in others
            for sub in members[other].cast(pl.String).fill_null(NOT_STATED).unique().to_list()
            if people(_is(key, value) & _is(other, sub)) in shown
        ]
        found[value] = summarise(
            q,
            members,
            segments=others,
            min_group_size=results.min_group_size,
            min_comment_group_size=results.min_comment_group_size or None,
            lang=request.lang,
            sources=scored.sources,
            notes=[f"Respondents whose {segment} is {value} only."],
            fixed=fixed,
        )
        threshold = (
            results.min_comment_group_size
            or PrivacySettings(results.min_group_size).comment_threshold
        )
        found[value] = _comments_of_a_group(found[value], threshold)
    return protect_within(results, key, found)


def _comments_of_a_group(group: Results, threshold: int) -> Results:
    """A group's report with its comments left out when fewer than `threshold` people are
    behind them, as the organisation's report leaves out that group's list. (Scored on its
    own, the group is a whole sample, whose comments a small sample keeps: that rule is for a
    person's own answers, not for a team of an organisation.)"""
    if group.respondents >= threshold or not any(c.answers for c in group.comments):
        return group
    return group.model_copy(
        update={
            "comments": [c.model_copy(update={"answers": []}) for c in group.comments],
            "notes": [
                *group.notes,
                f"Comments are left out: they need at least {threshold} people behind them, "
                f"and this group has {group.respondents}.",
            ],
        }
    )


def _is(segment: str, value: str) -> pl.Expr:
    """The respondents whose `segment` is `value` (no value counts as "(not stated)")."""
    return pl.col(segment).cast(pl.String).fill_null(NOT_STATED) == value


def _from_results(loaded: LoadedInputs, group: GroupResult) -> Results:
    results = loaded.results
    q = loaded.questionnaire
    recommendations = (
        fired_recommendations(q, group.dimensions, group.items, results.language)
        if q is not None
        else []
    )
    notes = [f"Respondents whose {group.segment} is {group.value} only."]
    if q is None:
        notes.append("Recommendations need the questionnaire: give it with -q.")
    notes.append("Drivers need the answers: report from the answers to see them per group.")
    return results.model_copy(
        update={
            "respondents": group.n,
            "overall": group.overall or Overall(score=None, level=None, n=group.n),
            "dimensions": group.dimensions,
            "items": group.items,
            "outcomes": group.outcomes,
            "drivers": None,
            "groups": [],
            "recommendations": recommendations,
            "comments": group.comments,
            "notes": notes,
        }
    )


def group_results(
    request: ReportRequest, loaded: LoadedInputs, segment: str, values: Sequence[str]
) -> dict[str, Results]:
    """The results of each named group of `segment` (only groups shown in the results)."""
    if loaded.scored is not None:
        return _from_answers(request, loaded.scored, segment, values)
    by_value = {g.value: g for g in loaded.results.groups if g.segment == segment}
    return {value: _from_results(loaded, by_value[value]) for value in values}


def slug(value: str) -> str:
    """A file-name-safe slug of a group's value: ASCII letters, digits and '-'."""
    ascii_value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", "-", ascii_value.lower()).strip("-")[:60].strip("-")
    return text or "group"


def group_file(out_dir: Path, segment: str, value: str, suffix: str, taken: set[str]) -> Path:
    """The file for one group's report: a slug inside `out_dir`, never outside it."""
    base = f"{slug(segment)}-{slug(value)}"
    name, number = base, 2
    while name in taken:
        name, number = f"{base}-{number}", number + 1
    taken.add(name)
    root = out_dir.resolve()
    target = (root / f"{name}{suffix}").resolve()
    if target.parent != root or not target.is_relative_to(root):
        raise InputError(f"refusing to write outside {out_dir}: {target}")
    return target


def group_documents(
    request: ReportRequest,
    loaded: LoadedInputs,
    brand: Brand,
    suffix: str,
    outcome: ReportOutcome,
    added: Additions,
    previous: Results | None,
) -> list[tuple[Path, str]]:
    """The file and finished HTML of each group's report (groups below the threshold are
    listed in `outcome.skipped_groups` instead), each with its own gap against all customers
    and its change since its previous figures, when the report has them."""
    segment = request.per_group or ""
    out_dir = Path(request.out_dir or "reports")
    groups = [g for g in loaded.results.groups if g.segment == segment]
    if not groups:
        raise InputError(
            f"no breakdown by '{segment}' in the results",
            hint="name a segment of the questionnaire or a column of the input",
        )
    outcome.skipped_groups = [
        f"{g.value} (n={g.n}): {g.hidden_why or 'hidden'}" for g in groups if g.suppressed
    ]
    shown = [g for g in groups if not g.suppressed]
    per_group = group_results(request, loaded, segment, [g.value for g in shown])
    beside = versus_organisation(loaded.results, segment)
    taken: set[str] = set()
    jobs = []
    for group in shown:
        target = group_file(out_dir, segment, group.value, suffix, taken)
        results = per_group[group.value]
        extra = group_additions(results, brand, added, previous, segment, group.value)
        extra.sections.insert(0, ("glance", beside_section(loaded.results, group, beside)))
        if added.participation is not None and added.participation.segment == segment:
            extra.summary += team_sentences(added.participation, group.value)
        options = ReportOptions(
            kind="group",
            paper=request.paper,
            subject=group.value,
            subject_label=segment_title(loaded, segment),
            questionnaire=loaded.questionnaire,
            comparison=extra.comparison,
            summary_extra=extra.summary,
            customers=added.customers.results if added.customers else None,
            gap=extra.gap,
        )
        html = render_document(results, brand, options, request.template, extra.sections)
        jobs.append((target, html))
    return jobs


def _beside_row(
    title: str, own: float | None, whole: float | None, mark: Beside | None, *, depth: int = 0
) -> dict[str, object]:
    """One line of the comparison: both figures as printed, and their difference from the
    printed figures, marked only when `scoring.versus` says it is beyond the noise."""
    shown_own = None if own is None else round(own)
    shown_whole = None if whole is None else round(whole)
    difference = None
    if shown_own is not None and shown_whole is not None:
        difference = shown_own - shown_whole
    marked = bool(mark and mark.marked)
    direction = ""
    if marked and mark is not None and mark.difference is not None:
        direction = "above" if mark.difference > 0 else "below"
    return {
        "title": title,
        "depth": depth,
        "own": shown_own,
        "whole": shown_whole,
        "difference": difference,
        "marked": marked,
        "direction": direction,
    }


def beside_section(organisation: Results, group: GroupResult, beside: dict) -> Section:
    """A team report's section with each of the team's figures beside the whole
    organisation's; a difference is marked only when beyond the noise (the same rule, and the
    same figures, as the organisation report's heatmap)."""
    from cxassess.report.context import Section

    marks = beside.get(group.value, {})
    whole_dims = {d.id: d for d in organisation.dimensions}
    whole_items = {i.id: i for i in organisation.items}
    whole_outcomes = {o.id: o for o in organisation.outcomes}
    rows = []
    if group.overall is not None:
        rows.append(
            _beside_row(
                "Overall index",
                group.overall.score,
                organisation.overall.score,
                marks.get(("overall", "overall")),
            )
        )
    own_items = {i.id: i for i in group.items}
    for dim in group.dimensions:
        whole = whole_dims.get(dim.id)
        rows.append(
            _beside_row(
                dim.title or dim.id,
                None if dim.hidden_why else dim.score,
                whole.score if whole else None,
                marks.get(("dimension", dim.id)),
            )
        )
        for item_id in dim.items:
            item, other = own_items.get(item_id), whole_items.get(item_id)
            if item is None:
                continue
            title = item.positive or item.text or item.id
            if item.reverse and not item.positive:
                title += " (scored the other way round: a high score means most disagree)"
            rows.append(
                _beside_row(
                    title,
                    None if item.hidden_why else item.score,
                    other.score if other else None,
                    marks.get(("item", item.id)),
                    depth=1,
                )
            )
    for outcome in group.outcomes:
        other = whole_outcomes.get(outcome.id)
        if outcome.nps is not None and other is not None and other.nps is not None:
            rows.append(
                _beside_row(
                    f"{outcome.text or outcome.id} (NPS)",
                    outcome.nps,
                    other.nps,
                    marks.get(("nps", outcome.id)),
                )
            )
        else:
            rows.append(
                _beside_row(
                    outcome.text or outcome.id,
                    outcome.score,
                    other.score if other else None,
                    marks.get(("outcome", outcome.id)),
                )
            )
    return Section(
        id="beside",
        template="partials/beside.html",
        title="Beside the whole organisation",
        data={
            "group": group.value,
            "n": group.n,
            "respondents": organisation.respondents,
            "rows": rows,
            "any_marked": any(r["marked"] for r in rows),
        },
    )
