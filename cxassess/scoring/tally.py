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
    that value as its mean and no variance."""
    counts = np.asarray(counts, dtype=np.float64)
    values = np.asarray(values, dtype=np.float64)
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


def pearson_sums(
    counts: np.ndarray, x: np.ndarray, y: np.ndarray
) -> tuple[int, float, float, float, float, float]:
    """`n` and the sums `stats.pearson_from_sums` takes, of deviations from the means, over a
    table of counts of (x, y) pairs (`counts[i, j]` pairs have values `x[i]`, `y[j]`)."""
    counts = np.asarray(counts, dtype=np.float64)
    n = counts.sum()
    if n == 0:
        return 0, 0.0, 0.0, 0.0, 0.0, 0.0
    cx, cy = counts.sum(axis=1), counts.sum(axis=0)
    dx = x - (cx @ x) / n
    dy = y - (cy @ y) / n
    return (
        int(n),
        float(cx @ dx),
        float(cy @ dy),
        float(cx @ (dx * dx)),
        float(cy @ (dy * dy)),
        float(dx @ counts @ dy),
    )


def pearson_sums_of_values(
    x: np.ndarray, y: np.ndarray
) -> tuple[int, float, float, float, float, float]:
    """Like `pearson_sums`, over paired values (NaN = missing; pairs need both)."""
    both = ~(np.isnan(x) | np.isnan(y))
    xs, ys = x[both], y[both]
    if xs.size == 0:
        return 0, 0.0, 0.0, 0.0, 0.0, 0.0
    dx, dy = xs - xs.mean(), ys - ys.mean()
    return (
        int(xs.size),
        float(dx.sum()),
        float(dy.sum()),
        float(dx @ dx),
        float(dy @ dy),
        float(dx @ dy),
    )
