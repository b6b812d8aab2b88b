"""The questions of an interactive run, in the order they are asked, ready to show.

A questionnaire becomes a flat list of `Step`s: the segment questions not given on the command
line, then every item (dimension by dimension), then the outcomes, then the comments. Each step
carries its texts in the chosen language and the choices a respondent may type, so that the
session, the parser and the renderer never go back to the questionnaire's structure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from cxassess.format.models import Question, Questionnaire, Scale
from cxassess.format.nonanswers import NonAnswer, non_answer_label, offered_non_answers

StepKind = Literal["segment", "question", "comment"]

NON_ANSWER_KEYS: dict[NonAnswer, str] = {"dont_know": "d", "not_applicable": "n"}
"""What a respondent types for each extra answer the question offers: `d` for the scale's
don't-know answer, `n` for its does-not-apply answer (never a scale point's key, which are
numbers, nor a command's)."""

ABOUT_YOU = "About you"
OVERALL = "Overall"
COMMENTS = "Comments"


@dataclass(frozen=True)
class Choice:
    """One answer a respondent can pick: the key they type, the label they read, the value
    recorded (a number on the scale, or a segment's text)."""

    key: str
    label: str
    value: float | str | None
    non_answer: NonAnswer | None = None
    """For the extra answers: which kind (recorded as no answer, the kind kept apart)."""


@dataclass(frozen=True)
class Step:
    """One question of the run, in the respondent's language."""

    kind: StepKind
    id: str
    text: str
    section: str
    """What the question belongs to: a dimension title, `About you`, `Overall` or `Comments`."""
    section_index: int
    """Position of the question within its section, from 1."""
    section_size: int
    required: bool = False
    help: str = ""
    choices: tuple[Choice, ...] = ()
    """Closed answers (scale points, segment choices); empty for free text and number scales."""
    non_answers: tuple[Choice, ...] = ()
    """The extra answers the question offers (don't know, does not apply), in that order."""
    number_range: tuple[float, float] | None = None
    """Lowest and highest value of a `number` scale."""
    compact: bool = False
    """Choices whose label is their own key (the 0-10 of an NPS): shown on one line."""

    @property
    def free_text(self) -> bool:
        """Whether the answer is typed text (a comment, or a segment without choices)."""
        return self.kind == "comment" or (self.kind == "segment" and not self.choices)

    @property
    def all_choices(self) -> tuple[Choice, ...]:
        """The closed answers followed by the extra answers it offers."""
        return (*self.choices, *self.non_answers)

    def non_answer(self, kind: NonAnswer | None) -> Choice | None:
        """The extra answer of this kind, if the question offers it."""
        return next((c for c in self.non_answers if c.non_answer == kind), None)


@dataclass
class StepList:
    """The steps of a run, with lookups by id."""

    steps: list[Step] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.steps)

    def __getitem__(self, index: int) -> Step:
        return self.steps[index]

    def index_of(self, step_id: str, kind: StepKind) -> int | None:
        """Position of the step with this id and kind, if it is asked."""
        for index, step in enumerate(self.steps):
            if step.id == step_id and step.kind == kind:
                return index
        return None


def _format_value(value: float) -> str:
    return f"{value:g}"


def scale_choices(q: Questionnaire, scale: Scale, lang: str | None) -> tuple[Choice, ...]:
    """The points of a scale as choices. Keys are the point values when they are all whole
    numbers from 0 to 99 (1-5 on a Likert scale, 0-10 on NPS), otherwise positions 1, 2, 3..."""
    points = scale.resolved_points()
    values = [p.value for p in points]
    by_value = all(float(v).is_integer() and 0 <= v <= 99 for v in values) and len(
        set(values)
    ) == len(values)
    choices = []
    for position, point in enumerate(points, start=1):
        key = _format_value(point.value) if by_value else str(position)
        choices.append(Choice(key=key, label=q.text(point.label, lang), value=float(point.value)))
    return tuple(choices)


def _question_step(
    q: Questionnaire,
    question: Question,
    section: str,
    index: int,
    size: int,
    lang: str | None,
) -> Step:
    scale = q.scale_of(question)
    choices: tuple[Choice, ...] = ()
    number_range = None
    if scale.type == "number":
        number_range = scale.bounds()
    else:
        choices = scale_choices(q, scale, lang)
    # Each extra answer has its own key, so the response says which one was meant.
    non_answers = tuple(
        Choice(
            key=NON_ANSWER_KEYS[kind],
            label=q.text(non_answer_label(scale, kind), lang),
            value=None,
            non_answer=kind,
        )
        for kind in offered_non_answers(question, scale)
    )
    return Step(
        kind="question",
        id=question.id,
        text=q.text(question.text, lang),
        section=section,
        section_index=index,
        section_size=size,
        required=question.required,
        help=q.text(question.help, lang),
        choices=choices,
        non_answers=non_answers,
        number_range=number_range,
        compact=bool(choices) and all(c.key == c.label for c in choices),
    )


def build_steps(
    q: Questionnaire, lang: str | None = None, given_segments: Mapping[str, object] = ()
) -> StepList:
    """Every step of a run of `q`, in order; segments named in `given_segments` are left out."""
    lang = lang or q.default_language
    given = set(given_segments)
    steps: list[Step] = []
    asked = [s for s in q.segments if s.id not in given]
    for index, segment in enumerate(asked, start=1):
        steps.append(
            Step(
                kind="segment",
                id=segment.id,
                text=q.text(segment.title, lang),
                section=ABOUT_YOU,
                section_index=index,
                section_size=len(asked),
                help=q.text(segment.help, lang),
                choices=tuple(
                    Choice(key=str(n), label=choice, value=choice)
                    for n, choice in enumerate(segment.choices or [], start=1)
                ),
            )
        )
    for dim in q.dimensions:
        title = q.text(dim.title, lang)
        for index, item in enumerate(dim.items, start=1):
            steps.append(_question_step(q, item, title, index, len(dim.items), lang))
    for index, outcome in enumerate(q.outcomes, start=1):
        steps.append(_question_step(q, outcome, OVERALL, index, len(q.outcomes), lang))
    for index, comment in enumerate(q.comments, start=1):
        steps.append(
            Step(
                kind="comment",
                id=comment.id,
                text=q.text(comment.text, lang),
                section=COMMENTS,
                section_index=index,
                section_size=len(q.comments),
                required=comment.required,
                help=q.text(comment.help, lang),
            )
        )
    return StepList(steps)
