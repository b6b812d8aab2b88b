"""Answer scales of the questionnaire format: their points, bounds, favourable values and the
extra answers (don't know, does not apply) that are never values."""

from __future__ import annotations

from typing import Literal

from cxassess.format.text import FormatModel, Text

ScaleType = Literal["likert", "nps", "choice", "text", "number"]
ORDINAL_TYPES = ("likert", "nps", "number")


class ScalePoint(FormatModel):
    """One answer a respondent can give on a scale."""

    value: float
    """The number recorded and scored for this answer."""
    label: Text
    """What the respondent reads, e.g. `Strongly agree`."""


class Scale(FormatModel):
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
