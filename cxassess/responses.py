"""Answers in memory: the response file of `cxassess run`, and the columnar answers frame.

A response file (`schema: cxassess.response/1`) holds one respondent's answers; many of them,
or the rows of a survey export, become one answers frame: one row per respondent, a Float64
column per scored question (raw values on the question's scale, before reversal; null when
skipped or not applicable), a String column per segment and per comment, and `respondent`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from cxassess.errors import Problem
from cxassess.format.models import Questionnaire
from cxassess.format.nonanswers import NON_ANSWERS, NonAnswer, scale_non_answers
from cxassess.results import SourceFile

if TYPE_CHECKING:
    import polars as pl

RESPONSE_SCHEMA = "cxassess.response/1"
RESPONDENT_COLUMN = "respondent"
NON_ANSWER_CODES: dict[NonAnswer, int] = {"dont_know": 1, "not_applicable": 2}
"""The code of each non-answer in a question's non-answer column (null: neither)."""


def non_answer_column(question_id: str) -> str:
    """The name of the column saying which non-answer a question's null answer was (a `:`
    cannot occur in an id, so it never clashes with a question's own column)."""
    return f"{question_id}:non-answer"


def recorded_kind(kind: NonAnswer | None, defined: tuple[NonAnswer, ...]) -> NonAnswer | None:
    """What a non-answer saved in a response file means for a scale defining `defined`. Before
    the two were kept apart, one key saved either under `not_applicable`: on a scale whose
    only extra answer is "don't know", that is what it meant. A kind the scale lacks is none."""
    if kind == "not_applicable" and defined == ("dont_know",):
        return "dont_know"
    return kind if kind in defined else None


def non_answer_questions(q: Questionnaire) -> list[str]:
    """Ids of the scored questions whose scale defines a non-answer: those have a column."""
    return [x.id for x in q.scored_questions() if scale_non_answers(q.scale_of(x))]


class ResponseQuestionnaire(BaseModel):
    """Which questionnaire (and content version) was answered."""

    id: str
    version: str


class RespondentScore(BaseModel):
    """A score and its level."""

    score: float | None = None
    level: str | None = None


class ResponseScores(BaseModel):
    """The respondent's own scores, for reading at a glance (re-computed when scored)."""

    overall: RespondentScore = Field(default_factory=RespondentScore)
    dimensions: dict[str, RespondentScore] = Field(default_factory=dict)


class ResponseFile(BaseModel):
    """One respondent's answers, as written by `cxassess run` (`cxassess.response/1`)."""

    model_config = ConfigDict(populate_by_name=True, extra="ignore")

    schema_: str = Field(default=RESPONSE_SCHEMA, alias="schema")
    questionnaire: ResponseQuestionnaire
    respondent: str | None = None
    language: str | None = None
    segments: dict[str, str | None] = Field(default_factory=dict)
    started: str | None = None
    completed: str | None = None
    """None while the run is unfinished (a partial file)."""
    answers: dict[str, float | None] = Field(default_factory=dict)
    """Raw answer per item/outcome id, on its scale, before reversal; null = skipped or n/a."""
    not_applicable: list[str] = Field(default_factory=list)
    """Ids answered with the scale's does-not-apply choice (their answer is null)."""
    dont_know: list[str] = Field(default_factory=list)
    """Ids answered with the scale's don't-know choice (their answer is null)."""
    comments: dict[str, str | None] = Field(default_factory=dict)
    scores: ResponseScores | None = None

    def non_answer(self, question_id: str) -> NonAnswer | None:
        """Which extra answer (don't know, does not apply) was given to a question, if any."""
        if question_id in self.dont_know:
            return "dont_know"
        if question_id in self.not_applicable:
            return "not_applicable"
        return None

    def mark_non_answer(self, question_id: str, kind: NonAnswer | None) -> None:
        """Record that a question was answered with `kind` (or, with None, with neither), so
        each id is in at most one of the two lists."""
        for name in NON_ANSWERS:
            marked: list[str] = getattr(self, name)
            if name == kind and question_id not in marked:
                marked.append(question_id)
            elif name != kind and question_id in marked:
                marked.remove(question_id)

    def to_json(self) -> str:
        """The response file's JSON text."""
        return self.model_dump_json(by_alias=True, indent=2)


@dataclass
class Responses:
    """Answers read from one or more inputs, ready for the scoring engine."""

    frame: pl.DataFrame
    sources: list[SourceFile] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    """Cells that could not be read and were treated as missing."""


def answers_schema(q: Questionnaire) -> dict[str, Any]:
    """The column types of an answers frame for a questionnaire."""
    import polars as pl

    schema: dict[str, Any] = {RESPONDENT_COLUMN: pl.String}
    for segment in q.segments:
        schema[segment.id] = pl.String
    for question in q.scored_questions():
        schema[question.id] = pl.Float64
    for comment in q.comments:
        schema[comment.id] = pl.String
    for question_id in non_answer_questions(q):
        schema[non_answer_column(question_id)] = pl.UInt8
    return schema


def answers_frame(q: Questionnaire, records: Sequence[ResponseFile]) -> pl.DataFrame:
    """An answers frame from response files (one row each); unknown keys are ignored."""
    import polars as pl

    schema = answers_schema(q)
    columns: dict[str, list[Any]] = {name: [] for name in schema}
    kinds = {i: scale_non_answers(q.scale_of(q.question(i))) for i in non_answer_questions(q)}
    for index, record in enumerate(records):
        columns[RESPONDENT_COLUMN].append(record.respondent or f"response-{index + 1}")
        for segment in q.segments:
            columns[segment.id].append(record.segments.get(segment.id))
        for question in q.scored_questions():
            value = record.answers.get(question.id)
            columns[question.id].append(None if value is None else float(value))
        for comment in q.comments:
            columns[comment.id].append(record.comments.get(comment.id))
        for question_id, defined in kinds.items():
            kind = record.non_answer(question_id)
            given = record.answers.get(question_id) is not None
            kind = recorded_kind(kind, defined)
            code = NON_ANSWER_CODES[kind] if kind is not None and not given else None
            columns[non_answer_column(question_id)].append(code)
    return pl.DataFrame(columns, schema=schema)
