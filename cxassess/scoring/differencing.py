"""Which groups to hide so that no combination of shown groups gives a person away (rule 11).

Who belongs where is known as respondents counted per *cell*, a combination of the
breakdowns' values (`Crossing`). A group is the set of cells holding its value; the whole
sample is every cell. Figures are sums over respondents, so a reader who can add and subtract
shown groups learns the figures of any set whose cell vector lies in the span of the shown
groups' vectors. The rules, applied until nothing changes:

1. a group with fewer respondents than the minimum is hidden (`too_few`);
2. while a breakdown's hidden groups hold fewer than the minimum together, its next smallest
   group is hidden too (`protects_smaller`);
3. for two shown groups (the whole sample included) where one holds the other, the people in
   the larger one only must be none or at least the minimum, else the smaller is hidden;
4. no hidden group, and no cell with fewer respondents than the minimum, may be the sum or
   difference of shown groups; else shown groups are hidden, smallest first (`differencing`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from cxassess.results import Crossing

Key = tuple[str, str]
"""A group: (segment, value)."""

_TOLERANCE = 1e-7


@dataclass(frozen=True)
class Hidden:
    """Why a group is hidden: a reason code and the words every output shows."""

    reason: str
    why: str


@dataclass
class Membership:
    """The groups, their sizes and, when known, which cells each holds."""

    keys: list[Key]
    sizes: dict[Key, int]
    total: int
    matrix: np.ndarray | None = None
    """Groups x cells, True where the cell belongs to the group (None: not known)."""
    weights: np.ndarray | None = None
    """Respondents per cell."""
    cells: list[tuple[str, ...]] | None = None
    segments: list[str] | None = None

    def row(self, key: Key) -> np.ndarray:
        """The cells of a group, as a 0/1 vector."""
        assert self.matrix is not None
        return self.matrix[self.keys.index(key)]

    def contains(self, outer: Key | None, inner: Key) -> bool:
        """Whether group `outer` (None: the whole sample) holds everyone in `inner`."""
        if outer is None:
            return True
        if self.matrix is None:
            return False
        return bool(np.all(self.row(outer) >= self.row(inner)))


def membership_of(groups: Sequence[tuple[str, str, int]], total: int, crossing: Crossing | None):
    """Who belongs where: from `crossing` when it covers every group's segment and agrees with
    the groups' sizes; otherwise only the sizes (and the checks that need no more)."""
    keys = [(segment, value) for segment, value, _n in groups]
    sizes = {(segment, value): n for segment, value, n in groups}
    found = Membership(keys=keys, sizes=sizes, total=total)
    segments = list(dict.fromkeys(segment for segment, _v in keys))
    if crossing is None or not set(segments) <= set(crossing.segments) or not crossing.cells:
        return found
    where = {s: crossing.segments.index(s) for s in segments}
    cells = [tuple(c.values) for c in crossing.cells]
    if any(len(c) != len(crossing.segments) for c in cells):
        return found
    matrix = np.array(
        [[cell[where[segment]] == value for cell in cells] for segment, value in keys], dtype=bool
    ).reshape(len(keys), len(cells))
    weights = np.array([c.n for c in crossing.cells], dtype=np.int64)
    if int(weights.sum()) != total or any(
        int(weights[matrix[i]].sum()) != sizes[key] for i, key in enumerate(keys)
    ):
        return found
    found.matrix, found.weights, found.cells = matrix, weights, cells
    found.segments = list(crossing.segments)
    return found


def _label(key: Key, titles: Mapping[str, str]) -> str:
    return f"{titles.get(key[0], key[0])} '{key[1]}'"


def _in_span(basis: np.ndarray, vectors: np.ndarray) -> np.ndarray:
    """For each column of `vectors`, whether it is a combination of the rows of `basis`."""
    if basis.size == 0:
        return np.zeros(vectors.shape[1], dtype=bool)
    residual = vectors - basis.T @ (basis @ vectors)
    return np.linalg.norm(residual, axis=0) <= _TOLERANCE * np.maximum(
        1.0, np.linalg.norm(vectors, axis=0)
    )


def _basis(rows: np.ndarray) -> np.ndarray:
    """An orthonormal basis of the span of `rows`."""
    if rows.size == 0:
        return rows.astype(float)
    _u, singular, vt = np.linalg.svd(rows.astype(float), full_matrices=False)
    rank = int(np.sum(singular > _TOLERANCE * max(1.0, float(singular[0]) if singular.size else 1)))
    return vt[:rank]


UNION_LIMIT = 5000
"""Most sets of small crossed cells checked at once (see `_small_unions`)."""


def _small_unions(
    weights: np.ndarray, minimum: int, limit: int = UNION_LIMIT
) -> list[tuple[int, ...]]:
    """Every crossed cell with fewer respondents than the minimum, and every union of such
    cells that still holds fewer than the minimum (every single cell; at most `limit` unions)."""
    small = [int(i) for i in np.argsort(weights, kind="stable") if weights[i] < minimum]
    found: list[tuple[int, ...]] = [(i,) for i in small]
    unions = 0

    def grow(start: int, chosen: tuple[int, ...], total: int) -> None:
        nonlocal unions
        for at in range(start, len(small)):
            size = total + int(weights[small[at]])
            if size >= minimum or unions >= limit:
                return  # cells are sorted by size: later ones are no smaller
            union = (*chosen, small[at])
            if len(union) > 1:
                found.append(union)
                unions += 1
            grow(at + 1, union, size)

    grow(0, (), 0)
    return found


class _Decision:
    def __init__(self, members: Membership, minimum: int, titles: Mapping[str, str]) -> None:
        self.m, self.minimum, self.titles = members, minimum, titles
        self.hidden: dict[Key, Hidden] = {}
        self.fixed: set[Key] = set()
        """Groups already shown elsewhere, which can no longer be hidden."""

    def shown(self) -> list[Key]:
        return [k for k in self.m.keys if k not in self.hidden]

    def by_size(self, keys: Sequence[Key]) -> list[Key]:
        order = {k: i for i, k in enumerate(self.m.keys)}
        return sorted(keys, key=lambda k: (self.m.sizes[k], order[k]))

    def complements(self) -> bool:
        """Rule 2, per breakdown."""
        changed = False
        for segment in dict.fromkeys(s for s, _v in self.m.keys):
            members = [k for k in self.m.keys if k[0] == segment]
            small = [k for k in members if k in self.hidden]
            rest = [k for k in members if k not in self.hidden and k not in self.fixed]
            if small and rest and sum(self.m.sizes[k] for k in small) < self.minimum:
                extra = self.by_size(rest)[0]
                names = " and ".join(f"'{k[1]}'" for k in sorted(small))
                self.hidden[extra] = Hidden(
                    "protects_smaller",
                    f"hidden so that {names} (hidden) cannot be worked out from the total "
                    "and the other groups",
                )
                changed = True
        return changed

    def nested(self) -> bool:
        """Rule 3: every pair of shown groups where one holds the other."""
        shown = self.shown()
        for inner in self.by_size(shown):
            for outer in [None, *shown]:
                if outer == inner or not self.m.contains(outer, inner):
                    continue
                size = self.m.total if outer is None else self.m.sizes[outer]
                gap = size - self.m.sizes[inner]
                victim = inner if inner not in self.fixed else outer
                if 0 < gap < self.minimum and victim is not None and victim not in self.fixed:
                    partner = outer if victim == inner else inner
                    other = "the whole sample" if partner is None else _label(partner, self.titles)
                    self.hidden[victim] = Hidden(
                        "differencing",
                        f"hidden because its figures and those of {other} would together show "
                        f"the answers of {gap} people (fewer than {self.minimum})",
                    )
                    return True
        return False

    def protected(self) -> tuple[np.ndarray, list[str]]:
        """The sets no combination of shown groups may single out, as columns, and names."""
        m = self.m
        assert m.matrix is not None and m.weights is not None and m.cells is not None
        columns, names = [], []
        for key in self.hidden:
            if m.row(key).all():  # the whole sample, which is shown anyway
                continue
            columns.append(m.row(key).astype(float))
            names.append(f"the hidden group {_label(key, self.titles)}")
        if len(m.cells) > 1 and m.segments and len(m.segments) > 1:
            limit = min(UNION_LIMIT, max(200, 2_000_000 // len(m.cells)))  # memory bound
            for union in _small_unions(m.weights, self.minimum, limit):
                if len(union) == len(m.cells):  # the whole sample, which is shown anyway
                    continue
                column = np.zeros(len(m.cells))
                column[list(union)] = 1.0
                columns.append(column)
                names.append(self.describe(union))
        if not columns:
            return np.zeros((len(m.cells), 0)), names
        return np.stack(columns, axis=1), names

    def describe(self, union: tuple[int, ...]) -> str:
        """A set of crossed cells in words, e.g. the 1 people who are Team 'A' and Role 'x'."""
        m = self.m
        assert m.cells is not None and m.segments is not None and m.weights is not None
        words = []
        for index in union:
            parts = [
                f"{self.titles.get(s, s)} '{v}'"
                for s, v in zip(m.segments, m.cells[index], strict=True)
            ]
            words.append(" and ".join(parts))
        size = int(m.weights[list(union)].sum())
        return f"the {size} people who are {'; or '.join(words)}"

    def rows(self, keys: Sequence[Key]) -> np.ndarray:
        assert self.m.matrix is not None
        whole = np.ones((1, self.m.matrix.shape[1]))
        return np.vstack([whole, *[self.m.row(k)[None, :] for k in keys]])

    def spans(self) -> bool:
        """Rule 4: hide shown groups until no protected set is a combination of shown ones."""
        vectors, names = self.protected()
        if vectors.shape[1] == 0:
            return False
        shown = self.shown()
        exposed = np.flatnonzero(_in_span(_basis(self.rows(shown)), vectors))
        if exposed.size == 0:
            return False
        target = vectors[:, exposed[:1]]
        candidates = self.by_size([k for k in shown if k not in self.fixed])
        choice = next(
            (
                k
                for k in candidates
                if not _in_span(_basis(self.rows([s for s in shown if s != k])), target)[0]
            ),
            candidates[0] if candidates else None,
        )
        if choice is None:
            return False
        self.hidden[choice] = Hidden(
            "differencing",
            f"hidden because, with other shown groups, its figures would give away "
            f"{names[int(exposed[0])]}",
        )
        return True


def decide(
    members: Membership,
    minimum: int,
    *,
    already: Mapping[Key, Hidden] | None = None,
    titles: Mapping[str, str] | None = None,
    fixed: Collection[Key] = (),
) -> dict[Key, Hidden]:
    """The groups to hide and why (rules 1-4 above), starting from those `already` hidden;
    groups in `fixed` are shown already (in another report) and are never chosen to be hidden.

    Rules 3 and 4 across breakdowns need `members.matrix`; without it only the whole sample is
    known to hold every group."""
    decision = _Decision(members, minimum, titles or {})
    decision.fixed = set(fixed)
    decision.hidden.update(already or {})
    for key in members.keys:
        if key not in decision.hidden and members.sizes[key] < minimum:
            decision.hidden[key] = Hidden("too_few", f"fewer than {minimum} respondents")
    while True:
        if decision.complements() or decision.nested():
            continue
        if members.matrix is not None and decision.spans():
            continue
        break
    return {k: decision.hidden[k] for k in members.keys if k in decision.hidden}
