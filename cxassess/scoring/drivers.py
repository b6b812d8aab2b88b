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

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median
from typing import TYPE_CHECKING

import numpy as np

from cxassess.results import Driver, Drivers
from cxassess.scoring import engine, stats
from cxassess.scoring.tally import PairMoments

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

RESERVOIR = 20_000
"""Most complete rows kept for the bootstrap; beyond them a uniform sample of this many. At
this size, with twenty predictors, the bootstrap takes about a second and under 100 MB (both
grow with rows times predictors squared); at 200,000 it took a minute and about 1 GB."""

RESERVOIR_SEED = 20_002
"""Seed of the choice of rows kept once there are more than `RESERVOIR`."""

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


def _uniform(start: int, count: int, seed: int) -> np.ndarray:
    """A number in [0, 1) for each row from `start` on, fixed by the row's place and the seed
    alone (a SplitMix64 hash), so the rows kept do not depend on how the answers were split
    into batches."""
    z = np.arange(start, start + count, dtype=np.uint64) + np.uint64(seed)
    z *= np.uint64(0x9E3779B97F4A7C15)
    z ^= z >> np.uint64(30)
    z *= np.uint64(0xBF58476D1CE4E5B9)
    z ^= z >> np.uint64(27)
    z *= np.uint64(0x94D049BB133111EB)
    z ^= z >> np.uint64(31)
    return (z >> np.uint64(11)).astype(np.float64) * 2.0**-53


class DriverData:
    """The complete rows (predictors, then the outcome) of one driver analysis, added batch
    by batch in constant memory: how many, their means and the sums of their crossed
    deviations (merged with Chan's formula), and the rows themselves up to `capacity`, beyond
    which a uniform sample of `capacity` of them (reservoir sampling: row t replaces a kept
    one with chance capacity / (t + 1))."""

    def __init__(self, width: int, capacity: int = RESERVOIR, seed: int = RESERVOIR_SEED):
        self.width, self.capacity, self.seed = width, capacity, seed
        self.n = 0
        self.mean = np.zeros(width)
        self.cross = np.zeros((width, width))
        self._chunks: list[np.ndarray] = []
        self._sample: np.ndarray | None = None

    def add(self, data: np.ndarray) -> None:
        """The complete rows of `data` (NaN: missing), in their order."""
        rows = data[~np.isnan(data).any(axis=1)]
        count = len(rows)
        if count == 0:
            return
        mean = rows.mean(axis=0)
        centred = rows - mean
        cross = centred.T @ centred
        n = self.n + count
        delta = mean - self.mean
        self.mean = mean if self.n == 0 else self.mean + delta * (count / n)
        self.cross = self.cross + cross + np.outer(delta, delta) * (self.n * count / n)
        start = self.n
        self.n = n
        fill = max(0, min(count, self.capacity - start))
        if fill:
            self._chunks.append(rows[:fill])
        rest = rows[fill:]
        if not len(rest):
            return
        if self._sample is None:
            self._sample = np.concatenate(self._chunks)
            self._chunks = []
        place = start + fill
        seen = np.arange(place, place + len(rest), dtype=np.float64) + 1.0
        slot = np.floor(_uniform(place, len(rest), self.seed) * seen).astype(np.int64)
        kept = np.flatnonzero(slot < self.capacity)
        if not kept.size:
            return
        order = kept[np.argsort(slot[kept], kind="stable")]
        last = np.append(slot[order][1:] != slot[order][:-1], True)
        self._sample[slot[order][last]] = rest[order][last]

    def rows(self) -> np.ndarray:
        """The rows kept: every complete row in order, or the uniform sample."""
        if self._sample is not None:
            return self._sample
        if not self._chunks:
            return np.empty((0, self.width))
        return np.concatenate(self._chunks)

    def weights(
        self, *, resamples: int = BOOTSTRAP_RESAMPLES, seed: int = BOOTSTRAP_SEED
    ) -> Weights:
        """Relative weights with bootstrap intervals. With every row kept, exactly
        `weights_with_intervals` of them. With more rows than kept ("m out of n" bootstrap):
        the weights of all n rows from the sums, and the intervals of the m kept rows'
        bootstrap, narrowed by sqrt(m / n) around them, since an interval's width shrinks
        with the square root of the number of respondents."""
        kept = self.rows()
        sampled = weights_with_intervals(kept, resamples=resamples, seed=seed)
        if len(kept) == self.n:
            return sampled
        spread = np.sqrt(np.clip(np.diagonal(self.cross) / self.n, 0.0, None))
        scale = np.where(spread > 1e-12, spread, 1.0)
        full = relative_weights(_correlation(self.cross / scale[:, None] / scale[None, :]))
        shrink = math.sqrt(len(kept) / self.n)
        low = np.clip(full - (sampled.weights - sampled.low) * shrink, 0.0, None)
        high = full + (sampled.high - sampled.weights) * shrink
        low, high = np.minimum(low, full), np.maximum(high, full)
        return Weights(full, low, high, float(full.sum()), self.n)


class DriverSums:
    """What the driver analysis needs of every batch of answers: the outcome (the NPS
    question, else the first outcome; None without one), each dimension's and question's
    pairs with the outcome (for r), and the complete rows of each analysis."""

    def __init__(self, q: Questionnaire, capacity: int = RESERVOIR) -> None:
        self.q = q
        found = next((o for o in q.outcomes if q.scale_of(o).type == "nps"), None)
        outcome = found or (q.outcomes[0] if q.outcomes else None)
        self.outcome = None if outcome is None else outcome.id
        self.columns = [engine.dimension_column(d.id) for d in q.dimensions]
        self.columns += [i.id for i in q.all_items()]
        self.pairs = {c: PairMoments.of_sums(0, 0.0, 0.0, (0.0,) * 5) for c in self.columns}
        dims, items = len(q.dimensions), len(q.all_items())
        self.dims = DriverData(dims + 1, capacity) if dims else None
        self.items = DriverData(items + 1, capacity) if items else None

    def add(self, aggregates: Aggregates) -> None:
        """One batch's answers."""
        if self.outcome is None:
            return
        for column in self.columns:
            self.pairs[column] = self.pairs[column].merged(aggregates.pairs(column, self.outcome))
        y = aggregates.answers[self.outcome].reversed_values()
        if self.dims is not None:
            self.dims.add(np.column_stack([d.scores() for d in aggregates.dims] + [y]))
        if self.items is not None:
            values = [aggregates.answers[i.id].reversed_values() for i in self.q.all_items()]
            self.items.add(np.column_stack([*values, y]))


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
    subjects: list[tuple[str, str, float | None, float | None]],
    data: DriverData | None,
    minimum: int,
) -> tuple[list[Driver], int, float | None, list[str], str]:
    """Drivers of one kind (id, title, score, r) over their complete rows, their complete n,
    R², leaders, and why the analysis did not run (empty when it ran)."""
    drivers = [
        Driver(id=ident, kind=kind, title=title, r=r, score=score)  # type: ignore[arg-type]
        for ident, title, score, r in subjects
    ]
    if not subjects or data is None:
        return drivers, 0, None, [], "nothing to relate the outcome to"
    complete = data.n
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
    found = data.weights()
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
    sums: DriverSums,
    dims: Sequence[DimensionResult],
    items: Sequence[ItemResult],
    *,
    minimum: int = MIN_DRIVER_RESPONDENTS,
) -> Drivers | None:
    """The relative weights of the dimensions (against each other) and of the questions
    (against each other) for the outcome (`DriverSums.outcome`), with their intervals,
    leaders and focus areas; None without an outcome question."""
    if sums.outcome is None:
        return None

    def pearson(column: str) -> float | None:
        return stats.pearson_from_sums(*sums.pairs[column].sums())

    known = {d.id for d in q.dimensions}
    dim_subjects = [
        (d.id, d.title, d.score, pearson(engine.dimension_column(d.id)))
        for d in dims
        if d.id in known
    ]
    item_subjects = [(i.id, i.text, i.score, pearson(i.id)) for i in items]
    result = Drivers(outcome=sums.outcome, method=METHOD, min_n=minimum)
    (
        result.dimensions,
        result.dimensions_n,
        result.dimensions_r2,
        result.dimensions_leading,
        result.dimensions_why_not,
    ) = _level("dimension", dim_subjects, sums.dims, minimum)
    (
        result.items,
        result.items_n,
        result.items_r2,
        result.items_leading,
        result.items_why_not,
    ) = _level("item", item_subjects, sums.items, minimum)
    return result
