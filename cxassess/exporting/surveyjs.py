"""SurveyJS form JSON: a page per dimension, a `radiogroup` (or `rating` for 0-10) per item.

Question names are our ids, so SurveyJS's CSV export is headed by them. Texts in several
languages become SurveyJS localisable strings (`{"default": ..., "fr": ...}`).
"""

from __future__ import annotations

import json
from typing import Any

from cxassess.exporting.common import identity_line, labels_of, options, sections
from cxassess.format.models import Question, Questionnaire


def _text(q: Questionnaire, value: str | dict[str, str] | None, lang: str) -> Any:
    """A plain string for one language, else SurveyJS's localisable string."""
    texts = labels_of(q, value)
    if len(q.languages) == 1:
        return texts[lang]
    return {("default" if code == lang else code): text for code, text in texts.items()}


def _question(q: Questionnaire, question: Question, lang: str) -> dict[str, Any]:
    scale = q.scale_of(question)
    element: dict[str, Any] = {"name": question.id, "title": _text(q, question.text, lang)}
    if scale.type == "number":
        element.update(type="text", inputType="number")
        if scale.min is not None:
            element["min"] = scale.min
        if scale.max is not None:
            element["max"] = scale.max
    elif scale.type == "text":
        element["type"] = "comment"
    else:
        element["type"] = "radiogroup"
        element["choices"] = [
            {"value": opt.value, "text": _text(q, opt.labels, lang)}
            for opt in options(q, scale, question)
        ]
    if question.required:
        element["isRequired"] = True
    if question.help:
        element["description"] = _text(q, question.help, lang)
    return element


def form(q: Questionnaire, lang: str) -> dict[str, Any]:
    """The SurveyJS survey definition as a dictionary."""
    intro = [
        {"name": s.id, "title": _text(q, s.title, lang)}
        | ({"type": "dropdown", "choices": list(s.choices)} if s.choices else {"type": "text"})
        for s in q.segments
    ]
    pages = [{"name": "about-you", "elements": intro}] if intro else []
    for name, title, questions in sections(q):
        page: dict[str, Any] = {
            "name": name,
            "elements": [_question(q, question, lang) for question in questions],
        }
        if any(title.values()):
            page["title"] = _text(q, title, lang)
        pages.append(page)
    if q.comments:
        pages.append(
            {
                "name": "comments",
                "elements": [
                    {"type": "comment", "name": c.id, "title": _text(q, c.text, lang)}
                    | ({"isRequired": True} if c.required else {})
                    for c in q.comments
                ],
            }
        )
    description = identity_line(q)
    if q.description:
        description = q.text(q.description, lang) + "\n\n" + description
    survey: dict[str, Any] = {
        "title": _text(q, q.title, lang),
        "description": description,
        "pages": pages,
        "showQuestionNumbers": "off",
    }
    if lang != "en":
        survey["locale"] = lang
    return survey


def render(q: Questionnaire, lang: str) -> str:
    """The SurveyJS JSON text."""
    return json.dumps(form(q, lang), indent=2, ensure_ascii=False) + "\n"
