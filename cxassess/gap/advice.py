"""Gap-aimed recommendations: advice for closing a blind spot or using a hidden strength.

The advice texts live in `advice.yaml` beside this module, so that they can be reviewed and
translated without touching code. Advice fires only for gaps classified beyond the noise, and
its words follow the classification: per shared dimension, the dimension's advice when the
dimension itself is a blind spot (or a hidden strength); when only some of its paired items
are, advice about those questions (`blind-spot-items`, `hidden-strength-items`), which never
says that the dimension as a whole differs. When no gap is clear anywhere, one piece of
advice says whether that is because the views agree or because the figures are too noisy to
tell.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from cxassess.gap.model import GapRecommendation, GapResults, GapRow

ADVICE_FILE = Path(__file__).with_name("advice.yaml")
_PRIORITY = {"high": 0, "medium": 1, "low": 2}


class Advice(BaseModel):
    """One entry of `advice.yaml`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    when: Literal[
        "blind-spot",
        "hidden-strength",
        "blind-spot-items",
        "hidden-strength-items",
        "unclear",
        "aligned",
    ]
    """The classification it is written for; `...-items`: only some questions of a dimension
    show the gap, not the dimension as a whole (`{count}`, `{questions}` and `{those}` are
    filled in)."""
    dimension: str | None = None
    priority: Literal["high", "medium", "low"] = "medium"
    title: str
    why: str = ""
    actions: list[str] = Field(default_factory=list)


class AdviceFile(BaseModel):
    """The advice file (`format: cxassess.gap-advice/1`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    format: Literal["cxassess.gap-advice/1"]
    advice: list[Advice]


@cache
def load_advice(path: Path = ADVICE_FILE) -> AdviceFile:
    """The gap advice shipped with cxassess (or another file in the same format)."""
    with path.open(encoding="utf-8") as handle:
        return AdviceFile.model_validate(yaml.safe_load(handle))


def _pick(advice: AdviceFile, when: str, dimension: str | None) -> Advice | None:
    matches = [a for a in advice.advice if a.when == when]
    own = next((a for a in matches if a.dimension is not None and a.dimension == dimension), None)
    return own or next((a for a in matches if a.dimension is None), None)


def _fill(text: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


def _recommendation(
    advice: Advice,
    status: str,
    dimension: GapRow | None,
    items: list[GapRow],
    values: dict[str, str],
    priority: str,
) -> GapRecommendation:
    return GapRecommendation(
        id=advice.id,
        priority=priority,  # type: ignore[arg-type]
        status=status,  # type: ignore[arg-type]
        dimension=dimension.id if dimension else None,
        title=_fill(advice.title, values),
        why=_fill(advice.why, values),
        actions=[_fill(a, values) for a in advice.actions],
        items=[item_wording(i) for i in items],
    )


def item_wording(row: GapRow) -> str:
    """How advice names a paired item (our people's wording): the `positive` text of a
    negatively worded item when the questionnaire gives one, so that a statement such as
    "dealing with us feels like a chore" is not listed where the gap shows as if it were
    good news; else the statement, marked as negatively worded."""
    text, _customer, disagree = row.wording()
    return f"{text.rstrip('.')} (negatively worded)" if disagree else text


def _lower(priority: str) -> str:
    return {"high": "medium", "medium": "low"}.get(priority, priority)


def gap_recommendations(
    gap: GapResults, advice: AdviceFile | None = None
) -> list[GapRecommendation]:
    """Advice for the gaps classified beyond the noise: per dimension for blind spots and
    hidden strengths (advice on the questions, one step lower in priority, when only some items
    show the gap), or one general note when no gap is clear. Ordered by priority, then by the
    size of the gap."""
    advice = advice or load_advice()
    threshold = f"{gap.threshold:g}"
    fired: list[tuple[tuple[int, float], GapRecommendation]] = []
    for dim in gap.dimensions:
        for status in ("blind-spot", "hidden-strength"):
            items = [i for i in gap.items if i.dimension == dim.id and i.status == status]
            whole = dim.status == status
            if not whole and not items:
                continue
            count = len(items)
            values = {
                "dimension": dim.title or dim.id,
                "threshold": threshold,
                "count": str(count),
                "questions": "one question" if count == 1 else f"{count} questions",
                "those": "that question" if count == 1 else "those questions",
            }
            entry = _pick(advice, status if whole else f"{status}-items", dim.id)
            if entry is None:
                continue
            priority = entry.priority if whole else _lower(entry.priority)
            size = abs(dim.gap or 0.0) if whole else max(abs(i.gap or 0) for i in items)
            fired.append(
                (
                    (_PRIORITY[priority], -size),
                    _recommendation(entry, status, dim, items, values, priority),
                )
            )
    nothing_clear = not any(r.clear for r in (*gap.dimensions, *gap.items))
    if not fired and nothing_clear and gap.dimensions:
        widest = max(
            (
                (r.ci_high - r.ci_low) / 2
                for r in gap.dimensions
                if r.ci_low is not None and r.ci_high is not None
            ),
            default=None,
        )
        status = "unclear" if widest is None or widest >= gap.threshold else "aligned"
        entry = _pick(advice, status, None)
        if entry is not None:
            values = {
                "dimension": "the service",
                "threshold": threshold,
                "count": "0",
                "questions": "no question",
                "those": "no question",
            }
            fired.append(
                ((0, 0.0), _recommendation(entry, status, None, [], values, entry.priority))
            )
    fired.sort(key=lambda pair: pair[0])
    return [rec for _order, rec in fired]
