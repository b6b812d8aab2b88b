"""A printable paper version as a Word document, which Microsoft Forms' *Quick Import* also
turns into a form.

Quick Import takes a paragraph followed by a bulleted list as a choice question, the list's
lines as its choices, and a paragraph alone as a text question. Each question ends with our
id in brackets, `[cap-stock]`: Microsoft Forms' answer export is headed by the question
texts, and the reader matches the bracketed id even if the wording was edited in Forms.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from cxassess.exporting.common import identity_line, options, sections
from cxassess.format.models import Questionnaire

if TYPE_CHECKING:
    from docx.document import Document


def _question(document: Document, text: str, ident: str, choices: list[str]) -> None:
    document.add_paragraph(f"{text} [{ident}]")
    if choices:
        for choice in choices:
            document.add_paragraph(choice, style="List Bullet")
    else:
        document.add_paragraph("_" * 60)


def render(q: Questionnaire, lang: str) -> bytes:
    """The `.docx` file's bytes."""
    import docx  # python-docx: loaded only when a Word file is written

    document = docx.Document()
    title = q.text(q.title, lang)
    document.core_properties.title = title
    document.core_properties.subject = identity_line(q)
    document.add_heading(title, level=0)
    if q.description:
        document.add_paragraph(q.text(q.description, lang))
    document.add_paragraph(identity_line(q)).runs[0].italic = True
    for segment in q.segments:
        _question(document, q.text(segment.title, lang), segment.id, list(segment.choices or []))
    for _name, titles, questions in sections(q):
        if titles[lang]:
            document.add_heading(titles[lang], level=1)
        for question in questions:
            scale = q.scale_of(question)
            choices = []
            if scale.type not in ("text", "number"):
                choices = [o.labels[lang] for o in options(q, scale, question)]
            _question(document, q.text(question.text, lang), question.id, choices)
    for comment in q.comments:
        _question(document, q.text(comment.text, lang), comment.id, [])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
