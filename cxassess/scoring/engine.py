"""The scoring rules 1-10 of the format spec, as pure functions over a columnar frame.

An answers frame has one row per respondent: a Float64 column per scored question id holding
the raw answer on its scale (null when skipped or not applicable), a String column per segment
and per comment. Every command (run, score, report, gap) scores through these functions, so a
number means the same wherever it is printed.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from cxassess.format.models import Question, Questionnaire

if TYPE_CHECKING:
    import polars as pl


def dimension_column(dimension_id: str) -> str:
    """Name of the per-respondent score column of a dimension."""
    return f"dimension:{dimension_id}"


OVERALL_COLUMN = "overall"


def bounds_of(q: Questionnaire, question: Question) -> tuple[float, float]:
    """`lo` and `hi` of a question's scale (a checked questionnaire always has them)."""
    bounds = q.scale_of(question).bounds()
    if bounds is None:  # pragma: no cover - excluded by the checks
        raise ValueError(f"scale of {question.id} has no numeric bounds")
    return bounds


def reverse_value(value: float, lo: float, hi: float) -> float:
    """Rule 1: a reversed item's value `v` becomes `lo + hi - v`."""
    return lo + hi - value


def item_score(value: float, lo: float, hi: float) -> float:
    """Rule 2: a (reversed) value as a 0-100 score."""
    return (value - lo) / (hi - lo) * 100.0


def min_answered(item_count: int) -> int:
    """Rule 3: a dimension score needs at least half its items answered, rounded up."""
    return math.ceil(item_count / 2)


def reversed_expr(q: Questionnaire, question: Question) -> pl.Expr:
    """The question's values after rule 1, as a polars expression named by its id."""
    import polars as pl

    column = pl.col(question.id).cast(pl.Float64)
    if question.reverse:
        lo, hi = bounds_of(q, question)
        column = pl.lit(lo + hi) - column
    return column.alias(question.id)


def reversed_answers(q: Questionnaire, frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with every scored question reversed where its item says so (rule 1)."""
    return frame.with_columns([reversed_expr(q, question) for question in q.scored_questions()])


def score_expr(q: Questionnaire, question: Question) -> pl.Expr:
    """Rule 2 on an already reversed column: the 0-100 item score expression."""
    import polars as pl

    lo, hi = bounds_of(q, question)
    return (pl.col(question.id) - lo) / (hi - lo) * 100.0


def dimension_score_exprs(q: Questionnaire) -> list[pl.Expr]:
    """Rule 3 for every dimension, on reversed answers: the weighted mean of answered item
    scores, null when fewer than half the items (rounded up) are answered."""
    import polars as pl

    exprs = []
    for dim in q.dimensions:
        answered = [pl.col(item.id).is_not_null() for item in dim.items]
        count = pl.sum_horizontal([a.cast(pl.Int32) for a in answered])
        weighted = pl.sum_horizontal(
            [
                pl.when(a).then(score_expr(q, it) * it.weight).otherwise(0.0)
                for a, it in zip(answered, dim.items, strict=True)
            ]
        )
        weights = pl.sum_horizontal(
            [
                pl.when(a).then(pl.lit(it.weight)).otherwise(0.0)
                for a, it in zip(answered, dim.items, strict=True)
            ]
        )
        exprs.append(
            pl.when(count >= min_answered(len(dim.items)))
            .then(weighted / weights)
            .otherwise(None)
            .alias(dimension_column(dim.id))
        )
    return exprs


def overall_expr(q: Questionnaire) -> pl.Expr:
    """Rule 4: the weighted mean (dimension weights) of a respondent's non-missing dimension
    scores; null when every dimension is missing."""
    import polars as pl

    columns = [pl.col(dimension_column(d.id)) for d in q.dimensions]
    weighted = pl.sum_horizontal(
        [
            pl.when(c.is_not_null()).then(c * d.weight).otherwise(0.0)
            for c, d in zip(columns, q.dimensions, strict=True)
        ]
    )
    weights = pl.sum_horizontal(
        [
            pl.when(c.is_not_null()).then(pl.lit(d.weight)).otherwise(0.0)
            for c, d in zip(columns, q.dimensions, strict=True)
        ]
    )
    return pl.when(weights > 0).then(weighted / weights).otherwise(None).alias(OVERALL_COLUMN)


def respondent_scores(q: Questionnaire, frame: pl.DataFrame) -> pl.DataFrame:
    """The frame, reversed (rule 1), with each respondent's dimension scores (rules 2-3) and
    overall index (rule 4) added as columns."""
    return (
        frame.lazy()
        .with_columns([reversed_expr(q, question) for question in q.scored_questions()])
        .with_columns(dimension_score_exprs(q))
        .with_columns(overall_expr(q))
        .collect()
    )


def fires(below: float | None, score: float | None, at_least: float | None = None) -> bool:
    """Rule 10: a recommendation fires when the score is strictly below its threshold and, for
    advice aimed at a band, at least its lower bound (a missing bound does not limit)."""
    if score is None:
        return False
    if below is not None and not score < below:
        return False
    return at_least is None or score >= at_least - 1e-9


PRIORITY_ORDER = {"high": 0, "medium": 1, "low": 2}


def recommendation_order(
    priority: str, score: float, below: float | None, scale_span: float
) -> tuple:
    """Rule 10's order: by priority, then by how far the score is below the threshold
    (relative to the scale's span, so item and dimension thresholds compare fairly)."""
    distance = 0.0 if below is None else (below - score) / scale_span
    return (PRIORITY_ORDER[priority], -distance)
