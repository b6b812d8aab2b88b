"""Read the response files of `cxassess run` (`cxassess.response/1`), one respondent each.

Unfinished runs (`completed` is null) are skipped with a warning; answers that are not values of
their question's scale are reported like bad cells of an export and read as missing.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from cxassess.errors import FileNotFound, InputError, Location, Problem
from cxassess.format.models import Questionnaire
from cxassess.inputs.matching import AnswerReader, SegmentReader, Unreadable
from cxassess.jsonfiles import first_field_error, loads_json
from cxassess.responses import RESPONSE_SCHEMA, ResponseFile
from cxassess.results import SourceFile

if TYPE_CHECKING:
    import polars as pl


@dataclass
class ResponseBatch:
    """Response files read: their answers frame, sources, problems and segments present."""

    frame: pl.DataFrame
    sources: list[SourceFile] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    segments_found: set[str] = field(default_factory=set)


def looks_like_response_file(path: Path) -> bool:
    """Whether a path names a response file (by its suffix)."""
    return path.suffix.lower() == ".json"


def _load(path: Path, data: bytes) -> ResponseFile:
    from pydantic import ValidationError as PydanticValidationError

    try:
        raw = loads_json(data.decode("utf-8-sig"), path)
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text", hint="save the file as UTF-8") from None
    except json.JSONDecodeError as exc:
        raise InputError(
            f"not valid JSON ({exc.msg})",
            hint="give a response file written by `cxassess run`, or a CSV/XLSX export",
            location=Location(str(path), exc.lineno, exc.colno),
        ) from None
    if not isinstance(raw, dict) or raw.get("schema") != RESPONSE_SCHEMA:
        found = raw.get("schema") if isinstance(raw, dict) else None
        raise InputError(
            f"{path}: not a cxassess response file"
            + (f" (schema: {found})" if found else " (no `schema: cxassess.response/1`)"),
            hint="give response files written by `cxassess run`, or CSV/XLSX exports",
        )
    try:
        return ResponseFile.model_validate(raw)
    except PydanticValidationError as exc:
        raise InputError(
            f"{path}: damaged response file ({first_field_error(exc)})",
            hint="run the assessment again, or leave this file out",
        ) from None


def _check_answers(
    q: Questionnaire, record: ResponseFile, file: str, problems: list[Problem]
) -> ResponseFile:
    answers = dict(record.answers)
    for question in q.scored_questions():
        value = answers.get(question.id)
        if value is None:
            continue
        reader = AnswerReader(q, question)
        if not reader.accepts(value):
            problems.append(
                Problem(
                    Location(file, None, question.id),
                    f"answers.{question.id}",
                    f"{value:g} is outside the scale",
                    f"expected {reader.expected()}",
                )
            )
            answers[question.id] = None
    segments = dict(record.segments)
    for segment in q.segments:
        raw = segments.get(segment.id)
        if raw is None:
            continue
        value = SegmentReader(segment).read(str(raw))
        if isinstance(value, Unreadable):
            problems.append(
                Problem(
                    Location(file, None, segment.id),
                    f"segments.{segment.id}",
                    value.reason,
                    f"expected {SegmentReader(segment).expected()}",
                )
            )
            value = None
        segments[segment.id] = value
    return record.model_copy(
        update={
            "answers": answers,
            "segments": segments,
            "respondent": record.respondent or Path(file).stem,
        }
    )


def read_response_files(paths: list[Path], q: Questionnaire) -> ResponseBatch:
    """Read response files into one answers frame (one row per finished run)."""
    from cxassess.responses import answers_frame

    records: list[ResponseFile] = []
    batch = ResponseBatch(frame=answers_frame(q, []))
    for path in paths:
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise FileNotFound(path, "input file") from None
        if not data.strip():
            raise InputError(
                f"{path}: the file is empty", hint="run the assessment again, or leave it out"
            )
        file = str(path)
        record = _load(path, data)
        if record.questionnaire.id != q.id:
            raise InputError(
                f"{path}: answers questionnaire '{record.questionnaire.id}', not '{q.id}'",
                hint=f"score it with -q {record.questionnaire.id}, or leave it out",
            )
        used = record.completed is not None
        batch.sources.append(
            SourceFile(file=file, sha256=hashlib.sha256(data).hexdigest(), rows=int(used))
        )
        if not used:
            batch.problems.append(
                Problem(
                    Location(file),
                    "",
                    "unfinished run (no `completed` time); skipped",
                    "finish the run with `cxassess run`, or leave the file out",
                    severity="warning",
                )
            )
            continue
        if record.questionnaire.version != q.version:
            batch.problems.append(
                Problem(
                    Location(file),
                    "questionnaire.version",
                    f"answers version {record.questionnaire.version} of '{q.id}'; "
                    f"scored against version {q.version}",
                    "check that the questions have not changed meaning between versions",
                    severity="warning",
                )
            )
        batch.segments_found |= {k for k, v in record.segments.items() if v is not None}
        records.append(_check_answers(q, record, file, batch.problems))
    batch.frame = answers_frame(q, records)
    return batch
