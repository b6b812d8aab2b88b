"""Response rates from a headcount file: who answered, of how many people, for the whole
organisation and each group, flagged under `LOW_RESPONSE_RATE`.

Privacy (rule 11): a rate, with the headcount beside it, would give away how many people of a
hidden group answered. So a hidden group (and a listed group with no answers at all, which
would be hidden too) shows neither a rate nor its headcount, and the whole organisation's rate
is that of the shown groups together, so that no subtraction gets back to a hidden group.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import get_close_matches

from cxassess.errors import InputError, Location, Problem, ValidationError
from cxassess.inputs.headcounts import Headcounts
from cxassess.results import Results

LOW_RESPONSE_RATE = 50.0
"""Response rates below this percentage are flagged: the answers may not speak for the group."""


@dataclass(frozen=True)
class Rate:
    """One group's (or, with `value` empty, the whole organisation's) response rate.

    `hidden` groups carry no figures; `rate` is None where the headcount is unknown."""

    value: str
    respondents: int | None = None
    headcount: int | None = None
    rate: float | None = None
    hidden: bool = False

    @property
    def low(self) -> bool:
        """Whether the rate is under `LOW_RESPONSE_RATE`."""
        return self.rate is not None and self.rate < LOW_RESPONSE_RATE


@dataclass(frozen=True)
class Participation:
    """The response rates of one breakdown and of the organisation, and what to know about
    them (groups without a headcount, names that match no group, what the total leaves out)."""

    segment: str
    overall: Rate
    groups: list[Rate] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def of(self, value: str) -> Rate | None:
        """The rate of one group, if listed."""
        return next((g for g in self.groups if g.value == value), None)


def _rate(respondents: int, headcount: int) -> float:
    return 100.0 * respondents / headcount


def _check_segment(results: Results, headcounts: Headcounts) -> None:
    segments = list(dict.fromkeys(g.segment for g in results.groups))
    if headcounts.segment in segments:
        return
    close = get_close_matches(headcounts.segment, segments, n=3, cutoff=0.5)
    shown = ", ".join(close or segments)
    raise InputError(
        f"column A: the report has no breakdown by '{headcounts.segment[:60]}'",
        hint=(
            f"name one of the report's breakdowns in the first row ({shown})"
            if segments
            else "break the report down with -g (for example -g team) to use headcounts"
        ),
        location=Location(headcounts.file, 1, 1),
    )


def participation(results: Results, headcounts: Headcounts) -> Participation:
    """The response rate of each group of the headcount file's breakdown and of the whole
    organisation, hidden groups left out (see the module's note).

    Refuses (`InputError`, exit 2) a breakdown the results do not have, and a headcount
    smaller than the group's number of respondents (the file or the answers are wrong)."""
    _check_segment(results, headcounts)
    groups = {g.value: g for g in results.groups if g.segment == headcounts.segment}
    problems: list[Problem] = []
    for value, count in headcounts.counts.items():
        group = groups.get(value)
        if group is not None and group.n > count:
            problems.append(
                Problem(
                    headcounts.location(value),
                    f"column B ({value[:40]})",
                    f"a headcount of {count}, but {group.n} people of this group answered",
                    "give the number of people in the group when the survey ran",
                )
            )
    if problems:
        raise ValidationError(problems, f"headcount file {headcounts.file}")
    rates: list[Rate] = []
    shown_n = shown_count = 0
    for value, group in groups.items():
        count = headcounts.counts.get(value)
        if group.suppressed:
            rates.append(Rate(value, hidden=True))
        elif count is None:
            rates.append(Rate(value, respondents=group.n))
        else:
            rates.append(Rate(value, group.n, count, _rate(group.n, count)))
            shown_n, shown_count = shown_n + group.n, shown_count + count
    unmatched = [v for v in headcounts.counts if v not in groups]
    rates += [Rate(value, hidden=True) for value in unmatched]
    notes = []
    missing = [r.value for r in rates if not r.hidden and r.headcount is None]
    if missing:
        notes.append("No headcount for: " + ", ".join(missing) + ".")
    for value in unmatched:
        close = get_close_matches(value, missing, n=1, cutoff=0.6)
        if close:
            notes.append(
                f"The headcount file's '{value}' matches no answers; did you mean '{close[0]}'?"
            )
    hidden = [r for r in rates if r.hidden]
    if hidden:
        groups_word = "group" if len(hidden) == 1 else "groups"
        notes.append(
            f"{len(hidden)} {groups_word} with too few answers to show safely, or none at all, "
            "show no response rate, and the organisation's rate leaves their people out, so "
            "that no figure gives away how many of them answered."
        )
    overall = Rate("", shown_n, shown_count, _rate(shown_n, shown_count) if shown_count else None)
    return Participation(headcounts.segment, overall, rates, notes)
