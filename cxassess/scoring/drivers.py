"""Driver analysis: how much of the outcome's variation each dimension or question accounts for.

A plain correlation over-claims when the predictors are correlated with each other (they
nearly always are in a culture survey: people who rate one area well rate the others well
too). Johnson's relative weights (Johnson 2000, "A heuristic method for estimating the relative
weight of predictor variables in multiple regression") share the R² of a regression of the
outcome on all the predictors between them, fairly under correlation: the predictors are
replaced by their closest uncorrelated counterparts, the outcome is regressed on those, and
each predictor gets back the part of R² that flows through it. The weights are never negative
and add up to R².

The weights come with seeded bootstrap intervals (respondents resampled with replacement,
`BOOTSTRAP_RESAMPLES` times, all resamples at once in NumPy), so a report names a driver as the
strongest only when its interval lies wholly above the next one's. The analysis runs only on
`MIN_DRIVER_RESPONDENTS` or more respondents who answered the outcome and every predictor.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median
from typing import TYPE_CHECKING

import numpy as np

from cxassess.results import Driver, Drivers
from cxassess.scoring import engine, stats

if TYPE_CHECKING:
    from cxassess.format.models import Questionnaire
    from cxassess.results import DimensionResult, ItemResult
    from cxassess.scoring.aggregate import Aggregates

MIN_DRIVER_RESPONDENTS = 25
"""Fewest respondents answering the outcome and every predictor for a driver analysis."""

BOOTSTRAP_RESAMPLES = 1000
"""Bootstrap resamples behind each weight's interval."""

BOOTSTRAP_SEED = 20_001
"""Seed of the bootstrap, so the same answers always give the same intervals."""

METHOD = "relative-weights"
"""`Drivers.method` of analyses made by this module (empty in older results files)."""

_CHUNK = 125
"""Resamples whose correlation matrices are built at once (bounds memory to a few MB)."""

_EIGEN_FLOOR = 1e-10
"""Eigenvalues below this share of the largest count as zero (predictors that are exact
combinations of others)."""


def relative_weights(correlations: np.ndarray) -> np.ndarray:
    """Johnson's relative weights from correlation matrices of the predictors followed by the
    outcome (shape `(..., k+1, k+1)`, outcome last): shape `(..., k)`, summing to R².

    With `R = V diag(l) V'` the predictors' correlations, `L = V diag(sqrt l) V'` links each
    predictor to its uncorrelated counterpart, `b = L^-1 r` regresses the outcome on the
    counterparts, and predictor j gets `sum_k L[j,k]^2 b[k]^2`."""
    rxx = correlations[..., :-1, :-1]
    rxy = correlations[..., :-1, -1]
    values, vectors = np.linalg.eigh(rxx)
    values = np.clip(values, 0.0, None)
    top = values.max(axis=-1, keepdims=True)
    kept = values > _EIGEN_FLOOR * np.where(top > 0, top, 1.0)
    root = np.sqrt(values)
    inverse_root = np.where(kept, 1.0 / np.where(kept, root, 1.0), 0.0)
    transposed = np.swapaxes(vectors, -1, -2)
    link = (vectors * root[..., None, :]) @ transposed
    unlink = (vectors * inverse_root[..., None, :]) @ transposed
    beta = (unlink @ rxy[..., None])[..., 0]
    return np.einsum("...jk,...k->...j", link**2, beta**2)


def _correlation(cross: np.ndarray) -> np.ndarray:
    """Correlation matrices from covariance-like matrices (zero variance gives zero links)."""
    scale = np.sqrt(np.clip(np.diagonal(cross, axis1=-2, axis2=-1), 0.0, None))
    safe = np.where(scale > 1e-12, scale, np.inf)
    found = cross / safe[..., :, None] / safe[..., None, :]
    eye = np.eye(cross.shape[-1], dtype=bool)
    return np.where(eye, 1.0, found)


@dataclass(frozen=True)
class Weights:
    """Relative weights of one set of predictors with their bootstrap intervals."""

    weights: np.ndarray
    low: np.ndarray
    high: np.ndarray
    r2: float
    n: int


def weights_with_intervals(
    data: np.ndarray,
    *,
    resamples: int = BOOTSTRAP_RESAMPLES,
    seed: int = BOOTSTRAP_SEED,
    confidence: float = 0.95,
) -> Weights:
    """Relative weights of the columns of `data` but the last (the outcome), over complete
    rows, with percentile bootstrap intervals of each weight at `confidence`."""
    rows = data[~np.isnan(data).any(axis=1)]
    n, width = rows.shape
    centred = rows - rows.mean(axis=0)
    spread = centred.std(axis=0)
    centred = centred / np.where(spread > 1e-12, spread, 1.0)
    weights = relative_weights(_correlation(centred.T @ centred))
    products = (centred[:, :, None] * centred[:, None, :]).reshape(n, width * width)
    generator = np.random.default_rng(seed)
    found = np.empty((resamples, width - 1))
    for start in range(0, resamples, _CHUNK):
        size = min(_CHUNK, resamples - start)
        drawn = generator.integers(0, n, size=(size, n)) + (np.arange(size) * n)[:, None]
        counts = np.bincount(drawn.ravel(), minlength=size * n).reshape(size, n).astype(float)
        means = counts @ centred / n
        cross = (counts @ products).reshape(size, width, width) / n
        cross -= means[:, :, None] * means[:, None, :]
        found[start : start + size] = relative_weights(_correlation(cross))
    tail = (1.0 - confidence) / 2.0 * 100.0
    low, high = np.percentile(found, [tail, 100.0 - tail], axis=0)
    # Weights cannot fall below zero, so near zero the resampled ones sit above the estimate;
    # the interval is widened to hold it, never narrowed.
    low, high = np.minimum(low, weights), np.maximum(high, weights)
    return Weights(weights, low, high, float(weights.sum()), n)


def leaders(weights: Sequence[float], lows: Sequence[float], highs: Sequence[float]) -> list[int]:
    """The positions of the drivers that lead, largest weight first: only the top one when
    its interval lies wholly above the next one's, else every driver whose interval reaches
    the top one's lower end (they matter about equally)."""
    if not weights:
        return []
    order = sorted(range(len(weights)), key=lambda i: -weights[i])
    top = order[0]
    if len(order) == 1 or lows[top] > highs[order[1]]:
        return [top]
    return [i for i in order if highs[i] >= lows[top]]


def focus_cut(pairs: Sequence[tuple[float | None, float | None]]) -> tuple[float, float] | None:
    """The medians (importance, score) that split focus areas from the rest, or None with
    fewer than two known pairs. The driver chart draws its quadrant lines here."""
    known = [(w, s) for w, s in pairs if w is not None and s is not None]
    if len(known) < 2:
        return None
    return median(w for w, _ in known), median(s for _, s in known)


def focus_flags(pairs: Sequence[tuple[float | None, float | None]]) -> list[bool]:
    """Focus areas among (importance, score) pairs: importance above its median and score
    below its median. Leaders act on these first: they matter most and do worst."""
    cut = focus_cut(pairs)
    if cut is None:
        return [False] * len(pairs)
    w_mid, s_mid = cut
    return [w is not None and s is not None and w > w_mid and s < s_mid and w > 0 for w, s in pairs]


def _level(
    kind: str,
    subjects: list[tuple[str, str, float | None, np.ndarray, float | None]],
    outcome: np.ndarray,
    minimum: int,
) -> tuple[list[Driver], int, float | None, list[str], str]:
    """Drivers of one kind (id, title, score, values, r), their complete n, R², leaders, and
    why the analysis did not run (empty when it ran)."""
    drivers = [
        Driver(id=ident, kind=kind, title=title, r=r, score=score)  # type: ignore[arg-type]
        for ident, title, score, _values, r in subjects
    ]
    if not subjects:
        return drivers, 0, None, [], "nothing to relate the outcome to"
    data = np.column_stack([values for *_rest, values, _r in subjects] + [outcome])
    complete = int((~np.isnan(data).any(axis=1)).sum())
    for driver in drivers:
        driver.n = complete
    if complete < minimum:
        return (
            drivers,
            complete,
            None,
            [],
            (
                f"{complete} respondents answered the outcome and every "
                f"{'dimension' if kind == 'dimension' else 'question'}; driver analysis needs "
                f"at least {minimum}, since with fewer the result would be mostly chance"
            ),
        )
    if kind == "item" and complete <= 2 * len(subjects):
        return (
            drivers,
            complete,
            None,
            [],
            (
                f"{complete} complete respondents for {len(subjects)} questions; the questions' "
                "weights need more than two respondents per question"
            ),
        )
    found = weights_with_intervals(data)
    for index, driver in enumerate(drivers):
        driver.weight = float(found.weights[index])
        driver.weight_low = float(found.low[index])
        driver.weight_high = float(found.high[index])
    flags = focus_flags([(d.weight, d.score) for d in drivers])
    for driver, flag in zip(drivers, flags, strict=True):
        driver.focus = flag
    ranked = leaders(
        [d.weight or 0.0 for d in drivers],
        [d.weight_low or 0.0 for d in drivers],
        [d.weight_high or 0.0 for d in drivers],
    )
    return drivers, complete, found.r2, [drivers[i].id for i in ranked], ""


def analyse_drivers(
    q: Questionnaire,
    aggregates: Aggregates,
    dims: Sequence[DimensionResult],
    items: Sequence[ItemResult],
    *,
    minimum: int = MIN_DRIVER_RESPONDENTS,
) -> Drivers | None:
    """The relative weights of the dimensions (against each other) and of the questions
    (against each other) for the outcome (the NPS question, else the first outcome), with
    their intervals, leaders and focus areas; None without an outcome question."""
    if not q.outcomes:
        return None
    outcome = next((o for o in q.outcomes if q.scale_of(o).type == "nps"), q.outcomes[0])
    y = aggregates.answers[outcome.id].reversed_values()

    def pearson(column: str) -> float | None:
        return stats.pearson_from_sums(*aggregates.correlation(column, outcome.id))

    by_dim = {d.dim.id: d for d in aggregates.dims}
    dim_subjects = [
        (d.id, d.title, d.score, by_dim[d.id].scores(), pearson(engine.dimension_column(d.id)))
        for d in dims
        if d.id in by_dim
    ]
    item_subjects = [
        (i.id, i.text, i.score, aggregates.answers[i.id].reversed_values(), pearson(i.id))
        for i in items
    ]
    result = Drivers(outcome=outcome.id, method=METHOD, min_n=minimum)
    (
        result.dimensions,
        result.dimensions_n,
        result.dimensions_r2,
        result.dimensions_leading,
        result.dimensions_why_not,
    ) = _level("dimension", dim_subjects, y, minimum)
    (
        result.items,
        result.items_n,
        result.items_r2,
        result.items_leading,
        result.items_why_not,
    ) = _level("item", item_subjects, y, minimum)
    return result
