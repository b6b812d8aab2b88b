"""The gap report: the context templates see, and HTML and PDF rendering.

`gap_context(gap)` builds the one variable the gap templates read, `gap`: every figure already
formatted, charts as SVG `Markup`, and sentences built from the figures. The stand-alone report
is `report_templates/default/gap/report.html`; the main report can show the same content with
`{% include "gap/section.html" %}` given `gap` (or a `section` whose `data` is that mapping), and
the stylesheet `gap/gap.css`.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cxassess.gap import chart
from cxassess.gap.model import GapRecommendation, GapResults, GapRow
from cxassess.gap.terminal import STATUS_WORDS, change_word
from cxassess.rounding import difference, signed

if TYPE_CHECKING:
    from cxassess.rendering.brand import Brand

TOP_ITEMS = 6
"""How many item gaps the 'largest item gaps' table lists."""


REVERSE_NOTE = "negatively worded: a higher score means fewer agree"
"""Beside a negatively worded question shown in its own words (no `positive` text given)."""


def _score(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}"


def shown_gap(staff: float | None, customer: float | None) -> float | None:
    """The gap as a reader works it out from the two scores as printed (`72` and `60` give
    `+12`, even when the unrounded gap is 11.4)."""
    if staff is None or customer is None:
        return None
    return difference(staff, customer)


def _interval(row: Any) -> str:
    if row.ci_low is None or row.ci_high is None:
        return "–"
    return f"{signed(row.ci_low, 0)} to {signed(row.ci_high, 0)}"


def quote(text: str) -> str:
    """Question wording ready to sit inside quotation marks in a sentence (no final stop)."""
    return text.strip().rstrip(".")


def _date(stamp: str) -> str:
    try:
        when = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp[:10]
    return f"{when.day} {when:%B %Y}"


def _row(
    row: GapRow, palette: chart.GapPalette, limit: float, threshold: float, label: str = ""
) -> dict[str, Any]:
    staff_words, customer_words, disagree = row.wording()
    return {
        "id": row.id,
        "kind": row.kind,
        "label": label or staff_words,
        "customer_text": customer_words,
        "reverse_note": REVERSE_NOTE if disagree else "",
        "staff": _score(row.staff),
        "customer": _score(row.customer),
        "gap": signed(shown_gap(row.staff, row.customer), 0),
        "interval": _interval(row),
        "n_staff": row.n_staff,
        "n_customer": row.n_customer,
        "status": row.status,
        "status_word": STATUS_WORDS[row.status],
        "is_clear": row.clear,
        "dumbbell": chart.dumbbell(
            row.staff, row.customer, palette, emphasis=row.status == "blind-spot"
        ),
        "strip": chart.gap_strip(
            row.gap,
            row.ci_low,
            row.ci_high,
            palette,
            limit=limit,
            threshold=threshold,
            clear=row.clear,
        ),
    }


def headline(gap: GapResults) -> list[str]:
    """A few plain sentences on what the gap shows, built from the figures."""
    lines = []
    overall = gap.overall
    if overall is not None and overall.gap is not None:
        figures = f"overall index {_score(overall.staff)} against {_score(overall.customer)}"
        points = abs(shown_gap(overall.staff, overall.customer) or 0.0)
        if overall.status in ("blind-spot", "staff-higher"):
            lines.append(
                f"Our people rate the service {points:.0f} points higher than "
                f"customers do ({figures})."
            )
        elif overall.status == "hidden-strength":
            lines.append(
                f"Customers rate the service {points:.0f} points higher than our "
                f"people do ({figures})."
            )
        elif overall.status == "aligned":
            lines.append(
                "Overall, our people and customers rate the service about the same "
                f"({figures}); the difference is within the noise."
            )
    dims = [d for d in gap.dimensions if d.status == "blind-spot"]
    if dims:
        worst = max(dims, key=lambda d: d.gap or 0)
        lines.append(
            f"The widest blind spot is {worst.title}: our people score it {_score(worst.staff)}, "
            f"customers {_score(worst.customer)}."
        )
    elif gap.dimensions:
        lines.append(
            "No dimension is a blind spot: nowhere do our people rate the service clearly and "
            f"at least {gap.threshold:g} points above customers."
        )
    items = [i for i in gap.items if i.status == "blind-spot"]
    if items:
        worst_item = max(items, key=lambda i: i.gap or 0)
        _staff_words, customer_words, disagree = worst_item.wording()
        lines.append(
            "Of single questions, the widest gap is on "
            f"{'the negatively worded ' if disagree else ''}"
            f"“{quote(customer_words)}”: customers score it "
            f"{_score(worst_item.customer)}, our people {_score(worst_item.staff)}"
            f"{' (a lower score means more agree)' if disagree else ''}."
        )
    lines += _change_sentences(gap)
    strengths = [d.title for d in gap.dimensions if d.status == "hidden-strength"]
    if strengths:
        lines.append(
            f"Customers rate {' and '.join(strengths)} higher than our people do: a strength "
            "to tell the teams about."
        )
    return lines


def _change_sentences(gap: GapResults) -> list[str]:
    comparison = gap.comparison
    if comparison is None:
        return []
    since = _date(comparison.previous_generated)
    changes = ([comparison.overall] if comparison.overall else []) + comparison.dimensions
    titles = {d.id: d.title for d in gap.dimensions} | {"overall": "the overall index"}
    moved = [c for c in changes if c.marked]
    if not moved:
        return [f"Since {since}, no gap has moved by more than its noise."]
    parts = [
        f"on {titles.get(c.id, c.title)} it {change_word(c)} from {signed(c.previous, 0)} to "
        f"{signed(c.current, 0)}"
        for c in moved
    ]
    return [f"Since {since}, " + "; ".join(parts) + "."]


def _dimension_blocks(gap: GapResults, palette: chart.GapPalette, limit: float):
    blocks = []
    for dim in gap.dimensions:
        items = sorted(
            (i for i in gap.items if i.dimension == dim.id),
            key=lambda i: (i.gap is None, -(i.gap or 0.0)),
        )
        blocks.append(
            {
                **_row(dim, palette, limit, gap.threshold, label="Dimension score"),
                "title": dim.title,
                "items": [_row(i, palette, limit, gap.threshold) for i in items],
            }
        )
    return blocks


def _shown_gap_text(row: Any) -> str:
    """A group's gap as the difference of its two scores as printed elsewhere in the report."""
    shown = shown_gap(row.staff, row.customer)
    return signed(shown if shown is not None else row.gap, 0)


def _groups(gap: GapResults) -> list[dict[str, Any]]:
    tables = []
    titles = [(d.id, d.title) for d in gap.dimensions]
    for segment in dict.fromkeys(g.segment for g in gap.groups):
        groups = [g for g in gap.groups if g.segment == segment]
        against = {
            "both": "each group's staff against the same group's customers",
            "staff": "each group of staff against all customers",
            "customer": "all staff against each group of customers",
        }[groups[0].side]
        rows = []
        for group in groups:
            by_id = {d.id: d for d in group.dimensions}
            cells = []
            for dim_id, _title in titles:
                row = by_id.get(dim_id)
                cells.append(
                    {
                        "text": _shown_gap_text(row) if row else "–",
                        "is_clear": bool(row and row.clear),
                        "status": row.status if row else "too-few",
                    }
                )
            rows.append(
                {
                    "value": group.value,
                    "n_staff": group.n_staff,
                    "n_customer": group.n_customer,
                    "suppressed": group.suppressed,
                    "cells": cells,
                }
            )
        tables.append(
            {
                "segment": segment,
                "against": against,
                "columns": [t for _i, t in titles],
                "rows": rows,
            }
        )
    return tables


def _change(change: Any) -> str:
    """The change of a gap as the difference of the gaps then and now as printed."""
    if change.previous is None or change.current is None:
        return signed(change.change, 0)
    return signed(difference(change.current, change.previous), 0)


def _status_word(rec: GapRecommendation, gap: GapResults) -> str:
    """The classification a piece of advice answers, in words that match the gap table: the
    dimension's, or "hidden strength on 1 question" when only some questions show it."""
    word = STATUS_WORDS.get(rec.status, rec.status)
    row = gap.dimension(rec.dimension) if rec.dimension else None
    if row is None or row.status == rec.status or not rec.items:
        return word
    count = len(rec.items)
    return f"{word} on {count} question{'s' if count != 1 else ''}"


def _comparison(gap: GapResults) -> dict[str, Any] | None:
    comparison = gap.comparison
    if comparison is None:
        return None
    titles = {d.id: d.title for d in gap.dimensions}
    rows = []
    changes = ([comparison.overall] if comparison.overall else []) + comparison.dimensions
    for change in changes:
        rows.append(
            {
                "label": "Overall index"
                if change.id == "overall"
                else titles.get(change.id, change.title),
                "previous": signed(change.previous, 0),
                "current": signed(change.current, 0),
                "change": _change(change),
                "interval": _interval(change),
                "word": change_word(change) or "within the noise",
                "marked": change.marked,
            }
        )
    moved = [c for c in comparison.items if c.marked]
    moved.sort(key=lambda c: -abs(c.change or 0))
    rows_now = {(i.id, i.dimension): i for i in gap.items}
    items = [
        {
            "label": quote(
                rows_now[(c.id, c.dimension)].wording()[0]
                if (c.id, c.dimension) in rows_now
                else c.title
            ),
            "previous": signed(c.previous, 0),
            "current": signed(c.current, 0),
            "change": _change(c),
            "interval": _interval(c),
            "word": change_word(c),
        }
        for c in moved
    ]
    return {
        "since": _date(comparison.previous_generated),
        "rows": rows,
        "items": items,
        "notes": comparison.notes,
    }


def gap_context(
    gap: GapResults, palette: chart.GapPalette | None = None, *, actions_in_plan: bool = False
) -> dict[str, Any]:
    """The mapping the gap templates read as `gap`: formatted figures, SVG charts, sentences.
    With `actions_in_plan` (inside the main report), the advice is listed in the report's one
    action plan instead, and the gap section only points there."""
    palette = palette or chart.GapPalette()
    rows = [*gap.dimensions, *gap.items, *([gap.overall] if gap.overall else [])]
    limit = chart.gap_limit(
        [v for r in rows for v in (r.ci_low, r.ci_high, r.gap)] + [gap.threshold]
    )
    summary_rows = [_row(d, palette, limit, gap.threshold) for d in gap.dimensions]
    if gap.overall is not None:
        summary_rows.append(_row(gap.overall, palette, limit, gap.threshold))
    titles = {d.id: d.title for d in gap.dimensions}
    top_items = [
        {**_row(i, palette, limit, gap.threshold), "dimension": titles.get(i.dimension or "", "")}
        for i in gap.items
        if i.gap is not None
    ][:TOP_ITEMS]
    return {
        "title": "The experience perception gap",
        "subtitle": "What our people believe they deliver, against what customers say they receive",
        "date": _date(gap.generated),
        "language": gap.language,
        "staff": {
            "title": gap.staff.title or gap.staff.questionnaire,
            "id": gap.staff.questionnaire,
            "version": gap.staff.version,
            "n": gap.staff.respondents,
            "date": _date(gap.staff.generated),
            "input_hash": gap.staff.input_hash[:16],
        },
        "customer": {
            "title": gap.customer.title or gap.customer.questionnaire,
            "id": gap.customer.questionnaire,
            "version": gap.customer.version,
            "n": gap.customer.respondents,
            "date": _date(gap.customer.generated),
            "input_hash": gap.customer.input_hash[:16],
        },
        "threshold": f"{gap.threshold:g}",
        "confidence": f"{gap.confidence * 100:g}",
        "headline": headline(gap),
        "legend": chart.legend(palette),
        "score_axis": chart.score_axis(),
        "gap_axis": chart.gap_axis(limit),
        "summary": summary_rows,
        "dimensions": _dimension_blocks(gap, palette, limit),
        "top_items": top_items,
        "more_items": max(0, len(gap.items) - len(top_items)),
        "nps": [
            {
                "id": n.id,
                "staff": signed(n.staff, 0),
                "customer": signed(n.customer, 0),
                "gap": signed(shown_gap(n.staff, n.customer), 0),
                "interval": _interval(n),
                "is_clear": n.clear,
            }
            for n in gap.nps
        ],
        "recommendations": [
            {
                "priority": r.priority,
                "title": r.title,
                "why": r.why,
                "actions": r.actions,
                "items": [quote(i) for i in r.items],
                "dimension": titles.get(r.dimension or "", ""),
                "status_word": _status_word(r, gap),
            }
            for r in gap.recommendations
        ],
        "actions_in_plan": actions_in_plan,
        "groups": _groups(gap),
        "comparison": _comparison(gap),
        "unpaired": gap.unpaired,
        "notes": gap.notes,
        "colours": {"primary": palette.primary, "accent": palette.accent},
    }


# ---------------------------------------------------------------- rendering


def palette_of(brand: Brand | None) -> chart.GapPalette:
    """The chart colours: the brand's primary and accent colours, or the built-in ones."""
    if brand is None:
        return chart.GapPalette()
    colours = brand.settings.colours
    return chart.GapPalette(primary=colours.primary, accent=colours.accent)


def _document(brand: Brand | None) -> dict[str, Any]:
    """What the stand-alone report shows of the brand: organisation, logo, paper, colours."""
    settings = brand.settings if brand is not None else None
    palette = palette_of(brand)
    return {
        "organisation": settings.organisation if settings else "",
        "confidentiality": settings.confidentiality if settings else "",
        "paper": settings.paper if settings else "A4",
        "logo": brand.logo.data_uri() if brand is not None and brand.logo else None,
        "primary": palette.primary,
        "accent": palette.accent,
    }


def render_gap_html(
    gap: GapResults,
    *,
    brand: Brand | None = None,
    template_folder: str | Path | None = None,
) -> str:
    """The stand-alone gap report as one HTML document (styles and fonts inline, charts as
    SVG), from `gap/report.html` in the template folder or the built-in theme."""
    from cxassess.rendering.render import render_template

    return render_template(
        "gap/report.html",
        {"gap": gap_context(gap, palette_of(brand)), "document": _document(brand)},
        template_folder,
    )


def render_gap_pdf(
    gap: GapResults,
    *,
    brand: Brand | None = None,
    template_folder: str | Path | None = None,
) -> bytes:
    """The stand-alone gap report as PDF bytes (tagged PDF/UA), rendered by the report's
    WeasyPrint call, whose URL fetcher reads only the template folders and the brand's files."""
    from cxassess.rendering.render import html_to_pdf

    html = render_gap_html(gap, brand=brand, template_folder=template_folder)
    return html_to_pdf(
        html,
        template_folder=template_folder,
        brand_files=brand.allowed_files() if brand is not None else (),
    )
