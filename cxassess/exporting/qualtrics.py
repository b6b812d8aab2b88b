"""Qualtrics' Advanced Format TXT (*Import survey* in Qualtrics' survey editor).

The file starts with `[[AdvancedFormat]]`; `[[Block:name]]` starts a block, `[[PageBreak]]`
a page, `[[Question:type]]` a question whose `[[ID:...]]` becomes its export tag, followed by
its text; `[[Choices]]` lists a question's choices (a grid's statements) and `[[Answers]]` a
grid's answer columns. Each run of a dimension's items on one scale is one `Matrix` question
tagged with the dimension's id, so Qualtrics' answer export names its columns `tag_1`,
`tag_2`, ... in statement order (`cxassess.inputs.toolnames` knows which item each one is);
segments are single-answer `MC` questions, comments `TE:Essay`, all tagged with our ids.

Qualtrics numbers the answers of each question 1, 2, 3... in the order shown; cxassess reads
the answer texts, so the answers must be downloaded with *Use choice text*.
"""

from __future__ import annotations

from cxassess.errors import InputError
from cxassess.exporting.common import identity_line, options
from cxassess.format.models import Question, Questionnaire
from cxassess.inputs.toolnames import item_runs


def _line(text: str) -> str:
    """A text on one line: a line break inside a question would end its text early. A text
    holding `[[` is refused: Qualtrics would take it for a tag and build another survey."""
    if "[[" in text or "]]" in text:
        raise InputError(
            f"the text '{text[:60]}' holds '[[' or ']]', which Qualtrics reads as a tag",
            hint="write it with single brackets in the questionnaire, then export again",
        )
    return " ".join(text.split())


def _single(q: Questionnaire, question: Question, lang: str) -> list[str]:
    scale = q.scale_of(question)
    text = _line(q.text(question.text, lang))
    if scale.type == "number":
        return ["[[Question:TE:SingleLine]]", f"[[ID:{question.id}]]", text, ""]
    if scale.type == "text":
        return ["[[Question:TE:Essay]]", f"[[ID:{question.id}]]", text, ""]
    layout = "Horizontal" if scale.type == "nps" else "Vertical"
    lines = [f"[[Question:MC:SingleAnswer:{layout}]]", f"[[ID:{question.id}]]", text]
    lines += ["[[Choices]]", *(_line(o.labels[lang]) for o in options(q, scale, question)), ""]
    return lines


def _grid(q: Questionnaire, tag: str, title: str, items: list[Question], lang: str) -> list[str]:
    scale = q.scale_of(items[0])
    if scale.type in ("number", "text"):
        return [line for item in items for line in _single(q, item, lang)]
    lines = ["[[Question:Matrix]]", f"[[ID:{tag}]]", _line(title), "[[Choices]]"]
    lines += [_line(q.text(item.text, lang)) for item in items]
    lines += ["[[Answers]]", *(_line(o.labels[lang]) for o in options(q, scale, items[0])), ""]
    return lines


def render(q: Questionnaire, lang: str) -> str:
    """The Advanced Format text."""
    intro = [q.text(q.title, lang)]
    if q.description:
        intro.append(q.text(q.description, lang))
    intro.append(identity_line(q))
    lines = ["[[AdvancedFormat]]", "", f"[[Block:{_line(q.text(q.title, lang))}]]", ""]
    lines += ["[[Question:DB]]", _line(" ".join(intro)), ""]
    for segment in q.segments:
        title = _line(q.text(segment.title, lang))
        if segment.choices:
            lines += ["[[Question:MC:SingleAnswer:Vertical]]", f"[[ID:{segment.id}]]", title]
            lines += ["[[Choices]]", *(_line(c) for c in segment.choices), ""]
        else:
            lines += ["[[Question:TE:SingleLine]]", f"[[ID:{segment.id}]]", title, ""]
    runs = item_runs(q)
    for dimension in q.dimensions:
        title = q.text(dimension.title, lang)
        lines += [f"[[Block:{_line(title)}]]", ""]
        for tag, owner, items in runs:
            if owner == dimension.id:
                lines += _grid(q, tag, title, items, lang)
    if q.outcomes or q.comments:
        lines += ["[[PageBreak]]", ""]
    for outcome in q.outcomes:
        lines += _single(q, outcome, lang)
    for comment in q.comments:
        text = _line(q.text(comment.text, lang))
        lines += ["[[Question:TE:Essay]]", f"[[ID:{comment.id}]]", text, ""]
    return "\n".join(lines)


def notes(q: Questionnaire) -> list[str]:
    """The download setting the answers need, and why, for the scales where it matters."""
    numbered = []
    for name, scale in q.scales.items():
        values = [o.value for o in options(q, scale)]
        if scale.type not in ("text", "number") and values != [
            str(n) for n in range(1, len(values) + 1)
        ]:
            numbered.append(name)
    text = (
        "In Qualtrics, download the answers with 'Use choice text': cxassess reads the "
        "answer texts."
    )
    if numbered:
        text += (
            " With 'Use numeric values', Qualtrics numbers the answers 1, 2, 3... in the order "
            "shown, which are not the values of scale " + ", ".join(numbered) + "."
        )
    return [text]
