"""Results for one group at a time, for `report --per-group`.

From answers, each group's respondents are scored on their own by the one scoring engine
(`summarise`), so a team's report has everything the organisation's has: consistency, drivers,
recommendations, and breakdowns by the other segments (with their own anonymity rule). From a
results file, the group's figures are taken as scored; recommendations are worked out again
when the questionnaire is known, and drivers are left out (they need the answers).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from cxassess.results import GroupResult, Results

if TYPE_CHECKING:
    from cxassess.report.build import LoadedInputs, ReportRequest


def _from_answers(
    request: ReportRequest, loaded: LoadedInputs, segment: str, values: Sequence[str]
) -> dict[str, Results]:
    import polars as pl

    from cxassess.inputs import read_inputs
    from cxassess.pipeline import resolve_segments
    from cxassess.scoring.privacy import NOT_STATED
    from cxassess.scoring.summary import summarise

    q = loaded.questionnaire
    assert q is not None
    names = [segment, *(s for s in request.segments if s != segment)]
    ids, extra = resolve_segments(q, names)
    scoring_q = q.model_copy(update={"segments": [*q.segments, *extra]}) if extra else q
    outcome = read_inputs(request.inputs, scoring_q, mapping=request.mapping, strict=request.strict)
    frame = outcome.responses.frame
    key = ids[0]
    others = [i for i in ids[1:] if i in frame.columns]
    column = pl.col(key).cast(pl.String).fill_null(NOT_STATED)
    found: dict[str, Results] = {}
    for value in values:
        members = frame.filter(column == value)
        found[value] = summarise(
            scoring_q,
            members,
            segments=others,
            min_group_size=loaded.results.min_group_size,
            lang=request.lang,
            sources=outcome.responses.sources,
            notes=[f"Respondents whose {segment} is {value} only."],
        )
    return found


def _from_results(loaded: LoadedInputs, group: GroupResult) -> Results:
    from cxassess.results import Overall
    from cxassess.scoring.summary import fired_recommendations

    results = loaded.results
    q = loaded.questionnaire
    recommendations = (
        fired_recommendations(q, group.dimensions, group.items, results.language)
        if q is not None
        else []
    )
    notes = [f"Respondents whose {group.segment} is {group.value} only."]
    if q is None:
        notes.append("Recommendations need the questionnaire: give it with -q.")
    notes.append("Drivers need the answers: report from the answers to see them per group.")
    return results.model_copy(
        update={
            "respondents": group.n,
            "overall": group.overall or Overall(score=None, level=None, n=group.n),
            "dimensions": group.dimensions,
            "items": group.items,
            "outcomes": group.outcomes,
            "drivers": None,
            "groups": [],
            "recommendations": recommendations,
            "comments": group.comments,
            "notes": notes,
        }
    )


def group_results(
    request: ReportRequest, loaded: LoadedInputs, segment: str, values: Sequence[str]
) -> dict[str, Results]:
    """The results of each named group of `segment` (only groups shown in the results)."""
    if (
        loaded.questionnaire is not None
        and loaded.results.sources
        and not _is_results_file(request)
    ):
        return _from_answers(request, loaded, segment, values)
    by_value = {g.value: g for g in loaded.results.groups if g.segment == segment}
    return {value: _from_results(loaded, by_value[value]) for value in values}


def _is_results_file(request: ReportRequest) -> bool:
    from cxassess.report.build import _json_schema_of
    from cxassess.results import RESULTS_SCHEMA

    return any(_json_schema_of(p) == RESULTS_SCHEMA for p in request.inputs)
