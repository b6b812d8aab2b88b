"""The executive summary's words: a short narrative, strengths and priorities, written from
the results so that each sentence states a figure the report shows elsewhere.

Sentences are built only from numbers, group names and texts of the questionnaire (titles,
level summaries, recommendation titles); comments never enter them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cxassess.report.drivers import driver_sentence
from cxassess.report.rounding import difference, margin_text, signed, whole_shares
from cxassess.results import DimensionResult, GroupResult, ItemResult, OutcomeResult, Results

LOW_ALPHA = 0.6
"""Below this Cronbach's alpha, a dimension's items hang together too loosely to read its
score as one measure without care."""


@dataclass(frozen=True)
class Highlight:
    """A strength or a priority: what, where it comes from, and the figure behind it."""

    title: str
    detail: str
    figure: str


def _score(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}"


def score_text(value: float | None, boundaries: Sequence[float] = ()) -> str:
    """A 0-100 score for reading: a whole number, or one decimal (rounded down) where
    rounding would carry it over a level boundary (59.6 shows as 59.6, not 60, when 60 starts
    the next level)."""
    if value is None:
        return "–"
    rounded = round(value)
    if any(value < bound <= rounded for bound in boundaries):
        return f"{math.floor(value * 10) / 10:.1f}"
    return f"{rounded:.0f}"


def boundaries_of(results: Results) -> list[float]:
    """The level boundaries of the results (the lower bounds above 0)."""
    return [level.min for level in results.levels if level.min > 0]


def points_between(high: str, low: str) -> str:
    """The difference of two scores as printed (`71` and `51` give `20`, even when the raw
    scores are 20.6 apart), with as many decimals as the more precise of the two."""
    digits = max(len(t.partition(".")[2]) for t in (high, low))
    return f"{difference(float(high), float(low), digits):.{digits}f}"


CONFIDENCE_WORDS = "the margin chance alone could explain"
"""What "± … at 95% confidence" means, said once where it first appears."""
NPS_WORDS = "promoters minus detractors, from −100 to +100"
"""What a Net Promoter Score is, said once where it first appears."""
FAVOURABLE_WORDS = (
    "Favourable: the share who agree (or, for a negatively worded statement, who disagree)."
)
"""What "favourable" means, printed under the first list that uses it."""

ALPHA_WORDS = (
    "alpha runs from 0 to 1 and says how closely the answers to the questions rise and fall "
    "together"
)
"""What Cronbach's alpha is, beside each dimension's consistency note."""

_WHO = {"staff": "our people", "leader": "leaders", "customer": "customers"}


def respondents_word(results: Results) -> str:
    """Who answered, as the report names them: `our people`, `leaders` or `customers`."""
    return _WHO.get(results.questionnaire.audience, "respondents")


def nps_label(results: Results, outcome: OutcomeResult) -> str:
    """What an NPS-style outcome is, in a few words for a table or a headline figure: the
    customers' Net Promoter Score only when customers answered it; on a staff (or leader)
    questionnaire it is their prediction of the customers' answer (a question with
    `predicts`) or their own willingness to recommend us, never a bare "Net Promoter Score"
    that a board would read as customer loyalty."""
    audience = results.questionnaire.audience
    if audience == "customer":
        return "Net Promoter Score (customers)"
    who, whose = {"staff": ("Staff", "Staff's"), "leader": ("Leaders", "Leaders'")}.get(
        audience, ("Respondents", "Respondents'")
    )
    if outcome.predicts:
        return f"{whose} prediction of customers' NPS"
    return f"{who} would recommend us (NPS)"


def headline_nps(results: Results) -> OutcomeResult | None:
    """The first outcome with a Net Promoter Score (the one the summary reports)."""
    return next((o for o in results.outcomes if o.nps is not None), None)


def margin_of_error(sd: float | None, n: int) -> float | None:
    """Half-width of the 95% confidence interval of a mean score (normal approximation)."""
    if sd is None or n < 2:
        return None
    return 1.96 * sd / n**0.5


def _scored(dimensions: Sequence[DimensionResult]) -> list[DimensionResult]:
    return [d for d in dimensions if d.score is not None]


def _level_title(results: Results, level_id: str | None) -> str:
    return results.level_title(level_id) or "no level"


def _spread_sentence(results: Results, segment: str) -> str | None:
    """Where the groups of one breakdown differ most: the dimension with the widest range
    between the groups shown."""
    shown = [
        g for g in results.groups if g.segment == segment and not g.suppressed and g.dimensions
    ]
    if len(shown) < 2:
        return None
    best: tuple[float, str, GroupResult, GroupResult, float, float] | None = None
    for dim in results.dimensions:
        scored = [
            (g, d.score)
            for g in shown
            for d in g.dimensions
            if d.id == dim.id and d.score is not None
        ]
        if len(scored) < 2:
            continue
        low = min(scored, key=lambda pair: pair[1])
        high = max(scored, key=lambda pair: pair[1])
        spread = high[1] - low[1]  # type: ignore[operator]
        if best is None or spread > best[0]:
            best = (spread, dim.title or dim.id, low[0], high[0], low[1], high[1])  # type: ignore[arg-type]
    if best is None or best[0] < 5:
        return None
    spread, title, low, high, low_score, high_score = best
    low_text, high_text = _score(low_score), _score(high_score)
    return (
        f"{segment.replace('-', ' ').capitalize()}s differ most on {title}: from "
        f"{low_text} in {low.value} to {high_text} in {high.value}, a spread of "
        f"{points_between(high_text, low_text)} points."
    )


def _nps_paragraph(results: Results, customers: Results | None, who: str) -> str:
    """The NPS in words: the customers' when their answers are given (the headline), then the
    respondents' own NPS-style answer, labelled for what it is; what an NPS is is said once,
    where it first appears. Empty without any NPS."""
    sentences = []
    theirs = headline_nps(customers) if customers is not None else None
    if theirs is not None and theirs.nps is not None:
        promoters, _, detractors = whole_shares(
            [theirs.promoters, theirs.passives, theirs.detractors]
        )
        sentences.append(
            f"Customers give a Net Promoter Score ({NPS_WORDS}) of {signed(theirs.nps)}: of "
            f"the {theirs.n} who answered, {promoters or 0}% are promoters (9 or 10) and "
            f"{detractors or 0}% detractors (0 to 6)."
        )
    ours = headline_nps(results)
    if ours is not None and ours.nps is not None:
        promoters, _, detractors = whole_shares([ours.promoters, ours.passives, ours.detractors])
        meaning = "" if sentences else f" ({NPS_WORDS})"
        audience = results.questionnaire.audience
        if audience == "customer":
            sentences.append(
                f"Asked whether they would recommend us, {promoters or 0}% are promoters "
                f"and {detractors or 0}% detractors: a Net Promoter Score{meaning} of "
                f"{signed(ours.nps)}."
            )
        elif ours.predicts:
            sentences.append(
                f"{who.capitalize()} predicted {signed(ours.nps)} ({promoters or 0}% promoters, "
                f"{detractors or 0}% detractors), their view of how customers would answer."
                if sentences
                else f"Asked how customers would answer, {who} predict a Net Promoter "
                f"Score{meaning} of {signed(ours.nps)} ({promoters or 0}% promoters, "
                f"{detractors or 0}% detractors): their view of customers, not a customer "
                "figure."
            )
        else:
            sentences.append(
                f"Asked whether they would themselves recommend us, {promoters or 0}% of "
                f"{who} are promoters and {detractors or 0}% detractors, a score on the NPS "
                f"scale{meaning} of {signed(ours.nps)}; it is not a measure of customer loyalty."
            )
    return " ".join(sentences)


def narrative(
    results: Results,
    *,
    personal: bool = False,
    subject: str = "",
    customers: Results | None = None,
) -> list[str]:
    """Three to five short paragraphs stating the main findings in plain words; with the
    `customers`' results, their Net Promoter Score leads the paragraph on recommending us."""
    paragraphs: list[str] = []
    overall = results.overall
    level = results.level(overall.level)
    if overall.score is None:
        return [
            "There were not enough answers to compute an overall index. Each dimension needs "
            "at least half of its questions answered."
        ]
    who = subject or "the organisation"
    bounds = boundaries_of(results)
    if personal:
        first = (
            f"Your answers give an overall index of {score_text(overall.score, bounds)} out "
            f"of 100, at the {_level_title(results, overall.level)} level."
        )
    else:
        margin = margin_of_error(overall.sd, overall.n)
        plus = (
            f" (± {margin_text(margin)} at 95% confidence, {CONFIDENCE_WORDS})"
            if margin is not None
            else ""
        )
        first = (
            f"{results.respondents} people took part. Their overall index is "
            f"{score_text(overall.score, bounds)} out of 100{plus}, which places {who} at the "
            f"{_level_title(results, overall.level)} level."
        )
    if level and level.summary:
        first += " " + level.summary
    paragraphs.append(first)

    dims = _scored(results.dimensions)
    if len(dims) >= 2:
        ranked = sorted(dims, key=lambda d: d.score or 0, reverse=True)
        top, bottom = ranked[0], ranked[-1]
        if (top.score or 0) - (bottom.score or 0) < 5:
            paragraphs.append(
                f"The {len(dims)} dimensions score within five points of each other "
                f"({_score(bottom.score)} to {_score(top.score)}): no single area stands out, "
                "so look at the individual questions for what to change."
            )
        else:
            top_text, bottom_text = score_text(top.score, bounds), score_text(bottom.score, bounds)
            paragraphs.append(
                f"{top.title} is the strongest dimension ({top_text}, "
                f"{_level_title(results, top.level)}); {bottom.title} is the weakest "
                f"({bottom_text}, {_level_title(results, bottom.level)}), "
                f"{points_between(top_text, bottom_text)} points lower."
            )

    segment = next((g.segment for g in results.groups), None)
    spread = _spread_sentence(results, segment) if segment else None
    if spread:
        hidden = [g for g in results.groups if g.segment == segment and g.suppressed]
        if hidden:
            spread += (
                f" {len(hidden)} group{'s' if len(hidden) != 1 else ''} with too few "
                "respondents to show safely "
                f"{'are' if len(hidden) != 1 else 'is'} counted in the totals only."
            )
        paragraphs.append(spread)

    text = "" if personal else _nps_paragraph(results, customers, respondents_word(results))
    if text and headline_nps(results) is None:
        paragraphs.append(text)
    elif text:
        # with customers' answers the paragraph leads with theirs; the drivers are worked out
        # from our own people's answers, so the sentence must say whose answer it explains
        answer = "that answer"
        if customers is not None and results.drivers is not None:
            driven = next((o for o in results.outcomes if o.id == results.drivers.outcome), None)
            predicted = driven is not None and getattr(driven, "predicts", None)
            answer = "our people's prediction" if predicted else "our people's own answer"
        sentence = driver_sentence(results.drivers, answer)
        if sentence:
            text += " " + sentence
        paragraphs.append(text)

    if not personal:
        loose = [d for d in dims if d.alpha is not None and d.alpha < LOW_ALPHA]
        if loose:
            names = [d.title for d in loose]
            joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
            its, score = (
                ("its", "its score is") if len(names) == 1 else ("their", "their scores are")
            )
            paragraphs.append(
                f"Read {joined} with care: {its} questions were answered less consistently "
                f"than a single theme would suggest, so {score} a rough guide; the "
                "individual questions tell more."
            )
    return paragraphs


def strengths(results: Results, count: int = 3, *, personal: bool = False) -> list[Highlight]:
    """The highest-scoring items, each with its dimension and favourable share (a personal
    report: its score)."""
    titles = {d.id: d.title for d in results.dimensions}
    items = [i for i in results.items if i.score is not None]
    ranked = sorted(items, key=lambda i: (i.favorable or 0, i.score or 0), reverse=True)
    return [_item_highlight(item, titles, personal) for item in ranked[:count]]


def _item_highlight(item: ItemResult, titles: dict[str, str], personal: bool) -> Highlight:
    """A strength: a negatively worded item by its `positive` text, or by its own statement
    with the share who disagree (never the statement beside "favourable")."""
    text, disagree = item.wording()
    share = ""
    if item.favorable is not None:
        share = f"{item.favorable:.0f}% {'disagree' if disagree else 'favourable'}"
    detail = titles.get(item.dimension or "", "")
    figure = f"score {_score(item.score)}" if personal or not share else share
    return Highlight(title=text, detail=detail, figure=figure)


def priorities(
    results: Results,
    count: int = 3,
    *,
    personal: bool = False,
    plan: Sequence[dict[str, Any]] | None = None,
) -> list[Highlight]:
    """What to act on first: the top of the action plan (`plan`, the rows of the one ranked
    plan, survey and gap advice together; without it the survey's recommendations, high
    priority first), topped up with the lowest-scoring items when fewer fired. The summary
    and the plan therefore never disagree on what comes first."""
    titles = {d.id: d.title for d in results.dimensions}
    found: list[Highlight] = []
    seen_items: set[str] = set()
    survey = {rec.title: rec for rec in results.recommendations}
    rows = (
        list(plan)
        if plan is not None
        else [{"source": "survey", "title": r.title} for r in results.recommendations]
    )
    for row in rows[:count]:
        rec = survey.get(row["title"]) if row["source"] == "survey" else None
        if rec is None:
            found.append(
                Highlight(
                    title=row["title"],
                    detail="Perception gap",
                    figure=f"{row.get('priority', '')} priority",
                )
            )
            continue
        if rec.dimension:
            where = titles.get(rec.dimension, rec.dimension)
            figure = f"scores {rec.score:.0f}, below {rec.below:g}"
        else:
            item = next((i for i in results.items if i.id == rec.item), None)
            where = titles.get(item.dimension or "", "") if item else ""
            figure = f"a question averages {rec.score:.1f}, below {rec.below:g}"
            seen_items.add(rec.item or "")
        found.append(Highlight(title=rec.title, detail=where, figure=figure))
    if len(found) < count:
        items = [i for i in results.items if i.score is not None and i.id not in seen_items]
        for item in sorted(items, key=lambda i: (i.favorable or 0, i.score or 0))[
            : count - len(found)
        ]:
            text, disagree = item.wording()
            share = (
                f"{item.unfavorable:.0f}% {'agree' if disagree else 'unfavourable'}"
                if item.unfavorable is not None and not personal
                else f"score {_score(item.score)}"
            )
            found.append(
                Highlight(
                    title=text,
                    detail=titles.get(item.dimension or "", ""),
                    figure=share,
                )
            )
    return found


def alpha_note(alpha: float | None, n: int, *, explain: bool = True) -> str:
    """A plain-words reading of a dimension's Cronbach's alpha; with `explain`, also what
    alpha is (given on the first dimension only, where the word first appears)."""
    words = f"; {ALPHA_WORDS}" if explain else ""
    if alpha is None:
        return (
            "Consistency could not be computed: it needs at least three people who answered "
            "every question of the dimension."
        )
    if alpha < LOW_ALPHA:
        return (
            f"Consistency is low (alpha {alpha:.2f}, {n} complete answers{words}): "
            "people who agreed "
            "with one question often disagreed with another, so the score mixes different "
            "things. Read the questions one by one rather than the score alone."
        )
    if alpha < 0.7:
        return (
            f"Consistency is acceptable (alpha {alpha:.2f}, {n} complete answers{words}): "
            "the score is a fair summary, but read it together with the "
            "questions."
        )
    return (
        f"Consistency is good (alpha {alpha:.2f}, {n} complete answers{words}): "
        "the questions measure one theme, so the score is a sound summary."
    )
