"""XLSForm workbook (survey, choices, settings) for KoboToolbox, ODK, SurveyCTO and Survey123.

Question names are our ids, so the tool's data export is headed by them; a scale becomes one
`select_one` list whose choice names are the scale's values (`na` for don't know).
"""

from __future__ import annotations

import io

from cxassess.errors import InputError
from cxassess.exporting.common import identity_line, labels_of, options, sections
from cxassess.format.models import Question, Questionnaire
from cxassess.format.nonanswers import offered_non_answers, scale_non_answers

LANGUAGE_NAMES = {
    "en": "English",
    "fr": "French",
    "de": "German",
    "es": "Spanish",
    "nl": "Dutch",
    "it": "Italian",
    "pt": "Portuguese",
    "sv": "Swedish",
    "da": "Danish",
    "fi": "Finnish",
    "pl": "Polish",
}


def language_column(lang: str) -> str:
    """XLSForm's language name, `English (en)`, which ODK tools read the code from."""
    return f"{LANGUAGE_NAMES.get(lang, lang)} ({lang})"


def list_name(scale_name: str) -> str:
    """A choice list name XLSForm accepts (letters, digits, `_`, `-`, `.`)."""
    return "scale_" + "".join(ch if ch.isalnum() or ch in "_-." else "_" for ch in scale_name)


def _question_list(q: Questionnaire, question: Question) -> str:
    """The choice list of a question: its scale's, or a variant of it when the question offers
    fewer non-answers than the scale defines (`offers:`)."""
    scale = q.scale_of(question)
    offered = offered_non_answers(question, scale)
    if offered == scale_non_answers(scale):
        return list_name(question.scale)
    return list_name(question.scale) + "__" + ("-".join(offered) or "none")


def _question_row(q: Questionnaire, question: Question) -> dict[str, str]:
    scale = q.scale_of(question)
    if scale.type == "number":
        kind = "decimal"
    elif scale.type == "text":
        kind = "text"
    else:
        kind = f"select_one {_question_list(q, question)}"
    row = {"type": kind, "name": question.id, "required": "yes" if question.required else ""}
    if scale.type == "number" and scale.min is not None and scale.max is not None:
        row["constraint"] = f". >= {scale.min:g} and . <= {scale.max:g}"
    _labels(row, "label", labels_of(q, question.text))
    _labels(row, "hint", labels_of(q, question.help) if question.help else {})
    return row


def _labels(row: dict[str, str], column: str, texts: dict[str, str]) -> None:
    for lang, text in texts.items():
        if text:
            row[f"{column}::{language_column(lang)}"] = text


def sheets(q: Questionnaire, lang: str) -> dict[str, list[dict[str, str]]]:
    """The three sheets as rows of column name to cell text."""
    survey: list[dict[str, str]] = []
    choices: list[dict[str, str]] = []
    for segment in q.segments:
        row = {"name": segment.id, "type": "text"}
        if segment.choices:
            row["type"] = f"select_one segment_{segment.id}"
            for choice in segment.choices:
                choices.append({"list_name": f"segment_{segment.id}", "name": _choice(choice)})
                _labels(choices[-1], "label", {lang: choice for lang in q.languages})
        _labels(row, "label", labels_of(q, segment.title))
        survey.append(row)
    for name, title, questions in sections(q):
        group = {"type": "begin_group", "name": name, "appearance": "field-list"}
        _labels(group, "label", title)
        survey.append(group)
        survey.extend(_question_row(q, question) for question in questions)
        survey.append({"type": "end_group", "name": name})
    for comment in q.comments:
        row = {"type": "text", "name": comment.id, "required": "yes" if comment.required else ""}
        _labels(row, "label", labels_of(q, comment.text))
        survey.append(row)
    lists: dict[str, Question | None] = {}
    for question in q.scored_questions():
        if q.scale_of(question).type in ("number", "text"):
            continue
        name = _question_list(q, question)
        lists.setdefault(name, None if name == list_name(question.scale) else question)
    scale_of_list = {list_name(n): q.scales[n] for n in q.scales}
    for name in sorted(lists):
        question = lists[name]
        scale = q.scale_of(question) if question is not None else scale_of_list[name]
        for option in options(q, scale, question):
            choices.append({"list_name": name, "name": option.value})
            _labels(choices[-1], "label", option.labels)
    settings = [
        {
            "form_title": q.text(q.title, lang),
            "form_id": q.id,
            "version": q.version,
            "default_language": language_column(lang),
            "description": identity_line(q),
        }
    ]
    return {"survey": survey, "choices": choices, "settings": settings}


def _choice(text: str) -> str:
    """A segment choice as an XLSForm choice name: the text itself with spaces as `_`.

    KoboToolbox exports XML values or labels; the reader matches a closed segment list
    ignoring case, spaces and punctuation, so both read back as the listed choice."""
    return "_".join(text.split())


def check_names(q: Questionnaire) -> None:
    """Refuse ids that XLSForm cannot use as names (they must start with a letter), rather than
    write a form that KoboToolbox or ODK would reject, or one whose names differ from our ids."""
    ids = [x.id for x in [*q.segments, *q.dimensions, *q.scored_questions(), *q.comments]]
    bad = [ident for ident in ids if not ident[0].isalpha()]
    if bad:
        raise InputError(
            "XLSForm names must start with a letter, but these ids do not: " + ", ".join(bad),
            hint="rename them in the questionnaire (for example 'q-" + bad[0] + "'), then export",
        )


def render(q: Questionnaire, lang: str) -> bytes:
    """The XLSForm workbook as `.xlsx` bytes."""
    import xlsxwriter

    check_names(q)

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    for title, rows in sheets(q, lang).items():
        sheet = book.add_worksheet(title)
        columns: list[str] = []
        for row in rows:
            columns.extend(c for c in row if c not in columns)
        for col, name in enumerate(columns):
            sheet.write_string(0, col, name)
        for line, row in enumerate(rows, start=1):
            for col, name in enumerate(columns):
                sheet.write_string(line, col, row.get(name, ""))
    book.close()
    return buffer.getvalue()
