"""The thin layer between a `Session` and a person: read a line, show a screen.

Two modes, one protocol. Interactive (a person at a terminal): each question is drawn on a
clean screen, in colour unless NO_COLOR is set, with line editing. Non-interactive (stdin or
stdout is not a terminal: a pipe, a file, CI): no colours and no cursor movement; each question
is printed once, each line read is echoed after the prompt so the transcript reads like the
conversation, and mistakes print only the hint.
"""

from __future__ import annotations

import contextlib
import io
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Literal

from rich.console import Console, RenderableType
from rich.text import Text

from cxassess.errors import InputError
from cxassess.interview import render
from cxassess.interview.session import Session

PROMPT = "> "

LoopEnd = Literal["done", "quit", "ended"]


class Terminal:
    """Where a run shows screens and reads answers, one line at a time."""

    def __init__(
        self,
        console: Console,
        read_line: Callable[[str], str | None],
        *,
        interactive: bool,
    ):
        self.console = console
        self._read_line = read_line
        self.interactive = interactive

    @classmethod
    def for_process(cls) -> Terminal:
        """The terminal of this process: interactive when stdin and stdout are terminals.
        Refuses (`InputError`) when standard input is closed, as with `<&-`: no answer could
        be read."""
        if sys.stdin is None or sys.stdin.closed:
            raise InputError(
                "standard input is closed, so no answer can be read",
                hint="run `cxassess run` in a terminal, or give it the answers one per line "
                "on standard input (cxassess run QUESTIONNAIRE < answers.txt)",
            )
        out = sys.stdout
        interactive = sys.stdin.isatty() and out is not None and not out.closed and out.isatty()
        if interactive:
            console = Console(highlight=False)
            return cls(console, _console_reader(console), interactive=True)
        console = Console(highlight=False, color_system=None, force_terminal=False)
        return cls(console, _stdin_reader, interactive=False)

    @classmethod
    def scripted(
        cls, lines: Iterable[str], *, interactive: bool = False, width: int = 80
    ) -> Terminal:
        """A terminal fed from a list of lines, printing into memory (see `transcript`): for
        tests and for driving a run from code."""
        console = Console(
            file=io.StringIO(),
            width=width,
            highlight=False,
            color_system=None,
            force_terminal=False,
        )
        feed: Iterator[str] = iter(lines)

        def read(prompt: str) -> str | None:
            return next(feed, None)

        return cls(console, read, interactive=interactive)

    def transcript(self) -> str:
        """Everything printed so far, when the console prints into memory."""
        file = self.console.file
        return file.getvalue() if isinstance(file, io.StringIO) else ""

    @property
    def width(self) -> int:
        """The console's width in columns."""
        return self.console.width

    def show(self, renderable: RenderableType | str = "") -> None:
        """Print a screen part. Text wraps at the width; lines marked `no_wrap` (commands to
        copy) are printed whole rather than cut."""
        self.console.print(renderable, crop=False)

    def clear(self) -> None:
        """Start a fresh screen (interactive only; a pipe never gets cursor movement)."""
        if self.interactive and self.console.is_terminal:
            self.console.clear()

    def read(self, prompt: str = PROMPT) -> str | None:
        """One line typed after `prompt`, without its newline; None when input has ended.
        At a terminal the line editor shows the prompt; elsewhere the prompt and the line read
        are printed, so that the transcript reads like the conversation."""
        if self.interactive and self.console.is_terminal:
            return self._read_line(prompt)
        self.console.print(Text(prompt, style="bold"), end="")
        line = self._read_line(prompt)
        self.console.print("" if line is None else line, markup=False, highlight=False)
        return line

    def confirm(self, question: str, *, default: bool) -> bool:
        """Ask a yes/no question; Enter takes the default; None (end of input) too."""
        choices = "[Y/n]" if default else "[y/N]"
        self.show(Text(question, style="bold"))
        while True:
            answer = self.read(f"{choices} ")
            if answer is None or not answer.strip():
                return default
            word = answer.strip().casefold()
            if word in ("y", "yes"):
                return True
            if word in ("n", "no"):
                return False
            self.show(Text("Please type y or n.", style="yellow"))


def _stdin_reader(prompt: str) -> str | None:
    line = sys.stdin.readline()
    if not line:
        return None
    return line.rstrip("\r\n")


def _console_reader(console: Console) -> Callable[[str], str | None]:
    """Read with the line editor (arrow keys, backspace), which draws the prompt itself."""
    with contextlib.suppress(ImportError):  # no readline on Windows
        import readline  # noqa: F401  (importing it gives input() line editing)

    def read(prompt: str) -> str | None:
        try:
            return input(prompt)
        except EOFError:
            console.print()
            return None

    return read


def ask_all(
    session: Session,
    terminal: Terminal,
    *,
    title: str,
    save: Callable[[], None],
    intro: RenderableType | None = None,
) -> LoopEnd:
    """Ask the session's questions until the last is answered (`done`), the respondent types
    `q` (`quit`) or input ends (`ended`); `save` runs after every change to the record."""
    message, style = "", "yellow"
    printed_index: int | None = None
    intro_index = session.index
    while not session.done:
        view = session.view()
        show_intro = intro is not None and session.index == intro_index
        if terminal.interactive:
            terminal.clear()
            if show_intro:
                terminal.show(intro)
            heading = "" if show_intro else title
            terminal.show(render.question(view, heading, terminal.width, message, style))
        else:
            if show_intro and printed_index is None:
                terminal.show(intro)
            if printed_index != session.index:
                terminal.show(render.question(view, "", terminal.width))
            elif message:
                terminal.show(Text(message, style=style))
                terminal.show(Text(view.hint, style="dim"))
        printed_index = session.index
        if session.index != intro_index:
            intro_index = -1
        line = terminal.read()
        if line is None:
            return "ended"
        reply = session.submit(line)
        if reply.changed:
            save()
        if reply.kind == "quit":
            return "quit"
        if reply.kind == "help":
            message, style = render.help_text(view), "cyan"
        elif reply.kind == "rejected":
            message, style = reply.message, "yellow"
        else:
            message, style = "", "yellow"
        if not terminal.interactive and reply.kind in ("answered", "kept", "skipped", "back"):
            terminal.show()
    return "done"
