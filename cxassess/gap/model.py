"""`GapResults`: the experience perception gap in one serialisable object (`cxassess.gap/1`).

Every score is on the 0-100 scale of the results it comes from. A gap is always staff minus
customers: positive when our people think better of the service than customers do.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from cxassess.compare import Change, SideInfo
from cxassess.jsonfiles import read_our_json

GAP_SCHEMA = "cxassess.gap/1"

Status = Literal["blind-spot", "staff-higher", "aligned", "hidden-strength", "too-few"]
"""How a gap reads: `blind-spot` (staff clearly and far above customers), `staff-higher`
(clearly above, by less than the threshold), `aligned` (no difference clear of noise),
`hidden-strength` (customers clearly above staff), `too-few` (a side has fewer than two
answers, so the noise cannot be judged)."""


class _Out(BaseModel):
    model_config = ConfigDict(extra="ignore")


class GapRow(_Out):
    """The gap on one measure: a dimension, a paired item, an outcome or the overall index."""

    kind: Literal["overall", "dimension", "item", "outcome"]
    id: str
    """The dimension id, the staff item's id, the outcome id, or `overall`."""
    customer_id: str | None = None
    """For items: the id of the customer item paired with the staff item `id`."""
    dimension: str | None = None
    """For items: the dimension both items belong to."""
    title: str = ""
    """The dimension's title; for items the staff wording."""
    customer_text: str = ""
    """For items and outcomes: the customer wording."""
    reverse: bool = False
    """For items: negatively worded (a higher score means fewer agree)."""
    positive: str = ""
    """For negatively worded items: what a favourable answer means, in our people's wording
    (empty when the questionnaire gives none)."""
    customer_positive: str = ""
    """The same in the customers' wording."""
    staff: float | None = None
    customer: float | None = None
    gap: float | None = None
    """Staff minus customer, in points on the 0-100 scale."""
    ci_low: float | None = None
    ci_high: float | None = None
    """The 95% Welch confidence interval of the gap (None with fewer than two answers a side)."""
    n_staff: int = 0
    n_customer: int = 0
    sd_staff: float | None = None
    sd_customer: float | None = None
    df: float | None = None
    """Welch-Satterthwaite degrees of freedom of the interval."""
    p_value: float | None = None
    """Two-sided p-value of this gap alone (None in files written before)."""
    p_adjusted: float | None = None
    """The p-value adjusted over the gaps of its kind (Benjamini-Hochberg)."""
    clear: bool = False
    """Whether the gap is beyond the noise (`scoring.intervals.beyond_noise`: adjusted p-value
    at most 5% and at least 5 points); only then is it named or advised on."""
    status: Status = "too-few"

    def wording(self) -> tuple[str, str, bool]:
        """How a paired question is named (our people's wording, customers' wording): for a
        negatively worded one, its `positive` texts when both questionnaires give them, else
        its own statements, flagged True so that the reader is told that a higher score means
        fewer agree."""
        if self.kind != "item" or not self.reverse:
            return self.title, self.customer_text, False
        if self.positive and self.customer_positive:
            return self.positive, self.customer_positive, False
        return self.title, self.customer_text, True


class NpsGap(_Out):
    """The NPS of an outcome asked on both sides, and their difference (staff minus customers)."""

    id: str
    staff: float | None = None
    customer: float | None = None
    gap: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    n_staff: int = 0
    n_customer: int = 0
    p_value: float | None = None
    p_adjusted: float | None = None
    clear: bool = False
    """Beyond the noise, by the same rule as `GapRow.clear`."""


class Highlight(_Out):
    """A blind spot or hidden strength, named for the summary."""

    kind: Literal["dimension", "item"]
    id: str
    dimension: str | None = None
    title: str
    gap: float
    ci_low: float
    ci_high: float


class GapRecommendation(_Out):
    """Advice aimed at closing or using a gap, from the gap advice file."""

    id: str
    priority: Literal["high", "medium", "low"]
    status: Literal["blind-spot", "hidden-strength", "unclear", "aligned"]
    dimension: str | None = None
    title: str
    why: str = ""
    actions: list[str] = Field(default_factory=list)
    items: list[str] = Field(default_factory=list)
    """Wording (staff side) of the items that made it fire, largest gap first."""


class GroupGap(_Out):
    """The gap within one group of a segment. When `suppressed`, only the sizes are kept."""

    segment: str
    value: str
    side: Literal["both", "staff", "customer"]
    """`both`: this group's staff against this group's customers; `staff`: this staff group
    against all customers; `customer`: all staff against this customer group."""
    n_staff: int
    n_customer: int
    suppressed: bool = False
    hidden_why: str = ""
    """Why the group is hidden, as decided for the side(s) it is hidden in (rule 11)."""
    overall: GapRow | None = None
    dimensions: list[GapRow] = Field(default_factory=list)


class Unpaired(_Out):
    """What could not be set side by side, so that nothing is silently dropped."""

    staff_dimensions: list[str] = Field(default_factory=list)
    customer_dimensions: list[str] = Field(default_factory=list)
    staff_items: list[str] = Field(default_factory=list)
    customer_items: list[str] = Field(default_factory=list)


class GapComparison(_Out):
    """Change of each gap since a previous `gap.json` (positive: the gap grew)."""

    previous_generated: str = ""
    overall: Change | None = None
    dimensions: list[Change] = Field(default_factory=list)
    items: list[Change] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


class GapResults(_Out):
    """Everything `cxassess gap` computes."""

    schema_: str = Field(default=GAP_SCHEMA, alias="schema")
    generated: str
    language: str = "en"
    confidence: float = 0.95
    threshold: float
    """Points of gap from which a clear staff-above-customers gap is called a blind spot."""
    staff: SideInfo
    customer: SideInfo
    overall: GapRow | None = None
    """The overall index gap; None unless both questionnaires have the same dimensions."""
    dimensions: list[GapRow] = Field(default_factory=list)
    """Shared dimensions, largest gap (either direction) first."""
    items: list[GapRow] = Field(default_factory=list)
    """Paired items, largest gap (either direction) first."""
    outcomes: list[GapRow] = Field(default_factory=list)
    nps: list[NpsGap] = Field(default_factory=list)
    blind_spots: list[Highlight] = Field(default_factory=list)
    hidden_strengths: list[Highlight] = Field(default_factory=list)
    recommendations: list[GapRecommendation] = Field(default_factory=list)
    groups: list[GroupGap] = Field(default_factory=list)
    unpaired: Unpaired = Field(default_factory=Unpaired)
    comparison: GapComparison | None = None
    notes: list[str] = Field(default_factory=list)

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    def to_json(self) -> str:
        """The `cxassess.gap/1` JSON text."""
        return self.model_dump_json(by_alias=True, indent=2)

    def dimension(self, dimension_id: str) -> GapRow | None:
        """The gap of the dimension with this id, if shared."""
        return next((d for d in self.dimensions if d.id == dimension_id), None)


def read_gap(path: str | Path) -> GapResults:
    """Load a `gap.json` written by `cxassess gap -o gap.json`."""
    hint = "give a file written by `cxassess gap ... -o gap.json`"
    return read_our_json(path, GapResults, GAP_SCHEMA, "gap file", hint)
