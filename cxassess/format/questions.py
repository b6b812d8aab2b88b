"""The questions of the questionnaire format: segments, scored questions (items in dimensions,
outcomes), free-text comments, and the per-question settings of the survey-design checks."""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import Field

from cxassess.format.nonanswers import NonAnswer
from cxassess.format.text import FormatModel, Slug, Text


class Segment(FormatModel):
    """A respondent attribute used for breakdowns, such as team or region."""

    id: Slug
    """Slug naming the segment; also the column header in exports and `--segment KEY=VALUE`."""
    title: Text
    """The question asked, or the label shown, e.g. `Team`."""
    choices: list[str] | None = None
    """Optional closed list of allowed values."""
    help: Text | None = None
    """Extra explanation shown on request."""


LintCheck = Literal[
    "double-barrelled",
    "absolute",
    "double-negative",
    "leading",
    "reading-grade",
    "too-long",
    "pair-overlap",
    "near-duplicate",
]
LINT_CHECKS: tuple[str, ...] = get_args(LintCheck)
"""The names of the survey-design checks, as `lint: {ignore: [...]}` takes them."""


class LintSettings(FormatModel):
    """Survey-design checks to skip on one question, because a warning is a false alarm."""

    ignore: list[LintCheck] = Field(min_length=1)
    """The checks to skip, e.g. `[double-barrelled]`."""
    reason: str = Field(min_length=1)
    """Why the warning does not apply, in a sentence (kept for reviewers)."""


class Question(FormatModel):
    """Fields shared by scored questions (items and outcomes)."""

    id: Slug
    """Slug unique in the file; the column header in our CSV layout."""
    text: Text
    """The statement or question the respondent reads."""
    scale: str
    """Name of a scale defined under `scales`."""
    reverse: bool = False
    """Negatively worded: the value `v` becomes `lo + hi - v` before scoring."""
    positive: Text | None = None
    """For a negatively worded question: what a favourable answer means, in plain words, e.g.
    `Dealing with us feels easy` for `Dealing with us feels like a chore`. Reports show it
    wherever the item is named as a strength, priority, change or gap."""
    required: bool = True
    """Whether the interactive run insists on an answer."""
    help: Text | None = None
    """Shown when the respondent asks for help on this question."""
    predicts: str | None = None
    """In a staff questionnaire: the id of the customer item (or outcome) this question asks
    staff to predict ("how would customers answer?"), for `gap`."""
    lint: LintSettings | None = None
    """Survey-design warnings silenced on this question, with the reason."""
    offers: list[NonAnswer] | None = None
    """Which of its scale's extra answers this question offers: `[dont_know]`,
    `[not_applicable]`, both, or `[]` for neither. Left out: every one the scale defines.
    Neither is ever counted as an answer."""


class Item(Question):
    """A scored question inside a dimension."""

    weight: float = Field(default=1, gt=0)
    """Weight within its dimension (default 1)."""
    pair: str | None = None
    """In a customer questionnaire: the id of the staff item this one mirrors, for `gap`."""


class Dimension(FormatModel):
    """A group of items measuring one theme; scored 0-100."""

    id: Slug
    """Slug; dimensions with the same id are paired across staff and customer questionnaires."""
    title: Text
    """Name shown in reports."""
    summary: Text | None = None
    """One sentence saying what the dimension means."""
    weight: float = Field(default=1, gt=0)
    """Weight in the overall index (default 1)."""
    items: list[Item] = Field(min_length=1)
    """The dimension's questions."""


class Outcome(Question):
    """A scored question outside every dimension, such as NPS; the outcome in driver analysis."""


class Comment(FormatModel):
    """A free-text question; never scored."""

    id: Slug
    """Slug unique in the file."""
    text: Text
    """The question the respondent reads."""
    required: bool = False
    """Whether the interactive run insists on an answer (default false)."""
    help: Text | None = None
    """Shown when the respondent asks for help."""
