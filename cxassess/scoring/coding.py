"""Answers as small integer codes, for `aggregate` to count: one code per respondent and
question (which point of the scale), and per dimension (which combination of its items'
answers, a *pattern*), plus the per-respondent scores of rules 3 and 4 in NumPy.

Answers that are not points of their scale (a `number` scale's) stay values; dimensions with
too many combinations of answers keep per-respondent values too.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from cxassess.format.models import Dimension, Question, Questionnaire, Scale
from cxassess.responses import non_answer_column
from cxassess.scoring import engine
from cxassess.scoring.privacy import NOT_STATED

if TYPE_CHECKING:
    import polars as pl

PATTERN_LIMIT = 1 << 16
"""Most combinations of answers for a dimension to be counted rather than summed."""
BIN_LIMIT = 1 << 22
"""Most counters in one count (cells x codes): about 32 MB."""
MAX_POINTS = 4095
"""Most points of a scale whose answers are counted rather than summed."""
NON_ANSWER_SIZE = 3
"""Codes of `Answers.non_answers`: neither, don't know, does not apply."""


@dataclass
class Answers:
    """One scored question's answers: a code per respondent (0 to K-1 for the K points,
    `raw` and `rev` giving each code's value before and after reversal, K for missing), or,
    when some answer is not a point of the scale, the reversed values (NaN for missing)."""

    question: Question
    scale: Scale
    lo: float
    hi: float
    raw: np.ndarray
    rev: np.ndarray
    codes: np.ndarray | None = None
    values: np.ndarray | None = None
    non_answers: np.ndarray | None = None
    """Per respondent which non-answer a missing answer was: 0 neither (or answered),
    1 don't know, 2 does not apply (`responses.NON_ANSWER_CODES`); None when the frame does
    not say."""

    @property
    def coded(self) -> bool:
        """Whether every answer is a point of the scale, so the answers are counted."""
        return self.codes is not None

    @property
    def size(self) -> int:
        """Codes including the one for missing."""
        return len(self.raw) + 1

    def value_table(self) -> np.ndarray:
        """Reversed value per code, NaN for the missing code."""
        return np.append(self.rev, np.nan)

    def reversed_values(self) -> np.ndarray:
        """Per respondent the reversed value (rule 1), NaN when missing."""
        if self.codes is None:
            assert self.values is not None
            return self.values
        return np.take(self.value_table(), self.codes)


def _reverse(question: Question, lo: float, hi: float, values: np.ndarray) -> np.ndarray:
    """Rule 1 exactly as `engine.reversed_expr` computes it."""
    return (lo + hi) - values if question.reverse else values.astype(np.float64, copy=True)


def _offsets(points: list[float]) -> bool:
    """Whether a scale's points are whole numbers less than 255 apart, so that an answer's
    code is computed as its distance from the lowest point."""
    return all(float(p).is_integer() for p in points) and points[-1] - points[0] < 255


def _code_expr(column: str, points: list[float], alias: str) -> pl.Expr:
    """The code of each answer of a column whose every answer is one of `points`: its point's
    index (for `_offsets` points, its distance from the lowest point), and one past the last
    for a missing answer."""
    import polars as pl

    col = pl.col(column).cast(pl.Float64)
    k = len(points)
    if _offsets(points):
        lo, hi = points[0], points[-1]
        return (col.fill_null(hi + 1) - lo).cast(pl.UInt8, strict=False).alias(alias)
    dtype = pl.UInt8 if k < 255 else pl.UInt16
    return (
        col.replace_strict(points, list(range(k)), default=k, return_dtype=dtype)
        .fill_null(k)
        .alias(alias)
    )


def _point_indexes(codes: np.ndarray, points: list[float]) -> np.ndarray:
    """`_code_expr` codes as point indexes (distances from the lowest point, where some whole
    numbers between the points are not points, go through a table)."""
    span = int(points[-1] - points[0]) if _offsets(points) else len(points) - 1
    if span + 1 == len(points):
        return codes
    table = np.full(span + 2, len(points), dtype=np.uint8)
    table[(np.array(points) - points[0]).astype(np.int64)] = np.arange(len(points))
    return np.take(table, codes)


def read_answers(
    q: Questionnaire, frame: pl.DataFrame, segments: Sequence[str]
) -> tuple[dict[str, Answers], dict[str, tuple[np.ndarray, list[str]]]]:
    """Every scored question's answers, and for each segment its group values (sorted; a
    missing value is `NOT_STATED`) with each respondent's group as an index into them.

    Two parallel passes over the frame: which questions have only points of their scale for
    answers (those are coded) and which values each segment has, then the codes."""
    import polars as pl

    points_of = {
        question.id: sorted({p.value for p in q.scale_of(question).resolved_points()})
        for question in q.scored_questions()
    }
    points_of = {
        name: points for name, points in points_of.items() if 0 < len(points) <= MAX_POINTS
    }
    values_of: dict[str, list[str]] = {segment: [] for segment in segments}
    # with nothing to count (every scale a `number` one, no segment) there is no pass to make
    if frame.height and (points_of or segments):
        facts = frame.select(
            *(
                pl.col(name).cast(pl.Float64).is_in(points).sum().alias(name)
                for name, points in points_of.items()
            ),
            *(
                pl.col(segment).cast(pl.String).unique().implode().alias(f"\0values|{segment}")
                for segment in segments
            ),
        ).row(0, named=True)
        points_of = {  # counted when every answer is a point of the scale
            name: points
            for name, points in points_of.items()
            if facts[name] == frame.height - frame.get_column(name).null_count()
        }
        for segment in segments:
            found = facts[f"\0values|{segment}"]
            values_of[segment] = sorted({NOT_STATED if v is None else v for v in found})
    exprs = [_code_expr(name, points, f"\0code|{name}") for name, points in points_of.items()]
    for segment, values in values_of.items():
        if values:  # an enum of the sorted values numbers the groups in order
            missing = values.index(NOT_STATED) if NOT_STATED in values else 0
            groups = pl.col(segment).cast(pl.String).cast(pl.Enum(values)).to_physical()
            exprs.append(groups.fill_null(missing).alias(f"\0group|{segment}"))
    marked = [x.id for x in q.scored_questions() if non_answer_column(x.id) in frame.columns]
    # a column that marks no one (an export without don't-know answers) is all zero codes
    unmarked = {
        question_id
        for question_id in marked
        if frame.get_column(non_answer_column(question_id)).null_count() == frame.height
    }
    for question_id in marked:  # counted only where the answer is missing
        if question_id in unmarked:
            continue
        code = pl.col(non_answer_column(question_id)).cast(pl.UInt8).fill_null(0)
        missing = pl.col(question_id).cast(pl.Float64).fill_nan(None).is_null()
        exprs.append(
            pl.when(missing).then(code).otherwise(0).cast(pl.UInt8).alias(f"\0na|{question_id}")
        )
    coded = frame.select(exprs) if exprs else None
    answers: dict[str, Answers] = {}
    for question in q.scored_questions():
        scale = q.scale_of(question)
        lo, hi = engine.bounds_of(q, question)
        points = points_of.get(question.id)
        if points is not None and coded is not None:
            raw = np.array(points, dtype=np.float64)
            codes = _point_indexes(coded.get_column(f"\0code|{question.id}").to_numpy(), points)
            rev = _reverse(question, lo, hi, raw)
            answers[question.id] = Answers(question, scale, lo, hi, raw, rev, codes=codes)
            continue
        column = frame.get_column(question.id).cast(pl.Float64).fill_nan(None)
        values = column.to_numpy().astype(np.float64)
        raw = np.array([p.value for p in scale.resolved_points()], dtype=np.float64)
        rev = _reverse(question, lo, hi, raw)
        answers[question.id] = Answers(
            question, scale, lo, hi, raw, rev, values=_reverse(question, lo, hi, values)
        )
    for question_id in marked:
        if question_id in unmarked:
            answers[question_id].non_answers = np.zeros(frame.height, dtype=np.uint8)
        elif coded is not None:
            answers[question_id].non_answers = coded.get_column(f"\0na|{question_id}").to_numpy()
    groups = {
        segment: (coded.get_column(f"\0group|{segment}").to_numpy(), values)
        for segment, values in values_of.items()
        if values and coded is not None
    }
    return answers, groups


def dimension_scores(q: Questionnaire, dim: Dimension, values: list[np.ndarray]) -> np.ndarray:
    """Rule 3 on reversed values (NaN = missing), elementwise: the weighted mean of the
    answered items' scores, NaN with fewer than half the items answered (as
    `engine.dimension_score_exprs` computes it)."""
    count = np.zeros(values[0].shape, dtype=np.int64)
    weighted = np.zeros(values[0].shape)
    weights = np.zeros(values[0].shape)
    for item, value in zip(dim.items, values, strict=True):
        lo, hi = engine.bounds_of(q, item)
        answered = ~np.isnan(value)
        count += answered
        with np.errstate(invalid="ignore"):
            weighted += np.where(answered, (value - lo) / (hi - lo) * 100.0 * item.weight, 0.0)
        weights += np.where(answered, float(item.weight), 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count >= engine.min_answered(len(dim.items)), weighted / weights, np.nan)


class DimensionAnswers:
    """A dimension's answers: when all its items are counted and their combinations few, a
    code per respondent for the combination of answers (a *pattern*); else per respondent
    values (score, listwise completeness, total)."""

    def __init__(self, q: Questionnaire, dim: Dimension, answers: dict[str, Answers]) -> None:
        self.q, self.dim = q, dim
        self.items = [answers[item.id] for item in dim.items]
        self.shape = tuple(a.size for a in self.items)
        self.n_patterns = math.prod(self.shape)
        self.patterns: np.ndarray | None = None
        self.pattern_scores: np.ndarray | None = None
        self._values: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        if all(a.coded for a in self.items) and self.n_patterns <= PATTERN_LIMIT:
            dtype = np.uint16 if self.n_patterns <= 1 << 16 else np.uint32
            patterns = self.items[0].codes.astype(dtype)  # type: ignore[union-attr]
            for a in self.items[1:]:
                patterns *= a.size
                patterns += a.codes  # type: ignore[operator]
            self.patterns = patterns
            grid = np.indices(self.shape).reshape(len(self.shape), -1)
            tables = [a.value_table()[codes] for a, codes in zip(self.items, grid, strict=True)]
            self.pattern_scores = dimension_scores(q, dim, tables)

    def counted(self, n_cells: int) -> bool:
        """Whether the patterns are counted in a pass over `n_cells` cells."""
        return self.patterns is not None and n_cells * self.n_patterns <= BIN_LIMIT

    def scores(self) -> np.ndarray:
        """Per respondent the dimension score (rule 3), NaN when missing."""
        if self.patterns is not None:
            assert self.pattern_scores is not None
            return np.take(self.pattern_scores, self.patterns)
        return self.values()[0]

    def values(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per respondent: score, whether every item is answered, and their total then."""
        if self._values is None:
            reversed_values = [a.reversed_values() for a in self.items]
            complete = np.ones(reversed_values[0].shape, dtype=bool)
            total = np.zeros(reversed_values[0].shape)
            for value in reversed_values:
                complete &= ~np.isnan(value)
                total += value
            total[~complete] = np.nan
            score = (
                self.scores()
                if self.patterns is not None
                else dimension_scores(self.q, self.dim, reversed_values)
            )
            self._values = (score, complete, total)
        return self._values


def _distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values, sorted (as `np.unique`, which would import `numpy.ma`)."""
    ordered = np.sort(values)
    if ordered.size == 0:
        return ordered
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]


def overall_of(q: Questionnaire, scores: list[np.ndarray]) -> np.ndarray:
    """Rule 4 elementwise on dimension scores (NaN = missing), as `engine.overall_expr`
    computes it: the weighted mean of the present ones, NaN when none is."""
    weighted = np.zeros(scores[0].shape)
    weights = np.zeros(scores[0].shape)
    for spec, score in zip(q.dimensions, scores, strict=True):
        valid = ~np.isnan(score)
        weighted += np.where(valid, score * spec.weight, 0.0)
        weights += np.where(valid, float(spec.weight), 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(weights > 0, weighted / weights, np.nan)


class OverallAnswers:
    """The overall index (rule 4): when every dimension's patterns are counted, a code per
    respondent for the combination of its dimension scores, and the index of each
    combination (`table`); else (or on demand) per respondent values."""

    def __init__(self, q: Questionnaire, dims: list[DimensionAnswers]) -> None:
        self.q, self.dims = q, dims
        self.codes: np.ndarray | None = None
        self.table: np.ndarray | None = None
        self._values: np.ndarray | None = None
        if not dims or any(d.pattern_scores is None for d in dims):
            return
        levels, scores = [], []
        for dim in dims:
            assert dim.pattern_scores is not None
            valid = ~np.isnan(dim.pattern_scores)
            distinct = _distinct(dim.pattern_scores[valid])
            level = np.full(dim.pattern_scores.shape, len(distinct), dtype=np.int64)
            level[valid] = np.searchsorted(distinct, dim.pattern_scores[valid])
            levels.append(level)
            scores.append(np.append(distinct, np.nan))
        shape = tuple(len(s) for s in scores)
        if math.prod(shape) > BIN_LIMIT:
            return
        strides = np.cumprod((1, *shape[:0:-1]))[::-1]
        dtype = np.uint16 if math.prod(shape) <= 1 << 16 else np.uint32
        codes: np.ndarray | None = None
        for dim, level, stride in zip(dims, levels, strides.tolist(), strict=True):
            step = np.take((level * stride).astype(dtype), dim.patterns)
            codes = step if codes is None else np.add(codes, step, out=codes)
        grid = np.indices(shape).reshape(len(shape), -1)
        self.codes = codes
        self.table = overall_of(q, [s[g] for s, g in zip(scores, grid, strict=True)])

    @property
    def size(self) -> int:
        """Number of combination codes."""
        return 0 if self.table is None else len(self.table)

    def counted(self, n_cells: int) -> bool:
        """Whether the combinations are counted in a pass over `n_cells` cells."""
        return self.codes is not None and n_cells * self.size <= BIN_LIMIT

    def values(self) -> np.ndarray:
        """Per respondent the overall index, NaN when missing."""
        if self._values is None:
            if self.codes is not None and self.table is not None:
                self._values = np.take(self.table, self.codes)
            else:
                self._values = overall_of(self.q, [d.scores() for d in self.dims])
        return self._values
