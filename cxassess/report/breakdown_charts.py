"""The heatmap of groups by dimension, with hidden groups marked, and its colour key.

Each group's cell is coloured by its difference from the whole sample (the first row), on a
blue-orange scale that colour-blind readers can tell apart, and only when that difference is
beyond the noise (`scoring.versus`, the same rule as every other mark); a raw score's shade
would make every low-scoring dimension look like a problem of every team.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from markupsafe import Markup

from cxassess.report.svg import (
    HIDDEN,
    INK,
    MUTED,
    Palette,
    fit,
    hatch,
    num,
    svg,
    text,
    text_on,
    text_width,
    wrap,
)

if TYPE_CHECKING:
    from cxassess.results import GroupResult, Results

BELOW = ("#fbd7ae", "#f0a04b", "#b35806")
"""Orange fills for a group clearly below the whole, 5-10, 10-15 and 15+ points."""
ABOVE = ("#c6dbef", "#6baed6", "#2166ac")
"""Blue fills for a group clearly above the whole, by the same steps."""
WITHIN = "#f3f4f6"
"""Fill of a cell whose difference is within the noise (and of the whole sample's row)."""
STEPS = (10.0, 15.0)

# ---------------------------------------------------------------- heatmap


@dataclass(frozen=True)
class HeatRow:
    """A row of the heatmap: a group's label, n, and its scores (None when hidden)."""

    label: str
    n: int
    scores: Sequence[float | None]
    suppressed: bool = False
    total: bool = False
    reason: str | None = None
    """Why a hidden row is hidden, as decided by `scoring.privacy` (`GroupResult.hidden_reason`)."""
    differences: Sequence[float | None] = field(default_factory=tuple)
    """Per cell, the group's score minus the whole sample's (empty for the whole's row)."""
    marked: Sequence[bool] = field(default_factory=tuple)
    """Per cell, whether that difference is beyond the noise."""


def difference_fill(difference: float | None, marked: bool) -> str:
    """The fill of a cell: neutral unless its difference is beyond the noise, then orange
    (below the whole) or blue (above), darker the larger it is."""
    if not marked or difference is None:
        return WITHIN
    size = abs(difference)
    step = 0 if size < STEPS[0] else 1 if size < STEPS[1] else 2
    return (ABOVE if difference > 0 else BELOW)[step]


def heat_rows(results: Results, segment: str, dims: Sequence[str]) -> list[HeatRow]:
    """The heatmap's rows for one breakdown: the whole sample first, then the shown groups,
    best overall score first, each cell with its difference from the whole and its mark, then
    the hidden groups (their n only)."""
    from cxassess.scoring.versus import versus_organisation

    beside = versus_organisation(results, segment)
    keys = [("overall", "overall"), *(("dimension", d) for d in dims)]

    def scores(group: GroupResult) -> list[float | None]:
        by_id = {d.id: d.score for d in group.dimensions}
        overall = group.overall.score if group.overall else None
        return [overall, *(by_id.get(d) for d in dims)]

    groups = [g for g in results.groups if g.segment == segment]
    shown = sorted(
        (g for g in groups if not g.suppressed),
        key=lambda g: -(g.overall.score if g.overall and g.overall.score is not None else -1),
    )
    hidden = sorted((g for g in groups if g.suppressed), key=lambda g: g.value)
    whole = {d.id: d.score for d in results.dimensions}
    total = HeatRow(
        label="All respondents",
        n=results.respondents,
        scores=[results.overall.score, *(whole.get(d) for d in dims)],
        total=True,
    )
    rows = [total]
    for g in shown:
        marks = [beside[g.value].get(k) for k in keys]
        rows.append(
            HeatRow(
                label=g.value,
                n=g.n,
                scores=scores(g),
                differences=[None if m is None else m.difference for m in marks],
                marked=[bool(m and m.marked) for m in marks],
            )
        )
    rows += [
        HeatRow(label=g.value, n=g.n, scores=[], suppressed=True, reason=g.hidden_reason)
        for g in hidden
    ]
    return rows


def heatmap(
    columns: Sequence[str],
    rows: Sequence[HeatRow],
    palette: Palette,
    *,
    min_group_size: int,
    width: float = 650,
    key: str = "heat",
) -> Markup:
    """Groups by dimension: each cell holds its score, coloured by its difference from the
    whole sample (first row) when beyond the noise, with that difference beside the score;
    hidden groups show their n and a hatched, labelled row instead of figures."""
    label_w, n_w, head_h, row_h = 168, 44, 34, 24
    cell_w = (width - label_w - n_w) / max(1, len(columns))
    height = head_h + row_h * len(rows) + 2
    hatch_id = f"{key}-hatch"
    parts = []
    for index, title in enumerate(columns):
        x = label_w + n_w + cell_w * (index + 0.5)
        lines = wrap(title, cell_w - 6, 8.5)
        for n, line in enumerate(lines):
            y = head_h - 8 - (len(lines) - 1 - n) * 10.5
            parts.append(text(x, y, line, size=8.5, anchor="middle", weight=600))
    parts.append(text(label_w + n_w - 6, head_h - 8, "n", size=8.5, anchor="end", weight=600))
    for r, row in enumerate(rows):
        y = head_h + r * row_h
        weight = 700 if row.total else 400
        parts.append(text(0, y + 15.5, fit(row.label, label_w - 8, 9), size=9, weight=weight))
        parts.append(
            text(label_w + n_w - 6, y + 15.5, str(row.n), size=9, anchor="end", fill=MUTED)
        )
        if row.suppressed:
            x0 = label_w + n_w + 1
            w = cell_w * len(columns) - 2
            parts.append(
                f'<rect x="{num(x0)}" y="{num(y + 1)}" width="{num(w)}" '
                f'height="{row_h - 2}" fill="url(#{hatch_id})"/>'
            )
            note = {
                "too_few": f"hidden: fewer than {min_group_size} respondents",
                "protects_smaller": "hidden: it would reveal a smaller group",
            }.get(row.reason or "", "hidden: with other groups it would reveal a few people")
            box = text_width(note, 8) + 10
            parts.append(
                f'<rect x="{num(x0 + w / 2 - box / 2)}" y="{num(y + 5)}" width="{num(box)}" '
                f'height="{row_h - 10}" rx="2" fill="#ffffff"/>'
            )
            parts.append(
                text(x0 + w / 2, y + 15, note, size=8, anchor="middle", fill=MUTED, extra="")
            )
            continue
        for c, score in enumerate(row.scores):
            x = label_w + n_w + c * cell_w
            if score is None:
                parts.append(
                    f'<rect x="{num(x + 1)}" y="{num(y + 1)}" width="{num(cell_w - 2)}" '
                    f'height="{row_h - 2}" fill="{HIDDEN}"/>'
                )
                parts.append(text(x + cell_w / 2, y + 15.5, "–", size=9, anchor="middle"))
                continue
            marked = c < len(row.marked) and row.marked[c]
            difference = row.differences[c] if c < len(row.differences) else None
            fill = difference_fill(difference, marked)
            parts.append(
                f'<rect x="{num(x + 1)}" y="{num(y + 1)}" width="{num(cell_w - 2)}" '
                f'height="{row_h - 2}" fill="{fill}"/>'
            )
            label = f"{score:.0f}"
            if marked and difference is not None:
                # The difference of the figures as printed, so that they add up.
                shown = round(score) - round(score - difference)
                label += f" ({shown:+d})".replace("-", "\u2212")
            parts.append(
                text(
                    x + cell_w / 2,
                    y + 15.5,
                    label,
                    size=9.5,
                    anchor="middle",
                    weight=700 if row.total or marked else 400,
                    fill=text_on(fill),
                )
            )
        if row.total:
            parts.append(
                f'<line x1="0" y1="{num(y + row_h)}" x2="{num(width)}" y2="{num(y + row_h)}" '
                f'stroke="{INK}" stroke-width="0.8"/>'
            )
    defs = hatch(hatch_id, "#b7bdc7", "#f6f7f9", gap=5)
    label = "Heatmap of scores by group and dimension, coloured by difference from all respondents"
    return svg(width, height, "".join(parts), label, defs)


def ramp_legend(palette: Palette, *, width: float = 264) -> Markup:
    """The heatmap's colour key, in six labelled steps."""
    steps = [("below 40", 35), ("40–50", 45), ("50–60", 55), ("60–70", 65), ("70–80", 75)]
    steps.append(("80 and up", 85))
    w = width / len(steps)
    parts = []
    for i, (label, sample) in enumerate(steps):
        fill = palette.ramp(sample)
        parts.append(f'<rect x="{num(i * w)}" y="0" width="{num(w)}" height="10" fill="{fill}"/>')
        parts.append(text(i * w + w / 2, 21, label, size=7, anchor="middle", fill=MUTED))
    return svg(width, 24, "".join(parts), "Colour key: darker cells are higher scores")


def difference_legend(*, width: float = 420) -> Markup:
    """The heatmap's colour key: orange below all respondents, blue above, grey within the
    noise, in the steps of `difference_fill`."""
    steps = [
        ("15+ below", BELOW[2]),
        ("10-15 below", BELOW[1]),
        ("5-10 below", BELOW[0]),
        ("within the noise", WITHIN),
        ("5-10 above", ABOVE[0]),
        ("10-15 above", ABOVE[1]),
        ("15+ above", ABOVE[2]),
    ]
    w = width / len(steps)
    parts = []
    for i, (label, fill) in enumerate(steps):
        parts.append(f'<rect x="{num(i * w)}" y="0" width="{num(w)}" height="10" fill="{fill}"/>')
        parts.append(text(i * w + w / 2, 21, label, size=7, anchor="middle", fill=MUTED))
    return svg(
        width,
        24,
        "".join(parts),
        "Colour key: orange cells are clearly below all respondents, blue cells clearly above",
    )
