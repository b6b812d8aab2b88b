"""The one way a perception gap is built, for `cxassess gap` and `cxassess report --customer`.

`open_customers` opens the customer answers (or results) and pairs their questionnaire with
the staff one, before any scoring work; `score_side` (in `gap.inputs`) scores them; `gap_of`
computes the gap from the two results. `build_gap`, behind `cxassess gap`, reads the staff side
the same way; the report passes the results it already has.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cxassess.errors import InputError, Problem
from cxassess.format.models import Questionnaire
from cxassess.gap.change import compare_gaps
from cxassess.gap.compute import DEFAULT_THRESHOLD, check_segments, compute_gap
from cxassess.gap.inputs import (
    DEFAULT_STAFF,
    Side,
    matching_customer_questionnaire,
    open_side,
    score_side,
)
from cxassess.gap.model import GapResults, read_gap
from cxassess.gap.pairing import Pairing, pair_questionnaires
from cxassess.results import Results
from cxassess.scoring.options import DEFAULT_MIN_GROUP_SIZE, ScoringOptions


@dataclass
class GapRun:
    """A computed gap and the problems met while reading the answers (bad cells, warnings)."""

    gap: GapResults
    staff_problems: list[Problem] = field(default_factory=list)
    customer_problems: list[Problem] = field(default_factory=list)


def open_customers(
    inputs: str | Path | Sequence[str | Path],
    staff: Questionnaire,
    *,
    questionnaire: str | None = None,
    option: str | None = None,
    customers_only: bool = False,
) -> tuple[Side, Pairing]:
    """Open the customer side and pair its questionnaire with the staff one: two
    questionnaires sharing no dimension are refused (exit 2) before any scoring work.
    Without `questionnaire`, the one the inputs name is used, else the customer questionnaire
    sharing the staff one's dimensions. With `customers_only` (the report's `--customer`),
    answers to a questionnaire that customers do not answer are refused first."""
    customer = open_side(
        inputs,
        role="customer",
        questionnaire=questionnaire,
        default_questionnaire=lambda: matching_customer_questionnaire(staff),
        option=option,
    )
    if customers_only and customer.questionnaire.audience != "customer":
        raise InputError(
            f"--customer takes customers' answers, but '{customer.questionnaire.id}' is "
            f"answered by {customer.questionnaire.audience}",
            hint="give answers to a customer questionnaire such as three-abilities-customer, "
            "or name it with --customer-questionnaire",
        )
    pairing = pair_questionnaires(
        staff, customer.questionnaire, customer_file=customer.questionnaire_file
    )
    return customer, pairing


def gap_of(
    staff: Results,
    customer: Side,
    pairing: Pairing,
    *,
    segments: Sequence[str] = (),
    threshold: float = DEFAULT_THRESHOLD,
    notes: Sequence[str] = (),
) -> GapResults:
    """The gap between the staff results and a scored customer side, by `segments`."""
    assert customer.results is not None, "score the customer side first (score_side)"
    return compute_gap(
        staff,
        customer.results,
        pairing,
        segments=segments,
        threshold=threshold,
        notes=[*notes, *customer.notes],
    )


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
    ScoringOptions.of(min_group_size=min_group_size, segments=segments, strict=strict, lang=lang)
    previous = read_gap(compare) if compare is not None else None
    staff = open_side(
        staff_input,
        role="staff",
        questionnaire=staff_questionnaire,
        default_questionnaire=DEFAULT_STAFF,
    )
    customer, pairing = open_customers(
        customer_input, staff.questionnaire, questionnaire=customer_questionnaire
    )
    check_segments(pairing, segments)
    options = {
        "segments": segments,
        "min_group_size": min_group_size,
        "strict": strict,
        "lang": lang,
        "include_tests": include_tests,
    }
    score_side(staff, **options)
    score_side(customer, **options)
    assert staff.results is not None
    gap = gap_of(
        staff.results,
        customer,
        pairing,
        segments=segments,
        threshold=threshold,
        notes=staff.notes,
    )
    if previous is not None:
        gap.comparison = compare_gaps(gap, previous)
    return GapRun(gap, staff.problems, customer.problems)
