"""The questionnaire format `cxassess/1` as pydantic models.

These models are the format's reference: every field carries a docstring that becomes its
description in the JSON Schema (`cxassess schema`) and in editors that read it.
Meaning that the schema cannot express (references between parts, duplicate ids, scale
arithmetic) is checked in `cxassess.format.checks`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, PlainValidator, WithJsonSchema, field_validator

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
Slug = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=64)]


def _check_text(value: Any) -> str | dict[str, str]:
    """Accept a plain string or a mapping of language code to string."""
    if isinstance(value, str):
        return value
    if (
        isinstance(value, dict)
        and value
        and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())
    ):
        return value
    raise ValueError("expected text, or a mapping of language code to text such as {en: ...}")


Text = Annotated[
    str | dict[str, str],
    PlainValidator(_check_text),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string"},
                {"type": "object", "additionalProperties": {"type": "string"}, "minProperties": 1},
            ],
            "description": "Text, or a mapping of language code to text.",
        }
    ),
]


def text_in(value: str | dict[str, str] | None, lang: str | None, default_lang: str = "en") -> str:
    """Pick the text of a field in a language, falling back to the default language, then any."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    for key in (lang, default_lang):
        if key and key in value:
            return value[key]
    return next(iter(value.values()))


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True, frozen=True)


ScaleType = Literal["likert", "nps", "choice", "text", "number"]
ORDINAL_TYPES = ("likert", "nps", "number")


class ScalePoint(_Model):
    """One answer a respondent can give on a scale."""

    value: float
    """The number recorded and scored for this answer."""
    label: Text
    """What the respondent reads, e.g. `Strongly agree`."""


class Scale(_Model):
    """A set of answers shared by several questions."""

    type: ScaleType
    """`likert` (ordered labels), `nps` (0-10), `choice` (unordered), `text` or `number`."""
    points: list[ScalePoint] | None = None
    """The answers, lowest value first. Implied for `nps` (0 to 10); none for `text`."""
    favorable: list[float] | None = None
    """Values counted as favourable, judged after reversal. Default: the points above the middle
    (for `nps`, 9 and 10)."""
    not_applicable: Text | None = None
    """Optional extra answer for a question that does not apply to the respondent, such as
    `Does not apply: I don't sell`; recorded as missing, never as a value."""
    dont_know: Text | None = None
    """Optional extra answer for a respondent who cannot judge, such as `Don't know` or
    `Not sure`; recorded as missing, never as a value, and kept apart from `not_applicable`."""
    min: float | None = None
    """Lowest allowed value of a `number` scale."""
    max: float | None = None
    """Highest allowed value of a `number` scale."""

    def resolved_points(self) -> list[ScalePoint]:
        """The scale's points, with the implied 0-10 points of an `nps` scale filled in."""
        if self.points:
            return self.points
        if self.type == "nps":
            return [ScalePoint(value=v, label=str(v)) for v in range(11)]
        return []

    @property
    def is_ordinal(self) -> bool:
        """Whether values are ordered, so that reversal and means make sense."""
        return self.type in ORDINAL_TYPES

    @property
    def is_scored(self) -> bool:
        """Whether answers on this scale can be turned into 0-100 scores."""
        return self.bounds() is not None

    def bounds(self) -> tuple[float, float] | None:
        """The lowest and highest value (`lo`, `hi`) of the scale, if it has numeric bounds."""
        if self.type == "text":
            return None
        if self.type == "number":
            if self.min is None or self.max is None or self.max <= self.min:
                return None
            return (self.min, self.max)
        values = [p.value for p in self.resolved_points()]
        if len(values) < 2:
            return None
        return (min(values), max(values))

    def favorable_values(self) -> list[float]:
        """Values counted as favourable (explicit, or the points above the middle)."""
        if self.favorable is not None:
            return list(self.favorable)
        if self.type == "nps":
            return [9.0, 10.0]
        bounds = self.bounds()
        if bounds is None:
            return []
        mid = (bounds[0] + bounds[1]) / 2
        return [p.value for p in self.resolved_points() if p.value > mid]

    def neutral_values(self) -> list[float]:
        """Values counted as neutral: for `nps` 7-8 (passives), else the middle point of an odd
        scale when not favourable."""
        fav = set(self.favorable_values())
        if self.type == "nps":
            return [v for v in (7.0, 8.0) if v not in fav]
        points = [p.value for p in self.resolved_points()]
        if len(points) % 2 == 1:
            middle = sorted(points)[len(points) // 2]
            if middle not in fav:
                return [middle]
        return []


class Segment(_Model):
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


class LintSettings(_Model):
    """Survey-design checks to skip on one question, because a warning is a false alarm."""

    ignore: list[LintCheck] = Field(min_length=1)
    """The checks to skip, e.g. `[double-barrelled]`."""
    reason: str = Field(min_length=1)
    """Why the warning does not apply, in a sentence (kept for reviewers)."""


class Question(_Model):
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


class Item(Question):
    """A scored question inside a dimension."""

    weight: float = Field(default=1, gt=0)
    """Weight within its dimension (default 1)."""
    pair: str | None = None
    """In a customer questionnaire: the id of the staff item this one mirrors, for `gap`."""


class Dimension(_Model):
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


class Comment(_Model):
    """A free-text question; never scored."""

    id: Slug
    """Slug unique in the file."""
    text: Text
    """The question the respondent reads."""
    required: bool = False
    """Whether the interactive run insists on an answer (default false)."""
    help: Text | None = None
    """Shown when the respondent asks for help."""


class Level(_Model):
    """A maturity band on 0-100 scores."""

    id: Slug
    """Slug naming the band."""
    min: float = Field(ge=0, le=100)
    """Lowest score in the band; bands ascend and the first starts at 0."""
    title: Text
    """Name shown in reports, e.g. `Established`."""
    summary: Text | None = None
    """What this band means, for a leadership audience."""


class Condition(_Model):
    """When a recommendation fires: a dimension's 0-100 score, or an item's mean on its scale."""

    dimension: str | None = None
    """Id of a dimension; compared on its 0-100 score."""
    item: str | None = None
    """Id of an item or outcome; compared on its mean on its own scale, after reversal."""
    below: float | None = None
    """Fires when the score is below this value."""
    at_least: float | None = None
    """Fires only when the score is at least this value, so that advice is aimed at a band."""
    level: str | None = None
    """Id of a level: fires when a dimension's score is in that band (instead of `below` and
    `at_least`)."""


class Recommendation(_Model):
    """Advice shown when its condition holds."""

    id: Slug
    """Slug unique in the file."""
    when: Condition
    """The condition, e.g. `{dimension: accessibility, below: 60}`."""
    priority: Literal["high", "medium", "low"] = "medium"
    """Order in the action plan: high first."""
    title: Text
    """What to do, in a few words."""
    why: Text | None = None
    """Why it matters."""
    actions: list[Text] = Field(default_factory=list)
    """Concrete steps, the first one something a team can start this month."""


class Change(_Model):
    """How one item of this version relates to an earlier version, for `--compare`."""

    item: str
    """Id of an item or outcome in this version."""
    replaces: str | None = None
    """Id of the earlier item it keeps the meaning of (when the id changed)."""
    since: str
    """The earlier version this entry refers to, e.g. `"1.0"`."""
    new_meaning: bool = False
    """True when the item asks something different now, so old results must not be compared."""

    @field_validator("since", mode="before")
    @classmethod
    def _since_as_text(cls, value: Any) -> Any:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        return value


class Questionnaire(_Model):
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
