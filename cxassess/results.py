"""`Results`: the one typed interchange between scoring and every output.

`results.json` (`schema: cxassess.results/1`) is its serialisation; the terminal table, the CSV
and XLSX files, the report and the gap all read only this. Scores are 0-100, shares are
percentages 0-100, means are on the question's own scale after reversal.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from cxassess.jsonfiles import read_our_json

RESULTS_SCHEMA = "cxassess.results/1"


class _Out(BaseModel):
    model_config = ConfigDict(extra="ignore")


Count = Annotated[int, Field(ge=0)]
"""A number of people: never negative (a results file claiming -5 is refused, not printed)."""
Share = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
"""A share of the outcome's variance (a driver's weight and its range)."""


class ItemChange(_Out):
    """How an item relates to an earlier version of its questionnaire (the file's `changes:`)."""

    item: str
    since: str
    replaces: str | None = None
    new_meaning: bool = False


class QuestionnaireRef(_Out):
    """Which questionnaire the results come from."""

    id: str
    version: str
    title: str = ""
    audience: str = ""
    provisional_levels: bool = False
    """The levels are a starting point, not norms: reports label them provisional."""
    changes: list[ItemChange] = Field(default_factory=list)
    """Items renamed or reworded since earlier versions, so `--compare` compares like with like."""


class LevelInfo(_Out):
    """A maturity band, repeated here so results read on their own."""

    id: str
    min: float
    title: str
    summary: str = ""


class Overall(_Out):
    """The overall index (rule 4, averaged over respondents as in rule 5)."""

    score: float | None
    level: str | None
    n: Count
    sd: float | None = None
    """Sample standard deviation of respondents' overall index (0-100 points)."""


class ItemResult(_Out):
    """Figures for one item (or outcome) over a set of respondents."""

    id: str
    dimension: str | None = None
    text: str = ""
    reverse: bool = False
    positive: str = ""
    """For a negatively worded item: what a favourable answer means (empty when not given)."""
    mean: float | None = None
    score: float | None = None
    n: Count = 0
    sd: float | None = None
    """Sample standard deviation of the item's 0-100 scores."""
    favorable: float | None = None
    neutral: float | None = None
    unfavorable: float | None = None
    distribution: dict[str, Count] = Field(default_factory=dict)
    """Count of respondents per raw answer value, as given (before reversal)."""
    dont_know: Count | None = None
    """How many chose the scale's "Don't know" (not an answer, so not in `n`); None when
    the scale has no such answer, the input could not say, or the figures are hidden."""
    not_applicable: Count | None = None
    """How many chose the scale's "Does not apply" (not an answer, so not in `n`); None as
    for `dont_know`."""
    hidden_why: str = ""
    """Why the figures are left out (too few answers), decided once by `scoring.privacy`."""

    def wording(self) -> tuple[str, bool]:
        """How a report names this item where it calls it a strength, priority, change or
        gap: the `positive` text of a negatively worded item when the questionnaire gives
        one, else the item's own text. The flag is True when that text is a negatively worded
        statement, so a favourable answer is to disagree and the figure must say so."""
        if self.reverse and self.positive:
            return self.positive, False
        return self.text or self.id, self.reverse


class DimensionResult(_Out):
    """Figures for one dimension (rules 3, 5, 8, 9)."""

    id: str
    title: str = ""
    summary: str = ""
    weight: float = 1
    score: float | None = None
    level: str | None = None
    n: Count = 0
    sd: float | None = None
    """Sample standard deviation of respondents' dimension scores (0-100 points)."""
    alpha: float | None = None
    alpha_n: int = 0
    items: list[str] = Field(default_factory=list)
    hidden_why: str = ""
    """Why the figures are left out (too few answers), decided once by `scoring.privacy`."""


class OutcomeResult(ItemResult):
    """An outcome question; for nps scales also the NPS and its shares (rule 7)."""

    nps: float | None = None
    promoters: float | None = None
    passives: float | None = None
    detractors: float | None = None
    predicts: str = ""
    """In a staff questionnaire: the customer question this one asks staff to predict (its
    NPS is then the staff's prediction of the customers', not their own recommendation)."""


class Driver(_Out):
    """How much a dimension or item accounts for the outcome across respondents.

    `weight` is its Johnson relative weight (its share of the outcome's variance explained,
    0-1; the weights of one kind add up to that kind's R²), with a 95% bootstrap interval;
    `r` is its plain correlation with the outcome, kept for reference. Results files written
    before relative weights hold only `r`."""

    id: str
    kind: Literal["dimension", "item"]
    title: str = ""
    r: float | None = None
    weight: Share | None = None
    weight_low: Share | None = None
    weight_high: Share | None = None
    n: Count = 0
    score: float | None = None
    focus: bool = False
    """Weight above the median of its kind and score below the median of its kind."""


class Drivers(_Out):
    """Driver analysis against one outcome question, once for the dimensions and once for the
    questions; focus areas matter most (weight) and score lowest.

    `*_leading` lists the ids that lead, largest weight first: one id when its interval clears
    the next one's, several when they matter about equally. `*_why_not` says why an analysis
    did not run (too few respondents), empty when it ran."""

    outcome: str
    method: str = ""
    """`relative-weights`; empty in files written before, which hold correlations only."""
    min_n: int = 0
    """Fewest complete respondents the analysis needs (0 in older files)."""
    dimensions: list[Driver] = Field(default_factory=list)
    dimensions_n: int = 0
    dimensions_r2: float | None = None
    dimensions_leading: list[str] = Field(default_factory=list)
    dimensions_why_not: str = ""
    items: list[Driver] = Field(default_factory=list)
    items_n: int = 0
    items_r2: float | None = None
    items_leading: list[str] = Field(default_factory=list)
    items_why_not: str = ""


class CommentAnswer(_Out):
    """One free-text answer."""

    question: str
    text: str


class CommentQuestion(_Out):
    """A comment question and the answers given to it (empty answers left out)."""

    id: str
    text: str = ""
    answers: list[str] = Field(default_factory=list)


HiddenReason = Literal["too_few", "protects_smaller", "differencing"]
"""Why a group is hidden: fewer respondents than the minimum; hidden so that a smaller hidden
group of its breakdown cannot be worked out from the total; or hidden so that no combination
of shown groups gives away a hidden group or fewer people than the minimum."""


class GroupResult(_Out):
    """One value of a segment. When `suppressed`, only `n` is kept, everywhere (rule 11), and
    `hidden_reason`/`hidden_why` say why, as decided once by `scoring.privacy`."""

    segment: str
    value: str
    n: Count
    suppressed: bool = False
    hidden_reason: HiddenReason | None = None
    hidden_why: str = ""
    overall: Overall | None = None
    dimensions: list[DimensionResult] = Field(default_factory=list)
    items: list[ItemResult] = Field(default_factory=list)
    outcomes: list[OutcomeResult] = Field(default_factory=list)
    comments: list[CommentQuestion] = Field(default_factory=list)


class CrossedCell(_Out):
    """How many respondents share one combination of segment values."""

    values: list[str]
    n: Count


class Crossing(_Out):
    """Respondents counted per combination of the breakdowns' values (only combinations that
    occur): which group holds whom, so that privacy can be checked again when results are read
    back. Sizes only, never answers."""

    segments: list[str]
    cells: list[CrossedCell] = Field(default_factory=list)


class FiredRecommendation(_Out):
    """A recommendation whose condition holds, with the score that made it fire."""

    id: str
    priority: Literal["high", "medium", "low"]
    title: str
    why: str = ""
    actions: list[str] = Field(default_factory=list)
    dimension: str | None = None
    item: str | None = None
    score: float
    below: float
    """The band's upper bound (exclusive); for advice aimed at the top band, the top of the
    range."""
    at_least: float | None = None
    """The band's lower bound, when the advice is aimed at a band."""


class SourceFile(_Out):
    """An input file and the SHA-256 of its bytes."""

    file: str
    sha256: str
    rows: int = 0


class Results(_Out):
    """Everything `cxassess score` computes, in one serialisable object."""

    schema_: str = Field(default=RESULTS_SCHEMA, alias="schema")
    questionnaire: QuestionnaireRef
    generated: str
    language: str = "en"
    respondents: int
    min_group_size: int
    min_comment_group_size: int = 0
    """The comment threshold used (0 in files written before it existed)."""
    input_hash: str = ""
    sources: list[SourceFile] = Field(default_factory=list)
    levels: list[LevelInfo] = Field(default_factory=list)
    overall: Overall
    dimensions: list[DimensionResult] = Field(default_factory=list)
    items: list[ItemResult] = Field(default_factory=list)
    outcomes: list[OutcomeResult] = Field(default_factory=list)
    drivers: Drivers | None = None
    groups: list[GroupResult] = Field(default_factory=list)
    recommendations: list[FiredRecommendation] = Field(default_factory=list)
    comments: list[CommentQuestion] = Field(default_factory=list)
    crossing: Crossing | None = None
    notes: list[str] = Field(default_factory=list)

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    def to_json(self) -> str:
        """The `cxassess.results/1` JSON text."""
        return self.model_dump_json(by_alias=True, indent=2)

    def level(self, level_id: str | None) -> LevelInfo | None:
        """The band with this id, if any."""
        return next((lv for lv in self.levels if lv.id == level_id), None)

    def level_title(self, level_id: str | None) -> str:
        """A band's name as reports print it: with "(provisional)" while the questionnaire's
        cut-offs are a starting point rather than norms; empty for no band."""
        level = self.level(level_id)
        if level is None:
            return ""
        return (
            f"{level.title} (provisional)" if self.questionnaire.provisional_levels else level.title
        )

    def dimension(self, dimension_id: str) -> DimensionResult | None:
        """The dimension with this id, if any."""
        return next((d for d in self.dimensions if d.id == dimension_id), None)


def read_results(path: str | Path) -> Results:
    """Load a `results.json` written by `cxassess score`."""
    hint = "give a file written by `cxassess score -o results.json`"
    return read_our_json(path, Results, RESULTS_SCHEMA, "results file", hint)
