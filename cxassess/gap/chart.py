"""SVG pieces of the gap report, drawn for print and readable in grey-scale.

The dumbbell chart of a dimension is an HTML table whose rows each hold a small SVG strip: the
wording stays in HTML (it wraps, and WeasyPrint lays out SVG text letter by letter), the strips
share one 0-100 axis. Our people are a filled dot, customers an open ring, so the two read
apart without colour; the gap strip beside it shows the gap with its 95% interval around a
zero line. Every text placed in an SVG is escaped here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from markupsafe import Markup, escape

FONT = "Inter, 'DejaVu Sans', sans-serif"
INK = "#1d2433"
MUTED = "#5b6472"
RULE = "#c9ced6"
CONNECTOR = "#9aa3ae"


@dataclass(frozen=True)
class GapPalette:
    """Colours of the gap charts: `primary` for our people, `accent` for customers and blind
    spots (the brand's colours in the main report)."""

    primary: str = "#1f3a5f"
    accent: str = "#c8553d"


def _n(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _svg(width: float, height: float, body: str, label: str) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="gap-svg" role="img" '
        f'aria-label="{escape(label)}" width="{_n(width)}" height="{_n(height)}" '
        f'viewBox="0 0 {_n(width)} {_n(height)}" font-family="{FONT}">'
        f"<title>{escape(label)}</title>{body}</svg>"
    )


def _x(score: float, width: float, pad: float) -> float:
    return pad + (width - 2 * pad) * max(0.0, min(100.0, score)) / 100.0


def staff_dot(x: float, y: float, palette: GapPalette, r: float = 4.6) -> str:
    """Our people's marker: a filled dot."""
    return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(r)}" fill="{palette.primary}"/>'


def customer_ring(x: float, y: float, palette: GapPalette, r: float = 4.2) -> str:
    """Customers' marker: an open ring (white inside, thick outline)."""
    return (
        f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(r)}" fill="#ffffff" '
        f'stroke="{palette.accent}" stroke-width="2.2"/>'
    )


def dumbbell(
    staff: float | None,
    customer: float | None,
    palette: GapPalette,
    *,
    emphasis: bool = False,
    width: float = 150,
    height: float = 20,
    pad: float = 8,
) -> Markup:
    """One row of a dumbbell chart: both scores on a 0-100 track, joined by a bar."""
    y = height / 2
    parts = [
        f'<line x1="{_n(pad)}" y1="{_n(y)}" x2="{_n(width - pad)}" y2="{_n(y)}" '
        f'stroke="{RULE}" stroke-width="0.6"/>'
    ]
    for tick in (25, 50, 75):
        x = _x(tick, width, pad)
        parts.append(
            f'<line x1="{_n(x)}" y1="{_n(y - 3)}" x2="{_n(x)}" y2="{_n(y + 3)}" '
            f'stroke="{RULE}" stroke-width="0.6"/>'
        )
    label = "no answers"
    if staff is not None and customer is not None:
        xs, xc = _x(staff, width, pad), _x(customer, width, pad)
        stroke = palette.accent if emphasis else CONNECTOR
        parts.append(
            f'<line x1="{_n(xs)}" y1="{_n(y)}" x2="{_n(xc)}" y2="{_n(y)}" stroke="{stroke}" '
            f'stroke-width="{3.2 if emphasis else 2.4}" stroke-linecap="round"/>'
        )
        label = f"staff {staff:.0f}, customers {customer:.0f}"
    if customer is not None:
        parts.append(customer_ring(_x(customer, width, pad), y, palette))
    if staff is not None:
        parts.append(staff_dot(_x(staff, width, pad), y, palette))
    if staff is not None and customer is not None:
        xs, xc = _x(staff, width, pad), _x(customer, width, pad)
        if abs(xs - xc) < 7:
            # the dot would hide the ring: the customers' mark is drawn again on top, as a
            # wider dashed outline, so both stay visible where the two scores (nearly) meet
            parts.append(
                f'<circle cx="{_n(xc)}" cy="{_n(y)}" r="6.8" fill="none" '
                f'stroke="{palette.accent}" stroke-width="1.5" stroke-dasharray="2.2 1.4"/>'
            )
    return _svg(width, height, "".join(parts), label)


def score_axis(width: float = 150, pad: float = 8, height: float = 14) -> Markup:
    """The 0-100 axis under (or over) a column of dumbbells."""
    parts = []
    for tick in (0, 25, 50, 75, 100):
        x = _x(tick, width, pad)
        parts.append(
            f'<text x="{_n(x)}" y="{_n(height - 3)}" font-size="7.5" text-anchor="middle" '
            f'fill="{MUTED}">{tick}</text>'
        )
    return _svg(width, height, "".join(parts), "score from 0 to 100")


def gap_limit(values: list[float | None], minimum: float = 20.0) -> float:
    """A symmetric range for gap strips that holds every value, in steps of 10 points."""
    largest = max((abs(v) for v in values if v is not None), default=0.0)
    return max(minimum, math.ceil(largest / 10.0) * 10.0)


def gap_strip(
    gap: float | None,
    low: float | None,
    high: float | None,
    palette: GapPalette,
    *,
    limit: float,
    threshold: float,
    clear: bool,
    width: float = 100,
    height: float = 20,
    pad: float = 6,
) -> Markup:
    """The gap and its 95% interval on a -limit..+limit line with zero and the blind-spot
    threshold marked. A clear gap is a filled diamond, a gap within the noise an open one."""

    def x(value: float) -> float:
        value = max(-limit, min(limit, value))
        return pad + (width - 2 * pad) * (value + limit) / (2 * limit)

    y = height / 2
    parts = [
        f'<line x1="{_n(x(0))}" y1="1" x2="{_n(x(0))}" y2="{_n(height - 1)}" '
        f'stroke="{INK}" stroke-width="0.8"/>',
        f'<line x1="{_n(x(threshold))}" y1="2" x2="{_n(x(threshold))}" y2="{_n(height - 2)}" '
        f'stroke="{MUTED}" stroke-width="0.9" stroke-dasharray="2.2 1.6"/>',
    ]
    label = "no gap"
    if gap is not None:
        if low is not None and high is not None:
            parts.append(
                f'<line x1="{_n(x(low))}" y1="{_n(y)}" x2="{_n(x(high))}" y2="{_n(y)}" '
                f'stroke="{INK}" stroke-width="1.4"/>'
            )
            for end in (low, high):
                parts.append(
                    f'<line x1="{_n(x(end))}" y1="{_n(y - 3)}" x2="{_n(x(end))}" '
                    f'y2="{_n(y + 3)}" stroke="{INK}" stroke-width="1"/>'
                )
        cx, r = x(gap), 4.2
        fill = (palette.accent if gap > 0 else palette.primary) if clear else "#ffffff"
        parts.append(
            f'<path d="M{_n(cx)} {_n(y - r)} L{_n(cx + r)} {_n(y)} L{_n(cx)} {_n(y + r)} '
            f'L{_n(cx - r)} {_n(y)} Z" fill="{fill}" stroke="{INK}" stroke-width="1"/>'
        )
        label = f"gap {gap:+.0f}" + (
            f", 95% interval {low:+.0f} to {high:+.0f}"
            if low is not None and high is not None
            else ""
        )
    return _svg(width, height, "".join(parts), label)


def gap_axis(limit: float, width: float = 100, pad: float = 6, height: float = 14) -> Markup:
    """The axis of a column of gap strips: customers higher on the left, staff on the right."""
    parts = []
    for value in (-limit, 0.0, limit):
        x = pad + (width - 2 * pad) * (value + limit) / (2 * limit)
        anchor = "start" if value < 0 else "end" if value > 0 else "middle"
        text = "0" if value == 0 else f"{value:+.0f}".replace("-", "−")
        parts.append(
            f'<text x="{_n(x)}" y="{_n(height - 3)}" font-size="7.5" text-anchor="{anchor}" '
            f'fill="{MUTED}">{text}</text>'
        )
    return _svg(width, height, "".join(parts), f"gap from {-limit:.0f} to {limit:.0f} points")


def legend(palette: GapPalette) -> dict[str, Markup]:
    """Small markers for the legend line: our people, customers, clear gap, unclear gap."""
    return {
        "staff": _svg(12, 12, staff_dot(6, 6, palette, 4.6), "our people"),
        "customer": _svg(12, 12, customer_ring(6, 6, palette, 4.0), "customers"),
        "clear": _svg(
            12,
            12,
            f'<path d="M6 1.8 L10.2 6 L6 10.2 L1.8 6 Z" fill="{palette.accent}" stroke="{INK}" '
            'stroke-width="1"/>',
            "gap clear of noise",
        ),
        "unclear": _svg(
            12,
            12,
            '<path d="M6 1.8 L10.2 6 L6 10.2 L1.8 6 Z" fill="#ffffff" '
            f'stroke="{INK}" stroke-width="1"/>',
            "gap within the noise",
        ),
    }
