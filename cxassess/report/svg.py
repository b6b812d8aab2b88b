"""SVG drawing primitives of the report's charts: colours derived from the brand, text
fitting, escaping, hatching patterns and the `<svg>` wrapper.

Everything here escapes the text it places; chart modules build on these helpers only.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

FONT = "Inter, 'DejaVu Sans', sans-serif"
INK = "#1d2433"
MUTED = "#5b6472"
RULE = "#c9ced6"
NEUTRAL = "#d5d9e0"
HIDDEN = "#eef0f3"
CHAR_WIDTH = 0.56
"""Average advance of a character, in ems, used to fit labels (Inter runs about 0.55)."""


# ---------------------------------------------------------------- colours


def _rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def mix(colour: str, other: str, amount: float) -> str:
    """`colour` moved towards `other` by `amount` (0 keeps it, 1 gives `other`)."""
    a, b = _rgb(colour), _rgb(other)
    return "#" + "".join(f"{round(x + (y - x) * amount):02x}" for x, y in zip(a, b, strict=True))


def tint(colour: str, amount: float) -> str:
    """A lighter version of a colour: `amount` of white mixed in."""
    return mix(colour, "#ffffff", amount)


def luminance(colour: str) -> float:
    """Relative luminance (WCAG) of a colour, 0 (black) to 1 (white)."""

    def channel(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def text_on(fill: str) -> str:
    """Ink or white, whichever reads better on `fill`."""
    return "#ffffff" if luminance(fill) < 0.36 else INK


def readable(colour: str) -> str:
    """The colour, darkened until text in it reads on white (contrast at least 4.5:1)."""
    for step in range(11):
        candidate = mix(colour, "#000000", step / 10)
        if (1.05) / (luminance(candidate) + 0.05) >= 4.5:
            return candidate
    return INK


@dataclass(frozen=True)
class Palette:
    """The chart colours derived from the brand's primary and accent colours."""

    primary: str
    accent: str

    @property
    def favourable(self) -> str:
        """Fill of favourable shares and promoters: the primary colour, made dark enough."""
        return self.primary if luminance(self.primary) < 0.3 else mix(self.primary, "#000", 0.35)

    @property
    def unfavourable(self) -> str:
        """Stroke of the hatching on unfavourable shares and detractors."""
        return readable(self.accent)

    def ramp(self, score: float) -> str:
        """Heatmap fill for a 0-100 score: light (low) to the full primary colour (high). The
        ramp spans 30 to 90, where real scores lie, so that differences show."""
        share = max(0.0, min(1.0, (score - 30) / 60))
        return tint(self.favourable, 0.93 - 0.93 * share)

    def band(self, index: int, count: int) -> str:
        """Fill of level band `index` of `count`: lighter for lower bands."""
        if count <= 1:
            return tint(self.primary, 0.9)
        return tint(self.primary, 0.95 - 0.3 * index / (count - 1))


# ---------------------------------------------------------------- helpers


def num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def text_width(text: str, size: float) -> float:
    """Estimated width of `text` at font size `size`."""
    return len(text) * size * CHAR_WIDTH


def fit(text: str, width: float, size: float) -> str:
    """`text` shortened with an ellipsis so that it fits `width`."""
    if text_width(text, size) <= width:
        return text
    keep = max(1, int(width / (size * CHAR_WIDTH)) - 1)
    return text[:keep].rstrip() + "…"


def wrap(text: str, width: float, size: float, lines: int = 2) -> list[str]:
    """Split `text` into at most `lines` lines that fit `width` (the last one shortened)."""
    words = text.split()
    out: list[str] = []
    current = ""
    for word in words:
        trial = f"{current} {word}".strip()
        if text_width(trial, size) <= width or not current:
            current = trial
        else:
            out.append(current)
            current = word
    if current:
        out.append(current)
    if len(out) > lines:
        out = [*out[: lines - 1], " ".join(out[lines - 1 :])]
    return [fit(line, width, size) for line in out] or [""]


def text(
    x: float,
    y: float,
    content: str,
    *,
    size: float = 9,
    anchor: str = "start",
    weight: int = 400,
    fill: str = INK,
    extra: str = "",
) -> str:
    return (
        f'<text x="{num(x)}" y="{num(y)}" font-size="{num(size)}" text-anchor="{anchor}" '
        f'font-weight="{weight}" fill="{fill}"{extra}>{escape(content)}</text>'
    )


def hatch(pattern_id: str, stroke: str, background: str = "#ffffff", gap: float = 4) -> str:
    """A diagonal hatching pattern: unfavourable shares stay distinct in grey-scale."""
    return (
        f'<pattern id="{pattern_id}" width="{num(gap)}" height="{num(gap)}" '
        'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        f'<rect width="{num(gap)}" height="{num(gap)}" fill="{background}"/>'
        f'<line x1="0" y1="0" x2="0" y2="{num(gap)}" stroke="{stroke}" stroke-width="2.2"/>'
        "</pattern>"
    )


def svg(width: float, height: float, body: str, label: str, defs: str = "") -> Markup:
    defs_block = f"<defs>{defs}</defs>" if defs else ""
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'aria-label="{escape(label)}" width="{num(width)}" height="{num(height)}" '
        f'viewBox="0 0 {num(width)} {num(height)}" font-family="{FONT}">'
        f"<title>{escape(label)}</title>{defs_block}{body}</svg>"
    )


def spread(
    points: Sequence[tuple[float, float]],
    gap: float,
    bounds: tuple[float, float, float, float],
) -> list[tuple[float, float]]:
    """Where to draw markers of diameter `gap` so that none covers another: each point, in
    order, keeps its place if free, else takes the nearest free place stepping up, down, then
    sideways by `gap` within `bounds` (left, top, right, bottom). A moved marker should be
    joined to its true place by a leader line, so the chart stays honest."""
    left, top, right, bottom = bounds
    placed: list[tuple[float, float]] = []

    def free(x: float, y: float) -> bool:
        return all(math.hypot(x - px, y - py) >= gap - 1e-9 for px, py in placed)

    steps = [(0.0, 0.0)]
    for ring in range(1, 7):
        steps += [(0.0, -ring), (0.0, ring), (ring, 0.0), (-ring, 0.0)]
        steps += [(ring, -ring), (-ring, -ring), (ring, ring), (-ring, ring)]
    for x, y in points:
        spot = (x, y)
        for dx, dy in steps:
            nx = min(right, max(left, x + dx * gap))
            ny = min(bottom, max(top, y + dy * gap))
            if free(nx, ny):
                spot = (nx, ny)
                break
        placed.append(spot)
    return placed


def leader(true: tuple[float, float], drawn: tuple[float, float], colour: str) -> str:
    """A thin line from a marker's true place (a small dot) to where it is drawn."""
    (x1, y1), (x2, y2) = true, drawn
    return (
        f'<line x1="{num(x1)}" y1="{num(y1)}" x2="{num(x2)}" y2="{num(y2)}" stroke="{colour}" '
        f'stroke-width="0.7"/><circle cx="{num(x1)}" cy="{num(y1)}" r="1.6" fill="{colour}"/>'
    )
