"""The parts of the questionnaire format that interpret scores: maturity levels, recommendations
and the conditions that fire them, and the record of what changed since an earlier version."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator

from cxassess.format.text import FormatModel, Slug, Text


class Level(FormatModel):
    """A maturity band on 0-100 scores."""

    id: Slug
    """Slug naming the band."""
    min: float = Field(ge=0, le=100)
    """Lowest score in the band; bands ascend and the first starts at 0."""
    title: Text
    """Name shown in reports, e.g. `Established`."""
    summary: Text | None = None
    """What this band means, for a leadership audience."""


class Condition(FormatModel):
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


class Recommendation(FormatModel):
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


class Change(FormatModel):
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
