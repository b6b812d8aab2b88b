"""The questionnaire format `cxassess/1` as pydantic models.

These models are the format's reference: every field carries a docstring that becomes its
description in the JSON Schema (`cxassess schema`) and in editors that read it. The parts live
in their own modules (`text`, `scales`, `questions`, `advice`); this module holds the whole
file's model and names every part, so `from cxassess.format.models import Scale` keeps working.
Meaning that the schema cannot express (references between parts, duplicate ids, scale
arithmetic) is checked in `cxassess.format.checks`.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator

from cxassess.format.advice import Change, Condition, Level, Recommendation
from cxassess.format.nonanswers import NON_ANSWERS, NonAnswer, offered_non_answers
from cxassess.format.questions import (
    LINT_CHECKS,
    Comment,
    Dimension,
    Item,
    LintCheck,
    LintSettings,
    Outcome,
    Question,
    Segment,
)
from cxassess.format.scales import ORDINAL_TYPES, Scale, ScalePoint, ScaleType
from cxassess.format.text import SLUG_PATTERN, FormatModel, Slug, Text, text_in

__all__ = [
    "LINT_CHECKS",
    "NON_ANSWERS",
    "ORDINAL_TYPES",
    "SLUG_PATTERN",
    "Change",
    "Comment",
    "Condition",
    "Dimension",
    "Item",
    "Level",
    "LintCheck",
    "LintSettings",
    "NonAnswer",
    "Outcome",
    "Question",
    "Questionnaire",
    "Recommendation",
    "Scale",
    "ScalePoint",
    "ScaleType",
    "Segment",
    "Slug",
    "Text",
    "offered_non_answers",
    "text_in",
]


class Questionnaire(FormatModel):
    """A questionnaire file (`format: cxassess/1`)."""

    format: Literal["cxassess/1"]
    """Always `cxassess/1`."""
    id: Slug
    """Slug: lowercase letters, digits and `-`; unique among loaded files."""
    version: str
    """Content version, recorded in every response and result, e.g. `"1.0"`."""
    title: Text
    """Title shown to respondents and in reports."""
    description: Text | None = None
    """One or two sentences on what it measures."""
    notes: Text | None = None
    """For whoever maintains or fields the questionnaire: what it measures, for whom, how long
    it takes, what changed in this version and why. Never shown to respondents."""
    audience: Literal["staff", "customer", "leader"]
    """Who answers it."""
    minutes: float | None = Field(default=None, gt=0)
    """Estimated minutes to answer, shown before starting."""
    languages: list[str] = Field(default_factory=lambda: ["en"], min_length=1)
    """Languages of the text fields; the first is the default."""
    scales: dict[str, Scale]
    """Named answer scales."""
    segments: list[Segment] = Field(default_factory=list)
    """Respondent attributes used for breakdowns."""
    dimensions: list[Dimension] = Field(min_length=1)
    """The scored themes."""
    outcomes: list[Outcome] = Field(default_factory=list)
    """Scored questions outside every dimension (e.g. NPS)."""
    comments: list[Comment] = Field(default_factory=list)
    """Free-text questions."""
    levels: list[Level] = Field(min_length=1)
    """Maturity bands, ascending; the first `min` is 0."""
    recommendations: list[Recommendation] = Field(default_factory=list)
    """Advice that fires on low scores."""
    provisional_levels: bool = False
    """Whether the levels' cut-offs are a starting point rather than norms (reports label
    them provisional); set to false once your organisation has agreed its own."""
    changes: list[Change] = Field(default_factory=list)
    """What changed since earlier versions: which items kept their meaning under a new id,
    and which items were reworded so much that old results no longer compare."""

    @field_validator("version", mode="before")
    @classmethod
    def _version_as_text(cls, value: Any) -> Any:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        return value

    # Convenience views used by scoring, the interview and reports.

    @property
    def default_language(self) -> str:
        """The first listed language."""
        return self.languages[0]

    def all_items(self) -> list[Item]:
        """Every item of every dimension, in file order."""
        return [item for dim in self.dimensions for item in dim.items]

    def scored_questions(self) -> list[Question]:
        """Items then outcomes: every question that carries a numeric answer."""
        return [*self.all_items(), *self.outcomes]

    def question(self, question_id: str) -> Question:
        """The item or outcome with this id (KeyError if none)."""
        for q in self.scored_questions():
            if q.id == question_id:
                return q
        raise KeyError(question_id)

    def scale_of(self, question: Question) -> Scale:
        """The scale a question uses."""
        return self.scales[question.scale]

    def dimension_of(self, item_id: str) -> Dimension | None:
        """The dimension holding an item, or None for an outcome."""
        for dim in self.dimensions:
            if any(i.id == item_id for i in dim.items):
                return dim
        return None

    def text(self, value: str | dict[str, str] | None, lang: str | None = None) -> str:
        """A text field in a language of this questionnaire."""
        return text_in(value, lang, self.default_language)

    def condition_bounds(self, cond: Condition) -> tuple[float | None, float | None]:
        """The band a condition fires in, as (`at_least`, `below`); None means unbounded.

        A `level:` condition spans that level's `min` up to the next level's `min` (the top
        level is open above)."""
        if cond.level is not None:
            ordered = sorted(self.levels, key=lambda lv: lv.min)
            for i, level in enumerate(ordered):
                if level.id == cond.level:
                    upper = ordered[i + 1].min if i + 1 < len(ordered) else None
                    return (level.min, upper)
            return (None, None)
        return (cond.at_least, cond.below)

    def level_for(self, score: float | None) -> Level | None:
        """Rule 9: the band with the largest `min` not above the score."""
        if score is None:
            return None
        chosen = None
        for level in sorted(self.levels, key=lambda lv: lv.min):
            if level.min <= score + 1e-9:
                chosen = level
        return chosen
