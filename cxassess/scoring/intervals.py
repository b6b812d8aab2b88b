"""Confidence intervals for a difference of means: Welch's method, with no SciPy.

A gap (staff minus customers) and a change (this survey minus the last) are both differences
between independent samples whose spreads differ. Welch's interval handles that:
`SE = sqrt(sum(sd_i^2 / n_i))` and the Student t quantile at the Welch-Satterthwaite degrees of
freedom `df = SE^4 / sum((sd_i^2 / n_i)^2 / (n_i - 1))`. The t quantile is computed exactly from
the regularised incomplete beta function (a continued fraction), inverted by bisection, so the
figures agree with printed t tables to many decimals for any df, whole or not.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from statistics import NormalDist

CONFIDENCE = 0.95
"""Confidence level of every interval cxassess reports."""

_NORMAL_DF = 1e7
"""Above this many degrees of freedom the t distribution is the normal one to 1e-7."""


def _beta_continued_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of the incomplete beta function (modified Lentz method)."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c = 1.0
    d = 1.0 - qab * x / qap
    d = tiny if abs(d) < tiny else d
    d = 1.0 / d
    h = d
    for m in range(1, 400):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = tiny if abs(d) < tiny else d
        c = 1.0 + aa / c
        c = tiny if abs(c) < tiny else c
        d = 1.0 / d
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = tiny if abs(d) < tiny else d
        c = 1.0 + aa / c
        c = tiny if abs(c) < tiny else c
        d = 1.0 / d
        step = d * c
        h *= step
        if abs(step - 1.0) < 1e-15:
            break
    return h


def regularized_beta(x: float, a: float, b: float) -> float:
    """`I_x(a, b)`, the regularised incomplete beta function, for 0 <= x <= 1."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    front = math.exp(log_front)
    # The fraction converges fast only below the mean; use the symmetry I_x(a,b) = 1 - I_1-x(b,a).
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _beta_continued_fraction(a, b, x) / a
    return 1.0 - front * _beta_continued_fraction(b, a, 1.0 - x) / b


def t_cdf(t: float, df: float) -> float:
    """P(T <= t) for Student's t with `df` degrees of freedom (df > 0, need not be whole)."""
    if df <= 0:
        raise ValueError("degrees of freedom must be positive")
    if df > _NORMAL_DF:
        return NormalDist().cdf(t)
    tail = 0.5 * regularized_beta(df / (df + t * t), df / 2.0, 0.5)
    return 1.0 - tail if t > 0 else tail


def t_quantile(p: float, df: float) -> float:
    """The value t with P(T <= t) = p, for Student's t with `df` degrees of freedom.

    Examples from a t table: `t_quantile(0.975, 1)` is 12.706, `(0.975, 10)` is 2.228,
    `(0.975, 30)` is 2.042; for very large df it is the normal 1.960.
    """
    if not 0.0 < p < 1.0:
        raise ValueError("p must lie strictly between 0 and 1")
    if df <= 0:
        raise ValueError("degrees of freedom must be positive")
    if df > _NORMAL_DF:
        return NormalDist().inv_cdf(p)
    if p < 0.5:
        return -t_quantile(1.0 - p, df)
    if p == 0.5:
        return 0.0
    return _upper_t_quantile(p, df)


def _t_density(t: float, df: float) -> float:
    """The density of Student's t at `t`."""
    log_front = math.lgamma((df + 1.0) / 2.0) - math.lgamma(df / 2.0) - 0.5 * math.log(df * math.pi)
    return math.exp(log_front - (df + 1.0) / 2.0 * math.log1p(t * t / df))


@lru_cache(maxsize=4096)
def _upper_t_quantile(p: float, df: float) -> float:
    """`t_quantile` for p > 0.5: Newton's method from the Cornish-Fisher start, kept inside a
    bracket that bisection narrows whenever a Newton step would leave it. The answer is the
    one plain bisection gives (to 1e-12), in a handful of evaluations of the distribution
    function instead of dozens: the report asks for hundreds of these."""
    z = NormalDist().inv_cdf(p)
    guess = z + (z**3 + z) / (4.0 * df) + (5 * z**5 + 16 * z**3 + 3 * z) / (96.0 * df * df)
    low, high = 0.0, max(guess, 1.0)
    while t_cdf(high, df) < p:
        low, high = high, high * 2.0
        # below one degree of freedom the tails are so heavy that a 99.999% point can lie
        # past 1e13; only past 1e150 (where t * t would overflow) is it called infinite
        if high > 1e150:
            return math.inf
    t = min(max(guess, low), high)
    for _ in range(200):
        error = t_cdf(t, df) - p
        if error < 0:
            low = t
        else:
            high = t
        step = error / _t_density(t, df)
        following = t - step
        if not low < following < high:
            following = (low + high) / 2.0
        if abs(following - t) <= 1e-13 * max(1.0, abs(t)) or high - low <= 1e-12 * max(1.0, high):
            return following
        t = following
    return t


@dataclass(frozen=True)
class Interval:
    """A difference with its Welch confidence interval.

    `low`/`high` are None when a side has fewer than two answers or no standard deviation;
    `clear` says whether the interval excludes zero (the difference is larger than its noise).
    """

    difference: float
    low: float | None
    high: float | None
    se: float | None
    df: float | None

    @property
    def clear(self) -> bool:
        """True when the whole interval lies on one side of zero."""
        if self.low is None or self.high is None:
            return False
        return self.low > 0 or self.high < 0


def welch_interval(
    difference: float,
    samples: Sequence[tuple[float | None, int]],
    confidence: float = CONFIDENCE,
) -> Interval:
    """The Welch interval of `difference`, a sum or difference of the means of independent
    samples given as (standard deviation, n).

    Two samples give the classic two-sample Welch interval; four give the interval of a
    difference of two gaps. When every sample has zero spread the interval is the point itself.
    """
    if not samples or any(sd is None or n < 2 for sd, n in samples):
        return Interval(difference, None, None, None, None)
    variances = [(float(sd) ** 2 / n, n) for sd, n in samples if sd is not None]
    total = sum(v for v, _n in variances)
    if total <= 0.0:
        return Interval(difference, difference, difference, 0.0, None)
    se = math.sqrt(total)
    denominator = sum(v * v / (n - 1) for v, n in variances)
    df = total * total / denominator
    half = t_quantile(0.5 + confidence / 2.0, df) * se
    return Interval(difference, difference - half, difference + half, se, df)


def nps_sd(promoters: float | None, detractors: float | None, n: int) -> float | None:
    """Sample standard deviation of the per-respondent NPS contribution (+100 promoter,
    0 passive, -100 detractor) from the promoter and detractor shares in percent.

    Its mean is the NPS, so NPS differences get a Welch interval like any other mean.
    """
    if promoters is None or detractors is None or n < 2:
        return None
    p, d = promoters / 100.0, detractors / 100.0
    variance = (p + d - (p - d) ** 2) * n / (n - 1)
    return 100.0 * math.sqrt(max(variance, 0.0))


MIN_EFFECT = 5.0
"""Points (0-100, or NPS points) a change or gap must reach before it is marked: smaller ones
are too small to act on, however sure."""

FALSE_DISCOVERY_RATE = 1.0 - CONFIDENCE
"""Share of marked differences among many that may be chance (Benjamini-Hochberg)."""


def p_value(interval: Interval) -> float | None:
    """Two-sided p-value of a difference against zero from its Welch interval: the chance of a
    difference this large if there were none. None without an interval; with no spread at
    all, 0 for a non-zero difference and 1 for none."""
    if interval.se is None:
        return None
    if interval.se == 0.0 or interval.df is None:
        return 0.0 if interval.difference != 0.0 else 1.0
    return min(1.0, 2.0 * t_cdf(-abs(interval.difference) / interval.se, interval.df))


def adjusted_p_values(p_values: Sequence[float | None]) -> list[float | None]:
    """Benjamini-Hochberg adjusted p-values of one family of comparisons (None stays None).

    Among m tests, the k-th smallest p is multiplied by m/k, then each is made no larger than
    the ones ranked above it. Marking those at or below 5% keeps the expected share of chance
    findings among the marked ones at 5%, however many items are compared at once."""
    known = sorted((p, i) for i, p in enumerate(p_values) if p is not None)
    m = len(known)
    adjusted: list[float | None] = [None] * len(p_values)
    smallest = 1.0
    for rank in range(m, 0, -1):
        p, index = known[rank - 1]
        smallest = min(smallest, p * m / rank)
        adjusted[index] = smallest
    return adjusted


def beyond_noise(
    figures: Sequence[tuple[float | None, float | None]],
    *,
    min_effect: float = MIN_EFFECT,
    rate: float = FALSE_DISCOVERY_RATE,
    printed: Sequence[float | None] | None = None,
) -> list[tuple[bool, float | None]]:
    """The one rule that decides whether each difference of a family (difference, p-value) is
    marked: its Benjamini-Hochberg adjusted p-value is at most `rate` and it is at least
    `min_effect` points, both as worked out and, with `printed`, as a reader works it out from
    the two figures as printed (62.5 and 57.5 print as 62 and 58: 4 apart, so not marked).
    Returns (marked, adjusted p-value) per difference. Every change and gap that cxassess
    marks, in any output, is marked by this."""
    adjusted = adjusted_p_values([p for _d, p in figures])
    shown = list(printed) if printed is not None else [None] * len(figures)
    return [
        (
            difference is not None
            and q is not None
            and q <= rate
            and abs(difference) >= min_effect
            and (seen is None or abs(seen) >= min_effect),
            q,
        )
        for (difference, _p), q, seen in zip(figures, adjusted, shown, strict=True)
    ]


def printed_difference(first: float | None, second: float | None) -> float | None:
    """`first - second` as a reader works it out from the two figures printed whole."""
    if first is None or second is None:
        return None
    return float(round(first) - round(second))


Figure = tuple[float | None, float | None, int]
"""A mean (or score), its standard deviation and its n."""


def part_versus_whole(part: Figure, whole: Figure) -> Interval:
    """The interval of a group's figure minus the whole sample's, of which the group is part.

    The two are not independent (the group is inside the whole), so the noise comes from the
    group against the rest of the sample: the rest's mean and spread follow from the whole's
    and the group's, and `group - whole = (n_rest / n_whole) * (group - rest)`."""
    (g, g_sd, g_n), (t, t_sd, t_n) = part, whole
    if g is None or t is None:
        return Interval(0.0, None, None, None, None)
    difference = g - t
    rest_n = t_n - g_n
    if g_sd is None or t_sd is None or g_n < 2 or rest_n < 2:
        return Interval(difference, None, None, None, None)
    rest = (t_n * t - g_n * g) / rest_n
    rest_ss = (
        (t_n - 1) * t_sd**2 - (g_n - 1) * g_sd**2 - g_n * (g - t) ** 2 - rest_n * (rest - t) ** 2
    )
    rest_sd = math.sqrt(max(rest_ss, 0.0) / (rest_n - 1))
    apart = welch_interval(g - rest, [(g_sd, g_n), (rest_sd, rest_n)])
    share = rest_n / t_n
    if apart.low is None or apart.high is None or apart.se is None:
        return Interval(difference, None, None, None, None)
    return Interval(difference, apart.low * share, apart.high * share, apart.se * share, apart.df)


def versus_whole(
    pairs: Sequence[tuple[Figure, Figure]], *, min_effect: float = MIN_EFFECT
) -> list[tuple[float | None, bool]]:
    """For one family of (group figure, whole figure) pairs, each difference (group minus
    whole) and whether it is beyond the noise by `beyond_noise`. A group's figures beside the
    organisation's, in the heatmap and in team reports, are marked by this."""
    intervals = [part_versus_whole(part, whole) for part, whole in pairs]
    differences = [
        None if part[0] is None or whole[0] is None else interval.difference
        for (part, whole), interval in zip(pairs, intervals, strict=True)
    ]
    decided = beyond_noise(
        [(d, p_value(i)) for d, i in zip(differences, intervals, strict=True)],
        min_effect=min_effect,
        printed=[printed_difference(part[0], whole[0]) for part, whole in pairs],
    )
    return [(d, marked) for d, (marked, _q) in zip(differences, decided, strict=True)]
