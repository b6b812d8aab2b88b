"""Compare two results as data: equal, floats to rounding. Scoring in batches adds the same
sums in another order, so a figure may differ in its last digits (1e-15), never more."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any


def assert_close(found: Any, expected: Any, where: str = "") -> None:
    """Equal, floats to 1e-9 relative (and 1e-12 absolute, for figures near zero)."""
    if isinstance(expected, dict):
        assert isinstance(found, dict) and set(found) == set(expected), where
        for key in expected:
            assert_close(found[key], expected[key], f"{where}.{key}")
    elif isinstance(expected, list | tuple):
        assert isinstance(found, list | tuple) and len(found) == len(expected), where
        for index, (a, b) in enumerate(zip(found, expected, strict=True)):
            assert_close(a, b, f"{where}[{index}]")
    elif isinstance(expected, float) and isinstance(found, float):
        assert math.isclose(found, expected, rel_tol=1e-9, abs_tol=1e-12), (where, found, expected)
    else:
        assert found == expected, (where, found, expected)


def assert_same_outcome(whole: Callable[[], Any], batched: Callable[[], Any]) -> None:
    """Reading in batches ends as reading whole does: the same refusal (an `InputError` with
    the same message), or results equal to rounding."""
    from cxassess.errors import InputError

    try:
        expected = whole()
    except InputError as refused:
        try:
            batched()
        except InputError as also:
            assert also.message == refused.message
            return
        raise AssertionError(
            f"read whole, refused ({refused.message}); in batches, scored"
        ) from None
    assert_close(batched(), expected)
