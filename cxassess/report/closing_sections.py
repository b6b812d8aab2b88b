"""The data of the report's closing sections: the action plan, the comments (only for groups
at or above the threshold) and the appendix with the method in plain words.

Each function returns the mapping its template reads (or None when there is nothing to show);
they are called only by `context.build_context`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from cxassess.report.rounding import whole
from cxassess.results import FiredRecommendation, GroupResult, Results

if TYPE_CHECKING:
    from cxassess.compare import Comparison
    from cxassess.gap.model import GapRecommendation, GapResults

SCORING_RULES = [
    (
        "Negatively worded questions",
        "Questions such as \u201cWe often have to guess\u201d are turned around before "
        "anything else, so that a high value always means a good experience.",
    ),
    (
        "Question scores",
        "Each answer becomes a score from 0 to 100: the lowest point of the scale is 0, the "
        "highest 100, the points between evenly spaced.",
    ),
    (
        "A person\u2019s dimension score",
        "The (weighted) average of that person\u2019s question scores in the dimension, "
        "counted only when they answered at least half of its questions.",
    ),
    (
        "A person\u2019s overall index",
        "The (weighted) average of their dimension scores.",
    ),
    (
        "Group scores",
        "The average of the respondents\u2019 scores; n is how many people a figure rests on.",
    ),
    (
        "Favourable, neutral, unfavourable",
        "The share of answers in the top points of the scale (e.g. Agree and Strongly agree), "
        "in the middle point, and in the bottom points, out of everyone who answered. "
        "\u201cDon\u2019t know\u201d and skipped questions are left out, never counted as a value.",
    ),
    (
        "Favourable for negatively worded questions",
        "For a statement such as \u201cdealing with us feels like a chore\u201d, favourable "
        "means disagreeing. Where such a question is named as a strength, a priority, a change "
        "or a gap, the report gives its positive wording from the questionnaire, or says "
        "how many agree or disagree.",
    ),
    (
        "Net Promoter Score",
        "Percent who answer 9 or 10 (promoters) minus percent who answer 0 to 6 "
        "(detractors), from \u2212100 to +100. It measures customer loyalty only when "
        "customers answer it: when customer answers are given, theirs is the headline figure; "
        "our people\u2019s answer on the same scale is labelled as their prediction of "
        "customers, or as their own willingness to recommend us.",
    ),
    (
        "\u00b1 at 95% confidence",
        "A score rests on the people who answered, not on everyone it speaks for. The margin "
        "says how far the figure could be off by chance: in 95 of 100 surveys like this one, "
        "the range it gives holds the true figure. It is wider for small groups and for "
        "answers that vary a lot.",
    ),
    (
        "Change and gap intervals (Welch\u2019s method)",
        "A change since the last survey, or a gap between our people and customers, comes "
        "with a 95% interval worked out by Welch\u2019s method, which allows the two sets of "
        "answers to differ in size and spread. It is called a change or a gap only when the "
        "whole interval lies on one side of zero; anything else is within the noise.",
    ),
    (
        "Differences as printed",
        "Every difference is worked out from the figures as printed, so that 59 then and 61 "
        "now always reads +2; shares are rounded so that they add to 100.",
    ),
    (
        "Correlation (r)",
        "How closely two answers rise and fall together across respondents, from \u22121 to "
        "1: 0 is no link, 1 a perfect one. A link is not proof that one causes the other.",
    ),
    (
        "Consistency (Cronbach\u2019s alpha)",
        "How closely the answers to a dimension\u2019s questions move together, among people "
        "who answered all of them; below 0.6 the score is read as a rough guide.",
    ),
    (
        "Levels",
        "A score belongs to the highest level whose lower bound it reaches. Levels marked "
        "provisional are a starting point set by the questionnaire's authors, not norms "
        "from other organisations.",
    ),
    (
        "Recommendations",
        "Shown when their condition holds (a dimension scoring in the band the advice was "
        "written for, or a question scoring below a set value), high priority first, then by "
        "how far below the score is. With customer answers, the perception gap\u2019s advice "
        "joins them in the one action plan, ranked by priority with them.",
    ),
    (
        "Anonymity",
        "A group with fewer respondents than the minimum group size shows only its number of "
        "respondents, everywhere, comments included. When hiding one group would let a reader "
        "work it out from the total, the next smallest group is hidden too.",
    ),
]


def _primary_segment(results: Results, preferred: str | None = None) -> str | None:
    segments = list(dict.fromkeys(g.segment for g in results.groups))
    if preferred in segments:
        return preferred
    return segments[0] if segments else None


_RANK = {"high": 0, "medium": 1, "low": 2}


def _survey_basis(rec: FiredRecommendation, results: Results) -> str:
    """Why a recommendation of the questionnaire fired, with the figure that made it fire."""
    if rec.dimension:
        title = next((d.title for d in results.dimensions if d.id == rec.dimension), "")
        return f"Why now: {title or rec.dimension} scores {rec.score:.0f}, below {rec.below:g}."
    item = next((i for i in results.items if i.id == rec.item), None)
    if item is None:
        return f"Why now: question {rec.item} averages {rec.score:.1f}, below {rec.below:g}."
    text, disagree = item.wording()
    text = text.rstrip(".")
    if disagree:
        return (
            f"Why now: too few disagree with \u201c{text}\u201d: its average, turned around "
            f"so that higher is better, is {rec.score:.1f}, below {rec.below:g}."
        )
    return f"Why now: \u201c{text}\u201d averages {rec.score:.1f}, below {rec.below:g}."


def _gap_basis(rec: GapRecommendation, gap: GapResults) -> str:
    """Why a piece of gap advice fired, with the figures of the gap section."""
    row = gap.dimension(rec.dimension) if rec.dimension else None
    if rec.status in ("unclear", "aligned") or row is None:
        return (
            "Why now (perception gap): no difference between our people\u2019s and "
            "customers\u2019 scores is clear of the noise."
        )
    figures = f"our people {whole(row.staff or 0)}, customers {whole(row.customer or 0)}"
    if row.status == rec.status:
        return f"Why now (perception gap): {row.title} scores {figures}, a gap beyond the noise."
    count = len(rec.items)
    questions = f"{count} question{'s' if count != 1 else ''}"
    side = "below" if rec.status == "blind-spot" else "above"
    named = "; ".join(f"\u201c{text.rstrip('.')}\u201d" for text in rec.items[:3])
    more = f" and {count - 3} more" if count > 3 else ""
    return (
        f"Why now (perception gap): on {questions} of {row.title} ({named}{more}), customers "
        f"score clearly {side} our people, though the dimension as a whole ({figures}) shows "
        "no clear gap."
    )


def actions_section(results: Results, gap: GapResults | None = None) -> dict[str, Any]:
    """One action plan: every recommendation the survey fired and, with a perception `gap`,
    every piece of gap advice, ranked together by priority (the survey's first within a
    priority, each list in its own order), with empty owner and by-when columns to fill in."""
    found: list[tuple[tuple[int, int, int], dict[str, Any]]] = []
    for order, rec in enumerate(results.recommendations):
        row = {
            "priority": rec.priority,
            "title": rec.title,
            "why": rec.why,
            "actions": rec.actions,
            "basis": _survey_basis(rec, results),
            "source": "survey",
        }
        found.append(((_RANK[rec.priority], 0, order), row))
    for order, advice in enumerate(gap.recommendations if gap is not None else []):
        row = {
            "priority": advice.priority,
            "title": advice.title,
            "why": advice.why,
            "actions": advice.actions,
            "basis": _gap_basis(advice, gap),  # type: ignore[arg-type]
            "source": "gap",
        }
        found.append(((_RANK[advice.priority], 1, order), row))
    found.sort(key=lambda pair: pair[0])
    rows = [{**row, "number": number} for number, (_key, row) in enumerate(found, start=1)]
    return {"rows": rows, "with_gap": gap is not None}


def visible_comments(
    results: Results, primary: str | None
) -> list[tuple[GroupResult, list[tuple[str, list[str]]]]]:
    """Comments grouped by the primary breakdown, only for groups at or above the threshold.

    A comment is kept only if it is also present among the shown groups of every other
    breakdown, so that a comment from a hidden team never appears under, say, a role.
    """
    segments = list(dict.fromkeys(g.segment for g in results.groups))
    others = [s for s in segments if s != primary]
    pools: list[Counter[tuple[str, str]]] = []
    for segment in others:
        pool: Counter[tuple[str, str]] = Counter()
        for group in results.groups:
            if group.segment == segment and not group.suppressed:
                for question in group.comments:
                    pool.update((question.id, a) for a in question.answers)
        pools.append(pool)
    shown = []
    for group in results.groups:
        if group.segment != primary or group.suppressed:
            continue
        questions = []
        for question in group.comments:
            kept = []
            for answer in question.answers:
                key = (question.id, answer)
                if all(pool[key] > 0 for pool in pools):
                    for pool in pools:
                        pool[key] -= 1
                    kept.append(answer)
            if kept:
                questions.append((question.text or question.id, kept))
        if questions:
            shown.append((group, questions))
    return shown


def comments_section(
    results: Results, personal: bool, preferred_segment: str | None
) -> dict[str, Any] | None:
    """Free-text answers: grouped by the primary breakdown when there is one (hidden groups
    left out), else all together."""
    primary = _primary_segment(results, preferred_segment)
    if primary is None:
        questions = [(c.text or c.id, c.answers) for c in results.comments if c.answers]
        if not questions:
            return None
        blocks = [{"label": "", "n": results.respondents, "questions": questions}]
        return {"blocks": blocks, "hidden": 0, "personal": personal, "segment": ""}
    grouped = visible_comments(results, primary)
    hidden = sum(1 for g in results.groups if g.segment == primary and g.suppressed)
    if not grouped and not hidden:
        return None
    blocks = [{"label": g.value, "n": g.n, "questions": qs} for g, qs in grouped]
    return {
        "blocks": blocks,
        "hidden": hidden,
        "personal": personal,
        "segment": primary.replace("-", " "),
        "min_group_size": results.min_group_size,
    }


def _when(stamp: str) -> str:
    """An ISO timestamp as people read it: `25 November 2026, 06:43 UTC`."""
    from datetime import datetime

    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    zone = moment.tzname() or ""
    zone = "UTC" if zone in ("UTC", "UTC+00:00") else zone
    return f"{moment.day} {moment:%B %Y, %H:%M} {zone}".strip()


def appendix_section(
    results: Results,
    personal: bool,
    warnings: Sequence[str],
    comparison: Comparison | None = None,
) -> dict[str, Any]:
    """Method (the scoring rules in plain words) and the data behind the report; with a
    `comparison`, the previous results it was compared with and how change is tested."""
    rules = [
        r
        for r in SCORING_RULES
        if not (
            personal
            and r[0].startswith(
                ("Consistency", "Anonymity", "Group", "\u00b1", "Change", "Correlation")
            )
        )
    ]
    return {
        "rules": rules,
        "questionnaire": results.questionnaire,
        "min_group_size": results.min_group_size,
        "generated": _when(results.generated),
        "input_hash": results.input_hash,
        "sources": results.sources,
        "respondents": results.respondents,
        "notes": results.notes,
        "warnings": list(warnings),
        "language": results.language,
        "personal": personal,
        "previous": None
        if comparison is None
        else {
            "generated": _when(comparison.previous.generated),
            "respondents": comparison.previous.respondents,
            "input_hash": comparison.previous.input_hash,
            "sources": comparison.previous.sources,
            "version": comparison.previous.version,
        },
    }
