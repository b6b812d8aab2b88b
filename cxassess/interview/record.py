"""The response record of a run: a new one, one checked for resuming, the finished one with
its scores (computed by the one scoring engine, never here)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from cxassess.format.models import Questionnaire
from cxassess.format.nonanswers import (
    NON_ANSWER_NAMES,
    NON_ANSWERS,
    NonAnswer,
    offered_non_answers,
    scale_non_answers,
)
from cxassess.responses import (
    RespondentScore,
    ResponseFile,
    ResponseQuestionnaire,
    ResponseScores,
    answers_frame,
    recorded_kind,
)

if TYPE_CHECKING:
    from cxassess.results import Results


def now_text() -> str:
    """The local time, to the second, with its UTC offset (ISO 8601)."""
    return datetime.now().astimezone().replace(microsecond=0).isoformat()


def new_record(
    q: Questionnaire,
    *,
    language: str,
    respondent: str | None = None,
    segments: Mapping[str, str] | None = None,
) -> ResponseFile:
    """An empty, unfinished response to `q`, started now."""
    return ResponseFile(
        questionnaire=ResponseQuestionnaire(id=q.id, version=q.version),
        respondent=respondent,
        language=language,
        segments=dict(segments or {}),
        started=now_text(),
    )


def _valid_value(q: Questionnaire, question_id: str, value: float) -> bool:
    scale = q.scale_of(q.question(question_id))
    if scale.type == "number":
        bounds = scale.bounds()
        return bounds is not None and bounds[0] <= value <= bounds[1]
    return any(p.value == value for p in scale.resolved_points())


def reconcile(q: Questionnaire, record: ResponseFile) -> list[str]:
    """Fit a saved record to the questionnaire before resuming it: answers to questions that
    no longer exist, or with values not on the question's scale, are dropped (and will be asked
    again). Returns one note per change, for the respondent."""
    notes: list[str] = []
    if record.questionnaire.version != q.version:
        notes.append(
            f"the saved answers were given to version {record.questionnaire.version}; "
            f"this is version {q.version}"
        )
        record.questionnaire.version = q.version
    scored = {question.id for question in q.scored_questions()}
    for question_id in list(record.answers):
        value = record.answers[question_id]
        if question_id not in scored:
            del record.answers[question_id]
            notes.append(f"dropped the answer to '{question_id}', no longer in the questionnaire")
        elif value is not None and not _valid_value(q, question_id, value):
            del record.answers[question_id]
            notes.append(f"'{question_id}' will be asked again: {value:g} is not on its scale")
    for kind in NON_ANSWERS:
        for question_id in list(getattr(record, kind)):
            offered: tuple[NonAnswer, ...] = ()
            meant: NonAnswer | None = None
            if question_id in scored:
                question = q.question(question_id)
                offered = offered_non_answers(question, q.scale_of(question))
                meant = recorded_kind(kind, scale_non_answers(q.scale_of(question)))
            if meant is not None and meant != kind and meant in offered:
                record.mark_non_answer(question_id, meant)  # saved before the two were apart
            elif kind not in offered:
                record.mark_non_answer(question_id, None)
                record.answers.pop(question_id, None)
                if question_id in scored:
                    notes.append(
                        f"'{question_id}' will be asked again: it no longer offers "
                        f"'{NON_ANSWER_NAMES[kind]}'"
                    )
    segment_ids = {s.id: s for s in q.segments}
    for segment_id in list(record.segments):
        segment = segment_ids.get(segment_id)
        value = record.segments[segment_id]
        if segment is None:
            del record.segments[segment_id]
            notes.append(f"dropped segment '{segment_id}', no longer in the questionnaire")
        elif segment.choices and value is not None and value not in segment.choices:
            del record.segments[segment_id]
            notes.append(f"'{segment_id}' will be asked again: '{value}' is no longer a choice")
    comment_ids = {c.id for c in q.comments}
    for comment_id in [c for c in record.comments if c not in comment_ids]:
        del record.comments[comment_id]
    return notes


def score_record(q: Questionnaire, record: ResponseFile, lang: str | None = None) -> Results:
    """The respondent's results, through the one scoring engine (a one-row answers frame)."""
    from cxassess.scoring.summary import summarise

    frame = answers_frame(q, [record])
    return summarise(q, frame, lang=lang or record.language)


def _tidy(score: float | None) -> float | None:
    """A score rounded to 6 decimals, so the file shows 65.0 and not 65.00000000000001."""
    return None if score is None else round(score, 6)


def scores_of(results: Results) -> ResponseScores:
    """The overall index and dimension scores of one respondent's results."""
    return ResponseScores(
        overall=RespondentScore(score=_tidy(results.overall.score), level=results.overall.level),
        dimensions={
            d.id: RespondentScore(score=_tidy(d.score), level=d.level) for d in results.dimensions
        },
    )


def finished_record(q: Questionnaire, record: ResponseFile) -> tuple[ResponseFile, Results]:
    """The complete response file: every segment, question and comment of `q` in questionnaire
    order (null where skipped or not applicable), the completion time and the scores."""
    final = record.model_copy(deep=True)
    final.segments = {s.id: record.segments.get(s.id) for s in q.segments}
    final.answers = {x.id: record.answers.get(x.id) for x in q.scored_questions()}
    final.not_applicable = [x.id for x in q.scored_questions() if x.id in record.not_applicable]
    final.dont_know = [x.id for x in q.scored_questions() if x.id in record.dont_know]
    final.comments = {c.id: record.comments.get(c.id) or None for c in q.comments}
    final.completed = now_text()
    results = score_record(q, final)
    final.scores = scores_of(results)
    return final, results
