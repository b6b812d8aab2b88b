"""LimeSurvey's tab-separated survey structure (`.txt`, *Import survey* in LimeSurvey).

The layout is LimeSurvey's own (its manual's "Tab Separated Value survey structure" page and
the `TSVImportSurvey` reader in its source): a header row naming the columns, then `S` rows
(survey settings), `SL` rows (settings per language), and per language one block of `G`
(group), `Q` (question), `SQ` (subquestion) and `A` (answer) rows, the base language first;
each translated block repeats the first row for row. Rows belong to the group or question
above them.

Each dimension is a group; each run of its items on one scale is an *Array* question (type
`F`) whose subquestions are the items, so LimeSurvey's answer export names the columns
`grid[item]`. Codes are our ids made LimeSurvey-safe (`cxassess.inputs.toolnames`); answer
codes are the scale's values (`na`, `dk` for the answers that are not scored), and each
answer's assessment value is its point on the scale.
"""

from __future__ import annotations

import csv
import html
import io

from cxassess.errors import InputError
from cxassess.exporting.common import identity_line, labels_of, options
from cxassess.format.models import Comment, Question, Questionnaire, Segment
from cxassess.inputs.toolnames import item_runs, segment_choice_code, tool_code

COLUMNS = (
    "class", "type/scale", "name", "relevance", "text", "help", "language", "validation",
    "mandatory", "other", "default", "same_default", "assessment_value",
)  # fmt: skip
"""The columns written, as LimeSurvey's own export names them."""

ANSWER_CODE_LENGTH = 5
"""LimeSurvey's longest answer code."""

Row = dict[str, str]


def _html(text: str) -> str:
    """LimeSurvey shows texts as HTML: keep `<` and `&` as the characters they are."""
    return html.escape(text, quote=False).replace("\n", "<br />")


def check_codes(q: Questionnaire) -> None:
    """Refuse a questionnaire whose codes LimeSurvey could not keep apart or store: two ids
    that differ only in punctuation, or a scale value that is no answer code (letters and
    digits, at most 5)."""
    seen: dict[str, str] = {}
    clashes = []
    for x in [*q.segments, *q.scored_questions(), *q.comments]:
        code = tool_code(x.id)
        if code in seen:
            clashes.append(f"{seen[code]} and {x.id} (both '{code}')")
        seen.setdefault(code, x.id)
    if clashes:
        raise InputError(
            "LimeSurvey codes are letters and digits only, so these ids would share a code: "
            + "; ".join(clashes),
            hint="rename one id of each pair in the questionnaire, then export again",
        )
    for name, scale in q.scales.items():
        if scale.type in ("text", "number"):
            continue
        bad = [
            o.value
            for o in options(q, scale)
            if not (o.value.isalnum() and o.value.isascii() and len(o.value) <= 5)
        ]
        if bad:
            raise InputError(
                f"scale '{name}' has values LimeSurvey cannot store as answer codes: "
                + ", ".join(bad),
                hint="LimeSurvey answer codes are at most 5 letters and digits; give the "
                "scale whole, non-negative values (such as 1 to 5), then export again",
            )


def _row(**cells: str) -> Row:
    return {column: cells.get(column.replace("/", "_"), "") for column in COLUMNS}


def _answers(q: Questionnaire, question: Question, lang: str) -> list[Row]:
    scale = q.scale_of(question)
    rows = []
    for option in options(q, scale, question):
        number = option.value if option.value.isdigit() else ""
        rows.append(
            _row(
                **{"class": "A"},
                type_scale="0",
                name=option.value,
                relevance=number,
                text=_html(option.labels[lang]),
                language=lang,
                assessment_value=number,
            )
        )
    return rows


def _single(q: Questionnaire, question: Question, lang: str) -> list[Row]:
    """One item or outcome as its own question: a list, a number or a text."""
    scale = q.scale_of(question)
    kind = {"number": "N", "text": "T"}.get(scale.type, "L")
    rows = [
        _row(
            **{"class": "Q"},
            type_scale=kind,
            name=tool_code(question.id),
            relevance="1",
            text=_html(q.text(question.text, lang)),
            help=_html(q.text(question.help, lang)) if question.help else "",
            language=lang,
            mandatory="Y" if question.required else "N",
            other="N",
        )
    ]
    return rows + (_answers(q, question, lang) if kind == "L" else [])


def _grid(q: Questionnaire, tag: str, title: str, items: list[Question], lang: str) -> list[Row]:
    """A run of items on one scale as an Array question, one subquestion per item."""
    if q.scale_of(items[0]).type in ("number", "text"):
        return [row for item in items for row in _single(q, item, lang)]
    helps = [f"{q.text(item.text, lang)}: {q.text(item.help, lang)}" for item in items if item.help]
    rows = [
        _row(
            **{"class": "Q"},
            type_scale="F",
            name=tool_code(tag),
            relevance="1",
            text=_html(title),
            help=_html("\n".join(helps)),
            language=lang,
            mandatory="Y" if all(item.required for item in items) else "N",
            other="N",
        )
    ]
    rows += [
        _row(
            **{"class": "SQ"},
            type_scale="0",
            name=tool_code(item.id),
            relevance="1",
            text=_html(q.text(item.text, lang)),
            language=lang,
        )
        for item in items
    ]
    return rows + _answers(q, items[0], lang)


def _block(q: Questionnaire, lang: str) -> list[Row]:
    """Every group, question, subquestion and answer in one language. Segments open the
    first group; outcomes and comments close the last, so that no heading needs a text the
    questionnaire does not have."""
    runs = item_runs(q)
    rows: list[Row] = []
    for number, dimension in enumerate(q.dimensions, start=1):
        rows.append(
            _row(
                **{"class": "G"},
                type_scale=str(number),
                name=_html(q.text(dimension.title, lang)),
                relevance="1",
                language=lang,
            )
        )
        if number == 1:
            rows += [r for segment in q.segments for r in _segment(q, segment, lang)]
        title = q.text(dimension.title, lang)
        for tag, owner, items in runs:
            if owner == dimension.id:
                rows += _grid(q, tag, title, items, lang)
        if number == len(q.dimensions):
            rows += [r for outcome in q.outcomes for r in _single(q, outcome, lang)]
            rows += [r for comment in q.comments for r in _comment(q, comment, lang)]
    return rows


def _segment(q: Questionnaire, segment: Segment, lang: str) -> list[Row]:
    kind = "L" if segment.choices else "S"
    rows = [
        _row(
            **{"class": "Q"},
            type_scale=kind,
            name=tool_code(segment.id),
            relevance="1",
            text=_html(q.text(segment.title, lang)),
            language=lang,
            mandatory="N",
            other="N",
        )
    ]
    for index, choice in enumerate(segment.choices or []):
        rows.append(
            _row(
                **{"class": "A"},
                type_scale="0",
                name=segment_choice_code(index),
                text=_html(choice),
                language=lang,
            )
        )
    return rows


def _comment(q: Questionnaire, comment: Comment, lang: str) -> list[Row]:
    return [
        _row(
            **{"class": "Q"},
            type_scale="T",
            name=tool_code(comment.id),
            relevance="1",
            text=_html(q.text(comment.text, lang)),
            language=lang,
            mandatory="Y" if comment.required else "N",
            other="N",
        )
    ]


def rows(q: Questionnaire, lang: str) -> list[Row]:
    """Every row of the file, settings first, then one block per language (`lang` first)."""
    check_codes(q)
    languages = [lang, *(code for code in q.languages if code != lang)]
    found = [
        _row(**{"class": "S"}, name="language", text=lang),
        _row(**{"class": "S"}, name="additional_languages", text=" ".join(languages[1:])),
        _row(**{"class": "S"}, name="format", text="G"),
        _row(**{"class": "S"}, name="anonymized", text="Y"),
        _row(**{"class": "S"}, name="assessments", text="Y"),
    ]
    titles = labels_of(q, q.title)
    descriptions = labels_of(q, q.description) if q.description else {}
    for code in languages:
        description = "\n\n".join(t for t in (descriptions.get(code, ""), identity_line(q)) if t)
        found.append(
            _row(**{"class": "SL"}, name="surveyls_title", text=titles[code], language=code)
        )
        found.append(
            _row(
                **{"class": "SL"},
                name="surveyls_description",
                text=_html(description),
                language=code,
            )
        )
    for code in languages:
        found += _block(q, code)
    return found


def render(q: Questionnaire, lang: str) -> str:
    """The tab-separated text LimeSurvey imports."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, delimiter="\t", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows(q, lang))
    return buffer.getvalue()


def notes(q: Questionnaire) -> list[str]:
    """What to choose in LimeSurvey's response export."""
    return [
        "In LimeSurvey, export the responses as CSV with 'Question code' or 'Full question "
        "text' headings and 'Answer codes' or 'Full answers'; all four read back."
    ]
