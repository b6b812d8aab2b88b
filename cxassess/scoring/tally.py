"""Numeric kernels of `aggregate`: counts and moments per cell, added up per group.

A *cell* is one combination of segment values; each respondent belongs to one, given as an
integer code. Counts per cell and per answer code come from one `numpy.bincount`; means and
sums of squared deviations from counts (exactly, for discrete answers) or from two passes
over the values (for continuous ones). Groups are unions of cells, so their figures are sums
of the cells' counts, or the cells' moments combined without loss of precision.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

EPS = float(np.finfo(np.float64).eps)
_SPARSE_FROM = 256
"""Codes per row from which `moments_from_counts` first drops the codes no row has."""


@dataclass
class Moments:
    """Per group: how many values, their mean (NaN when none) and the sum of their squared
    deviations from it (`m2`; the sample variance is `m2 / (n - 1)`)."""

    n: np.ndarray
    mean: np.ndarray
    m2: np.ndarray

    @classmethod
    def empty(cls, groups: int) -> Moments:
        """No values in any of `groups` groups."""
        return cls(np.zeros(groups), np.full(groups, np.nan), np.zeros(groups))

    def counts(self) -> list[int]:
        """The counts as Python integers."""
        return [int(n) for n in np.rint(self.n)]

    def means(self) -> list[float | None]:
        """The means, None for an empty group."""
        return [None if n == 0 else float(m) for n, m in zip(self.n, self.mean, strict=True)]

    def variances(self) -> list[float | None]:
        """Sample variances (ddof=1), None below two values."""
        return [
            None if n < 2 else float(m2 / (n - 1)) for n, m2 in zip(self.n, self.m2, strict=True)
        ]

    def deviations(self) -> list[float | None]:
        """Sample standard deviations (ddof=1), None below two values."""
        return [None if v is None else float(np.sqrt(v)) for v in self.variances()]

    def spread_to(self, positions: np.ndarray, groups: int) -> Moments:
        """These groups' moments placed at `positions` among `groups` groups, the others
        empty (to line up the groups of two batches before merging them)."""
        out = Moments.empty(groups)
        out.n[positions], out.mean[positions], out.m2[positions] = self.n, self.mean, self.m2
        return out


def merge_moments(a: Moments, b: Moments) -> Moments:
    """Two sets of the same groups' moments combined (Chan, Golub and LeVeque's parallel
    formula: the sums of squared deviations add, plus the squared distance between the means
    weighted by `na * nb / n`), without the precision a sum of squares would lose. A group
    empty on one side keeps the other side's moments unchanged."""
    n = a.n + b.n
    safe = np.where(n > 0, n, 1.0)
    with np.errstate(invalid="ignore"):
        delta = b.mean - a.mean
        mean = np.where(a.n == 0, b.mean, np.where(b.n == 0, a.mean, a.mean + delta * b.n / safe))
        m2 = np.where(
            (a.n == 0) | (b.n == 0), a.m2 + b.m2, a.m2 + b.m2 + delta * delta * a.n * b.n / safe
        )
    return _settle(n, mean, m2)


def _settle(n: np.ndarray, mean: np.ndarray, m2: np.ndarray) -> Moments:
    """Moments with empty groups' means as NaN, and rounding noise in `m2` (negative, or
    below what the values' resolution can tell from zero) as exactly 0, so that constant
    values have no variance however they were added up."""
    n = np.asarray(n, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        noise = n * (16 * EPS * np.abs(mean)) ** 2
        m2 = np.where((m2 <= noise) | ~np.isfinite(m2), 0.0, m2)
    mean = np.where(n > 0, mean, np.nan)
    return Moments(n=n, mean=mean, m2=np.where(n > 1, m2, 0.0))


def moments_from_counts(counts: np.ndarray, values: np.ndarray) -> Moments:
    """Moments per row of `counts` (groups x codes) of the values the codes stand for.

    Two passes over the codes (mean, then deviations from it with a correction term), in
    floating point on exact integer counts; a group whose answers all share one code gets
    that value as its mean and no variance. Codes no group has are left out first: a
    dimension's combinations of answers run to tens of thousands, of which a few hundred
    respondents use a few hundred, and a code counted zero times adds nothing."""
    counts = np.asarray(counts, dtype=np.float64)
    values = np.asarray(values, dtype=np.float64)
    if counts.ndim == 2 and counts.shape[1] > _SPARSE_FROM:
        used = counts.any(axis=0)
        if np.count_nonzero(used) * 4 < used.size:
            counts, values = counts[:, used], values[used]
    n = counts.sum(axis=1)
    safe = np.where(n > 0, n, 1.0)
    first = counts @ values / safe
    dev = values[None, :] - first[:, None]
    mean = first + (counts * dev).sum(axis=1) / safe
    dev = values[None, :] - mean[:, None]
    spread = counts * dev
    m2 = (spread * dev).sum(axis=1) - spread.sum(axis=1) ** 2 / safe
    used = counts > 0
    single = used.sum(axis=1) == 1
    if single.any():
        only = np.argmax(used, axis=1)
        mean = np.where(single, values[only], mean)
        m2 = np.where(single, 0.0, m2)
    return _settle(n, mean, m2)


def cell_counts(cells: np.ndarray | None, n_cells: int, codes: np.ndarray, size: int) -> np.ndarray:
    """How many respondents of each cell have each code: an `n_cells x size` integer array.
    `cells` None means one cell holding everyone."""
    if cells is None:
        return np.bincount(codes, minlength=size)[None, :size]
    index = np.multiply(cells, size, dtype=np.intp)
    index += codes
    return np.bincount(index, minlength=n_cells * size).reshape(n_cells, size)


def cell_sums(cells: np.ndarray | None, n_cells: int, weights: np.ndarray) -> np.ndarray:
    """The sum of `weights` over each cell's respondents."""
    if cells is None:
        return np.array([weights.sum(dtype=np.float64)])
    return np.bincount(cells, weights=weights, minlength=n_cells)


def cell_moments(
    cells: np.ndarray | None, n_cells: int, values: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per cell the count, mean and sum of squared deviations of the non-NaN `values`, in two
    passes (the mean, then deviations from it with a correction term)."""
    valid = ~np.isnan(values)
    x = np.where(valid, values, 0.0)
    n = cell_sums(cells, n_cells, valid.astype(np.float64))
    safe = np.where(n > 0, n, 1.0)
    first = cell_sums(cells, n_cells, x) / safe
    dev = x - (first[0] if cells is None else first[cells])
    dev[~valid] = 0.0
    shift = cell_sums(cells, n_cells, dev)
    dev *= dev
    m2 = cell_sums(cells, n_cells, dev) - shift * shift / safe
    return n, first + shift / safe, m2


def add_cells(per_cell: np.ndarray, shape: tuple[int, ...], axis: int | None) -> np.ndarray:
    """Rows of `per_cell` (cells x anything; cells laid out row-major over `shape`, one axis
    per segment) added up into the groups of the segment on `axis`, or into one group."""
    grid = per_cell.reshape((*shape, *per_cell.shape[1:]))
    others = tuple(a for a in range(len(shape)) if a != axis)
    added = grid.sum(axis=others) if others else grid
    return added if axis is not None else added.reshape((1, *per_cell.shape[1:]))


def combine_moments(
    cells: tuple[np.ndarray, np.ndarray, np.ndarray], members: np.ndarray, n_groups: int
) -> Moments:
    """Cells' moments combined per group (the parallel form of Welford's update: the sum of
    the cells' squared deviations, plus each cell's count times its mean's squared distance
    from the group mean)."""
    n_c, mean_c, m2_c = cells
    mean_c = np.where(n_c > 0, mean_c, 0.0)
    n = np.bincount(members, weights=n_c, minlength=n_groups)
    safe = np.where(n > 0, n, 1.0)
    first = np.bincount(members, weights=n_c * mean_c, minlength=n_groups) / safe
    mean = (
        first
        + np.bincount(members, weights=n_c * (mean_c - first[members]), minlength=n_groups) / safe
    )
    between = n_c * (mean_c - mean[members]) ** 2
    m2 = np.bincount(members, weights=m2_c + between, minlength=n_groups)
    return _settle(n, mean, m2)


@dataclass(frozen=True)
class PairMoments:
    """Paired values of two variables summed up: how many pairs, the means, and the sums of
    squared and crossed deviations from the means. Two of them merge like `merge_moments`,
    so a correlation over several batches is the one over all of their pairs."""

    n: int
    mean_x: float
    mean_y: float
    xx: float
    yy: float
    xy: float

    @classmethod
    def of_sums(
        cls, n: int, mean_x: float, mean_y: float, sums: tuple[float, float, float, float, float]
    ) -> PairMoments:
        """From sums of deviations `(x, y, xx, yy, xy)` taken from the rough means given, with
        the corrections `stats.pearson_from_sums` makes (same arithmetic, same result)."""
        if n == 0:
            return cls(0, 0.0, 0.0, 0.0, 0.0, 0.0)
        sx, sy, sxx, syy, sxy = sums
        return cls(
            n,
            mean_x + sx / n,
            mean_y + sy / n,
            sxx - sx * sx / n,
            syy - sy * sy / n,
            sxy - sx * sy / n,
        )

    def merged(self, other: PairMoments) -> PairMoments:
        """The pairs of both, combined without loss of precision."""
        if other.n == 0:
            return self
        if self.n == 0:
            return other
        n = self.n + other.n
        dx, dy = other.mean_x - self.mean_x, other.mean_y - self.mean_y
        weight = self.n * other.n / n
        return PairMoments(
            n,
            self.mean_x + dx * other.n / n,
            self.mean_y + dy * other.n / n,
            self.xx + other.xx + dx * dx * weight,
            self.yy + other.yy + dy * dy * weight,
            self.xy + other.xy + dx * dy * weight,
        )

    def sums(self) -> tuple[int, float, float, float, float, float]:
        """`n` and the sums `stats.pearson_from_sums` takes."""
        return self.n, 0.0, 0.0, self.xx, self.yy, self.xy


def pearson_sums(counts: np.ndarray, x: np.ndarray, y: np.ndarray) -> PairMoments:
    """The pairs' moments over a table of counts of (x, y) pairs (`counts[i, j]` pairs have
    values `x[i]`, `y[j]`)."""
    counts = np.asarray(counts, dtype=np.float64)
    n = counts.sum()
    if n == 0:
        return PairMoments.of_sums(0, 0.0, 0.0, (0.0, 0.0, 0.0, 0.0, 0.0))
    cx, cy = counts.sum(axis=1), counts.sum(axis=0)
    mean_x, mean_y = (cx @ x) / n, (cy @ y) / n
    dx, dy = x - mean_x, y - mean_y
    return PairMoments.of_sums(
        int(n),
        float(mean_x),
        float(mean_y),
        (
            float(cx @ dx),
            float(cy @ dy),
            float(cx @ (dx * dx)),
            float(cy @ (dy * dy)),
            float(dx @ counts @ dy),
        ),
    )


def pearson_sums_of_values(x: np.ndarray, y: np.ndarray) -> PairMoments:
    """Like `pearson_sums`, over paired values (NaN = missing; pairs need both)."""
    both = ~(np.isnan(x) | np.isnan(y))
    xs, ys = x[both], y[both]
    if xs.size == 0:
        return PairMoments.of_sums(0, 0.0, 0.0, (0.0, 0.0, 0.0, 0.0, 0.0))
    mean_x, mean_y = xs.mean(), ys.mean()
    dx, dy = xs - mean_x, ys - mean_y
    return PairMoments.of_sums(
        int(xs.size),
        float(mean_x),
        float(mean_y),
        (float(dx.sum()), float(dy.sum()), float(dx @ dx), float(dy @ dy), float(dx @ dy)),
    )
