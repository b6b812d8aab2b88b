"""Statistics on top of the scoring rules: Cronbach's alpha, NPS shares and correlation.

Each function takes sufficient statistics already aggregated by the engine (one pass over the
data in the columnar engine) and returns a number, so the formulas are testable on their own.
"""

from __future__ import annotations

import math
from collections.abc import Sequence


def cronbach_alpha(
    item_variances: Sequence[float | None], total_variance: float | None, complete_n: int
) -> float | None:
    """Rule 8: `k/(k-1) * (1 - sum(item variances) / variance(total))` with sample variances
    over listwise-complete respondents; None with fewer than 2 items, fewer than 3 complete
    respondents, or no variance in the totals."""
    k = len(item_variances)
    if k < 2 or complete_n < 3 or total_variance is None or total_variance <= 0:
        return None
    if any(v is None for v in item_variances):
        return None
    return k / (k - 1) * (1 - sum(v for v in item_variances if v is not None) / total_variance)


def share(count: int | float, total: int | float) -> float | None:
    """`count / total` as a percentage 0-100, None when nothing was answered."""
    return None if not total else 100.0 * count / total


def net_promoter(promoters: int, detractors: int, answered: int) -> float | None:
    """Rule 7: percent promoters minus percent detractors, from -100 to 100."""
    if not answered:
        return None
    return 100.0 * (promoters - detractors) / answered


def pearson_from_sums(
    n: int, sum_x: float, sum_y: float, sum_xx: float, sum_yy: float, sum_xy: float
) -> float | None:
    """Pearson's r from the sums over paired observations; None when n < 3 or a side is
    constant."""
    if n < 3:
        return None
    cov = sum_xy - sum_x * sum_y / n
    var_x = sum_xx - sum_x * sum_x / n
    var_y = sum_yy - sum_y * sum_y / n
    if var_x <= 1e-12 or var_y <= 1e-12:
        return None
    r = cov / math.sqrt(var_x * var_y)
    return max(-1.0, min(1.0, r))
