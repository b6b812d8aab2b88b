"""Every per-group figure of rules 1-8 by counting answers: the aggregation behind `summarise`.

Answers are points of a scale, so all of an item's figures (n, mean, standard deviation,
favourable and neutral shares, distribution) follow exactly from how many respondents of a
group gave each point, and all of a dimension's (score, n, standard deviation, Cronbach's
alpha) from how many gave each combination of its items' answers (`coding`). Each is one
`numpy.bincount` over a small code per respondent, instead of a hundred sums over wide
columns per group. What is not counted (answers off the scale's points, dimensions with too
many combinations, the overall index) is summed in two passes per group (`tally`).

The groups of all segments are counted together, in one pass over *cells* (combinations of
the segments' values), then added up per segment value, and all of them for the whole sample:
the whole sample is the one-group case of the same code.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from cxassess.format.models import Question, Questionnaire
from cxassess.scoring import engine
from cxassess.scoring.coding import (
    BIN_LIMIT,
    NON_ANSWER_SIZE,
    Answers,
    DimensionAnswers,
    OverallAnswers,
    read_answers,
)
from cxassess.scoring.tally import (
    Moments,
    add_cells,
    cell_counts,
    cell_moments,
    cell_sums,
    combine_moments,
    moments_from_counts,
    pearson_sums,
    pearson_sums_of_values,
)

if TYPE_CHECKING:
    import polars as pl

CELL_LIMIT = 4096
"""Most combinations of segment values counted in one pass; more take a pass per segment."""

Row = dict[str, Any]
"""The figures of one group, named `kind|id` (see `Aggregates`)."""


@dataclass
class Breakdown:
    """The groups of one segment (or, with `segment` None, the whole sample) within a pass:
    their values, sorted, and where the segment lies among the pass's cells: cells are laid out
    row-major over `shape`, one axis per segment, the segment's on `axis` (None: all cells
    make one group)."""

    segment: str | None
    values: list[str]
    shape: tuple[int, ...]
    axis: int | None

    @property
    def members(self) -> np.ndarray:
        """The group of each cell."""
        n_cells = math.prod(self.shape)
        if self.axis is None:
            return np.zeros(n_cells, dtype=np.intp)
        stride = math.prod(self.shape[self.axis + 1 :])
        return (np.arange(n_cells) // stride) % self.shape[self.axis]


@dataclass
class Pass:
    """Respondents' cells (None: everyone in one cell) and the breakdowns they add up to."""

    cells: np.ndarray | None
    n_cells: int
    breakdowns: list[Breakdown]


def plan_passes(
    segments: Sequence[str], groups: dict[str, tuple[np.ndarray, list[str]]]
) -> list[Pass]:
    """Passes over the respondents: segments go together while their combinations stay under
    `CELL_LIMIT`; the first pass also yields the whole sample. `groups` holds each segment's
    group index per respondent and its group values (none when there are no respondents)."""
    batches: list[list[tuple[str, np.ndarray, list[str]]]] = [[]]
    for segment in segments:
        if segment not in groups:
            continue
        codes, values = groups[segment]
        size = math.prod(len(v) for _s, _c, v in batches[-1]) * len(values)
        if batches[-1] and size > CELL_LIMIT:
            batches.append([])
        batches[-1].append((segment, codes, values))
    passes = []
    for index, batch in enumerate(batches):
        shape = tuple(len(values) for _s, _c, values in batch)
        n_cells = math.prod(shape)
        dtype = np.uint16 if n_cells <= 1 << 16 else np.intp
        cells = None
        breakdowns = []
        for axis, (segment, codes, values) in enumerate(batch):
            step = np.multiply(codes, math.prod(shape[axis + 1 :]), dtype=dtype)
            cells = step if cells is None else np.add(cells, step, out=cells)
            breakdowns.append(Breakdown(segment, values, shape, axis))
        if index == 0:
            breakdowns.insert(0, Breakdown(None, [""], shape, None))
        passes.append(Pass(cells if n_cells > 1 else None, n_cells, breakdowns))
    return passes


class Aggregates:
    """The figures of the whole sample and of every group, as rows named `kind|id`.

    Kinds: `len` (respondents); `all`, `alln`, `allsd` (overall index: mean, n, sd); `dim`,
    `dimn`, `dimsd` (dimension score); `tn`, `tvar`, `ivar` (alpha: listwise-complete n, total
    variance, item variances as `ivar|dim|item`); `mean`, `n`, `sd`, `fav`, `neu` (question,
    on reversed values), `cnt|question|point` (answers per point), and `dk`, `na` (how many
    chose don't know and does not apply, where the frame says)."""

    def __init__(self, q: Questionnaire, frame: pl.DataFrame, segments: Sequence[str]) -> None:
        self.q, self.height = q, frame.height
        self.answers, groups = read_answers(q, frame, segments)
        self.dims = [DimensionAnswers(q, dim, self.answers) for dim in q.dimensions]
        self.overall = OverallAnswers(q, self.dims) if self.dims else None
        self.total: Row = {}
        self.groups: dict[str, list[tuple[str, Row]]] = {s: [] for s in segments}
        for plan in plan_passes(segments, groups):
            for breakdown, rows in zip(plan.breakdowns, _Pass(self, plan).rows(), strict=True):
                if breakdown.segment is None:
                    self.total = rows[0]
                else:
                    self.groups[breakdown.segment] = list(zip(breakdown.values, rows, strict=True))

    def correlation(
        self, column: str, outcome: str
    ) -> tuple[int, float, float, float, float, float]:
        """`n` and sums of deviations for Pearson's r across respondents between a dimension
        score (`engine.dimension_column`) or question and an outcome, over pairs with both."""
        y = self.answers[outcome]
        dim = next((d for d in self.dims if engine.dimension_column(d.dim.id) == column), None)
        x_codes, x_table = None, None
        if dim is not None and dim.patterns is not None:
            x_codes, x_table = dim.patterns, dim.pattern_scores
        elif dim is None and self.answers[column].coded:
            x_codes, x_table = self.answers[column].codes, self.answers[column].value_table()
        if (
            x_codes is not None
            and x_table is not None
            and y.codes is not None
            and len(x_table) * y.size <= BIN_LIMIT
        ):
            index = x_codes.astype(np.int64) * y.size
            index += y.codes
            counts = np.bincount(index, minlength=len(x_table) * y.size)
            counts = counts.reshape(len(x_table), y.size)
            x_ok, y_ok = ~np.isnan(x_table), ~np.isnan(y.value_table())
            return pearson_sums(counts[x_ok][:, y_ok], x_table[x_ok], y.rev)
        x = dim.scores() if dim is not None else self.answers[column].reversed_values()
        return pearson_sums_of_values(x, y.reversed_values())


class _Pass:
    """One pass: counts and moments per cell, added up per breakdown into rows."""

    def __init__(self, owner: Aggregates, plan: Pass) -> None:
        self.owner, self.plan = owner, plan

    def _counts(self, codes: np.ndarray, size: int) -> np.ndarray:
        return cell_counts(self.plan.cells, self.plan.n_cells, codes, size)

    def _sums(self, weights: np.ndarray) -> np.ndarray:
        return cell_sums(self.plan.cells, self.plan.n_cells, weights)

    def _moments(self, values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return cell_moments(self.plan.cells, self.plan.n_cells, values)

    def rows(self) -> list[list[Row]]:
        """Per breakdown, per group, the figures."""
        owner, plan = self.owner, self.plan
        out = [[{} for _ in b.values] for b in plan.breakdowns]
        per_cell: list[tuple[str, Any, Any]] = []
        if plan.cells is None:
            sizes = np.array([float(owner.height)])
        else:
            sizes = np.bincount(plan.cells, minlength=plan.n_cells).astype(np.float64)
        counted_dims = {d.dim.id for d in owner.dims if d.counted(plan.n_cells)}
        for dim in owner.dims:
            if dim.dim.id in counted_dims:
                per_cell.append(("pattern", dim, self._counts(dim.patterns, dim.n_patterns)))
            else:
                per_cell.append(("values", dim, self._dimension_cells(dim)))
        in_counted = {
            i.question.id for d in owner.dims if d.dim.id in counted_dims for i in d.items
        }
        for question in owner.q.scored_questions():
            if question.id in in_counted:
                continue
            answers = owner.answers[question.id]
            if answers.coded:
                per_cell.append(("coded", answers, self._counts(answers.codes, answers.size)))
            else:
                per_cell.append(("continuous", answers, self._continuous_cells(answers)))
        for question in owner.q.scored_questions():
            marks = owner.answers[question.id].non_answers
            if marks is not None:
                per_cell.append(("non-answer", question, self._counts(marks, NON_ANSWER_SIZE)))
        overall: Any = None
        if owner.overall is not None and owner.overall.counted(plan.n_cells):
            assert owner.overall.codes is not None
            overall = self._counts(owner.overall.codes, owner.overall.size)
        elif owner.overall is not None:
            overall = self._moments(owner.overall.values())
        for breakdown, rows in zip(plan.breakdowns, out, strict=True):
            add = _Adder(breakdown, rows)
            add.put("len|", [int(n) for n in add.cells(sizes)])
            if isinstance(overall, tuple):
                moments = add.moments(overall)
            elif overall is not None:
                table = owner.overall.table  # type: ignore[union-attr]
                valid = ~np.isnan(table)
                moments = moments_from_counts(add.cells(overall)[:, valid], table[valid])
            else:
                moments = Moments.empty(len(rows))
            add.moments_put("all|", "alln|", "allsd|", moments)
            for kind, subject, cells in per_cell:
                if kind == "pattern":
                    add.pattern_dimension(subject, add.cells(cells))
                elif kind == "values":
                    add.value_dimension(subject, cells)
                elif kind == "coded":
                    add.coded_question(subject, add.cells(cells))
                elif kind == "non-answer":
                    add.non_answers(subject, add.cells(cells))
                else:
                    add.continuous_question(subject, cells)
        return out

    def _dimension_cells(self, dim: DimensionAnswers) -> dict[str, Any]:
        score, complete, total = dim.values()
        found: dict[str, Any] = {
            "score": self._moments(score),
            "complete": self._sums(complete.astype(np.float64)),
            "total": self._moments(total),
        }
        for answers in dim.items:
            if answers.coded:
                assert answers.codes is not None
                codes = np.where(complete, answers.codes, answers.size - 1)
                found[answers.question.id] = self._counts(codes, answers.size)
            else:
                values = np.where(complete, answers.reversed_values(), np.nan)
                found[answers.question.id] = self._moments(values)
        return found

    def _continuous_cells(self, answers: Answers) -> dict[str, Any]:
        scale = self.owner.q.scale_of(answers.question)
        values = answers.reversed_values()
        found: dict[str, Any] = {"moments": self._moments(values)}
        found["fav"] = self._sums(np.isin(values, scale.favorable_values()).astype(np.float64))
        found["neu"] = self._sums(np.isin(values, scale.neutral_values()).astype(np.float64))
        for point in scale.resolved_points():
            stored = (
                (answers.lo + answers.hi) - point.value if answers.question.reverse else point.value
            )
            found[f"{point.value:g}"] = self._sums((values == stored).astype(np.float64))
        return found


class _Adder:
    """Cells added up into the groups of one breakdown, and the figures written to its rows."""

    def __init__(self, breakdown: Breakdown, rows: list[Row]) -> None:
        self.breakdown, self.rows = breakdown, rows

    def cells(self, per_cell: np.ndarray) -> np.ndarray:
        return add_cells(per_cell, self.breakdown.shape, self.breakdown.axis)

    def moments(self, per_cell: tuple[np.ndarray, np.ndarray, np.ndarray]) -> Moments:
        return combine_moments(per_cell, self.breakdown.members, len(self.rows))

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
        moments = moments_from_counts(answered, answers.rev)
        self.put(f"mean|{q_id}", moments.means())
        self.put(f"n|{q_id}", moments.counts())
        self.put(f"sd|{q_id}", moments.deviations())
        scale = answers.scale
        favorable, neutral = set(scale.favorable_values()), set(scale.neutral_values())
        fav = np.array([v in favorable for v in answers.rev.tolist()])
        neu = np.array([v in neutral for v in answers.rev.tolist()])
        self.shares_put(q_id, answered[:, fav].sum(axis=1), answered[:, neu].sum(axis=1))
        index = {v: k for k, v in enumerate(answers.raw.tolist())}
        for point in scale.resolved_points():
            column = answered[:, index[point.value]]
            self.put(f"cnt|{q_id}|{point.value:g}", [int(v) for v in column])

    def non_answers(self, question: Question, counts: np.ndarray) -> None:
        """How many chose don't know (`dk|`) and does not apply (`na|`), from counts per
        `Answers.non_answers` code (groups x 3)."""
        self.put(f"dk|{question.id}", [int(v) for v in counts[:, 1]])
        self.put(f"na|{question.id}", [int(v) for v in counts[:, 2]])

    def continuous_question(self, answers: Answers, cells: dict[str, Any]) -> None:
        """A question's figures from sums over its (off-point) values."""
        q_id = answers.question.id
        self.moments_put(f"mean|{q_id}", f"n|{q_id}", f"sd|{q_id}", self.moments(cells["moments"]))
        self.shares_put(q_id, self.cells(cells["fav"]), self.cells(cells["neu"]))
        for point in answers.scale.resolved_points():
            key = f"{point.value:g}"
            self.put(f"cnt|{q_id}|{key}", [int(v) for v in np.rint(self.cells(cells[key]))])

    def pattern_dimension(self, dim: DimensionAnswers, counts: np.ndarray) -> None:
        """A dimension's and its items' figures from counts per combination of answers."""
        d_id = dim.dim.id
        assert dim.pattern_scores is not None
        valid = ~np.isnan(dim.pattern_scores)
        self.moments_put(
            f"dim|{d_id}",
            f"dimn|{d_id}",
            f"dimsd|{d_id}",
            moments_from_counts(counts[:, valid], dim.pattern_scores[valid]),
        )
        grid = counts.reshape(len(self.rows), *dim.shape)
        axes = list(range(1, grid.ndim))
        complete = grid[(slice(None), *(slice(0, size - 1) for size in dim.shape))]
        self.put(f"tn|{d_id}", [int(v) for v in complete.sum(axis=tuple(axes))])
        total = np.zeros(tuple(size - 1 for size in dim.shape))
        for position, answers in enumerate(dim.items):
            others = tuple(a for a in axes if a != position + 1)
            self.coded_question(answers, grid.sum(axis=others))
            ivar = moments_from_counts(complete.sum(axis=others), answers.rev).variances()
            self.put(f"ivar|{d_id}|{answers.question.id}", ivar)
            shape = [1] * len(dim.shape)
            shape[position] = len(answers.rev)
            total = total + answers.rev.reshape(shape)
        totals = moments_from_counts(complete.reshape(len(self.rows), -1), total.ravel())
        self.put(f"tvar|{d_id}", totals.variances())

    def value_dimension(self, dim: DimensionAnswers, cells: dict[str, Any]) -> None:
        """A dimension's and its items' figures from per-respondent values."""
        d_id = dim.dim.id
        self.moments_put(
            f"dim|{d_id}", f"dimn|{d_id}", f"dimsd|{d_id}", self.moments(cells["score"])
        )
        self.put(f"tn|{d_id}", [int(v) for v in np.rint(self.cells(cells["complete"]))])
        self.put(f"tvar|{d_id}", self.moments(cells["total"]).variances())
        for answers in dim.items:
            q_id = answers.question.id
            if answers.coded:
                complete = self.cells(cells[q_id])[:, :-1]
                ivar = moments_from_counts(complete, answers.rev).variances()
            else:
                ivar = self.moments(cells[q_id]).variances()
            self.put(f"ivar|{d_id}|{q_id}", ivar)
