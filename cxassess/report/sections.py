"""The data of the report's analytic sections: one per dimension, the heatmap, and outcomes
with drivers (the closing ones are in `closing_sections`).

Each function returns the mapping its template reads (or None when the section has nothing to
show). They are called only by `context.build_context`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cxassess.report import change, charts, narrative, rounding
from cxassess.report.breakdown_charts import difference_legend, heat_rows
from cxassess.report.drivers import driver_pages
from cxassess.results import ItemResult, Results

if TYPE_CHECKING:
    from cxassess.compare import Comparison
    from cxassess.format.models import Questionnaire

HEATMAP_ROWS_PER_CHART = 22
"""Rows per heatmap chart: a chart never splits across pages, so long ones are cut in parts."""
DOT_PLOT_MAX_GROUPS = 12


def _level_title(results: Results, level_id: str | None) -> str:
    return results.level_title(level_id)


def _primary_segment(results: Results, preferred: str | None = None) -> str | None:
    segments = list(dict.fromkeys(g.segment for g in results.groups))
    if preferred in segments:
        return preferred
    return segments[0] if segments else None


def _personal_answer(item: ItemResult, questionnaire: Questionnaire | None) -> str:
    """The answer a single respondent gave to an item, as its label."""
    given = [value for value, count in item.distribution.items() if count]
    if not given:
        return "not answered"
    value = given[0]
    if questionnaire is not None:
        try:
            question = questionnaire.question(item.id)
        except KeyError:
            return value
        scale = questionnaire.scale_of(question)
        for point in scale.resolved_points():
            if f"{point.value:g}" == value:
                label = questionnaire.text(point.label)
                return label if label == value else f"{label} ({value})"
    return value


def dimension_sections(
    results: Results,
    palette: charts.Palette,
    personal: bool,
    questionnaire: Questionnaire | None,
    *,
    comparison: Comparison | None = None,
) -> list[dict[str, Any]]:
    """One mapping per dimension: score, level and meaning, items as stacked bars, consistency,
    the groups' scores, and the recommendations that concern it; with a `comparison`, the
    change of the dimension and of each item since then."""

    def moved(kind: str, ident: str) -> dict[str, Any] | None:
        return change.mark(comparison.find(kind, ident)) if comparison is not None else None

    found = []
    segment = _primary_segment(results)
    for index, dim in enumerate(results.dimensions):
        level = results.level(dim.level)
        items = [i for i in results.items if i.dimension == dim.id]
        if not personal:
            items.sort(key=lambda i: (i.favorable is None, -(i.favorable or 0)))
        rows = []
        for number, item in enumerate(items):
            favourable, neutral, unfavourable = rounding.whole_shares(
                [item.favorable, item.neutral, item.unfavorable]
            )
            rows.append(
                {
                    "text": item.text or item.id,
                    "reverse": item.reverse,
                    "score": item.score,
                    "mean": item.mean,
                    "n": item.n,
                    "favorable": item.favorable,
                    "dont_know": item.dont_know,
                    "not_applicable": item.not_applicable,
                    "shares": (favourable, neutral, unfavourable),
                    "answer": _personal_answer(item, questionnaire) if personal else "",
                    "change": moved("item", item.id),
                    "bar": charts.stacked_bar(
                        favourable,
                        neutral,
                        unfavourable,
                        palette,
                        width=185,
                        key=f"d{index}i{number}",
                    )
                    if not personal
                    else charts.score_bar(item.score, palette, width=185),
                }
            )
        groups = []
        if segment and not personal:
            for group in results.groups:
                if group.segment != segment or group.suppressed:
                    continue
                score = next((d.score for d in group.dimensions if d.id == dim.id), None)
                if score is not None:
                    groups.append((group.value, score, group.n))
        groups.sort(key=lambda g: -g[1])
        dots = None
        if 2 <= len(groups) <= DOT_PLOT_MAX_GROUPS:
            dots = charts.dot_plot(groups, dim.score, palette, width=370, key=f"dots{index}")
        hidden = sum(1 for g in results.groups if g.segment == segment and g.suppressed)
        item_ids = {i.id for i in items}
        recs = [r for r in results.recommendations if r.dimension == dim.id or r.item in item_ids]
        found.append(
            {
                "id": dim.id,
                "number": index + 1,
                "count": len(results.dimensions),
                "title": dim.title or dim.id,
                "summary": dim.summary,
                "score": dim.score,
                "score_text": narrative.score_text(dim.score, narrative.boundaries_of(results)),
                "level": results.level_title(dim.level),
                "level_name": level.title if level else "",
                "level_summary": level.summary if level else "",
                "n": dim.n,
                "alpha": dim.alpha,
                "alpha_note": ""
                if personal
                else narrative.alpha_note(dim.alpha, dim.alpha_n, explain=index == 0),
                "alpha_low": dim.alpha is not None and dim.alpha < narrative.LOW_ALPHA,
                "items": rows,
                "legend": charts.legend_swatches(
                    palette,
                    [("solid", "Favourable"), ("light", "Neutral"), ("hatched", "Unfavourable")],
                    key=f"legend{index}",
                ),
                "scale": charts.level_scale(
                    dim.score,
                    [charts.Band(lv.min, lv.title) for lv in results.levels],
                    palette,
                    width=250,
                    key=f"dscale{index}",
                ),
                "dots": dots,
                "segment_title": segment or "",
                "hidden_groups": hidden,
                "recommendations": recs,
                "personal": personal,
                "change": moved("dimension", dim.id),
                "compared": comparison is not None,
                "since": change.when(comparison.previous.generated) if comparison else "",
                "since_month": change.month(comparison.previous.generated) if comparison else "",
            }
        )
    return found


def heatmap_section(results: Results, palette: charts.Palette) -> dict[str, Any] | None:
    """One heatmap per breakdown (segment): groups by dimension, hidden groups marked."""
    segments = list(dict.fromkeys(g.segment for g in results.groups))
    if not segments:
        return None
    dims = [d.id for d in results.dimensions]
    columns = ["Overall", *((d.title or d.id) for d in results.dimensions)]
    parts = []
    for number, segment in enumerate(segments):
        rows = heat_rows(results, segment, dims)
        chunks = [
            rows[i : i + HEATMAP_ROWS_PER_CHART]
            for i in range(0, len(rows), HEATMAP_ROWS_PER_CHART)
        ]
        hidden = [r for r in rows if r.suppressed]
        parts.append(
            {
                "segment": segment,
                "title": segment.replace("-", " ").capitalize(),
                "charts": [
                    charts.heatmap(
                        columns,
                        chunk,
                        palette,
                        min_group_size=results.min_group_size,
                        width=650,
                        key=f"heat{number}-{n}",
                    )
                    for n, chunk in enumerate(chunks)
                ],
                "groups": len(rows) - 1,
                "hidden": len(hidden),
            }
        )
    return {
        "segments": parts,
        "legend": difference_legend(),
        "min_group_size": results.min_group_size,
        "notes": [n for n in results.notes if "hidden" in n.lower()],
    }


def outcomes_section(
    results: Results,
    palette: charts.Palette,
    personal: bool,
    questionnaire: Questionnaire | None,
    *,
    comparison: Comparison | None = None,
) -> dict[str, Any] | None:
    """Outcome questions (NPS with its distribution) and the driver chart with focus areas;
    with a `comparison`, the change of each outcome (of its NPS for 0-10 questions)."""
    if not results.outcomes:
        return None
    outcomes = []
    for index, outcome in enumerate(results.outcomes):
        promoters, passives, detractors = rounding.whole_shares(
            [outcome.promoters, outcome.passives, outcome.detractors]
        )
        entry: dict[str, Any] = {
            "text": outcome.text or outcome.id,
            "nps_label": narrative.nps_label(results, outcome),
            "n": outcome.n,
            "score": outcome.score,
            "nps": outcome.nps,
            "promoters": promoters,
            "passives": passives,
            "detractors": detractors,
            "answer": _personal_answer(outcome, questionnaire) if personal else "",
            "chart": None,
            "change": None,
            "since": change.when(comparison.previous.generated) if comparison else "",
        }
        if comparison is not None:
            kind = "nps" if outcome.nps is not None else "outcome"
            entry["change"] = change.mark(comparison.find(kind, outcome.id))
        if not personal and outcome.nps is not None:
            entry["chart"] = charts.nps_distribution(
                outcome.distribution, palette, width=400, key=f"nps{index}"
            )
        elif not personal and outcome.n:
            entry["chart"] = charts.answer_distribution(
                [
                    (label, count, kind)
                    for label, count, kind in _scale_points(outcome, questionnaire)
                ],
                palette,
                key=f"dist{index}",
            )
        outcomes.append(entry)
    drivers = None if personal else driver_pages(results, palette)
    return {"outcomes": outcomes, "drivers": drivers, "personal": personal}


def _scale_points(
    outcome: ItemResult, questionnaire: Questionnaire | None
) -> list[tuple[str, int, str]]:
    found = []
    labels: dict[str, str] = {}
    favourable: set[str] = set()
    neutral: set[str] = set()
    if questionnaire is not None:
        try:
            scale = questionnaire.scale_of(questionnaire.question(outcome.id))
            labels = {f"{p.value:g}": questionnaire.text(p.label) for p in scale.resolved_points()}
            favourable = {f"{v:g}" for v in scale.favorable_values()}
            neutral = {f"{v:g}" for v in scale.neutral_values()}
        except KeyError:
            pass
    for value, count in outcome.distribution.items():
        kind = "favourable" if value in favourable else "neutral" if value in neutral else "other"
        found.append((labels.get(value, value), count, kind))
    return found
