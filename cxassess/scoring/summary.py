"""Turn an answers frame into `Results`: every figure of rules 1-11 in a few columnar passes.

One list of aggregation expressions serves the whole sample and every group, so a group's
figures are computed exactly like the total's.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from cxassess.format.models import Question, Questionnaire
from cxassess.results import (
    CommentQuestion,
    DimensionResult,
    Driver,
    Drivers,
    FiredRecommendation,
    GroupResult,
    ItemResult,
    LevelInfo,
    OutcomeResult,
    Overall,
    QuestionnaireRef,
    Results,
    SourceFile,
)
from cxassess.scoring import engine, stats
from cxassess.scoring.privacy import NOT_STATED, groups_to_suppress

if TYPE_CHECKING:
    import polars as pl


def _helper_columns(q: Questionnaire) -> list[pl.Expr]:
    """Per-respondent columns the aggregates read: listwise completeness and the values kept
    for alpha per dimension, and favourable / neutral / per-point flags per question.

    Computing them once, before grouping, keeps every aggregate a plain column aggregate, which
    polars runs in its fast grouped kernels (the figures are the same either way)."""
    import polars as pl

    exprs: list[pl.Expr] = []
    for dim in q.dimensions:
        complete = pl.all_horizontal([pl.col(i.id).is_not_null() for i in dim.items])
        exprs.append(complete.alias(f"__cmp|{dim.id}"))
        exprs.append(
            pl.when(complete)
            .then(pl.sum_horizontal([pl.col(i.id) for i in dim.items]))
            .alias(f"__tot|{dim.id}")
        )
        for item in dim.items:
            exprs.append(pl.when(complete).then(pl.col(item.id)).alias(f"__iv|{dim.id}|{item.id}"))
    for question in q.scored_questions():
        scale = q.scale_of(question)
        col = pl.col(question.id)
        lo, hi = engine.bounds_of(q, question)
        if _counted_from_points(q, question) is None:
            exprs.append(col.is_in(scale.favorable_values()).alias(f"__fav|{question.id}"))
            exprs.append(col.is_in(scale.neutral_values()).alias(f"__neu|{question.id}"))
        for point in scale.resolved_points():
            stored = lo + hi - point.value if question.reverse else point.value
            exprs.append((col == stored).alias(f"__cnt|{question.id}|{point.value:g}"))
    return exprs


def _counted_from_points(
    q: Questionnaire, question: Question
) -> tuple[list[str], list[str]] | None:
    """The points (as `cnt` keys) whose answers are favourable and neutral, when both sets are
    points of the scale: their shares are then sums of the per-point counts, the very same
    integers as counting them apart. None otherwise (a `number` scale's ranges)."""
    scale = q.scale_of(question)
    lo, hi = engine.bounds_of(q, question)
    after = {
        (lo + hi - p.value if question.reverse else p.value): f"{p.value:g}"
        for p in scale.resolved_points()
    }
    favorable, neutral = scale.favorable_values(), scale.neutral_values()
    if not all(v in after for v in [*favorable, *neutral]):
        return None
    return [after[v] for v in set(favorable)], [after[v] for v in set(neutral)]


def _shares_counts(q: Questionnaire, question: Question, row: dict[str, Any]) -> tuple[int, int]:
    """Favourable and neutral answers of a question in one row of aggregates."""
    from_points = _counted_from_points(q, question)
    if from_points is None:
        return int(row[f"fav|{question.id}"]), int(row[f"neu|{question.id}"])
    favorable, neutral = from_points

    def count(keys: list[str]) -> int:
        return sum(int(row[f"cnt|{question.id}|{key}"]) for key in keys)

    return count(favorable), count(neutral)


def _aggregations(q: Questionnaire) -> list[pl.Expr]:
    """Every per-set aggregate, named `kind|id` (kinds: dim, dimn, all, alln, mean, n, fav, neu,
    cnt, ivar, tvar, tn), over a frame with the `_helper_columns`."""
    import polars as pl

    exprs: list[pl.Expr] = [
        pl.len().alias("len|"),
        pl.col(engine.OVERALL_COLUMN).mean().alias("all|"),
        pl.col(engine.OVERALL_COLUMN).count().alias("alln|"),
        pl.col(engine.OVERALL_COLUMN).std().alias("allsd|"),
    ]
    for dim in q.dimensions:
        column = pl.col(engine.dimension_column(dim.id))
        exprs += [
            column.mean().alias(f"dim|{dim.id}"),
            column.count().alias(f"dimn|{dim.id}"),
            column.std().alias(f"dimsd|{dim.id}"),
            pl.col(f"__cmp|{dim.id}").sum().alias(f"tn|{dim.id}"),
            pl.col(f"__tot|{dim.id}").var().alias(f"tvar|{dim.id}"),
        ]
        for item in dim.items:
            exprs.append(pl.col(f"__iv|{dim.id}|{item.id}").var().alias(f"ivar|{dim.id}|{item.id}"))
    for question in q.scored_questions():
        scale = q.scale_of(question)
        col = pl.col(question.id)
        exprs += [
            col.mean().alias(f"mean|{question.id}"),
            col.count().alias(f"n|{question.id}"),
            col.std().alias(f"sd|{question.id}"),
        ]
        if _counted_from_points(q, question) is None:
            exprs += [
                pl.col(f"__fav|{question.id}").sum().alias(f"fav|{question.id}"),
                pl.col(f"__neu|{question.id}").sum().alias(f"neu|{question.id}"),
            ]
        for point in scale.resolved_points():
            name = f"{question.id}|{point.value:g}"
            exprs.append(pl.col(f"__cnt|{name}").sum().alias(f"cnt|{name}"))
    return exprs


def _item_result(q: Questionnaire, question: Question, row: dict[str, Any], lang: str | None):
    lo, hi = engine.bounds_of(q, question)
    n = int(row[f"n|{question.id}"])
    mean = row[f"mean|{question.id}"]
    fav, neu = _shares_counts(q, question, row)
    dim = q.dimension_of(question.id)
    fields: dict[str, Any] = {
        "id": question.id,
        "dimension": dim.id if dim else None,
        "text": q.text(question.text, lang),
        "reverse": question.reverse,
        "mean": mean,
        "score": None if mean is None else engine.item_score(mean, lo, hi),
        "n": n,
        "sd": None
        if row[f"sd|{question.id}"] is None
        else row[f"sd|{question.id}"] / (hi - lo) * 100,
        "favorable": stats.share(fav, n),
        "neutral": stats.share(neu, n),
        "unfavorable": stats.share(n - fav - neu, n),
        "distribution": {
            f"{p.value:g}": int(row[f"cnt|{question.id}|{p.value:g}"])
            for p in q.scale_of(question).resolved_points()
        },
    }
    if dim is not None:
        return ItemResult(**fields)
    if q.scale_of(question).type == "nps":
        promoters = fav
        detractors = n - fav - neu
        fields |= {
            "nps": stats.net_promoter(promoters, detractors, n),
            "promoters": stats.share(promoters, n),
            "passives": stats.share(neu, n),
            "detractors": stats.share(detractors, n),
        }
    return OutcomeResult(**fields)


def _figures(q: Questionnaire, row: dict[str, Any], lang: str | None):
    """Overall, dimensions, items and outcomes from one row of aggregates."""
    overall_score = row["all|"]
    level = q.level_for(overall_score)
    overall = Overall(
        score=overall_score, level=level.id if level else None, n=row["alln|"], sd=row["allsd|"]
    )
    dimensions = []
    for dim in q.dimensions:
        score = row[f"dim|{dim.id}"]
        dim_level = q.level_for(score)
        variances = [row[f"ivar|{dim.id}|{i.id}"] for i in dim.items]
        tn = int(row[f"tn|{dim.id}"])
        dimensions.append(
            DimensionResult(
                id=dim.id,
                title=q.text(dim.title, lang),
                summary=q.text(dim.summary, lang),
                weight=dim.weight,
                score=score,
                level=dim_level.id if dim_level else None,
                n=int(row[f"dimn|{dim.id}"]),
                sd=row[f"dimsd|{dim.id}"],
                alpha=stats.cronbach_alpha(variances, row[f"tvar|{dim.id}"], tn),
                alpha_n=tn,
                items=[i.id for i in dim.items],
            )
        )
    items = [_item_result(q, i, row, lang) for i in q.all_items()]
    outcomes = [_item_result(q, o, row, lang) for o in q.outcomes]
    return overall, dimensions, items, outcomes


def _comments(q: Questionnaire, frame: pl.DataFrame, lang: str | None) -> list[CommentQuestion]:
    found = []
    for comment in q.comments:
        answers: list[str] = []
        if comment.id in frame.columns:
            series = frame.get_column(comment.id).cast(str).str.strip_chars()
            answers = [a for a in series.to_list() if a]
        found.append(
            CommentQuestion(id=comment.id, text=q.text(comment.text, lang), answers=answers)
        )
    return found


def _drivers(
    q: Questionnaire, scored: pl.DataFrame, lang: str | None, dims, items
) -> Drivers | None:
    import polars as pl

    if not q.outcomes:
        return None
    outcome = next((o for o in q.outcomes if q.scale_of(o).type == "nps"), q.outcomes[0])
    y = pl.col(outcome.id)
    candidates: list[tuple[str, str, str, float | None]] = [
        ("dimension", d.id, engine.dimension_column(d.id), d.score) for d in dims
    ] + [("item", i.id, i.id, i.score) for i in items]
    exprs = []
    for index, (_kind, _id, column, _score) in enumerate(candidates):
        x = pl.col(column)
        both = x.is_not_null() & y.is_not_null()
        xs, ys = pl.when(both).then(x), pl.when(both).then(y)
        exprs += [
            both.sum().alias(f"n{index}"),
            xs.sum().alias(f"sx{index}"),
            ys.sum().alias(f"sy{index}"),
            (xs * xs).sum().alias(f"sxx{index}"),
            (ys * ys).sum().alias(f"syy{index}"),
            (xs * ys).sum().alias(f"sxy{index}"),
        ]
    row = scored.select(exprs).row(0, named=True)
    titles = {d.id: d.title for d in dims} | {i.id: i.text for i in items}
    found: list[Driver] = []
    for index, (kind, ident, _column, score) in enumerate(candidates):
        n = int(row[f"n{index}"])
        r = stats.pearson_from_sums(
            n, *(float(row[f"{k}{index}"] or 0) for k in ("sx", "sy", "sxx", "syy", "sxy"))
        )
        found.append(Driver(id=ident, kind=kind, title=titles[ident], r=r, n=n, score=score))
    result = Drivers(outcome=outcome.id)
    for kind, target in (("dimension", result.dimensions), ("item", result.items)):
        group = [d for d in found if d.kind == kind]
        for driver, flag in zip(
            group, stats.focus_flags([(d.r, d.score) for d in group]), strict=True
        ):
            driver.focus = flag
            target.append(driver)
    return result


def _aggregate(
    measured: pl.DataFrame, aggregations: list[pl.Expr], keys: list[pl.Expr]
) -> list[pl.DataFrame]:
    """The aggregates of the whole sample, then of each key's groups (sorted by group).

    Each is an eager query: deterministic to the last bit, unlike a lazy plan that polars may
    split differently from run to run. (Running them side by side in threads gained nothing on
    two cores and held one more copy of the grouped columns in memory.)"""
    found = [measured.select(aggregations)]
    for key in keys:
        found.append(
            measured.with_columns(key).group_by("__group").agg(aggregations).sort("__group")
        )
    return found


def fired_recommendations(
    q: Questionnaire,
    dimensions: Sequence[DimensionResult],
    items: Sequence[ItemResult],
    lang: str | None = None,
) -> list[FiredRecommendation]:
    """Rule 10: recommendations whose condition holds, by priority then distance below."""
    dim_scores = {d.id: d.score for d in dimensions}
    item_means = {i.id: i.mean for i in items}
    fired = []
    for rec in q.recommendations:
        cond = rec.when
        if cond.dimension is not None:
            score, span = dim_scores.get(cond.dimension), 100.0
        else:
            score = item_means.get(cond.item or "")
            lo, hi = engine.bounds_of(q, q.question(cond.item or ""))
            span = hi - lo
        if not engine.fires(cond.below, score):
            continue
        assert score is not None
        fired.append(
            (
                engine.recommendation_order(rec.priority, score, cond.below, span),
                FiredRecommendation(
                    id=rec.id,
                    priority=rec.priority,
                    title=q.text(rec.title, lang),
                    why=q.text(rec.why, lang),
                    actions=[q.text(a, lang) for a in rec.actions],
                    dimension=cond.dimension,
                    item=cond.item,
                    score=score,
                    below=cond.below,
                ),
            )
        )
    return [rec for _order, rec in sorted(fired, key=lambda pair: pair[0])]


def hash_sources(sources: Iterable[SourceFile]) -> str:
    """One SHA-256 over the inputs' own hashes, for the report's appendix."""
    digest = hashlib.sha256()
    for source in sources:
        digest.update(source.sha256.encode())
    return digest.hexdigest()


def summarise(
    q: Questionnaire,
    frame: pl.DataFrame,
    *,
    segments: Sequence[str] = (),
    min_group_size: int = 5,
    lang: str | None = None,
    sources: Sequence[SourceFile] = (),
    notes: Sequence[str] = (),
) -> Results:
    """Score an answers frame (rules 1-11) into `Results`, with a breakdown for each segment."""
    import polars as pl

    lang = lang or q.default_language
    scored = engine.respondent_scores(q, frame)
    measured = scored.with_columns(_helper_columns(q))
    aggregations = _aggregations(q)
    keys = {s: pl.col(s).cast(pl.String).fill_null(NOT_STATED).alias("__group") for s in segments}
    totals, *by_segment = _aggregate(measured, aggregations, [keys[s] for s in segments])
    row = totals.row(0, named=True)
    overall, dimensions, items, outcomes = _figures(q, row, lang)
    all_notes = list(notes)
    groups: list[GroupResult] = []
    for segment, aggregated in zip(segments, by_segment, strict=True):
        title = next((q.text(s.title, lang) for s in q.segments if s.id == segment), segment)
        rows = aggregated.to_dicts()
        members: dict = {}
        if q.comments:  # one pass splits the comments by group, in respondent order
            present = [c.id for c in q.comments if c.id in frame.columns]
            members = scored.select(keys[segment], *present).partition_by(
                "__group", as_dict=True, maintain_order=True
            )
        counts = {r["__group"]: int(r["len|"]) for r in rows}
        hidden, extra_notes = groups_to_suppress(counts, min_group_size, title)
        all_notes += extra_notes
        for group_row in rows:
            value = group_row["__group"]
            if value in hidden:
                groups.append(
                    GroupResult(segment=segment, value=value, n=counts[value], suppressed=True)
                )
                continue
            g_overall, g_dims, g_items, g_outcomes = _figures(q, group_row, lang)
            groups.append(
                GroupResult(
                    segment=segment,
                    value=value,
                    n=counts[value],
                    overall=g_overall,
                    dimensions=g_dims,
                    items=g_items,
                    outcomes=g_outcomes,
                    comments=_comments(q, members[(value,)], lang) if q.comments else [],
                )
            )
    if any(g.suppressed for g in groups):
        all_notes.append(
            f"Groups with fewer than {min_group_size} respondents show only their number of "
            "respondents, to protect anonymity."
        )
    source_list = list(sources)
    return Results(
        questionnaire=QuestionnaireRef(
            id=q.id, version=q.version, title=q.text(q.title, lang), audience=q.audience
        ),
        generated=datetime.now(UTC).replace(microsecond=0).isoformat(),
        language=lang,
        respondents=scored.height,
        min_group_size=min_group_size,
        input_hash=hash_sources(source_list),
        sources=source_list,
        levels=[
            LevelInfo(
                id=lv.id, min=lv.min, title=q.text(lv.title, lang), summary=q.text(lv.summary, lang)
            )
            for lv in q.levels
        ],
        overall=overall,
        dimensions=dimensions,
        items=items,
        outcomes=outcomes,
        drivers=_drivers(q, scored, lang, dimensions, items) if scored.height else None,
        groups=groups,
        recommendations=fired_recommendations(q, dimensions, items, lang),
        comments=_comments(q, frame, lang),
        notes=all_notes,
    )
