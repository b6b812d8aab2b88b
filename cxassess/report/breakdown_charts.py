"""The heatmap of groups by dimension, with hidden groups marked, and its colour key."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

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


def heatmap(
    columns: Sequence[str],
    rows: Sequence[HeatRow],
    palette: Palette,
    *,
    min_group_size: int,
    width: float = 650,
    key: str = "heat",
) -> Markup:
    """Groups by dimension: each cell holds its score on a light-to-dark ramp; hidden groups
    show their n and a hatched, labelled row instead of figures."""
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
            fill = palette.ramp(score)
            parts.append(
                f'<rect x="{num(x + 1)}" y="{num(y + 1)}" width="{num(cell_w - 2)}" '
                f'height="{row_h - 2}" fill="{fill}"/>'
            )
            parts.append(
                text(
                    x + cell_w / 2,
                    y + 15.5,
                    f"{score:.0f}",
                    size=9.5,
                    anchor="middle",
                    weight=700 if row.total else 600,
                    fill=text_on(fill),
                )
            )
        if row.total:
            parts.append(
                f'<line x1="0" y1="{num(y + row_h)}" x2="{num(width)}" y2="{num(y + row_h)}" '
                f'stroke="{INK}" stroke-width="0.8"/>'
            )
    defs = hatch(hatch_id, "#b7bdc7", "#f6f7f9", gap=5)
    label = "Heatmap of scores by group and dimension"
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
