"""Response rates in the report (`report --headcounts teams.csv`): one sentence in the
summary, a table of every group's rate after it, and each team's rate in its own report.

The rates and what they may show are decided once by `cxassess.scoring.participation`; this
module only words them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cxassess.report.context import Section
from cxassess.scoring.participation import LOW_RESPONSE_RATE, Participation, Rate, participation

if TYPE_CHECKING:
    from cxassess.inputs.headcounts import Headcounts
    from cxassess.report.extras import Additions
    from cxassess.report.request import LoadedInputs


def _percent(rate: float | None) -> str:
    return "–" if rate is None else f"{rate:.0f}%"


def segment_title(loaded: LoadedInputs, segment: str) -> str:
    """A segment's title as the questionnaire words it, else its id made readable."""
    q = loaded.questionnaire
    if q is not None:
        for declared in q.segments:
            if declared.id == segment:
                return q.text(declared.title, loaded.results.language)
    return segment.replace("-", " ").capitalize()


def rate_sentence(rate: Rate, who: str) -> str:
    """'312 of 410 people answered (76%).' (`who` after 'people'), flagged when low."""
    if rate.rate is None or rate.headcount is None:
        return ""
    sentence = (
        f"{rate.respondents} of {rate.headcount} people {who} answered ({_percent(rate.rate)})."
    )
    if rate.low:
        sentence += (
            f" That is under {LOW_RESPONSE_RATE:.0f}%: the answers may not speak for everyone, "
            "so read the figures as the views of those who answered."
        )
    return sentence


def _row(rate: Rate) -> dict[str, Any]:
    return {
        "value": rate.value,
        "hidden": rate.hidden,
        "respondents": rate.respondents,
        "headcount": rate.headcount,
        "rate": _percent(rate.rate),
        "low": rate.low,
    }


def participation_section(found: Participation, title: str) -> Section:
    """The table of response rates by group, for the organisation's report."""
    return Section(
        id="participation",
        template="partials/participation.html",
        title="Who answered",
        data={
            "segment": title,
            "overall": _row(found.overall),
            "groups": [_row(r) for r in found.groups],
            "threshold": f"{LOW_RESPONSE_RATE:.0f}%",
            "notes": found.notes,
            "any_low": found.overall.low or any(r.low for r in found.groups),
        },
    )


def team_sentences(found: Participation, value: str) -> list[str]:
    """The summary's sentences of one team's report: its rate beside the organisation's."""
    own = found.of(value)
    sentences = []
    if own is not None and not own.hidden:
        sentences.append(rate_sentence(own, f"in {value}"))
    if found.overall.rate is not None:
        sentences.append(f"Across the organisation, {_percent(found.overall.rate)} answered.")
    return [s for s in sentences if s]


def add_participation(
    added: Additions, loaded: LoadedInputs, headcounts: Headcounts
) -> Participation:
    """Work out the response rates of the report's results and add them to its summary and,
    after it, as a table; returns them for the per-group reports."""
    found = participation(loaded.results, headcounts)
    counted = [r for r in found.groups if r.rate is not None]
    who = ""
    if found.overall.respondents < loaded.results.respondents:
        # the total leaves people out (hidden groups, groups without a headcount, answers
        # with no group): say whose rate it is, never as if it were everyone's
        who = f"in the {len(counted)} group{'s' if len(counted) != 1 else ''} with a headcount"
        hidden = {g.value for g in loaded.results.groups if g.suppressed}
        if hidden & set(headcounts.counts):
            who += " that can be shown"
    sentence = rate_sentence(found.overall, who)
    if sentence:
        added.summary.append(sentence)
    added.sections.append(
        ("summary", participation_section(found, segment_title(loaded, found.segment)))
    )
    return found
