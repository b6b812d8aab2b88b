"""The one call behind `cxassess gap`: read both sides, pair them, compute the gap, and
compare it with an earlier gap when asked."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cxassess.errors import Problem
from cxassess.gap.compute import DEFAULT_THRESHOLD, check_segments, compute_gap
from cxassess.gap.model import GapResults
from cxassess.scoring.options import DEFAULT_MIN_GROUP_SIZE, ScoringOptions


@dataclass
class GapRun:
    """A computed gap and the problems met while reading the answers (bad cells, warnings)."""

    gap: GapResults
    staff_problems: list[Problem] = field(default_factory=list)
    customer_problems: list[Problem] = field(default_factory=list)


def build_gap(
    staff_input: str | Path,
    customer_input: str | Path,
    *,
    staff_questionnaire: str | None = None,
    customer_questionnaire: str | None = None,
    segments: Sequence[str] = (),
    min_group_size: int = DEFAULT_MIN_GROUP_SIZE,
    threshold: float = DEFAULT_THRESHOLD,
    strict: bool = False,
    lang: str | None = None,
    compare: str | Path | None = None,
    include_tests: bool = False,
) -> GapRun:
    """Read the staff and customer inputs (results.json files, survey exports or response
    files), pair their questionnaires, and compute the perception gap; with `compare`, also
    how each gap moved since that earlier `gap.json`."""
    from cxassess.gap.change import compare_gaps
    from cxassess.gap.inputs import (
        DEFAULT_STAFF,
        matching_customer_questionnaire,
        open_side,
        score_side,
    )
    from cxassess.gap.model import read_gap
    from cxassess.gap.pairing import pair_questionnaires

    ScoringOptions.of(min_group_size=min_group_size, segments=segments, strict=strict, lang=lang)
    previous = read_gap(compare) if compare is not None else None
    staff = open_side(
        staff_input,
        role="staff",
        questionnaire=staff_questionnaire,
        default_questionnaire=DEFAULT_STAFF,
    )
    customer = open_side(
        customer_input,
        role="customer",
        questionnaire=customer_questionnaire,
        default_questionnaire=lambda: matching_customer_questionnaire(staff.questionnaire),
    )
    pairing = pair_questionnaires(
        staff.questionnaire, customer.questionnaire, customer_file=customer.questionnaire_file
    )
    check_segments(pairing, segments)
    options = {
        "segments": segments,
        "min_group_size": min_group_size,
        "strict": strict,
        "include_tests": include_tests,
    }
    score_side(staff, lang=lang, **options)
    score_side(customer, lang=lang, **options)
    assert staff.results is not None and customer.results is not None
    gap = compute_gap(
        staff.results,
        customer.results,
        pairing,
        segments=segments,
        threshold=threshold,
        notes=[*staff.notes, *customer.notes],
    )
    if previous is not None:
        gap.comparison = compare_gaps(gap, previous)
    return GapRun(gap, staff.problems, customer.problems)
