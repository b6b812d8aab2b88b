"""Blank answer files for collecting answers by hand: `cxassess template QUESTIONNAIRE`.

The CSV holds one header row in our layout (`respondent`, the segments, the items, the
outcomes and the comments, by id), which `cxassess score` reads without any mapping. The XLSX
adds, for people filling it in, the question text as a note on each header, drop-down lists of
the allowed answers, and a `Questions` sheet explaining every column.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from cxassess.errors import InputError
from cxassess.format.models import Questionnaire
from cxassess.format.nonanswers import non_answer_label, offered_non_answers
from cxassess.responses import RESPONDENT_COLUMN

CHOICES_SHEET = "Choices"
"""The hidden sheet holding each segment's choices, in the segment's column."""
TEMPLATE_ROWS = 1000
"""Rows of the XLSX template that carry drop-down lists of answers."""


def template_columns(q: Questionnaire) -> list[str]:
    """The headers of a blank answers file, in order."""
    return [
        RESPONDENT_COLUMN,
        *[s.id for s in q.segments],
        *[s.id for s in q.scored_questions()],
        *[c.id for c in q.comments],
    ]


def template_csv(q: Questionnaire) -> str:
    """The blank CSV: its header row."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(template_columns(q))
    return buffer.getvalue()


def _guide(q: Questionnaire, lang: str | None) -> list[tuple[str, str, str, str]]:
    """(column, kind, question, answers) for the `Questions` sheet."""
    rows = [(RESPONDENT_COLUMN, "id", "A name or number for each respondent (optional)", "")]
    for segment in q.segments:
        answers = ", ".join(segment.choices) if segment.choices else "any text"
        rows.append((segment.id, "segment", q.text(segment.title, lang), answers))
    for question in q.scored_questions():
        scale = q.scale_of(question)
        points = scale.resolved_points()
        if scale.type == "number":
            answers = f"a number from {scale.min:g} to {scale.max:g}"
        elif scale.type == "nps":
            answers = "a whole number from 0 (not at all likely) to 10 (extremely likely)"
        else:
            answers = "; ".join(f"{p.value:g} = {q.text(p.label, lang)}" for p in points)
        offered = offered_non_answers(question, scale)
        if offered:
            labels = " or ".join(f"'{q.text(non_answer_label(scale, k), lang)}'" for k in offered)
            answers += f"; or write {labels} (not counted as an answer); blank if not answered"
        kind = "item" if q.dimension_of(question.id) else "outcome"
        rows.append((question.id, kind, q.text(question.text, lang), answers))
    for comment in q.comments:
        rows.append((comment.id, "comment", q.text(comment.text, lang), "free text"))
    return rows


def template_xlsx(q: Questionnaire, lang: str | None = None) -> bytes:
    """The blank workbook: an `Answers` sheet with drop-down lists, and a `Questions` guide."""
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    bold = workbook.add_format({"bold": True, "bottom": 1})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    answers = workbook.add_worksheet("Answers")
    choices: dict[int, list[str]] = {}
    guide = _guide(q, lang)
    for column, (header, kind, text, allowed) in enumerate(guide):
        answers.write_string(0, column, header, bold)
        answers.set_column(column, column, max(12, len(header) + 2))
        if text:
            answers.write_comment(0, column, f"{text}\n\n{allowed}".strip(), {"x_scale": 2})
        _validation(answers, choices, q, column, header, kind)
    answers.freeze_panes(1, 1)
    sheet = workbook.add_worksheet("Questions")
    for column, title in enumerate(("column", "kind", "question", "answers")):
        sheet.write_string(0, column, title, bold)
    for row, values in enumerate(guide, start=1):
        for column, value in enumerate(values):
            sheet.write_string(row, column, value, wrap)
    sheet.set_column(0, 1, 16)
    sheet.set_column(2, 3, 60)
    hidden = workbook.add_worksheet(CHOICES_SHEET)
    hidden.hide()
    for column, texts in choices.items():
        for row, choice in enumerate(texts):
            hidden.write_string(row, column, choice)
    workbook.close()
    return buffer.getvalue()


def _validation(
    sheet: Any, choices: dict[int, list[str]], q: Questionnaire, column: int, header: str, kind: str
) -> None:
    """The drop-down list or number check of one column. Segment choices are written as
    text cells of the hidden `Choices` sheet and the list points at that range: an inline list
    would split a choice at its commas and let a choice such as `=WEBSERVICE(...)` become a
    formula. The choices are collected in `choices` by column, for the caller to write."""
    from xlsxwriter.utility import xl_range_abs

    last = TEMPLATE_ROWS
    if kind == "segment":
        segment = next(s for s in q.segments if s.id == header)
        if segment.choices:
            choices[column] = list(segment.choices)
            area = xl_range_abs(0, column, len(segment.choices) - 1, column)
            sheet.data_validation(
                1, column, last, column, {"validate": "list", "source": f"={CHOICES_SHEET}!{area}"}
            )
        return
    if kind not in ("item", "outcome"):
        return
    scale = q.scale_of(q.question(header))
    if scale.type == "number" and scale.min is not None and scale.max is not None:
        sheet.data_validation(
            1,
            column,
            last,
            column,
            {
                "validate": "decimal",
                "criteria": "between",
                "minimum": scale.min,
                "maximum": scale.max,
                "error_message": f"a number from {scale.min:g} to {scale.max:g}",
            },
        )
        return
    values = [f"{p.value:g}" for p in scale.resolved_points()]
    sheet.data_validation(
        1,
        column,
        last,
        column,
        {
            "validate": "list",
            "source": values,
            "error_message": "choose one of " + ", ".join(values) + ", or leave it blank",
        },
    )


def write_template(q: Questionnaire, path: str | Path, lang: str | None = None) -> Path:
    """Write a blank answers file: `.csv` (the header row) or `.xlsx` (with drop-down lists)."""
    from cxassess.outputs.files import write_bytes_atomic, write_text_atomic

    target = Path(path)
    suffix = target.suffix.lower()
    if suffix == ".csv":
        return write_text_atomic(target, template_csv(q))
    if suffix == ".xlsx":
        return write_bytes_atomic(target, template_xlsx(q, lang))
    raise InputError(
        f"cannot write a template as '{target.suffix or target.name}'",
        hint="name the file .csv (a header row) or .xlsx (with drop-down lists of answers)",
    )
