"""What every export format needs from a questionnaire: its questions in order, each scale's
answers as (value, label) pairs, and the line naming the questionnaire's id and version."""

from __future__ import annotations

from dataclasses import dataclass

from cxassess.format.models import Question, Questionnaire, Scale
from cxassess.format.nonanswers import (
    NonAnswer,
    non_answer_label,
    offered_non_answers,
    scale_non_answers,
)

Text = str | dict[str, str]

NOT_APPLICABLE_VALUE = "na"
"""The stored value of a scale's does-not-apply answer; the reader takes `na` as no answer."""
DONT_KNOW_VALUE = "dk"
"""The stored value of a scale's don't-know answer; the reader takes `dk` as no answer."""
NON_ANSWER_VALUES: dict[NonAnswer, str] = {
    "dont_know": DONT_KNOW_VALUE,
    "not_applicable": NOT_APPLICABLE_VALUE,
}


@dataclass(frozen=True)
class Option:
    """One answer as a survey tool stores it (`value`) and shows it (`label` per language)."""

    value: str
    labels: dict[str, str]


def value_text(value: float) -> str:
    """A scale value as a tool stores it: `4`, not `4.0`."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def labels_of(q: Questionnaire, text: str | dict[str, str] | None) -> dict[str, str]:
    """A text field in every language of the questionnaire."""
    return {lang: q.text(text, lang) for lang in q.languages}


def _non_answers(question: Question | None, scale: Scale) -> list[tuple[str, Text]]:
    """The answers that are not scored that a question offers, as (stored value, label):
    don't-know, then does-not-apply, as `offered_non_answers` decides (without a question,
    every one the scale defines). Every exporter asks this one helper, so a form offers
    exactly what `run` and the readers expect."""
    kinds = scale_non_answers(scale) if question is None else offered_non_answers(question, scale)
    return [(NON_ANSWER_VALUES[kind], non_answer_label(scale, kind)) for kind in kinds]


def options(q: Questionnaire, scale: Scale, question: Question | None = None) -> list[Option]:
    """The answers of a scale in order, lowest first, then the don't-know and does-not-apply
    answers the question offers (neither is scored)."""
    found = [Option(value_text(p.value), labels_of(q, p.label)) for p in scale.resolved_points()]
    found += [Option(value, labels_of(q, label)) for value, label in _non_answers(question, scale)]
    return found


def identity_line(q: Questionnaire) -> str:
    """The sentence naming the questionnaire, put in each form's description or settings."""
    return f"cxassess questionnaire {q.id}, version {q.version}"


def sections(q: Questionnaire) -> list[tuple[str, dict[str, str], list[Question]]]:
    """The form's pages: one per dimension, then one for outcomes if there are any."""
    pages: list[tuple[str, dict[str, str], list[Question]]] = [
        (dim.id, labels_of(q, dim.title), list(dim.items)) for dim in q.dimensions
    ]
    if q.outcomes:
        pages.append(("outcomes", {lang: "" for lang in q.languages}, list(q.outcomes)))
    return pages
