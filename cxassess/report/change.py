"""Change since the previous survey, as the report shows it: a mark beside each figure and a
short section on what moved.

A change is *marked* (an arrow, ▲ up or ▼ down, in bold) only when its 95% interval excludes
zero (`cxassess.compare`); any other change is printed small and grey, so that nobody reads a
move within the noise as news. Every score is "higher is better" (negatively worded questions
are turned around before scoring), so up is good news everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from cxassess.report.narrative import nps_label
from cxassess.report.rounding import difference, signed
from cxassess.report.svg import INK, MUTED, RULE, Palette, num, svg

if TYPE_CHECKING:
    from cxassess.compare import Change, Comparison, GroupChange
    from cxassess.results import Results

REVERSE_READING = {
    "up": "negatively worded: fewer people agree than before",
    "down": "negatively worded: more people agree than before",
}
"""What a move of a negatively worded statement means, for one without a `positive` text."""
UP = "\u25b2"
DOWN = "\u25bc"
HIDDEN_WORDS = "too few answers to show"
MOVED_ITEMS_SHOWN = 6
"""Questions listed per direction in the change section (the largest moves first)."""
CHART_WIDTH = 200
CHART_PAD = 7


def when(stamp: str) -> str:
    """An ISO timestamp as a date people read: `1 March 2025`."""
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp[:10] or "the previous survey"
    return f"{moment.day} {moment:%B %Y}"


def month(stamp: str) -> str:
    """An ISO timestamp as a short month for tight places: `Mar 2025`."""
    try:
        return f"{datetime.fromisoformat(stamp):%b %Y}"
    except ValueError:
        return stamp[:7]


def digits_of(change: Change, digits: int = 0) -> int:
    """The decimals to print a change's figures with: `digits`, or one more when the change is
    beyond the noise but the figures as printed would be equal (a clear change never reads as
    nothing)."""
    if change.marked and _moved_by(change, digits) == 0:
        return digits + 1
    return digits


def _moved_by(change: Change, digits: int) -> float:
    """The change as a reader works it out from the printed then and now figures (the raw
    change, rounded, when one of them is missing)."""
    if change.previous is not None and change.current is not None:
        return difference(change.current, change.previous, digits)
    return round(change.change or 0.0, digits)


def mark(change: Change | None, digits: int = 0) -> dict[str, Any] | None:
    """What the templates print beside a figure: `text` (`+4`), `marked`, `arrow`, `direction`
    and `title`, a sentence for screen readers and the tooltip. None without a change.

    The text is the difference of the then and now figures as printed, so that "59 then, 61
    now" is followed by "+2" even when the unrounded change is 1.4."""
    if change is None or change.change is None:
        return None
    shown = digits_of(change, digits)
    moved = _moved_by(change, shown)
    text = signed(moved, shown)
    interval = interval_text(change, shown)
    if change.marked:
        word = "up" if change.direction == "up" else "down"
        title = f"{word} {abs(moved):.{shown}f}, more than the noise ({interval})"
    else:
        title = f"{text}, within the noise ({interval})"
    return {
        "text": text,
        "marked": change.marked,
        "direction": change.direction or "",
        "arrow": (UP if change.direction == "up" else DOWN) if change.marked else "",
        "title": title,
    }


def interval_text(change: Change, digits: int = 0) -> str:
    """`95% interval +1 to +7`, or a plain note when the noise cannot be judged."""
    if change.ci_low is None or change.ci_high is None:
        return "too few answers to judge the noise"
    return f"95% interval {signed(change.ci_low, digits)} to {signed(change.ci_high, digits)}"


def reading(change: Change) -> str:
    """The change in words: `up, beyond the noise`, `down, ...`, `within the noise`."""
    if change.change is None:
        return "no figure to compare"
    if change.ci_low is None:
        return "too few answers to judge"
    if not change.marked:
        return "within the noise"
    return f"{'up' if change.direction == 'up' else 'down'}, beyond the noise"


def then_now(
    previous: float | None,
    current: float | None,
    palette: Palette,
    *,
    marked: bool,
    width: float = CHART_WIDTH,
    height: float = 18,
    pad: float = CHART_PAD,
) -> Markup:
    """Then (an open ring) and now (a filled dot) on a 0-100 track, joined by an arrow that is
    bold only when the change is beyond the noise."""

    def x(score: float) -> float:
        return pad + (width - 2 * pad) * max(0.0, min(100.0, score)) / 100.0

    y = height / 2
    parts = [
        f'<line x1="{num(pad)}" y1="{num(y)}" x2="{num(width - pad)}" y2="{num(y)}" '
        f'stroke="{RULE}" stroke-width="0.6"/>'
    ]
    for tick in (25, 50, 75):
        parts.append(
            f'<line x1="{num(x(tick))}" y1="{num(y - 3)}" x2="{num(x(tick))}" '
            f'y2="{num(y + 3)}" stroke="{RULE}" stroke-width="0.6"/>'
        )
    label = "no figures"
    if previous is not None:
        parts.append(
            f'<circle cx="{num(x(previous))}" cy="{num(y)}" r="3.8" fill="#ffffff" '
            f'stroke="{MUTED}" stroke-width="1.6"/>'
        )
    if previous is not None and current is not None:
        label = f"then {figure(previous)}, now {figure(current)}"
        start, end = x(previous), x(current)
        if abs(end - start) > 9:
            step = 4.5 if end > start else -4.5
            colour = palette.favourable if marked else MUTED
            tip = end - step * 1.1
            parts.append(
                f'<line x1="{num(start + step)}" y1="{num(y)}" x2="{num(tip)}" y2="{num(y)}" '
                f'stroke="{colour}" stroke-width="{1.8 if marked else 1}"/>'
                f'<path d="M{num(tip - step * 0.2)} {num(y - 3)} L{num(tip + step * 0.6)} '
                f'{num(y)} L{num(tip - step * 0.2)} {num(y + 3)} Z" fill="{colour}"/>'
            )
    if current is not None:
        parts.append(
            f'<circle cx="{num(x(current))}" cy="{num(y)}" r="4.2" fill="{palette.favourable}" '
            f'stroke="{INK if marked else palette.favourable}" stroke-width="0.8"/>'
        )
    return svg(width, height, "".join(parts), label)


def axis(width: float = CHART_WIDTH, pad: float = CHART_PAD, height: float = 12) -> Markup:
    """The 0-100 scale over a column of then/now charts."""
    parts = [
        f'<text x="{num(pad + (width - 2 * pad) * tick / 100)}" y="{num(height - 2)}" '
        f'font-size="7.5" text-anchor="middle" fill="{MUTED}">{tick}</text>'
        for tick in (0, 25, 50, 75, 100)
    ]
    return svg(width, height, "".join(parts), "score from 0 to 100")


def legend(palette: Palette) -> dict[str, Markup]:
    """The then/now markers for the legend line."""
    return {
        "then": svg(
            12,
            12,
            f'<circle cx="6" cy="6" r="3.8" fill="#ffffff" stroke="{MUTED}" stroke-width="1.6"/>',
            "then",
        ),
        "now": svg(12, 12, f'<circle cx="6" cy="6" r="4.2" fill="{palette.favourable}"/>', "now"),
    }


def figure(value: float | None, digits: int = 0) -> str:
    """A then or now figure as printed (an en dash when missing)."""
    return "–" if value is None else f"{value:.{digits}f}"


def _row(change: Change, label: str, palette: Palette) -> dict[str, Any]:
    digits = digits_of(change)
    return {
        "label": label,
        "previous": figure(change.previous, digits),
        "current": figure(change.current, digits),
        "mark": mark(change, digits),
        "interval": interval_text(change, digits).removeprefix("95% interval "),
        "reading": reading(change),
        "marked": change.marked,
        "chart": then_now(change.previous, change.current, palette, marked=change.marked),
    }


def _moved(comparison: Comparison, results: Results, direction: str) -> list[dict[str, Any]]:
    titles = {d.id: d.title or d.id for d in results.dimensions}
    items = {i.id: i for i in results.items}
    moved = [c for c in comparison.items if c.marked and c.direction == direction]
    moved.sort(key=lambda c: -abs(c.change or 0.0))
    found = []
    for c in moved[:MOVED_ITEMS_SHOWN]:
        item = items.get(c.id)
        text, disagree = item.wording() if item is not None else (c.title or c.id, False)
        digits = digits_of(c)
        found.append(
            {
                "text": text,
                "reading": REVERSE_READING[direction] if disagree else "",
                "dimension": titles.get(c.dimension or "", ""),
                "previous": figure(c.previous, digits),
                "current": figure(c.current, digits),
                "mark": mark(c, digits),
            }
        )
    return found


def _groups(comparison: Comparison, results: Results) -> list[dict[str, Any]]:
    dims = [(d.id, d.title or d.id) for d in results.dimensions]
    tables = []
    for segment in dict.fromkeys(g.segment for g in comparison.groups):
        rows = []
        members: Sequence[GroupChange] = [g for g in comparison.groups if g.segment == segment]
        for group in members:
            by_id = {c.id: c for c in group.dimensions}
            rows.append(
                {
                    "value": group.value,
                    "n_previous": group.n_previous,
                    "n_current": group.n_current,
                    "suppressed": group.suppressed,
                    "cells": []
                    if group.suppressed
                    else [mark(group.overall)] + [mark(by_id.get(ident)) for ident, _title in dims],
                }
            )
        tables.append(
            {
                "segment": segment.replace("-", " "),
                "columns": ["Overall", *(title for _i, title in dims)],
                "rows": rows,
            }
        )
    return tables


def change_section(results: Results, comparison: Comparison, palette: Palette) -> dict[str, Any]:
    """The data of the "Change since the last survey" section: the overall index and each
    dimension then and now, the questions that moved beyond the noise, NPS, and the groups
    present in both surveys (hidden ones keep only their sizes)."""
    titles = {d.id: d.title or d.id for d in results.dimensions}
    rows = [_row(comparison.overall, "Overall index", palette)]
    rows += [_row(c, titles.get(c.id, c.title or c.id), palette) for c in comparison.dimensions]
    outcomes = {o.id: o for o in results.outcomes}
    nps = [
        {
            "text": c.title or c.id,
            "label": nps_label(results, outcomes[c.id]) if c.id in outcomes else "NPS",
            "previous": signed(c.previous),
            "current": signed(c.current),
            "mark": mark(c),
            "interval": interval_text(c),
        }
        for c in comparison.outcomes
        if c.kind == "nps"
    ]
    steady = sum(1 for c in comparison.items if c.change is not None and not c.marked)
    marked = [c for c in [comparison.overall, *comparison.dimensions] if c.marked]
    return {
        "since": when(comparison.previous.generated),
        "n_previous": comparison.previous.respondents,
        "n_current": comparison.current.respondents,
        "rows": rows,
        "legend": legend(palette),
        "axis": axis(),
        "up": _moved(comparison, results, "up"),
        "down": _moved(comparison, results, "down"),
        "steady": steady,
        "items_compared": sum(1 for c in comparison.items if c.change is not None),
        "nps": nps,
        "groups": _groups(comparison, results),
        "any_marked": bool(marked),
        "notes": comparison.notes,
    }


def summary_sentence(comparison: Comparison, results: Results) -> str:
    """One sentence for the executive summary on how the overall index and the dimensions
    moved since the previous survey, naming only moves beyond the noise."""
    since = when(comparison.previous.generated)
    overall = comparison.overall
    titles = {d.id: d.title or d.id for d in results.dimensions}
    if overall.change is None:
        return f"The overall index cannot be compared with the survey of {since}."
    if overall.marked:
        verb = "rose" if overall.direction == "up" else "fell"
        first = f"Since the previous survey ({since}), the overall index {verb} {_points(overall)}"
    else:
        first = (
            f"Since the previous survey ({since}), the overall index has not moved beyond "
            f"the noise ({figure(overall.previous)} then, {figure(overall.current)} now)"
        )
    moved = sorted(
        (c for c in comparison.dimensions if c.marked), key=lambda c: -abs(c.change or 0.0)
    )
    if not moved:
        if overall.marked:
            return first + ", though no single dimension moved beyond the noise."
        return first + "; no dimension did either."
    parts = [
        f"{titles.get(c.id, c.title)} {'rose' if c.direction == 'up' else 'fell'} {_points(c)}"
        for c in moved
    ]
    if overall.marked:
        return f"{first}: {_join(parts)}."
    return f"{first}, but {_join(parts)}, more than the noise."


def _points(c: Change) -> str:
    """`8 points (43 to 51)`: the move as the difference of the two figures as printed."""
    digits = digits_of(c)
    moved = abs(_moved_by(c, digits))
    unit = "point" if moved == 1 else "points"
    return (
        f"{moved:.{digits}f} {unit} ({figure(c.previous, digits)} to {figure(c.current, digits)})"
    )


def _join(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
