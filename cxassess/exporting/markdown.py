"""A printable paper version in Markdown, for a team meeting or a tool with no import format.

Each question shows its id in brackets, so answers typed up from paper can be headed by it.
"""

from __future__ import annotations

from cxassess.exporting.common import identity_line, options, sections
from cxassess.format.models import Questionnaire


def render(q: Questionnaire, lang: str) -> str:
    """The Markdown text."""
    lines = [f"# {q.text(q.title, lang)}", ""]
    if q.description:
        lines += [q.text(q.description, lang), ""]
    lines += [f"*{identity_line(q)}*", ""]
    if q.segments:
        lines += ["## About you", ""]
        for segment in q.segments:
            choices = f": {' / '.join(segment.choices)}" if segment.choices else ": ________"
            lines.append(f"- **{q.text(segment.title, lang)}** [{segment.id}]{choices}")
        lines.append("")
    for _name, title, questions in sections(q):
        lines += [f"## {title[lang] or 'Overall'}", ""]
        for question in questions:
            lines.append(f"**{q.text(question.text, lang)}** [{question.id}]")
            lines.append("")
            scale = q.scale_of(question)
            if scale.type in ("text", "number"):
                lines += ["________", ""]
                continue
            for opt in options(q, scale, question):
                lines.append(f"- [ ] {opt.labels[lang]}")
            lines.append("")
    for comment in q.comments:
        lines += [f"**{q.text(comment.text, lang)}** [{comment.id}]", "", "________", ""]
    return "\n".join(lines)
