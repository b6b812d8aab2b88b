"""Turn an answers frame into `Results`: every figure of rules 1-11.

The figures of the whole sample and of every group come from one aggregation
(`aggregate.Aggregates`, which counts answers per group), so a group's figures are computed
exactly like the total's; this module turns them into results, levels, drivers (`drivers`),
recommendations, comments and the anonymity of small groups (rule 11).
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from cxassess.format.models import Question, Questionnaire
from cxassess.format.nonanswers import scale_non_answers
from cxassess.results import (
    CommentQuestion,
    CrossedCell,
    Crossing,
    DimensionResult,
    FiredRecommendation,
    GroupResult,
    ItemChange,
    ItemResult,
    LevelInfo,
    OutcomeResult,
    Overall,
    QuestionnaireRef,
    Results,
    SourceFile,
)
from cxassess.scoring import engine, stats
from cxassess.scoring.drivers import analyse_drivers
from cxassess.scoring.options import DEFAULT_MIN_GROUP_SIZE
from cxassess.scoring.privacy import (
    NOT_STATED,
    PrivacySettings,
    apply_privacy,
    hidden_groups,
)

if TYPE_CHECKING:
    import polars as pl


def _non_answer_counts(q: Questionnaire, question: Question, row: dict[str, Any]) -> dict[str, int]:
    """How many chose each non-answer its scale defines, where the answers frame said which."""
    found = {
        "dont_know": row.get(f"dk|{question.id}"),
        "not_applicable": row.get(f"na|{question.id}"),
    }
    return {
        kind: int(count)
        for kind, count in found.items()
        if count is not None and kind in scale_non_answers(q.scale_of(question))
    }


def _item_result(q: Questionnaire, question: Question, row: dict[str, Any], lang: str | None):
    lo, hi = engine.bounds_of(q, question)
    n = int(row[f"n|{question.id}"])
    mean = row[f"mean|{question.id}"]
    fav, neu = int(row[f"fav|{question.id}"]), int(row[f"neu|{question.id}"])
    dim = q.dimension_of(question.id)
    fields: dict[str, Any] = {
        "id": question.id,
        "dimension": dim.id if dim else None,
        "text": q.text(question.text, lang),
        "reverse": question.reverse,
        "positive": q.text(question.positive, lang) if question.positive else "",
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
        **_non_answer_counts(q, question, row),
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
    fields["predicts"] = question.predicts or ""
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


def _without_hidden_respondents(
    frame: pl.DataFrame, hidden_by_segment: dict[str, set[str]]
) -> pl.DataFrame:
    """The respondents who belong to no hidden group of any breakdown (rule 11)."""
    import polars as pl

    hidden = [
        pl.col(segment).cast(pl.String).fill_null(NOT_STATED).is_in(sorted(values))
        for segment, values in hidden_by_segment.items()
        if values
    ]
    if not hidden:
        return frame
    return frame.filter(~pl.any_horizontal(hidden))


def _comments(
    q: Questionnaire, frame: pl.DataFrame | None, lang: str | None
) -> list[CommentQuestion]:
    """Each comment question with its non-blank answers (trimmed), sorted by their text, so
    that no order of rows tells who wrote what."""
    found = []
    for comment in q.comments:
        answers: list[str] = []
        if frame is not None and comment.id in frame.columns:
            text = frame.get_column(comment.id).cast(str).str.strip_chars()
            answers = text.filter(text.str.len_bytes() > 0).to_list()
            answers.sort(key=lambda a: (a.casefold(), a))
        found.append(
            CommentQuestion(id=comment.id, text=q.text(comment.text, lang), answers=answers)
        )
    return found


def fired_recommendations(
    q: Questionnaire,
    dimensions: Sequence[DimensionResult],
    items: Sequence[ItemResult],
    lang: str | None = None,
) -> list[FiredRecommendation]:
    """Rule 10: recommendations whose condition holds (score below `below` and, for advice aimed
    at a band, at least `at_least`), by priority then distance below."""
    dim_scores = {d.id: d.score for d in dimensions}
    item_means = {i.id: i.mean for i in items}
    fired = []
    for rec in q.recommendations:
        cond = rec.when
        hi = 100.0
        if cond.dimension is not None:
            score, span = dim_scores.get(cond.dimension), 100.0
        else:
            score = item_means.get(cond.item or "")
            lo, hi = engine.bounds_of(q, q.question(cond.item or ""))
            span = hi - lo
        at_least, below = q.condition_bounds(cond)
        if not engine.fires(below, score, at_least):
            continue
        assert score is not None
        fired.append(
            (
                engine.recommendation_order(rec.priority, score, below, span),
                FiredRecommendation(
                    id=rec.id,
                    priority=rec.priority,
                    title=q.text(rec.title, lang),
                    why=q.text(rec.why, lang),
                    actions=[q.text(a, lang) for a in rec.actions],
                    dimension=cond.dimension,
                    item=cond.item,
                    score=score,
                    below=below if below is not None else (100.0 if cond.dimension else hi),
                    at_least=at_least,
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


def crossing_of(frame: pl.DataFrame, segments: Sequence[str]) -> Crossing | None:
    """Respondents counted per combination of the segments' values (those that occur)."""
    import polars as pl

    if not segments:
        return None
    keys = [pl.col(s).cast(pl.String).fill_null(NOT_STATED).alias(s) for s in segments]
    counted = frame.select(keys).group_by(list(segments)).len().sort(list(segments))
    return Crossing(
        segments=list(segments),
        cells=[
            CrossedCell(values=list(row[: len(segments)]), n=int(row[-1]))
            for row in counted.iter_rows()
        ],
    )


def summarise(
    q: Questionnaire,
    frame: pl.DataFrame,
    *,
    segments: Sequence[str] = (),
    min_group_size: int = DEFAULT_MIN_GROUP_SIZE,
    min_comment_group_size: int | None = None,
    lang: str | None = None,
    sources: Sequence[SourceFile] = (),
    notes: Sequence[str] = (),
    fixed: Collection[tuple[str, str]] = (),
) -> Results:
    """Score an answers frame (rules 1-11) into `Results`, with a breakdown for each segment.
    `fixed` names groups published elsewhere already (see `privacy.apply_privacy`).

    Every group is scored, then `privacy.apply_privacy` decides once what may be shown; the
    comment lists already leave out the members of the groups it will hide."""
    import polars as pl

    from cxassess.scoring.aggregate import Aggregates

    lang = lang or q.default_language
    aggregates = Aggregates(q, frame, segments)
    overall, dimensions, items, outcomes = _figures(q, aggregates.total, lang)
    settings = PrivacySettings(min_group_size, min_comment_group_size)
    titles = {s.id: q.text(s.title, lang) for s in q.segments}
    crossing = crossing_of(frame, segments)
    sized = [
        GroupResult(segment=segment, value=value, n=int(row["len|"]))
        for segment in segments
        for value, row in aggregates.groups[segment]
    ]
    probe = Results(
        questionnaire=QuestionnaireRef(id=q.id, version=q.version),
        generated="",
        respondents=frame.height,
        min_group_size=min_group_size,
        overall=overall,
        groups=sized,
        crossing=crossing,
    )
    hidden = hidden_groups(probe, settings, titles, fixed)
    hidden_by_segment: dict[str, set[str]] = {segment: set() for segment in segments}
    for segment, value in hidden:
        hidden_by_segment[segment].add(value)
    # A respondent of a hidden group gives no comment anywhere: not in the whole sample's list,
    # not under another breakdown (a hidden team's comment must not reappear under a role).
    commenting = _without_hidden_respondents(frame, hidden_by_segment)
    groups: list[GroupResult] = []
    present = [c.id for c in q.comments if c.id in frame.columns]
    for segment in segments:
        rows = aggregates.groups[segment]
        members: dict = {}
        if present:  # one pass splits the rows with a comment by group
            key = pl.col(segment).cast(pl.String).fill_null(NOT_STATED).alias("__group")
            has_comment = pl.any_horizontal([pl.col(c).is_not_null() for c in present])
            members = (
                commenting.select(key, *present)
                .filter(has_comment)
                .partition_by("__group", as_dict=True, maintain_order=True)
            )
        for value, group_row in rows:
            g_overall, g_dims, g_items, g_outcomes = _figures(q, group_row, lang)
            groups.append(
                GroupResult(
                    segment=segment,
                    value=value,
                    n=int(group_row["len|"]),
                    overall=g_overall,
                    dimensions=g_dims,
                    items=g_items,
                    outcomes=g_outcomes,
                    comments=_comments(q, members.get((value,)), lang) if q.comments else [],
                )
            )
    all_notes = list(notes)
    source_list = list(sources)
    results = Results(
        questionnaire=QuestionnaireRef(
            id=q.id,
            version=q.version,
            title=q.text(q.title, lang),
            audience=q.audience,
            provisional_levels=q.provisional_levels,
            changes=[ItemChange(**c.model_dump()) for c in q.changes],
        ),
        generated=datetime.now(UTC).replace(microsecond=0).isoformat(),
        language=lang,
        respondents=frame.height,
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
        drivers=analyse_drivers(q, aggregates, dimensions, items) if frame.height else None,
        groups=groups,
        recommendations=fired_recommendations(q, dimensions, items, lang),
        comments=_comments(q, commenting, lang),
        crossing=crossing,
        notes=all_notes,
    )
    return apply_privacy(
        results, settings, titles=titles, comments_without=set(hidden), fixed=fixed
    )
