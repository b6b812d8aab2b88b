"""The report's rounding helpers: the ones in `cxassess.rounding`, which the gap modules (a
layer below the report) use as well, so that every figure is rounded by one set of rules."""

from cxassess.rounding import (
    MARGIN_DIGITS,
    difference,
    margin_text,
    shown,
    signed,
    whole,
    whole_shares,
)

__all__ = ["MARGIN_DIGITS", "difference", "margin_text", "shown", "signed", "whole", "whole_shares"]
