"""The two answers that are never values: "don't know" and "does not apply".

A scale may define either or both (`dont_know:`, `not_applicable:`); a question may narrow
that with `offers:`. Every part of the program that shows or reads these answers (the run,
the exports, the answer template, the readers of survey exports) asks `offered_non_answers`,
so they all agree on what one question offers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, get_args

if TYPE_CHECKING:
    from cxassess.format.questions import Question
    from cxassess.format.scales import Scale
    from cxassess.format.text import Text

NonAnswer = Literal["dont_know", "not_applicable"]
NON_ANSWERS: tuple[NonAnswer, ...] = get_args(NonAnswer)
"""Both kinds, in the order they are offered and shown: don't know first."""

NON_ANSWER_NAMES: dict[NonAnswer, str] = {
    "dont_know": "Don't know",
    "not_applicable": "Does not apply",
}
"""Plain names of the two kinds, for column headings and messages (the scale's own label is
what a respondent reads)."""


def scale_non_answers(scale: Scale) -> tuple[NonAnswer, ...]:
    """The non-answers a scale defines, in `NON_ANSWERS` order."""
    return tuple(kind for kind in NON_ANSWERS if getattr(scale, kind) is not None)


def offered_non_answers(question: Question, scale: Scale) -> tuple[NonAnswer, ...]:
    """Which non-answers `question` offers on `scale`, in `NON_ANSWERS` order.

    Without `offers:` a question offers every one its scale defines (so files written before
    `offers:` existed keep working); with it, only those listed. A kind the scale does not
    define is never offered, since it has no label to show (validation reports it)."""
    defined = scale_non_answers(scale)
    if question.offers is None:
        return defined
    return tuple(kind for kind in defined if kind in question.offers)


def non_answer_label(scale: Scale, kind: NonAnswer) -> Text:
    """The scale's text for a non-answer kind (it must define it)."""
    label = getattr(scale, kind)
    if label is None:
        raise KeyError(kind)
    return label
