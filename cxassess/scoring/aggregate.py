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
the whole sample is the one-group case of the same code. What a pass adds up per group are
sums (`groupstats.GroupStats`), which merge with those of another batch of answers; the
figures come from the sums at the end.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from cxassess.format.models import Questionnaire
from cxassess.scoring import engine
from cxassess.scoring.coding import (
    BIN_LIMIT,
    NON_ANSWER_SIZE,
    Answers,
    DimensionAnswers,
    OverallAnswers,
    read_answers,
)
from cxassess.scoring.groupstats import (
    Coded,
    Continuous,
    GroupStats,
    Item,
    Overall,
    Patterned,
    Row,
    Valued,
    bare,
    rows,
)
from cxassess.scoring.tally import (
    Moments,
    PairMoments,
    add_cells,
    cell_counts,
    cell_moments,
    cell_sums,
    combine_moments,
    pearson_sums,
    pearson_sums_of_values,
)

if TYPE_CHECKING:
    import polars as pl

CELL_LIMIT = 4096
"""Most combinations of segment values counted in one pass; more take a pass per segment."""
CROSSED_LIMIT = 1 << 20
"""Most combinations of all segments' values counted by one `bincount` (`Aggregates.crossed`)."""


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
    chose don't know and does not apply, where the frame says).

    `stats` holds the sums behind the rows (`groupstats.GroupStats`; key None for the whole
    sample), which merge with another batch's."""

    def __init__(self, q: Questionnaire, frame: pl.DataFrame, segments: Sequence[str]) -> None:
        self.q, self.height = q, frame.height
        self.answers, groups = read_answers(q, frame, segments)
        self._groups = groups
        self.dims = [DimensionAnswers(q, dim, self.answers) for dim in q.dimensions]
        self.overall = OverallAnswers(q, self.dims) if self.dims else None
        self.stats: dict[str | None, GroupStats] = {}
        for plan in plan_passes(segments, groups):
            found = _Pass(self, plan).stats()
            for breakdown, stats in zip(plan.breakdowns, found, strict=True):
                self.stats[breakdown.segment] = stats
        self.segments = list(segments)

    def crossed(self) -> dict[tuple[str, ...], int]:
        """Respondents per combination of every segment's values that occurs in the frame
        (a missing value is `privacy.NOT_STATED`): the crossing behind rule 11's checks, from
        the group indexes the counting used."""
        found = [self._groups[s] for s in self.segments if s in self._groups]
        if not found or len(found) < len(self.segments):
            return {}
        shape = tuple(len(values) for _codes, values in found)
        if math.prod(shape) <= CROSSED_LIMIT:
            index = found[0][0].astype(np.intp)
            for codes, values in found[1:]:
                index *= len(values)
                index += codes
            counts = np.bincount(index, minlength=math.prod(shape))
            present = np.flatnonzero(counts)
            positions = np.unravel_index(present, shape)
            n = counts[present].tolist()
        else:  # too many combinations for a table: the distinct rows of the indexes
            distinct, n_found = np.unique(
                np.stack([c for c, _v in found], axis=1), axis=0, return_counts=True
            )
            positions, n = tuple(distinct.T), n_found.tolist()
        columns = [
            [values[i] for i in axis.tolist()]
            for axis, (_codes, values) in zip(positions, found, strict=True)
        ]
        return {cell: count for cell, count in zip(zip(*columns, strict=True), n, strict=True)}

    @property
    def total(self) -> Row:
        """The whole sample's figures."""
        return rows(self.stats[None])[0]

    @property
    def groups(self) -> dict[str, list[tuple[str, Row]]]:
        """Per segment, each group's value and figures, by value."""
        return {
            s: list(zip(self.stats[s].values, rows(self.stats[s]), strict=True))
            if s in self.stats
            else []
            for s in self.segments
        }

    def pairs(self, column: str, outcome: str) -> PairMoments:
        """The moments of the pairs of a dimension score (`engine.dimension_column`) or
        question and an outcome, across respondents with both."""
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
            if x_codes.size * 4 < len(x_table):  # few respondents, many combinations
                used, x_codes = np.unique(x_codes, return_inverse=True)
                x_table = x_table[used]
            index = x_codes.astype(np.int64) * y.size
            index += y.codes
            counts = np.bincount(index, minlength=len(x_table) * y.size)
            counts = counts.reshape(len(x_table), y.size)
            x_ok, y_ok = ~np.isnan(x_table), ~np.isnan(y.value_table())
            return pearson_sums(counts[x_ok][:, y_ok], x_table[x_ok], y.rev)
        x = dim.scores() if dim is not None else self.answers[column].reversed_values()
        return pearson_sums_of_values(x, y.reversed_values())

    def correlation(
        self, column: str, outcome: str
    ) -> tuple[int, float, float, float, float, float]:
        """`n` and sums of deviations for Pearson's r (`stats.pearson_from_sums`) between a
        dimension score or question and an outcome, over pairs with both."""
        return self.pairs(column, outcome).sums()


class _Pass:
    """One pass: counts and moments per cell, added up per breakdown into sums per group."""

    def __init__(self, owner: Aggregates, plan: Pass) -> None:
        self.owner, self.plan = owner, plan

    def _counts(self, codes: np.ndarray, size: int) -> np.ndarray:
        return cell_counts(self.plan.cells, self.plan.n_cells, codes, size)

    def _sums(self, weights: np.ndarray) -> np.ndarray:
        return cell_sums(self.plan.cells, self.plan.n_cells, weights)

    def _moments(self, values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return cell_moments(self.plan.cells, self.plan.n_cells, values)

    def stats(self) -> list[GroupStats]:
        """Per breakdown, the sums of its groups."""
        owner, plan = self.owner, self.plan
        per_cell: list[tuple[str, Any, Any]] = []
        if plan.cells is None:
            sizes = np.array([owner.height], dtype=np.int64)
        else:
            sizes = np.bincount(plan.cells, minlength=plan.n_cells)
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
        marks = {}
        for question in owner.q.scored_questions():
            found = owner.answers[question.id].non_answers
            if found is not None and not found.any():  # no one marked: all in code 0
                marks[question.id] = np.zeros((len(sizes), NON_ANSWER_SIZE), dtype=np.intp)
                marks[question.id][:, 0] = sizes
            elif found is not None:
                marks[question.id] = self._counts(found, NON_ANSWER_SIZE)
        overall: Any = None
        if owner.overall is not None and owner.overall.counted(plan.n_cells):
            assert owner.overall.codes is not None
            overall = self._counts(owner.overall.codes, owner.overall.size)
        elif owner.overall is not None:
            overall = self._moments(owner.overall.values())
        out = []
        for breakdown in plan.breakdowns:
            add = _Adder(breakdown)
            stats = GroupStats(breakdown.values, add.cells(sizes))
            if isinstance(overall, tuple):
                stats.overall = add.moments(overall)
            elif overall is not None:
                table = owner.overall.table  # type: ignore[union-attr]
                stats.overall = Overall(add.cells(overall), table)
            for kind, subject, cells in per_cell:
                if kind == "pattern":
                    stats.dims[subject.dim.id] = Patterned(
                        subject.dim.id,
                        subject.shape,
                        subject.pattern_scores,
                        [bare(a) for a in subject.items],
                        add.cells(cells),
                    )
                elif kind == "values":
                    stats.dims[subject.dim.id] = add.value_dimension(subject, cells)
                elif kind == "coded":
                    stats.questions[subject.question.id] = Coded(bare(subject), add.cells(cells))
                else:
                    stats.questions[subject.question.id] = add.continuous_question(subject, cells)
            stats.marks = {k: add.cells(v) for k, v in marks.items()}
            out.append(stats)
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
    """Cells added up into the groups of one breakdown."""

    def __init__(self, breakdown: Breakdown) -> None:
        self.breakdown = breakdown

    def cells(self, per_cell: np.ndarray) -> np.ndarray:
        return add_cells(per_cell, self.breakdown.shape, self.breakdown.axis)

    def moments(self, per_cell: tuple[np.ndarray, np.ndarray, np.ndarray]) -> Moments:
        return combine_moments(per_cell, self.breakdown.members, len(self.breakdown.values))

    def continuous_question(self, answers: Answers, cells: dict[str, Any]) -> Continuous:
        """A question's sums over its (off-point) values."""
        points = {
            f"{p.value:g}": self.cells(cells[f"{p.value:g}"])
            for p in answers.scale.resolved_points()
        }
        return Continuous(
            bare(answers),
            self.moments(cells["moments"]),
            self.cells(cells["fav"]),
            self.cells(cells["neu"]),
            points,
        )

    def value_dimension(self, dim: DimensionAnswers, cells: dict[str, Any]) -> Valued:
        """A dimension's sums from per-respondent values."""
        items = {}
        for answers in dim.items:
            q_id = answers.question.id
            if answers.coded:
                items[q_id] = Item(bare(answers), counts=self.cells(cells[q_id]))
            else:
                items[q_id] = Item(bare(answers), moments=self.moments(cells[q_id]))
        return Valued(
            dim.dim.id,
            self.moments(cells["score"]),
            self.cells(cells["complete"]),
            self.moments(cells["total"]),
            items,
        )
