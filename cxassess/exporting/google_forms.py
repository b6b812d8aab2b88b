"""A Google Apps Script that builds the questionnaire as a Google Form.

Google Forms has no question names: its answer export is headed by each question's title and
holds the answer labels, so the script copies every text exactly and the reader matches them.
cxassess holds no Google credentials; the user pastes the script at script.google.com.
"""

from __future__ import annotations

import json

from cxassess.exporting.common import identity_line, options, sections
from cxassess.format.models import Question, Questionnaire


def _js(text: str) -> str:
    """A JavaScript string literal (JSON is valid JavaScript for strings)."""
    return json.dumps(text, ensure_ascii=False)


def _question(q: Questionnaire, question: Question, lang: str) -> list[str]:
    scale = q.scale_of(question)
    title = _js(q.text(question.text, lang))
    required = "true" if question.required else "false"
    help_text = f".setHelpText({_js(q.text(question.help, lang))})" if question.help else ""
    if scale.type in ("text", "number"):
        return [f"form.addTextItem().setTitle({title}).setRequired({required}){help_text};"]
    labels = ", ".join(_js(opt.labels[lang]) for opt in options(q, scale, question))
    return [
        f"form.addMultipleChoiceItem().setTitle({title}).setRequired({required}){help_text}",
        f"    .setChoiceValues([{labels}]);",
    ]


def render(q: Questionnaire, lang: str) -> str:
    """The Apps Script source (`.gs`)."""
    description = identity_line(q)
    if q.description:
        description = q.text(q.description, lang) + "\n\n" + description
    lines = [
        f"// Builds the Google Form for {identity_line(q)}.",
        "// Paste into a new project at https://script.google.com, then press Run.",
        "function createForm() {",
        f"  var form = FormApp.create({_js(q.text(q.title, lang))});",
        f"  form.setDescription({_js(description)});",
    ]
    for segment in q.segments:
        title = _js(q.text(segment.title, lang))
        if segment.choices:
            values = ", ".join(_js(c) for c in segment.choices)
            lines.append(
                f"  form.addMultipleChoiceItem().setTitle({title}).setChoiceValues([{values}]);"
            )
        else:
            lines.append(f"  form.addTextItem().setTitle({title});")
    for _name, title, questions in sections(q):
        if title[lang]:
            lines.append(f"  form.addPageBreakItem().setTitle({_js(title[lang])});")
        for question in questions:
            lines.extend("  " + line for line in _question(q, question, lang))
    for comment in q.comments:
        required = "true" if comment.required else "false"
        lines.append(
            f"  form.addParagraphTextItem().setTitle({_js(q.text(comment.text, lang))})"
            f".setRequired({required});"
        )
    lines += [
        '  Logger.log("Form to send: " + form.getPublishedUrl());',
        '  Logger.log("Form to edit: " + form.getEditUrl());',
        "}",
        "",
    ]
    return "\n".join(lines)
