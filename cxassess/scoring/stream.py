"""Placeholder for s1's `summarise_batches` (replaced at merge): scores the batches joined."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

import polars as pl

from cxassess.format.models import Questionnaire
from cxassess.results import Results, SourceFile
from cxassess.scoring.options import DEFAULT_MIN_GROUP_SIZE
from cxassess.scoring.summary import summarise


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
) -> Results:
    """Placeholder: `summarise` of the batches joined into one frame."""
    return summarise(
        q,
        pl.concat(list(batches)),
        segments=segments,
        min_group_size=min_group_size,
        min_comment_group_size=min_comment_group_size,
        lang=lang,
        sources=sources,
        notes=notes,
        fixed=fixed,
    )
