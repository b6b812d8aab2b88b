"""Match what a survey tool exported to what the questionnaire asks.

Headers are matched to items, outcomes, segments and comments by id or by text in any of the
questionnaire's languages, ignoring case, spacing and punctuation; grid headers such as
`Question [Row]` (Google Forms) or `Question - Row` (Qualtrics) match on the row. Answers are
matched to values by number or by label in any language, ignoring case and spacing, with
enumerators such as `a. ` or `4 - ` tolerated. Everything here works on one header or one
distinct answer at a time; the readers apply it to the unique values of a column, never per row.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field

from cxassess.format.models import Question, Questionnaire, Segment
from cxassess.format.nonanswers import NonAnswer, scale_non_answers
from cxassess.inputs.keys import Target, key
from cxassess.inputs.toolnames import segment_choice_code, tool_columns

_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")
_GRID_ROW = re.compile(r"^(.*?)\s*\[([^\[\]]+)\]\s*$", re.DOTALL)
_NUMBERING = re.compile(
    r"^\s*(?:q?\d{1,3}(?:[a-z]\d{0,2})?\s*[.):]|\(\d{1,3}\)|\(?[a-z]\)|[a-z]\.)\s+", re.IGNORECASE
)
"""Question numbering before a header's text: `7.`, `7a.`, `7a2.`, `Q7.`, `7)`, `(7)`, `a)`."""
_CODE_AND_TEXT = re.compile(r"^([A-Za-z][A-Za-z0-9]*(?:\[[A-Za-z0-9]+\])?)\. (.+)$", re.DOTALL)
"""LimeSurvey's *Question code & question text* heading: `code. text`, `grid[row]. text`."""
_NUMBER_FIRST = re.compile(r"^\(?([+-]?\d+(?:[.,]\d+)?)\)?\s*[-–—=:.)]?\s*(\D.*)$")
_NUMBER_LAST = re.compile(r"^(.*\D)\s*[-–—=:(]\s*([+-]?\d+(?:[.,]\d+)?)\)?$")
_LETTER_ENUMERATOR = re.compile(r"^\s*\(?[a-z]\s*[.)]\s+(.+)$", re.IGNORECASE | re.DOTALL)

RESPONDENT_KEYS = frozenset({"respondent", "respondentid", "responseid"})
"""Headers (as keys) of a column holding respondent ids, in our layout and the tools'."""

GENERIC_NON_ANSWERS: dict[str, NonAnswer] = {
    "na": "not_applicable",
    "notapplicable": "not_applicable",
    "dk": "dont_know",
    "dontknow": "dont_know",
}
"""Spellings of the two non-answers that any export may use (read as the kind the scale
defines when it defines only one)."""


def tidy(text: str) -> str:
    """A text with runs of white space collapsed to one space and the ends stripped."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def label_key(text: str) -> str:
    """A `--map` label as compared with a whole cell: a number by its value (`-1` never
    matches `1`, as `key` alone would make it), any other text by its `key`."""
    number = parse_number(text)
    return f"={number:g}" if number is not None else key(text)


def parse_number(text: str) -> float | None:
    """A plain number such as `4`, `4.0` or `4,5` (decimal comma), or None."""
    candidate = text.strip()
    if not _NUMBER.match(candidate):
        return None
    return float(candidate.replace(",", "."))


def texts_of(value: str | dict[str, str] | None) -> list[str]:
    """Every language version of a text field."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return list(value.values())


IGNORE = Target("ignore")


def header_candidates(header: str) -> list[str]:
    """The texts a header may match, best first: itself, a grid row (`Title [Row]`), the row of
    a Qualtrics matrix (`Question - Row`), the question of a KoboToolbox group path
    (`group/question`), the code and the text of LimeSurvey's `code. text`, and each of these
    without numbering such as `Q3. ` or `7a2. `."""
    found = [header]
    both = _CODE_AND_TEXT.match(header)
    if both:
        found += [both.group(1), both.group(2)]
    if "/" in header:
        found.append(header.rsplit("/", 1)[1])
    grid = _GRID_ROW.match(header)
    if grid:
        found.append(grid.group(2))
    if " - " in header:
        found.append(header.rsplit(" - ", 1)[1])
    for text in list(found):
        stripped = _NUMBERING.sub("", text, count=1)
        if stripped != text:
            found.append(stripped)
    return [text for text in found if key(text)]


@dataclass
class HeaderIndex:
    """Everything a header can name: ids first, then texts in every language.

    A text shared by two questions names neither (`ambiguous` keeps which ones it would be), so
    that a column is never silently read into the wrong question.
    """

    by_id: dict[str, Target] = field(default_factory=dict)
    by_text: dict[str, Target] = field(default_factory=dict)
    ambiguous: dict[str, list[str]] = field(default_factory=dict)
    by_map: dict[str, Target] = field(default_factory=dict)
    by_tool: dict[str, Target] = field(default_factory=dict)
    """Columns of the tools' answer exports of our own forms (see `tool_columns`)."""

    @classmethod
    def build(cls, q: Questionnaire, columns: dict[str, Target] | None = None) -> HeaderIndex:
        """The index of a questionnaire, with the headers of a `--map` file (already keyed)."""
        index = cls(by_map=dict(columns or {}))
        texts: dict[str, set[Target]] = {}

        def add(target: Target, ident: str, values: list[str]) -> None:
            index.by_id.setdefault(key(ident), target)
            for text in values:
                texts.setdefault(key(text), set()).add(target)

        for question in q.scored_questions():
            add(Target("question", question.id), question.id, texts_of(question.text))
        for dimension in q.dimensions:  # KoboToolbox's `group/question`: the group decides
            groups = [dimension.id, *texts_of(dimension.title)]
            for item in dimension.items:
                paths = [f"{g}/{t}" for g in groups for t in texts_of(item.text)]
                add(Target("question", item.id), item.id, paths)
        for segment in q.segments:
            add(Target("segment", segment.id), segment.id, texts_of(segment.title))
        for comment in q.comments:
            add(Target("comment", comment.id), comment.id, texts_of(comment.text))
        for name in RESPONDENT_KEYS:
            index.by_id.setdefault(name, Target("respondent"))

        index.by_tool = {k: t for k, t in tool_columns(q).items() if k not in index.by_id}
        for text_key, targets in texts.items():
            if not text_key:
                continue
            if len(targets) == 1:
                index.by_text[text_key] = next(iter(targets))
            else:
                index.ambiguous[text_key] = sorted(t.id for t in targets)
        return index

    def lookup(self, candidates: list[str]) -> tuple[Target | None, list[str]]:
        """The target of the first candidate text that names one, or None with the ids a
        shared text would have named (empty when nothing matched at all)."""
        shared: list[str] = []
        for text in candidates:
            text_key = key(text)
            for table in (self.by_map, self.by_id, self.by_tool, self.by_text):
                if text_key in table:
                    return table[text_key], []
            if text_key in self.ambiguous and not shared:
                shared = self.ambiguous[text_key]
        return None, shared


def closest_question(q: Questionnaire, header: str, lang: str | None = None) -> str | None:
    """The id of the question whose text or id reads most like a header, if any is close."""
    choices: dict[str, str] = {}
    for question in q.scored_questions():
        choices[key(question.id)] = question.id
        for text in texts_of(question.text):
            choices[key(text)] = question.id
    found = difflib.get_close_matches(key(header), list(choices), n=1, cutoff=0.75)
    return choices[found[0]] if found else None


# -- answers --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Unreadable:
    """An answer that is no value of its question: why, and what would have been accepted."""

    reason: str


NOT_APPLICABLE = None
"""The value of a not-applicable answer and of a blank cell: missing."""


def _format_value(value: float) -> str:
    return f"{value:g}"


class AnswerReader:
    """Reads the text of one question's answers into values on its scale (raw, before
    reversal): numbers that are points of the scale (or within a `number` scale's range),
    labels in any language, the not-applicable label (missing), and `--map` labels."""

    def __init__(
        self,
        q: Questionnaire,
        question: Question,
        extra_labels: dict[str, float | None] | None = None,
    ) -> None:
        self.question = question
        self.scale = q.scale_of(question)
        self.points = [p.value for p in self.scale.resolved_points()]
        self.labels: dict[str, float | None] = {}
        for point in self.scale.resolved_points():
            for text in texts_of(point.label):
                self.labels.setdefault(key(text), point.value)
        # "Don't know" and "does not apply" are both read as missing (neither is a value);
        # `kinds` remembers which one each text meant, so that they can be counted apart.
        self.kinds: dict[str, NonAnswer] = {}
        defined = scale_non_answers(self.scale)
        for kind in defined:
            for text in texts_of(getattr(self.scale, kind)):
                self.kinds.setdefault(key(text), kind)
        for text, kind in GENERIC_NON_ANSWERS.items():
            if defined:
                self.kinds.setdefault(text, kind if kind in defined else defined[0])
        self.not_applicable = set(self.kinds)
        self.extra = {
            label: value
            for label, value in (extra_labels or {}).items()
            if value is None or (isinstance(value, float | int) and self.accepts(value))
        }
        self.first_label = texts_of(self.scale.resolved_points()[0].label)[0] if self.points else ""
        self.last_label = texts_of(self.scale.resolved_points()[-1].label)[0] if self.points else ""
        self.na_labels = [texts_of(getattr(self.scale, kind))[0] for kind in defined]

    @property
    def whole_numbers(self) -> tuple[float, float] | None:
        """`lo` and `hi` when the scale's values are exactly the whole numbers from `lo` to
        `hi` (a 1-5 agreement scale, 0-10), so a column is checked by its minimum, maximum and
        the absence of fractions instead of value by value."""
        bounds = self.scale.bounds()
        if self.scale.type == "number" or bounds is None:
            return None
        lo, hi = bounds
        if lo != int(lo) or self.points != [float(v) for v in range(int(lo), int(hi) + 1)]:
            return None
        return bounds

    def accepts(self, value: float) -> bool:
        """Whether a number is a value of the scale."""
        if self.scale.type == "number":
            bounds = self.scale.bounds()
            return bounds is not None and bounds[0] <= value <= bounds[1]
        return any(abs(value - point) < 1e-9 for point in self.points)

    def expected(self) -> str:
        """What the question accepts, for messages."""
        bounds = self.scale.bounds()
        if bounds is None:
            return "a value of the scale"
        lo, hi = (_format_value(b) for b in bounds)
        if self.scale.type == "number":
            text = f"a number from {lo} to {hi}"
        elif self.scale.type == "nps":
            text = f"a whole number from {lo} to {hi}"
        else:
            text = f"{lo} to {hi}"
            if self.first_label and key(self.first_label) != key(lo):
                text += f" or a label ('{self.first_label}' ... '{self.last_label}')"
        if self.na_labels:
            text += ", or " + " or ".join(f"'{label}'" for label in self.na_labels)
        return text

    def mapped(self, number: float) -> tuple[bool, float | None]:
        """Whether a `--map` label names this number (such as `"-1": n/a`), and its value."""
        found = f"={number:g}"
        return (True, self.extra[found]) if found in self.extra else (False, None)

    def non_answer(self, text: str) -> NonAnswer | None:
        """Which non-answer (don't know, does not apply) an answer text is, if it is one:
        the scale's label, a generic spelling such as `N/A`, or one beside an enumerator."""
        if self.read(text) is not None or not text.strip():
            return None
        candidates = [key(text)]
        letter = _LETTER_ENUMERATOR.match(text)
        if letter:
            candidates.append(key(letter.group(1)))
        for pattern, _number, label_group in ((_NUMBER_FIRST, 1, 2), (_NUMBER_LAST, 2, 1)):
            found = pattern.match(text.strip())
            if found:
                candidates.append(key(found.group(label_group)))
        return next((self.kinds[c] for c in candidates if c in self.kinds), None)

    def read(self, text: str) -> float | Unreadable | None:
        """The value of one answer text; None for blank or not applicable. A `--map` label
        matches the whole cell, never a part of it."""
        if not text.strip():
            return None
        text_key = key(text)
        number = parse_number(text)
        if number is None and text_key in self.extra:
            return self.extra[text_key]
        if number is not None:
            is_mapped, value = self.mapped(number)
            if is_mapped:
                return value
            if self.accepts(number):
                return number
            return Unreadable(f"{text.strip()} is outside the scale")
        if text_key in self.labels:
            return self.labels[text_key]
        if text_key in self.not_applicable:
            return NOT_APPLICABLE
        return self._read_decorated(text)

    def _read_decorated(self, text: str) -> float | Unreadable | None:
        """Labels with an enumerator or their value beside them: `a. Agree`, `4 - Agree`,
        `Agree (4)`, `10 - Extremely likely`."""
        letter = _LETTER_ENUMERATOR.match(text)
        if letter:
            inner = key(letter.group(1))
            if inner in self.labels:
                return self.labels[inner]
            if inner in self.not_applicable:
                return NOT_APPLICABLE
        for pattern, number_group, label_group in ((_NUMBER_FIRST, 1, 2), (_NUMBER_LAST, 2, 1)):
            found = pattern.match(text.strip())
            if not found:
                continue
            label = key(found.group(label_group))
            if label in self.labels:
                return self.labels[label]
            if label in self.not_applicable:
                return NOT_APPLICABLE
            number = parse_number(found.group(number_group))
            if number is not None and self.accepts(number):
                return number
        return Unreadable(f"'{tidy(text)}' is not an answer on this scale")


class SegmentReader:
    """Reads a segment's values: trimmed text; for a closed list, the listed spelling of a
    choice whatever its case and spacing, and an unknown value is unreadable."""

    def __init__(self, segment: Segment, extra: dict[str, str | None] | None = None) -> None:
        self.segment = segment
        self.choices = {key(choice): choice for choice in segment.choices or []}

        self.codes = {
            key(segment_choice_code(i)): choice for i, choice in enumerate(segment.choices or [])
        }
        """LimeSurvey's answer codes of the listed choices, in an export of answer codes."""
        self.extra = dict(extra or {})

    def expected(self) -> str:
        """What the segment accepts, for messages."""
        if not self.choices:
            return "any text"
        return "one of " + ", ".join(f"'{c}'" for c in self.segment.choices or [])

    def read(self, text: str) -> str | Unreadable | None:
        """The value of one segment cell; None for blank."""
        cleaned = tidy(text)
        if not cleaned:
            return None
        text_key = key(cleaned)
        if label_key(cleaned) in self.extra:
            return self.extra[label_key(cleaned)]
        if not self.choices:
            return cleaned
        if text_key in self.choices:
            return self.choices[text_key]
        if text_key in self.codes:
            return self.codes[text_key]
        return Unreadable(f"'{cleaned}' is not a listed {self.segment.id}")
