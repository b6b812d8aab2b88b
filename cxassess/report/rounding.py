"""Rounding shares for display so that the figures a reader adds up give 100."""

from __future__ import annotations

import math


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
