"""Per-group sums of the answers, which add up across batches, and the figures they give.

`aggregate` counts each batch of answers into these sums, group by group (one `GroupStats`
per breakdown: the whole sample, or the groups of one segment). Two `GroupStats` of the same
breakdown merge into the sums of both batches: counts add, moments combine with Chan's
parallel formula, groups seen in one batch only are lined up first. `rows` turns the sums
into the figures of rules 1-8, named `kind|id` as `aggregate.Aggregates` documents.

A batch counts what it can: a question whose every answer is a point of its scale keeps
counts per point (`Coded`), else moments (`Continuous`); a dimension keeps counts per
combination of its items' answers (`Patterned`) where they are few, else moments
(`Valued`). Where two batches chose differently the counts are turned into the moments they
stand for before merging, so the result does not depend on how the answers were split.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from cxassess.scoring import coding
from cxassess.scoring.coding import Answers
from cxassess.scoring.tally import Moments, merge_moments, moments_from_counts

Row = dict[str, Any]
"""The figures of one group, named `kind|id`."""


def bare(answers: Answers) -> Answers:
    """The question's scale and point tables, without any respondent's answers."""
    return dataclasses.replace(answers, codes=None, values=None, non_answers=None)


@dataclass
class Coded:
    """A question's answers counted per group and code (the last code: no answer)."""

    answers: Answers
    counts: np.ndarray

    def continuous(self) -> Continuous:
        """The same answers as `Continuous` sums (for merging with a batch that has some
        answer off the scale's points)."""
        answered = self.counts[:, :-1]
        scale = self.answers.scale
        rev = self.answers.rev.tolist()
        fav = np.array([v in set(scale.favorable_values()) for v in rev])
        neu = np.array([v in set(scale.neutral_values()) for v in rev])
        index = {v: k for k, v in enumerate(self.answers.raw.tolist())}
        points = {
            f"{p.value:g}": answered[:, index[p.value]].astype(np.float64)
            for p in scale.resolved_points()
        }
        return Continuous(
            self.answers,
            moments_from_counts(answered, self.answers.rev),
            answered[:, fav].sum(axis=1).astype(np.float64),
            answered[:, neu].sum(axis=1).astype(np.float64),
            points,
        )


@dataclass
class Continuous:
    """A question's answers as moments per group, with how many were favourable, neutral and
    each point of the scale."""

    answers: Answers
    moments: Moments
    fav: np.ndarray
    neu: np.ndarray
    points: dict[str, np.ndarray]


@dataclass
class Item:
    """One item of a `Valued` dimension over the respondents who answered every item: counts
    per code (the last: not complete) or moments."""

    answers: Answers
    counts: np.ndarray | None = None
    moments: Moments | None = None

    def as_moments(self) -> Moments:
        """The item's moments (from its counts where it has them)."""
        if self.moments is not None:
            return self.moments
        assert self.counts is not None
        return moments_from_counts(self.counts[:, :-1], self.answers.rev)


@dataclass
class Patterned:
    """A dimension counted per group and combination of its items' answers."""

    dim_id: str
    shape: tuple[int, ...]
    scores: np.ndarray
    items: list[Answers]
    counts: np.ndarray

    def valued(self) -> tuple[Valued, dict[str, Coded]]:
        """The same answers as `Valued` sums, and its items' counts as questions."""
        groups = self.counts.shape[0]
        valid = ~np.isnan(self.scores)
        grid = self.counts.reshape(groups, *self.shape)
        axes = tuple(range(1, grid.ndim))
        complete = grid[(slice(None), *(slice(0, size - 1) for size in self.shape))]
        complete_n = complete.sum(axis=axes)
        total = np.zeros(tuple(size - 1 for size in self.shape))
        items: dict[str, Item] = {}
        questions: dict[str, Coded] = {}
        for position, answers in enumerate(self.items):
            others = tuple(a for a in axes if a != position + 1)
            marginal = complete.sum(axis=others)
            rest = self.counts.sum(axis=1) - marginal.sum(axis=1)
            items[answers.question.id] = Item(answers, counts=np.column_stack([marginal, rest]))
            questions[answers.question.id] = Coded(answers, grid.sum(axis=others))
            shape = [1] * len(self.shape)
            shape[position] = len(answers.rev)
            total = total + answers.rev.reshape(shape)
        valued = Valued(
            self.dim_id,
            moments_from_counts(self.counts[:, valid], self.scores[valid]),
            complete_n.astype(np.float64),
            moments_from_counts(complete.reshape(groups, -1), total.ravel()),
            items,
        )
        return valued, questions


@dataclass
class Valued:
    """A dimension as moments per group: its score, how many answered every item, the total
    of their answers and each item's answers among them (for Cronbach's alpha)."""

    dim_id: str
    score: Moments
    complete: np.ndarray
    total: Moments
    items: dict[str, Item]


@dataclass
class Overall:
    """The overall index counted per group and combination of dimension scores (`table`:
    each combination's index, NaN for none)."""

    counts: np.ndarray
    table: np.ndarray

    def as_moments(self) -> Moments:
        """The index's moments."""
        valid = ~np.isnan(self.table)
        return moments_from_counts(self.counts[:, valid], self.table[valid])


@dataclass
class GroupStats:
    """The sums of every group of one breakdown (the whole sample is the one group `""`)."""

    values: list[str]
    sizes: np.ndarray
    overall: Overall | Moments | None = None
    dims: dict[str, Patterned | Valued] = field(default_factory=dict)
    questions: dict[str, Coded | Continuous] = field(default_factory=dict)
    marks: dict[str, np.ndarray] = field(default_factory=dict)

    def spread_to(self, values: list[str]) -> GroupStats:
        """The same sums laid out over `values` (sorted, a superset of this one's), the
        groups this one lacks empty."""
        at = {v: k for k, v in enumerate(values)}
        positions = np.array([at[v] for v in self.values], dtype=np.intp)
        size = len(values)

        def arr(a: np.ndarray) -> np.ndarray:
            out = np.zeros((size, *a.shape[1:]), dtype=a.dtype)
            out[positions] = a
            return out

        def mom(m: Moments) -> Moments:
            return m.spread_to(positions, size)

        return _map(self, values, arr, mom)

    def merged(self, other: GroupStats) -> GroupStats:
        """The sums of both batches' answers."""
        if self.values != other.values:
            values = sorted(set(self.values) | set(other.values))
            return self.spread_to(values).merged(other.spread_to(values))
        a, b = _agree(self, other), _agree(other, self)
        overall = _merge_overall(a.overall, b.overall)
        dims = {d: _merge_dim(a.dims[d], b.dims[d]) for d in a.dims}
        questions = {k: _merge_question(a.questions[k], b.questions[k]) for k in a.questions}
        marks = {k: a.marks[k] + b.marks[k] for k in a.marks}
        return _bounded(GroupStats(a.values, a.sizes + b.sizes, overall, dims, questions, marks))


def _bounded(s: GroupStats) -> GroupStats:
    """`s` with every count of more than `coding.BIN_LIMIT` counters turned into the moments
    it stands for: batches that each hold a few groups may add up to many, and counts per
    combination of answers for each of them would not fit in memory."""
    limit = coding.BIN_LIMIT
    dims, questions, overall = dict(s.dims), dict(s.questions), s.overall
    for dim_id, dim in s.dims.items():
        if isinstance(dim, Patterned) and dim.counts.size > limit:
            dims[dim_id], items = dim.valued()
            questions.update(items)
    for question_id, question in questions.items():
        if isinstance(question, Coded) and question.counts.size > limit:
            questions[question_id] = question.continuous()
    if isinstance(overall, Overall) and overall.counts.size > limit:
        overall = overall.as_moments()
    return dataclasses.replace(s, overall=overall, dims=dims, questions=questions)


def _map(
    s: GroupStats,
    values: list[str],
    arr: Callable[[np.ndarray], np.ndarray],
    mom: Callable[[Moments], Moments],
) -> GroupStats:
    """`s` with `arr` applied to every array of sums and `mom` to every set of moments."""

    def item(i: Item) -> Item:
        return Item(
            i.answers,
            None if i.counts is None else arr(i.counts),
            None if i.moments is None else mom(i.moments),
        )

    def dim(d: Patterned | Valued) -> Patterned | Valued:
        if isinstance(d, Patterned):
            return dataclasses.replace(d, counts=arr(d.counts))
        items = {k: item(i) for k, i in d.items.items()}
        return Valued(d.dim_id, mom(d.score), arr(d.complete), mom(d.total), items)

    def question(x: Coded | Continuous) -> Coded | Continuous:
        if isinstance(x, Coded):
            return Coded(x.answers, arr(x.counts))
        points = {k: arr(v) for k, v in x.points.items()}
        return Continuous(x.answers, mom(x.moments), arr(x.fav), arr(x.neu), points)

    overall: Overall | Moments | None = None
    if isinstance(s.overall, Overall):
        overall = Overall(arr(s.overall.counts), s.overall.table)
    elif s.overall is not None:
        overall = mom(s.overall)
    return GroupStats(
        values,
        arr(s.sizes),
        overall,
        {k: dim(d) for k, d in s.dims.items()},
        {k: question(x) for k, x in s.questions.items()},
        {k: arr(v) for k, v in s.marks.items()},
    )


def _agree(s: GroupStats, other: GroupStats) -> GroupStats:
    """`s` with every dimension the other batch did not count per combination turned into
    moments (its items becoming questions of their own), so both hold the same kinds."""
    dims = dict(s.dims)
    questions = dict(s.questions)
    for dim_id, d in s.dims.items():
        if isinstance(d, Patterned) and not isinstance(other.dims[dim_id], Patterned):
            dims[dim_id], items = d.valued()
            questions.update(items)
    return dataclasses.replace(s, dims=dims, questions=questions)


def _merge_overall(
    a: Overall | Moments | None, b: Overall | Moments | None
) -> Overall | Moments | None:
    if a is None or b is None:
        return a if b is None else b
    if (
        isinstance(a, Overall)
        and isinstance(b, Overall)
        and a.table.shape == b.table.shape
        and np.array_equal(a.table, b.table, equal_nan=True)
    ):
        return Overall(a.counts + b.counts, a.table)
    return merge_moments(
        a.as_moments() if isinstance(a, Overall) else a,
        b.as_moments() if isinstance(b, Overall) else b,
    )


def _merge_dim(a: Patterned | Valued, b: Patterned | Valued) -> Patterned | Valued:
    if isinstance(a, Patterned) and isinstance(b, Patterned):
        return dataclasses.replace(a, counts=a.counts + b.counts)
    assert isinstance(a, Valued) and isinstance(b, Valued)
    items = {}
    for key, x in a.items.items():
        y = b.items[key]
        if x.counts is not None and y.counts is not None:
            items[key] = Item(x.answers, counts=x.counts + y.counts)
        else:
            items[key] = Item(x.answers, moments=merge_moments(x.as_moments(), y.as_moments()))
    return Valued(
        a.dim_id,
        merge_moments(a.score, b.score),
        a.complete + b.complete,
        merge_moments(a.total, b.total),
        items,
    )


def _merge_question(a: Coded | Continuous, b: Coded | Continuous) -> Coded | Continuous:
    if isinstance(a, Coded) and isinstance(b, Coded):
        return Coded(a.answers, a.counts + b.counts)
    x = a.continuous() if isinstance(a, Coded) else a
    y = b.continuous() if isinstance(b, Coded) else b
    points = {k: v + y.points[k] for k, v in x.points.items()}
    return Continuous(
        x.answers, merge_moments(x.moments, y.moments), x.fav + y.fav, x.neu + y.neu, points
    )


def rows(stats: GroupStats) -> list[Row]:
    """Per group, the figures of rules 1-8 from its sums."""
    out = _Rows([{} for _ in stats.values])
    out.put("len|", [int(n) for n in stats.sizes])
    overall = stats.overall
    if isinstance(overall, Overall):
        overall = overall.as_moments()
    out.moments_put("all|", "alln|", "allsd|", overall or Moments.empty(len(stats.values)))
    for dim in stats.dims.values():
        if isinstance(dim, Patterned):
            out.pattern_dimension(dim)
        else:
            out.value_dimension(dim)
    for question in stats.questions.values():
        if isinstance(question, Coded):
            out.coded_question(question.answers, question.counts)
        else:
            out.continuous_question(question)
    for question_id, counts in stats.marks.items():
        out.put(f"dk|{question_id}", [int(v) for v in counts[:, 1]])
        out.put(f"na|{question_id}", [int(v) for v in counts[:, 2]])
    return out.rows


class _Rows:
    """Figures written into the rows of one breakdown's groups."""

    def __init__(self, found: list[Row]) -> None:
        self.rows = found

    def put(self, key: str, values: list) -> None:
        for row, value in zip(self.rows, values, strict=True):
            row[key] = value

    def moments_put(self, mean: str, n: str, sd: str, moments: Moments) -> None:
        self.put(mean, moments.means())
        self.put(n, moments.counts())
        self.put(sd, moments.deviations())

    def shares_put(self, question_id: str, fav: np.ndarray, neu: np.ndarray) -> None:
        self.put(f"fav|{question_id}", [int(v) for v in np.rint(fav)])
        self.put(f"neu|{question_id}", [int(v) for v in np.rint(neu)])

    def coded_question(self, answers: Answers, counts: np.ndarray) -> None:
        """An item's figures from its counts per point (groups x codes)."""
        q_id = answers.question.id
        answered = counts[:, :-1]
        self.moments_put(
            f"mean|{q_id}", f"n|{q_id}", f"sd|{q_id}", moments_from_counts(answered, answers.rev)
        )
        scale = answers.scale
        favorable, neutral = set(scale.favorable_values()), set(scale.neutral_values())
        fav = np.array([v in favorable for v in answers.rev.tolist()])
        neu = np.array([v in neutral for v in answers.rev.tolist()])
        self.shares_put(q_id, answered[:, fav].sum(axis=1), answered[:, neu].sum(axis=1))
        index = {v: k for k, v in enumerate(answers.raw.tolist())}
        for point in scale.resolved_points():
            column = answered[:, index[point.value]]
            self.put(f"cnt|{q_id}|{point.value:g}", [int(v) for v in column])

    def continuous_question(self, question: Continuous) -> None:
        """A question's figures from sums over its (off-point) values."""
        q_id = question.answers.question.id
        self.moments_put(f"mean|{q_id}", f"n|{q_id}", f"sd|{q_id}", question.moments)
        self.shares_put(q_id, question.fav, question.neu)
        for point in question.answers.scale.resolved_points():
            key = f"{point.value:g}"
            self.put(f"cnt|{q_id}|{key}", [int(v) for v in np.rint(question.points[key])])

    def pattern_dimension(self, dim: Patterned) -> None:
        """A dimension's and its items' figures from counts per combination of answers."""
        # Only the combinations someone gave count (a few hundred of tens of thousands for a
        # small survey): each one's codes, item by item, stand in for the dense grid's axes.
        d_id = dim.dim_id
        used = np.flatnonzero(dim.counts.any(axis=0))
        counts = dim.counts[:, used].astype(np.float64)
        codes = np.unravel_index(used, dim.shape)
        scores = dim.scores[used]
        valid = ~np.isnan(scores)
        self.moments_put(
            f"dim|{d_id}",
            f"dimn|{d_id}",
            f"dimsd|{d_id}",
            moments_from_counts(counts[:, valid], scores[valid]),
        )
        complete = np.logical_and.reduce(
            [code < size - 1 for code, size in zip(codes, dim.shape, strict=True)]
        )
        complete_counts = counts[:, complete]
        self.put(f"tn|{d_id}", [int(v) for v in complete_counts.sum(axis=1)])
        total = np.zeros(np.count_nonzero(complete))
        for position, answers in enumerate(dim.items):
            code = codes[position]
            self.coded_question(answers, _by_code(counts, code, dim.shape[position]))
            within = _by_code(complete_counts, code[complete], dim.shape[position] - 1)
            ivar = moments_from_counts(within, answers.rev).variances()
            self.put(f"ivar|{d_id}|{answers.question.id}", ivar)
            total = total + answers.rev[code[complete]]
        totals = moments_from_counts(complete_counts, total)
        self.put(f"tvar|{d_id}", totals.variances())

    def value_dimension(self, dim: Valued) -> None:
        """A dimension's and its items' figures from moments."""
        d_id = dim.dim_id
        self.moments_put(f"dim|{d_id}", f"dimn|{d_id}", f"dimsd|{d_id}", dim.score)
        self.put(f"tn|{d_id}", [int(v) for v in np.rint(dim.complete)])
        self.put(f"tvar|{d_id}", dim.total.variances())
        for q_id, item in dim.items.items():
            self.put(f"ivar|{d_id}|{q_id}", item.as_moments().variances())


def _by_code(counts: np.ndarray, code: np.ndarray, size: int) -> np.ndarray:
    """Counts per group and combination (`counts`, groups x combinations) summed by one
    item's code of each combination: groups x `size`, exact (whole numbers in float64)."""
    return counts @ (code[:, None] == np.arange(size)).astype(np.float64)
