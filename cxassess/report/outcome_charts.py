"""Charts of the outcome questions: the NPS distribution, answers per scale point, and the
driver chart (importance against performance)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from cxassess.report.svg import (
    INK,
    MUTED,
    NEUTRAL,
    RULE,
    Palette,
    fit,
    hatch,
    leader,
    num,
    readable,
    spread,
    svg,
    text,
    tint,
)

# ---------------------------------------------------------------- NPS


def nps_distribution(
    distribution: dict[str, int], palette: Palette, *, width: float = 420, key: str = "nps"
) -> Markup:
    """Answers 0-10 as columns: detractors (0-6) hatched, passives (7-8) light, promoters
    (9-10) solid, each with its count, and the three groups named under the axis."""
    counts = [int(distribution.get(str(v), 0)) for v in range(11)]
    top, plot_h, axis_h = 16, 110, 40
    height = top + plot_h + axis_h
    col_w = width / 11
    peak = max(counts) or 1
    hatch_id = f"{key}-hatch"
    parts = []
    for value, count in enumerate(counts):
        if value <= 6:
            fill = f"url(#{hatch_id})"
        elif value <= 8:
            fill = NEUTRAL
        else:
            fill = palette.favourable
        h = plot_h * count / peak
        x = value * col_w + 3
        parts.append(
            f'<rect x="{num(x)}" y="{num(top + plot_h - h)}" width="{num(col_w - 6)}" '
            f'height="{num(h)}" fill="{fill}"/>'
        )
        parts.append(
            text(x + (col_w - 6) / 2, top + plot_h - h - 4, str(count), size=8, anchor="middle")
        )
        parts.append(
            text(x + (col_w - 6) / 2, top + plot_h + 12, str(value), size=8.5, anchor="middle")
        )
    parts.append(
        f'<line x1="0" y1="{top + plot_h}" x2="{num(width)}" y2="{top + plot_h}" '
        f'stroke="{INK}" stroke-width="0.8"/>'
    )
    for label, start, end in (
        ("Detractors 0–6", 0, 7),
        ("Passives 7–8", 7, 9),
        ("Promoters 9–10", 9, 11),
    ):
        x0, x1 = start * col_w + 3, end * col_w - 3
        y = top + plot_h + 20
        parts.append(
            f'<path d="M{num(x0)},{y} L{num(x0)},{y + 4} L{num(x1)},{y + 4} L{num(x1)},{y}" '
            f'fill="none" stroke="{MUTED}" stroke-width="0.8"/>'
        )
        parts.append(
            text((x0 + x1) / 2, y + 15, label, size=8, anchor="middle", weight=600, fill=MUTED)
        )
    defs = hatch(hatch_id, palette.unfavourable, tint(palette.accent, 0.85))
    label = "Distribution of answers from 0 to 10: " + ", ".join(
        f"{v}: {c}" for v, c in enumerate(counts)
    )
    return svg(width, height, "".join(parts), label, defs)


def answer_distribution(
    points: Sequence[tuple[str, int, str]],
    palette: Palette,
    *,
    width: float = 420,
    key: str = "dist",
) -> Markup:
    """Answers per point of a scale as horizontal bars; each point is (label, count, kind)
    with kind `favourable`, `neutral` or `unfavourable`."""
    label_w, row_h = 150, 20
    height = row_h * len(points) + 4
    peak = max((c for _l, c, _k in points), default=0) or 1
    hatch_id = f"{key}-hatch"
    parts = []
    for index, (label, count, kind) in enumerate(points):
        y = index * row_h
        fill = {"favourable": palette.favourable, "neutral": NEUTRAL}.get(kind, f"url(#{hatch_id})")
        w = (width - label_w - 40) * count / peak
        parts.append(
            text(label_w - 8, y + 13, fit(label, label_w - 10, 8.5), size=8.5, anchor="end")
        )
        parts.append(
            f'<rect x="{label_w}" y="{y + 3}" width="{num(w)}" height="13" fill="{fill}"/>'
        )
        parts.append(text(label_w + w + 5, y + 13, str(count), size=8.5))
    defs = hatch(hatch_id, palette.unfavourable, tint(palette.accent, 0.85))
    return svg(width, height, "".join(parts), "Distribution of answers", defs)


# ---------------------------------------------------------------- drivers


@dataclass(frozen=True)
class DriverPoint:
    """A point of the driver chart: its label, score (0-100), relative weight with its interval
    (percent of the outcome's variance) and focus flag."""

    label: str
    score: float
    weight: float
    low: float
    high: float
    focus: bool
    kind: str  # "dimension" or "item"


def _step(span: float) -> float:
    """A round tick step giving about five ticks over `span`."""
    for step in (0.5, 1.0, 2.0, 2.5, 5.0, 10.0, 20.0, 25.0):
        if span / step <= 6:
            return step
    return 50.0


def drivers_matrix(
    points: Sequence[DriverPoint],
    palette: Palette,
    *,
    cut: tuple[float, float],
    width: float = 640,
    height: float = 330,
    key: str = "drivers",
) -> Markup:
    """Importance (relative weight, with its interval as a bar) against performance (score),
    for drivers of one kind. The dashed lines are `cut`, the medians (weight, score) that
    decided the focus areas, so a point is filled and in the shaded top-left quadrant exactly
    when it is a focus area. Questions are numbered to match the table under the chart."""
    left, right, top, bottom = 46, width - 14, 24, height - 38
    if not points:
        return svg(width, 40, text(0, 20, "No driver figures.", fill=MUTED), "No drivers")
    mid_y, mid_x = cut
    scores = [p.score for p in points]
    x_lo = max(0.0, math.floor((min(scores) - 8) / 10) * 10)
    x_hi = min(100.0, math.ceil((max(scores) + 8) / 10) * 10)
    step = _step(max(max(p.high for p in points), mid_y, 1.0))
    y_lo = 0.0
    y_hi = math.ceil(max(max(p.high for p in points), mid_y) * 1.08 / step) * step or step

    def sx(v: float) -> float:
        return left + (right - left) * (v - x_lo) / ((x_hi - x_lo) or 1)

    def sy(v: float) -> float:
        return bottom - (bottom - top) * (v - y_lo) / ((y_hi - y_lo) or 1)

    parts = [
        f'<rect x="{left}" y="{top}" width="{num(sx(mid_x) - left)}" '
        f'height="{num(sy(mid_y) - top)}" fill="{tint(palette.accent, 0.9)}"/>',
        text(
            left + 6,
            top + 12,
            "FOCUS: matters most, scores lowest",
            size=7.5,
            weight=700,
            fill=readable(palette.accent),
        ),
        text(
            right - 6,
            top + 12,
            "STRENGTHS TO PROTECT",
            size=7.5,
            anchor="end",
            weight=700,
            fill=MUTED,
        ),
        text(
            right - 6, bottom - 6, "LOWER PRIORITY", size=7.5, anchor="end", weight=700, fill=MUTED
        ),
    ]
    for tick in range(int(x_lo), int(x_hi) + 1, 10):
        x = sx(tick)
        parts.append(
            f'<line x1="{num(x)}" y1="{top}" x2="{num(x)}" y2="{bottom}" stroke="{RULE}" '
            'stroke-width="0.5"/>'
        )
        parts.append(text(x, bottom + 12, str(tick), size=7.5, anchor="middle", fill=MUTED))
    tick = y_lo
    while tick <= y_hi + 1e-9:
        y = sy(tick)
        parts.append(
            f'<line x1="{left}" y1="{num(y)}" x2="{right}" y2="{num(y)}" stroke="{RULE}" '
            'stroke-width="0.5"/>'
        )
        parts.append(text(left - 6, y + 3, f"{tick:g}%", size=7.5, anchor="end", fill=MUTED))
        tick = round(tick + step, 10)
    parts.append(
        f'<line x1="{num(sx(mid_x))}" y1="{top}" x2="{num(sx(mid_x))}" y2="{bottom}" '
        f'stroke="{MUTED}" stroke-width="1" stroke-dasharray="4 3"/>'
        f'<line x1="{left}" y1="{num(sy(mid_y))}" x2="{right}" y2="{num(sy(mid_y))}" '
        f'stroke="{MUTED}" stroke-width="1" stroke-dasharray="4 3"/>'
    )
    parts.append(
        text(
            (left + right) / 2,
            height - 6,
            "Score (performance, 0–100) →",
            size=8.5,
            anchor="middle",
            weight=600,
        )
    )
    parts.append(
        text(
            12,
            (top + bottom) / 2,
            "Share of the outcome explained →",
            size=8.5,
            anchor="middle",
            weight=600,
            extra=f' transform="rotate(-90 12 {num((top + bottom) / 2)})"',
        )
    )
    ordered = sorted(points, key=lambda p: p.kind != "item")
    true = [(sx(p.score), sy(p.weight)) for p in ordered]
    # markers never cover each other: a moved one is tied to its true place by a leader line
    placed = spread(true, 15, (left + 8, top + 8, right - 8, bottom - 8))
    parts += [leader(t, p, MUTED) for t, p in zip(true, placed, strict=True) if t != p]
    number = 0
    for point, (x, y), (true_x, _) in zip(ordered, placed, true, strict=True):
        colour = readable(palette.accent) if point.focus else palette.favourable
        # the 95% range stands at the true score, where the leader line starts
        parts.append(
            f'<line x1="{num(true_x)}" y1="{num(sy(point.low))}" x2="{num(true_x)}" '
            f'y2="{num(sy(point.high))}" stroke="{colour}" stroke-width="1.2" opacity="0.55"/>'
        )
        if point.kind == "dimension":
            parts.append(
                f'<path d="M{num(x)},{num(y - 8)} L{num(x + 8)},{num(y)} L{num(x)},'
                f'{num(y + 8)} L{num(x - 8)},{num(y)} Z" fill="{colour}" stroke="#ffffff" '
                'stroke-width="1"/>'
            )
            parts.append(
                text(x + 11, y + 3.5, fit(point.label, 150, 8.5), size=8.5, weight=700, fill=colour)
            )
        else:
            number += 1
            fill = colour if point.focus else "#ffffff"
            ink = "#ffffff" if point.focus else colour
            parts.append(
                f'<circle cx="{num(x)}" cy="{num(y)}" r="6.5" fill="{fill}" stroke="{colour}" '
                'stroke-width="1.2"/>'
            )
            parts.append(
                text(x, y + 2.8, str(number), size=7, anchor="middle", weight=700, fill=ink)
            )
    return svg(width, height, "".join(parts), "Driver chart: importance to the outcome by score")
