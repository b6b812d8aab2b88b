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

StepKind = Literal["segment", "question", "comment"]

NOT_APPLICABLE_KEY = "n"
"""What a respondent types for the scale's not-applicable answer (e.g. `Don't know`)."""

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
    not_applicable: bool = False


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
    not_applicable: Choice | None = None
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
        """The closed answers followed by the not-applicable one, if any."""
        return (*self.choices, self.not_applicable) if self.not_applicable else self.choices


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
    not_applicable = None
    # "Don't know" and "does not apply" are both recorded as no answer; one key offers both.
    missing = [q.text(t, lang) for t in (scale.dont_know, scale.not_applicable) if t]
    if missing:
        not_applicable = Choice(
            key=NOT_APPLICABLE_KEY,
            label=" / ".join(missing),
            value=None,
            not_applicable=True,
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
        not_applicable=not_applicable,
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
