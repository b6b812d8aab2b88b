"""Turn one answers frame into `Results`: every figure of rules 1-11.

`summarise` is the one-batch case of `stream.summarise_batches`, the one scoring engine: the
figures of the whole sample and of every group come from the same per-group sums
(`aggregate`, `groupstats`), then levels, drivers (`drivers`), recommendations, comments and
the anonymity of small groups (rule 11).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING

from cxassess.scoring.options import DEFAULT_MIN_GROUP_SIZE
from cxassess.scoring.stream import fired_recommendations, hash_sources, summarise_batches

if TYPE_CHECKING:
    import polars as pl

    from cxassess.format.models import Questionnaire
    from cxassess.results import Results, SourceFile

__all__ = ["fired_recommendations", "hash_sources", "summarise"]


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

    The frame is scored as a single batch by `stream.summarise_batches`, so answers read in
    one piece and answers read in batches give the same results."""
    return summarise_batches(
        q,
        [frame],
        segments=segments,
        min_group_size=min_group_size,
        min_comment_group_size=min_comment_group_size,
        lang=lang,
        sources=sources,
        notes=notes,
        fixed=fixed,
    )
