"""The screens of an interactive run, as Rich renderables: the welcome, each question, the
messages in between, and the summary at the end.

Nothing here reads input or knows about files: each function turns data into something a
Rich console prints. Styles are plain names so that a console without colours (a pipe,
NO_COLOR) prints the same words; bars use block characters that read without colour, and
every line wraps at the console's width (60 columns stay readable).
"""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from cxassess.format.models import Questionnaire
from cxassess.interview.session import View

if TYPE_CHECKING:
    from cxassess.results import Results

FULL, EMPTY = "█", "░"
KEYS_LINE = "b back · s skip · ? help · q save and quit"
"""The keys, on a question that has help of its own (marked `HELP_MARK`)."""
KEYS_LINE_NO_HELP = "b back · s skip · q save and quit"
"""The keys, on a question without help: `?` is not offered (it still explains the keys)."""
HELP_MARK = " (? for help)"
"""Shown after the statement of a question that has help."""


def bar(fraction: float, width: int) -> Text:
    """A horizontal bar of `width` cells, `fraction` (0-1) of them filled."""
    fraction = min(max(fraction, 0.0), 1.0)
    filled = round(fraction * width)
    text = Text(FULL * filled, style="cyan")
    text.append(EMPTY * (width - filled), style="dim")
    return text


def _bar_width(console_width: int, used: int, most: int = 24) -> int:
    return max(6, min(most, console_width - used))


def intro(
    q: Questionnaire,
    lang: str,
    questions: int,
    output: Path,
    width: int,
    notes: list[RenderableType] | None = None,
    partial: Path | None = None,
) -> RenderableType:
    """The welcome: title, description, time, how to answer, and where answers are saved:
    `partial` while the run is in progress, `output` once it is complete."""
    parts: list[RenderableType] = [Text(q.text(q.title, lang), style="bold")]
    description = q.text(q.description, lang)
    if description:
        parts.append(Text(description))
    facts = f"{questions} questions"
    if q.minutes:
        facts = f"About {q.minutes:g} minutes · " + facts
    parts.append(Text(facts, style="dim"))
    parts.append(Text(""))
    parts.append(
        Text.assemble(
            ("How to answer: ", "bold"),
            "type the number of your answer and press Enter. "
            "You can also type the first letters of an answer. ",
            ("b", "bold"),
            " goes back, ",
            ("s", "bold"),
            " skips an optional question, ",
            ("?", "bold"),
            " shows the help of a question marked (?), ",
            ("q", "bold"),
            " saves and quits.",
        )
    )
    if partial is None:
        parts.append(Text(f"Your answers are saved as you go, in {output}.", style="dim"))
    else:
        parts.append(
            Text(
                f"Your answers are saved as you go in {partial}; when you finish, they go to "
                f"{output}.",
                style="dim",
            )
        )
    for note in notes or []:
        parts.append(Text(note, style="yellow") if isinstance(note, str) else note)
    parts.append(Text(""))
    return Group(*parts)


def _header(view: View, title: str, width: int) -> RenderableType:
    """Where the question is (section, position within it) and the progress bar, under the
    questionnaire's title when there is room and a title is given."""
    step = view.step
    where = f"{step.section} · {step.section_index} of {step.section_size}"
    count = f"{view.position}/{view.total}"
    bar_cells = _bar_width(width, len(where) + len(count) + 4, most=20)
    progress = Text(f"{count} ")
    progress.append_text(bar(view.position / view.total, bar_cells))
    grid = Table.grid(expand=True)
    grid.add_column(ratio=1, overflow="fold")
    grid.add_column(justify="right", no_wrap=True)
    grid.add_row(Text(where, style="bold cyan"), progress)
    if title and width >= 50:
        return Group(Text(title, style="dim"), grid)
    return grid


def _choices(view: View) -> RenderableType:
    step = view.step
    if step.compact:
        line = Text("  ")
        for choice in step.choices:
            line.append(choice.key, style="bold")
            line.append("  ")
        rows: list[RenderableType] = [line]
        for extra in step.non_answers:
            rows.append(Text.assemble("  ", (extra.key, "bold"), "  ", extra.label))
        return Group(*rows)
    key_width = max(len(c.key) for c in step.all_choices)
    lines = []
    for choice in step.all_choices:
        line = Text("  " + choice.key.rjust(key_width), style="bold")
        line.append("  " + choice.label, style="")
        lines.append(line)
    return Group(*lines)


def _indent(renderable: RenderableType, cells: int = 2) -> RenderableType:
    from rich.padding import Padding

    return Padding(renderable, (0, 0, 0, cells), expand=False)


def question(
    view: View,
    title: str,
    width: int,
    message: str = "",
    message_style: str = "yellow",
) -> RenderableType:
    """A question screen: section and progress, the statement, the choices, the earlier answer,
    a message (a hint after a mistake, or the help), and how to answer."""
    step = view.step
    parts: list[RenderableType] = [_header(view, title, width), Text("")]
    statement = Text(step.text, style="bold")
    if step.kind == "question" and not step.required:
        statement.append(" (optional)", style="dim")
    if step.help:
        statement.append(HELP_MARK, style="cyan")
    parts.append(statement)
    if step.all_choices:
        parts.append(Text(""))
        parts.append(_choices(view))
    parts.append(Text(""))
    if view.earlier is not None:
        parts.append(
            Text.assemble("Earlier answer: ", (view.earlier, "bold"), ("  (Enter keeps it)", "dim"))
        )
    if message:
        parts.append(Text(message, style=message_style))
    hint = view.hint
    if step.kind == "segment":
        hint = hint.rstrip(".") + ", or press Enter to skip." if step.choices else hint
    parts.append(Text(hint, style="dim"))
    parts.append(Text(KEYS_LINE if step.help else KEYS_LINE_NO_HELP, style="dim"))
    return Group(*parts)


def help_text(view: View) -> str:
    """The help shown for `?`: the question's own help, then how to answer."""
    lines = [view.step.help] if view.step.help else ["No extra help for this question."]
    lines.append(
        "b goes back one question (Enter then keeps the earlier answer), s skips an optional "
        "question, q saves your answers and quits; run the same command again to continue."
    )
    return "\n".join(lines)


def command_line(*words: str | Path) -> str:
    """A shell command with each word quoted when needed."""
    return " ".join(shlex.quote(str(w)) for w in words)


def command(text: str) -> RenderableType:
    """A command to type, indented, never wrapped nor cut (the terminal prints with
    `crop=False`), so that it can be copied whole."""
    # In a Group, because Console.print re-wraps a bare Text whatever its no_wrap says.
    return Group(Text("  " + text, style="bold", no_wrap=True, overflow="ignore"))


def pdf_command(output: Path) -> RenderableType:
    """The command that turns a response file into a PDF report."""
    return command(command_line("cxassess", "report", output, "-o", output.with_suffix(".pdf")))


def summary(results: Results, output: Path, width: int) -> RenderableType:
    """The end screen: overall index and level, a bar per dimension, the first three
    recommendations, and the command that makes the PDF report."""
    parts: list[RenderableType] = [
        Text(""),
        Text("Thank you. Your answers are complete.", style="bold"),
        Text(f"Saved in {output}", style="dim"),
        Text(""),
    ]
    overall = results.overall
    level = results.level(overall.level)
    if overall.score is None:
        parts.append(Text("Too few answers to compute an overall index.", style="yellow"))
    else:
        line = Text("Overall index  ", style="bold")
        line.append(f"{overall.score:.0f}", style="bold cyan")
        line.append(" / 100")
        if level is not None:
            line.append(f"  {level.title}", style="bold")
        parts.append(line)
        if level is not None and level.summary:
            parts.append(Text(level.summary, style="dim"))
    parts.append(Text(""))
    names = [d.title for d in results.dimensions]
    name_width = min(max((len(n) for n in names), default=8), max(10, width // 3))
    levels = [results.level(d.level) for d in results.dimensions]
    level_width = max((len(lv.title) for lv in levels if lv), default=0)
    bar_cells = _bar_width(width, name_width + level_width + 10, most=30)
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, max_width=name_width, overflow="ellipsis")
    grid.add_column(no_wrap=True)
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column(no_wrap=True, overflow="ellipsis")
    for dim, dim_level in zip(results.dimensions, levels, strict=True):
        if dim.score is None:
            grid.add_row(dim.title, Text(EMPTY * bar_cells, style="dim"), "–", "too few answers")
            continue
        grid.add_row(
            dim.title,
            bar(dim.score / 100, bar_cells),
            f"{dim.score:.0f}",
            dim_level.title if dim_level else "",
        )
    parts.append(grid)
    if results.recommendations:
        parts.append(Text(""))
        parts.append(Text("Where to start", style="bold"))
        for number, rec in enumerate(results.recommendations[:3], start=1):
            line = Text(f"{number}. ", style="bold")
            line.append(rec.title)
            line.append(f" ({rec.priority})", style="dim")
            parts.append(_indent(line))
            if rec.actions:
                parts.append(_indent(Text(rec.actions[0], style="dim"), 5))
    parts.append(Text(""))
    parts.append(Text("Turn it into a PDF report:"))
    parts.append(pdf_command(output))
    return Group(*parts)
