"""Score answers that arrive in batches, in memory that does not grow with their number.

`summarise_batches` is the scoring engine behind every command (`summary.summarise` is its
one-batch case). Each batch is counted into per-group sums (`aggregate`, `groupstats`), which
merge exactly with the previous batches'; beside them it keeps how many respondents each
combination of segment values has (for the privacy checks of rule 11), the comments of each
such combination (which must be left out wherever the combination falls in a hidden group),
and what the driver analysis needs (`drivers.DriverSums`). Once the last batch is in, the
sums become `Results` exactly as one frame of all the answers would.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from cxassess.format.models import Question, Questionnaire
from cxassess.format.nonanswers import scale_non_answers
from cxassess.responses import answers_schema
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
from cxassess.scoring.aggregate import Aggregates
from cxassess.scoring.drivers import RESERVOIR, DriverSums, analyse_drivers
from cxassess.scoring.groupstats import GroupStats, rows
from cxassess.scoring.options import DEFAULT_MIN_GROUP_SIZE
from cxassess.scoring.privacy import (
    NOT_STATED,
    PrivacySettings,
    apply_privacy,
    hidden_groups,
)

if TYPE_CHECKING:
    import polars as pl

Cell = tuple[str, ...]
"""One combination of the segments' values (a missing value is `NOT_STATED`)."""


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


class BatchSums:
    """Everything the results need of the batches seen so far."""

    def __init__(self, q: Questionnaire, segments: Sequence[str], reservoir: int) -> None:
        self.q, self.segments = q, list(segments)
        self.height = 0
        self.stats: dict[str | None, GroupStats] = {}
        self.cells: dict[Cell, int] = {}
        self.comments: dict[Cell, dict[str, list[str]]] = {}
        self.drivers = DriverSums(q, reservoir)
        self.empty: pl.DataFrame | None = None

    def add(self, frame: pl.DataFrame) -> None:
        """One batch of answers."""
        if frame.height == 0:
            self.empty = frame if self.empty is None else self.empty
            return
        aggregates = Aggregates(self.q, frame, self.segments)
        self._count(aggregates)
        self.height += frame.height
        if self.segments:
            for cell, n in aggregates.crossed().items():
                self.cells[cell] = self.cells.get(cell, 0) + n
        self._comments(frame)

    def finish(self) -> None:
        """With no answers at all, the sums of an empty frame (the figures of no one)."""
        if self.height == 0:
            import polars as pl

            empty = self.empty
            if empty is None:
                empty = pl.DataFrame(schema=answers_schema(self.q))
            self.stats = Aggregates(self.q, empty, self.segments).stats

    def _count(self, aggregates: Aggregates) -> None:
        for key, found in aggregates.stats.items():
            known = self.stats.get(key)
            self.stats[key] = found if known is None else known.merged(found)
        self.drivers.add(aggregates)

    def _keys(self) -> list[pl.Expr]:
        import polars as pl

        return [
            pl.col(s).cast(pl.String).fill_null(NOT_STATED).alias(f"\0cell|{i}")
            for i, s in enumerate(self.segments)
        ]

    def _comments(self, frame: pl.DataFrame) -> None:
        """Each combination's non-blank comments (trimmed), in the order of the rows."""
        import polars as pl

        keys = self._keys()
        names = [k.meta.output_name() for k in keys]
        for comment in self.q.comments:
            if comment.id not in frame.columns:
                continue
            text = pl.col(comment.id).cast(pl.String).str.strip_chars().alias("\0text")
            found = frame.select(*keys, text).filter(pl.col("\0text").str.len_bytes() > 0)
            if found.height == 0:
                continue
            if not names:
                grouped = [((), found.get_column("\0text").to_list())]
            else:
                by_cell = found.group_by(names, maintain_order=True).agg(pl.col("\0text"))
                grouped = [(tuple(cell), texts) for *cell, texts in by_cell.iter_rows()]
            for cell, texts in grouped:
                self.comments.setdefault(cell, {}).setdefault(comment.id, []).extend(texts)

    def crossing(self) -> Crossing | None:
        """Respondents counted per combination of the segments' values (those that occur)."""
        if not self.segments:
            return None
        return Crossing(
            segments=list(self.segments),
            cells=[CrossedCell(values=list(c), n=n) for c, n in sorted(self.cells.items())],
        )

    def comment_lists(
        self, hidden: dict[str, set[str]], lang: str | None
    ) -> tuple[list[CommentQuestion], dict[tuple[str, str], list[CommentQuestion]]]:
        """The whole sample's comment lists and each group's, leaving out every comment of a
        member of a hidden group (rule 11), each list sorted by its text so that no order of
        rows tells who wrote what."""
        total: dict[str, list[str]] = {}
        groups: dict[tuple[str, str], dict[str, list[str]]] = {}
        for cell, found in self.comments.items():
            pairs = list(zip(self.segments, cell, strict=True))
            if any(value in hidden.get(segment, ()) for segment, value in pairs):
                continue
            for comment_id, texts in found.items():
                total.setdefault(comment_id, []).extend(texts)
                for pair in pairs:
                    groups.setdefault(pair, {}).setdefault(comment_id, []).extend(texts)
        return _comment_questions(self.q, total, lang), {
            pair: _comment_questions(self.q, lists, lang) for pair, lists in groups.items()
        }


def _comment_questions(
    q: Questionnaire, lists: dict[str, list[str]], lang: str | None
) -> list[CommentQuestion]:
    found = []
    for comment in q.comments:
        answers = sorted(lists.get(comment.id, []), key=lambda a: (a.casefold(), a))
        found.append(
            CommentQuestion(id=comment.id, text=q.text(comment.text, lang), answers=answers)
        )
    return found


def count_batches(
    q: Questionnaire,
    batches: Iterable[pl.DataFrame],
    *,
    segments: Sequence[str] = (),
    reservoir: int = RESERVOIR,
) -> BatchSums:
    """The sums of answers frames, one batch after another, from which `summarise_sums` gives
    the results: the pass over the answers, apart from the figures, so that a caller can
    learn what it needs to say about the inputs (their reading notes) once the pass is over."""
    sums = BatchSums(q, segments, reservoir)
    for batch in batches:
        sums.add(batch)
    sums.finish()
    return sums


def summarise_batches(
    q: Questionnaire,
    batches: Iterable[pl.DataFrame],
    *,
    segments: Sequence[str] = (),
    min_group_size: int = DEFAULT_MIN_GROUP_SIZE,
    min_comment_group_size: int | None = None,
    lang: str | None = None,
    sources: Sequence[SourceFile] = (),
    notes: Sequence[str] = (),
    fixed: Collection[tuple[str, str]] = (),
    reservoir: int = RESERVOIR,
) -> Results:
    """Score answers frames, one batch after another (rules 1-11), into the `Results` one
    frame of all of them would give, with a breakdown for each segment. Every batch has the
    columns of an answers frame (`responses.answers_schema`); only sums are kept between
    batches, plus the comments and, for the drivers' bootstrap, at most `reservoir` complete
    rows (see `drivers.DriverData`). `fixed` names groups published elsewhere already (see
    `privacy.apply_privacy`).

    Every group is scored, then `privacy.apply_privacy` decides once what may be shown; the
    comment lists already leave out the members of the groups it will hide."""
    sums = count_batches(q, batches, segments=segments, reservoir=reservoir)
    return summarise_sums(
        q,
        sums,
        min_group_size=min_group_size,
        min_comment_group_size=min_comment_group_size,
        lang=lang,
        sources=sources,
        notes=notes,
        fixed=fixed,
    )


def summarise_sums(
    q: Questionnaire,
    sums: BatchSums,
    *,
    min_group_size: int = DEFAULT_MIN_GROUP_SIZE,
    min_comment_group_size: int | None = None,
    lang: str | None = None,
    sources: Sequence[SourceFile] = (),
    notes: Sequence[str] = (),
    fixed: Collection[tuple[str, str]] = (),
) -> Results:
    """The results of `count_batches`' sums, as `summarise_batches` gives them."""
    lang = lang or q.default_language
    segments = sums.segments
    overall, dimensions, items, outcomes = _figures(q, rows(sums.stats[None])[0], lang)
    settings = PrivacySettings(min_group_size, min_comment_group_size)
    titles = {s.id: q.text(s.title, lang) for s in q.segments}
    crossing = sums.crossing()
    by_segment = {
        s: list(zip(sums.stats[s].values, rows(sums.stats[s]), strict=True))
        if s in sums.stats
        else []
        for s in segments
    }
    sized = [
        GroupResult(segment=segment, value=value, n=int(row["len|"]))
        for segment in segments
        for value, row in by_segment[segment]
    ]
    probe = Results(
        questionnaire=QuestionnaireRef(id=q.id, version=q.version),
        generated="",
        respondents=sums.height,
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
    total_comments, group_comments = sums.comment_lists(hidden_by_segment, lang)
    no_comments = _comment_questions(q, {}, lang)
    groups: list[GroupResult] = []
    for segment in segments:
        for value, group_row in by_segment[segment]:
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
                    comments=group_comments.get((segment, value), no_comments),
                )
            )
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
        respondents=sums.height,
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
        drivers=analyse_drivers(q, sums.drivers, dimensions, items) if sums.height else None,
        groups=groups,
        recommendations=fired_recommendations(q, dimensions, items, lang),
        comments=total_comments,
        crossing=crossing,
        notes=list(notes),
    )
    return apply_privacy(
        results, settings, titles=titles, comments_without=set(hidden), fixed=fixed
    )
