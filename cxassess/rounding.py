"""Rounding figures for display, so that the figures a reader adds up or subtracts agree.

One place decides how each kind of figure is printed: scores and gaps as whole points,
margins of error with one decimal, shares as whole percentages that add to 100. A difference
printed beside two figures is the difference of the figures as printed ("59 then, 61 now,
+2"), never the rounded raw difference ("+1"), which a reader would take for a mistake.
"""

from __future__ import annotations

import math

MARGIN_DIGITS = 1
"""Decimals of a "±" margin of error, everywhere it is printed."""


def whole(value: float) -> int:
    """A figure rounded to a whole number as the report prints it (Python's rounding, the same
    as the `{:.0f}` format, so a figure and a difference built from it never disagree)."""
    return round(value)


def shown(value: float, digits: int = 0) -> float:
    """The value a reader sees when it is printed with `digits` decimals."""
    return float(round(value, digits))


def difference(first: float, second: float, digits: int = 0) -> float:
    """`first` minus `second` as a reader computes it from the two printed figures."""
    return round(shown(first, digits) - shown(second, digits), digits)


def signed(value: float | None, digits: int = 0) -> str:
    """`+4`, `−3` (true minus sign), `0`, or an en dash when unknown."""
    if value is None:
        return "–"
    text = f"{value:+.{digits}f}"
    if text.lstrip("+-").strip("0.") == "":
        return "0"
    return text.replace("-", "\u2212")


def margin_text(margin: float) -> str:
    """A margin of error as printed after "±": always one decimal (`1.7`), so that a page
    never shows "± 1.7" in one place and "± 2" in another."""
    return f"{margin:.{MARGIN_DIGITS}f}"


def whole_shares(shares: list[float | None]) -> list[int | None]:
    """Round percentages that together make 100 to whole numbers that still add to 100.

    Largest-remainder rounding: every share is rounded down, then the points still missing
    go, one each, to the shares that lost the most. A report that prints 35 + 38 + 28 = 101%
    invites a reader to doubt every other figure. Missing shares (None) stay missing, and
    shares that do not add to about 100 are rounded one by one.
    """
    known = [s for s in shares if s is not None]
    total = sum(known)
    if not known or abs(total - 100.0) > 0.5:
        return [None if s is None else round(s) for s in shares]
    floors = [None if s is None else math.floor(s) for s in shares]
    missing = 100 - sum(f for f in floors if f is not None)
    order = sorted(
        (i for i, s in enumerate(shares) if s is not None),
        key=lambda i: (-(shares[i] - floors[i]), i),  # type: ignore[operator]
    )
    result = list(floors)
    for i in order[: max(missing, 0)]:
        result[i] += 1  # type: ignore[operator]
    return result
