"""One error hierarchy for every failure a user can cause.

Each error carries where it happened (file, line or row, column) and a hint on how to fix it,
so the command line can print one readable line per problem and choose the exit code:
2 for bad input (`InputError` and its subclasses), 1 for everything else.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Location:
    """Where a problem is: a file and, when known, a line (or spreadsheet row) and a column."""

    file: str | None = None
    line: int | None = None
    column: int | str | None = None

    def __str__(self) -> str:
        parts = [self.file or "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
        if self.column is not None and not isinstance(self.column, str):
            parts.append(str(self.column))
        return ":".join(parts)


@dataclass
class Problem:
    """One thing wrong with an input: where, in what part (`where`), what, and how to fix it."""

    location: Location
    where: str
    what: str
    hint: str = ""
    severity: str = "error"  # "error" or "warning"

    def __str__(self) -> str:
        text = f"{self.location}: "
        if self.where:
            text += f"{self.where}: "
        text += self.what
        if self.hint:
            text += f"; {self.hint}"
        return text


class CxError(Exception):
    """Base of every error cxassess raises on purpose. Exit code 1 unless a subclass says 2."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str = "", location: Location | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.location = location

    def lines(self) -> list[str]:
        """The message as the lines a user should read."""
        prefix = f"{self.location}: " if self.location else ""
        text = prefix + self.message
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return [text]


class InputError(CxError):
    """The user gave us something we cannot use: a bad file, option or value (exit code 2)."""

    exit_code = 2


class FileNotFound(InputError):
    """A file the user named does not exist or cannot be read."""

    def __init__(self, path: str | Path, what: str = "file", hint: str = ""):
        super().__init__(
            f"{what} not found: {path}",
            hint=hint or "check the path, or run the command from the folder that holds it",
        )
        self.path = str(path)


class ValidationError(InputError):
    """Several problems found in one input, all collected before stopping."""

    def __init__(self, problems: list[Problem], subject: str = "input"):
        errors = [p for p in problems if p.severity == "error"]
        super().__init__(f"{len(errors)} problem(s) in {subject}")
        self.problems = problems

    def lines(self) -> list[str]:
        """One line per problem, errors and warnings alike, in file order."""
        return [("warning: " if p.severity == "warning" else "") + str(p) for p in self.problems]


class QuestionnaireNotFound(InputError):
    """A questionnaire id that is neither built in, in ./questionnaires, nor a file."""


class ResponseError(InputError):
    """Answers that cannot be read or do not fit the questionnaire."""


class TooManyGroups(InputError):
    """A segment column with more different values than groups can be scored: an id or a
    free-text column given to -g. Its own class, so that scoring can name a mistyped -g
    first, as it does whatever the file's size."""


class ReportError(CxError):
    """The report could not be rendered (template, brand or PDF engine failure)."""


class InterruptedRun(CxError):
    """The interactive run was interrupted (Ctrl-C) before the last answer; the partial file
    is kept. Exit code 130, as for any command stopped by Ctrl-C."""

    exit_code = 130


class Cancelled(CxError):
    """The user declined (answered "no" to "replace?"): nothing was changed. Not a failure
    of the input, so exit code 1 and a plain message rather than an error."""
