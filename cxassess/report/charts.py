"""SVG charts drawn for print: vector, labelled, readable in grey-scale and by colour-blind
readers (values are written on the chart and unfavourable parts are hatched, so no chart relies
on colour alone), in the brand's colours.

Every function returns `Markup` holding one `<svg>` element; every text placed in it is
escaped here. Sizes are CSS pixels (96 per inch). WeasyPrint lays out SVG text one letter at
a time, so charts keep their words short and leave long texts to the HTML around them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from cxassess.report.svg import (
    HIDDEN,
    INK,
    MUTED,
    NEUTRAL,
    RULE,
    Palette,
    fit,
    hatch,
    num,
    readable,
    svg,
    text,
    text_on,
    text_width,
    tint,
    wrap,
)

__all__ = [
    "INK",
    "MUTED",
    "RULE",
    "Band",
    "DriverPoint",
    "HeatRow",
    "Palette",
    "answer_distribution",
    "dot_plot",
    "drivers_matrix",
    "heatmap",
    "legend_swatches",
    "level_scale",
    "nps_distribution",
    "radar",
    "ramp_legend",
    "readable",
    "score_bar",
    "score_bars",
    "stacked_bar",
    "text_on",
    "tint",
]


# ---------------------------------------------------------------- level scale


@dataclass(frozen=True)
class Band:
    """A level band for charts: its lower bound and title."""

    min: float
    title: str


def level_scale(
    score: float | None,
    bands: Sequence[Band],
    palette: Palette,
    *,
    margin: float | None = None,
    width: float = 300,
    key: str = "scale",
) -> Markup:
    """A 0-100 bar divided into the level bands, with a marker at the score and, when given,
    a whisker for its 95% margin of error. The band limits are written in a row of their own
    above the marker's row, so the marker never covers a number."""
    height, top, bar = 64, 26, 16
    ticks_y = 8
    left, right = 6, width - 6
    span = right - left

    def x_of(value: float) -> float:
        return left + span * max(0.0, min(100.0, value)) / 100

    parts = []
    ordered = sorted(bands, key=lambda b: b.min)
    for index, band in enumerate(ordered):
        start = x_of(band.min)
        end = x_of(ordered[index + 1].min) if index + 1 < len(ordered) else right
        fill = palette.band(index, len(ordered))
        parts.append(
            f'<rect x="{num(start)}" y="{top}" width="{num(end - start)}" height="{bar}" '
            f'fill="{fill}" stroke="#ffffff" stroke-width="1"/>'
        )
        room = end - start - 4
        label_size = 7.5
        while label_size > 6 and text_width(band.title, label_size) > room:
            label_size -= 0.5
        parts.append(
            text(
                (start + end) / 2,
                top + bar + 12,
                fit(band.title, room, label_size),
                size=label_size,
                anchor="middle",
                fill=MUTED,
            )
        )
        parts.append(text(start + 1, ticks_y, num(band.min), size=6.5, fill=MUTED))
    parts.append(text(right, ticks_y, "100", size=6.5, anchor="end", fill=MUTED))
    if score is not None:
        x = x_of(score)
        if margin:
            lo, hi = x_of(score - margin), x_of(score + margin)
            mid = top + bar / 2
            parts.append(
                f'<line x1="{num(lo)}" y1="{num(mid)}" x2="{num(hi)}" y2="{num(mid)}" '
                f'stroke="{INK}" stroke-width="1.2"/>'
                f'<line x1="{num(lo)}" y1="{num(mid - 4)}" x2="{num(lo)}" y2="{num(mid + 4)}" '
                f'stroke="{INK}" stroke-width="1.2"/>'
                f'<line x1="{num(hi)}" y1="{num(mid - 4)}" x2="{num(hi)}" y2="{num(mid + 4)}" '
                f'stroke="{INK}" stroke-width="1.2"/>'
            )
        parts.append(
            f'<path d="M{num(x - 6)},{top - 11} L{num(x + 6)},{top - 11} L{num(x)},{top - 1} Z" '
            f'fill="{palette.accent}" stroke="{INK}" stroke-width="0.8"/>'
            f'<line x1="{num(x)}" y1="{top}" x2="{num(x)}" y2="{top + bar}" stroke="{INK}" '
            'stroke-width="2"/>'
        )
    label = "Level bands from 0 to 100" + (f", score {score:.0f}" if score is not None else "")
    return svg(width, height, "".join(parts), label)


# ---------------------------------------------------------------- radar


LABEL_GAP = 14
"""Distance from the outer ring to an axis label."""
LABEL_SAFETY = 1.12
"""Labels are sized as if a tenth wider than estimated: a reader whose browser or mail client
drops the embedded font sees them in a wider fallback (DejaVu Sans Bold), and they must still
fit inside the chart."""


def _label_room(x: float, anchor: str, width: float) -> float:
    """Width free for an axis label placed at `x` with `anchor`, inside the chart's edges."""
    room = {"start": width - x, "end": x, "middle": 2 * min(x, width - x)}[anchor] - 4
    # the half point absorbs rounding: a word sized to fit exactly must not lose its end
    return max(20.0, min(110.0, room / LABEL_SAFETY + 0.5))


def _radar_radius(axes: Sequence[tuple[str, float | None]], *, size: float, width: float) -> float:
    """The outer ring's radius: as large as the height allows, but small enough that the
    longest word of every side label fits between its axis end and the chart's edge."""
    radius = size / 2 - 46
    count = len(axes)
    for index, (label, _value) in enumerate(axes):
        across = math.cos(-math.pi / 2 + 2 * math.pi * index / count)
        if abs(across) <= 0.3:
            continue
        widest = max((text_width(word, 10) for word in label.split()), default=0.0)
        free = width / 2 - 4 - widest * LABEL_SAFETY
        radius = min(radius, free / abs(across) - LABEL_GAP)
    return max(radius, size / 4)


def radar(
    axes: Sequence[tuple[str, float | None]],
    bands: Sequence[Band],
    palette: Palette,
    *,
    size: float = 360,
    width: float = 640,
    labels: Sequence[str] | None = None,
    key: str = "radar",
) -> Markup:
    """The dimensions' scores on a spider chart over the level bands (needs 3 or more axes;
    with fewer, a bar chart on the same bands is drawn instead). `labels` are the scores as
    printed (default: whole numbers)."""
    if len(axes) < 3:
        return score_bars(axes, bands, palette, key=key)
    shown = list(labels) if labels else ["–" if v is None else f"{v:.0f}" for _name, v in axes]
    height = size
    cx, cy = width / 2, size / 2 + 6
    count = len(axes)
    radius = _radar_radius(axes, size=size, width=width)

    def point(index: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / count
        r = radius * max(0.0, min(100.0, value)) / 100
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    def ring(value: float) -> str:
        return " ".join(f"{num(x)},{num(y)}" for x, y in (point(i, value) for i in range(count)))

    parts = []
    ordered = sorted(bands, key=lambda b: b.min)
    for index in range(len(ordered) - 1, -1, -1):
        upper = ordered[index + 1].min if index + 1 < len(ordered) else 100
        parts.append(
            f'<polygon points="{ring(upper)}" fill="{palette.band(index, len(ordered))}" '
            f'stroke="#ffffff" stroke-width="1.5"/>'
        )
    for index in range(count):
        x, y = point(index, 100)
        parts.append(
            f'<line x1="{num(cx)}" y1="{num(cy)}" x2="{num(x)}" y2="{num(y)}" '
            f'stroke="#ffffff" stroke-width="1"/>'
        )
    values = [(i, v) for i, (_label, v) in enumerate(axes) if v is not None]
    if len(values) == count:
        shape = " ".join(f"{num(x)},{num(y)}" for x, y in (point(i, v) for i, v in values))
        parts.append(
            f'<polygon points="{shape}" fill="{palette.accent}" fill-opacity="0.16" '
            f'stroke="{palette.favourable}" stroke-width="2.4" stroke-linejoin="round"/>'
        )
    for index, value in values:
        x, y = point(index, value)
        parts.append(
            f'<circle cx="{num(x)}" cy="{num(y)}" r="4.6" fill="{palette.favourable}" '
            'stroke="#ffffff" stroke-width="1.5"/>'
        )
    for index, (label, value) in enumerate(axes):
        angle = -math.pi / 2 + 2 * math.pi * index / count
        lx = cx + (radius + LABEL_GAP) * math.cos(angle)
        ly = cy + (radius + LABEL_GAP) * math.sin(angle)
        anchor = "middle"
        if math.cos(angle) > 0.3:
            anchor = "start"
        elif math.cos(angle) < -0.3:
            anchor = "end"
        lines = wrap(label, _label_room(lx, anchor, width), 10)
        block = len(lines) * 12 + 14
        if math.sin(angle) > 0.5:
            top = ly + 8
        elif math.sin(angle) < -0.5:
            top = ly - block + 2
        else:
            top = ly - block / 2 + 8
        for n, line in enumerate(lines):
            parts.append(text(lx, top + n * 12, line, size=10, anchor=anchor, weight=600))
        parts.append(
            text(
                lx,
                top + len(lines) * 12 + 3,
                "no score" if value is None else shown[index],
                size=12,
                anchor=anchor,
                weight=700,
                fill=palette.favourable,
            )
        )
    # The band limits sit midway along the rings' first edge, where no score dot can fall,
    # on a white backing drawn over the score shape so that no line runs through them.
    for band in ordered[1:]:
        (x0, y0), (x1, y1) = point(count - 1, band.min), point(0, band.min)
        x, y = (x0 + x1) / 2, (y0 + y1) / 2
        label_text = num(band.min)
        w = text_width(label_text, 7.5) + 4
        parts.append(
            f'<rect x="{num(x - w / 2)}" y="{num(y - 5.5)}" width="{num(w)}" height="10" '
            'rx="2" fill="#ffffff" fill-opacity="0.9"/>'
        )
        parts.append(text(x, y + 2.7, label_text, size=7.5, anchor="middle", weight=600, fill=INK))
    label = "Radar chart of dimension scores: " + ", ".join(
        f"{name} {'none' if v is None else shown[i]}" for i, (name, v) in enumerate(axes)
    )
    return svg(width, height, "".join(parts), label)


def score_bars(
    rows: Sequence[tuple[str, float | None]],
    bands: Sequence[Band],
    palette: Palette,
    *,
    width: float = 520,
    key: str = "bars",
) -> Markup:
    """Horizontal score bars over the level bands; the radar's stand-in for 1-2 dimensions."""
    label_w, row_h, top = 150, 30, 18
    left, right = label_w, width - 40
    height = top + row_h * len(rows) + 22
    ordered = sorted(bands, key=lambda b: b.min)
    parts = []
    for index, band in enumerate(ordered):
        upper = ordered[index + 1].min if index + 1 < len(ordered) else 100
        x0 = left + (right - left) * band.min / 100
        x1 = left + (right - left) * upper / 100
        parts.append(
            f'<rect x="{num(x0)}" y="{top}" width="{num(x1 - x0)}" '
            f'height="{row_h * len(rows)}" fill="{palette.band(index, len(ordered))}"/>'
        )
        parts.append(
            text(
                (x0 + x1) / 2,
                top + row_h * len(rows) + 14,
                fit(band.title, x1 - x0 - 4, 7.5),
                size=7.5,
                anchor="middle",
                fill=MUTED,
            )
        )
    for index, (name, value) in enumerate(rows):
        y = top + row_h * index
        parts.append(text(left - 8, y + 19, fit(name, label_w - 12, 9.5), size=9.5, anchor="end"))
        if value is not None:
            x1 = left + (right - left) * value / 100
            parts.append(
                f'<rect x="{left}" y="{y + 8}" width="{num(x1 - left)}" height="14" '
                f'fill="{palette.favourable}"/>'
            )
            parts.append(text(x1 + 5, y + 19, f"{value:.0f}", size=9.5, weight=700))
    return svg(width, height, "".join(parts), "Dimension scores on the level bands")


# ---------------------------------------------------------------- stacked bars


def stacked_bar(
    favourable: float | None,
    neutral: float | None,
    unfavourable: float | None,
    palette: Palette,
    *,
    width: float = 230,
    height: float = 16,
    key: str = "bar",
) -> Markup:
    """One 100% bar of favourable (solid), neutral (light) and unfavourable (hatched) shares,
    each labelled with its percentage where it fits."""
    shares = [favourable or 0.0, neutral or 0.0, unfavourable or 0.0]
    total = sum(shares) or 1.0
    hatch_id = f"{key}-hatch"
    fills = [palette.favourable, NEUTRAL, f"url(#{hatch_id})"]
    inks = [text_on(palette.favourable), INK, INK]
    parts = []
    x = 0.0
    for share, fill, ink in zip(shares, fills, inks, strict=True):
        w = width * share / total
        if w <= 0:
            continue
        parts.append(
            f'<rect x="{num(x)}" y="0" width="{num(w)}" height="{num(height)}" fill="{fill}"/>'
        )
        label = f"{share:.0f}%"
        if w >= text_width(label, 8) + 6:
            if fill.startswith("url("):
                box = text_width(label, 8) + 4
                parts.append(
                    f'<rect x="{num(x + w / 2 - box / 2)}" y="{num(height / 2 - 5.5)}" '
                    f'width="{num(box)}" height="11" rx="2" fill="#ffffff"/>'
                )
            parts.append(
                text(
                    x + w / 2, height / 2 + 3, label, size=8, anchor="middle", weight=600, fill=ink
                )
            )
        x += w
    if favourable is None:
        parts.append(text(4, height / 2 + 3, "no answers", size=8, fill=MUTED))
    label = (
        "no answers"
        if favourable is None
        else f"{shares[0]:.0f}% favourable, {shares[1]:.0f}% neutral, {shares[2]:.0f}% unfavourable"
    )
    defs = hatch(hatch_id, palette.unfavourable, tint(palette.accent, 0.85))
    return svg(width, height, "".join(parts), label, defs)


def legend_swatches(palette: Palette, entries: Sequence[tuple[str, str]], key: str) -> Markup:
    """A small legend; each entry is (kind, label) with kind `solid`, `light` or `hatched`."""
    x = 0.0
    parts = []
    hatch_id = f"{key}-hatch"
    for kind, label in entries:
        fill = {"solid": palette.favourable, "light": NEUTRAL}.get(kind, f"url(#{hatch_id})")
        parts.append(
            f'<rect x="{num(x)}" y="2" width="14" height="10" fill="{fill}" '
            f'stroke="{RULE}" stroke-width="0.5"/>'
        )
        parts.append(text(x + 19, 10.5, label, size=8, fill=MUTED))
        x += 19 + text_width(label, 8) + 16
    defs = hatch(hatch_id, palette.unfavourable, tint(palette.accent, 0.85))
    return svg(x, 14, "".join(parts), "Legend: " + ", ".join(e[1] for e in entries), defs)


def dot_plot(
    rows: Sequence[tuple[str, float, int]],
    overall: float | None,
    palette: Palette,
    *,
    width: float = 640,
    key: str = "dots",
) -> Markup:
    """Groups' scores on one dimension as dots on a 0-100 line, with the overall score dashed."""
    label_w, row_h, top = 112, 15, 4
    left, right = label_w, width - 58
    height = top + row_h * len(rows) + 22
    parts = []
    for tick in range(0, 101, 20):
        x = left + (right - left) * tick / 100
        parts.append(
            f'<line x1="{num(x)}" y1="{top}" x2="{num(x)}" y2="{top + row_h * len(rows)}" '
            f'stroke="{RULE}" stroke-width="0.5"/>'
        )
        parts.append(
            text(x, top + row_h * len(rows) + 12, str(tick), size=7, anchor="middle", fill=MUTED)
        )
    if overall is not None:
        x = left + (right - left) * overall / 100
        parts.append(
            f'<line x1="{num(x)}" y1="{top - 2}" x2="{num(x)}" y2="{top + row_h * len(rows)}" '
            f'stroke="{palette.accent}" stroke-width="1.4" stroke-dasharray="3 2"/>'
        )
    for index, (label, score, n) in enumerate(rows):
        y = top + row_h * index + row_h / 2
        parts.append(
            text(label_w - 8, y + 3, fit(label, label_w - 12, 8.5), size=8.5, anchor="end")
        )
        x = left + (right - left) * score / 100
        parts.append(
            f'<line x1="{left}" y1="{num(y)}" x2="{num(x)}" y2="{num(y)}" stroke="{RULE}" '
            'stroke-width="1"/>'
            f'<circle cx="{num(x)}" cy="{num(y)}" r="4.5" fill="{palette.favourable}"/>'
        )
        parts.append(text(right + 22, y + 3, f"{score:.0f}", size=8.5, anchor="end", weight=600))
        parts.append(text(width, y + 3, f"n={n}", size=7, anchor="end", fill=MUTED))
    return svg(width, height, "".join(parts), "Scores by group")


def score_bar(
    score: float | None, palette: Palette, *, width: float = 210, height: float = 16
) -> Markup:
    """A single 0-100 bar on a light track, ticked at 25, 50 and 75 (a personal report's
    items; the score itself is printed beside it)."""
    if score is None:
        return svg(
            width,
            height,
            text(4, height / 2 + 3, "not answered", size=8, fill=MUTED),
            "not answered",
        )
    w = width * max(0.0, min(100.0, score)) / 100
    parts = [
        f'<rect x="0" y="0" width="{num(width)}" height="{num(height)}" fill="{HIDDEN}"/>',
        f'<rect x="0" y="0" width="{num(w)}" height="{num(height)}" fill="{palette.favourable}"/>',
    ]
    for tick in (25, 50, 75):
        x = width * tick / 100
        parts.append(
            f'<line x1="{num(x)}" y1="0" x2="{num(x)}" y2="{num(height)}" stroke="#ffffff" '
            'stroke-width="1"/>'
        )
    return svg(width, height, "".join(parts), f"score {score:.0f} of 100")


from cxassess.report.breakdown_charts import HeatRow, heatmap, ramp_legend  # noqa: E402
from cxassess.report.outcome_charts import (  # noqa: E402
    DriverPoint,
    answer_distribution,
    drivers_matrix,
    nps_distribution,
)
