"""The Typer application and the one place where errors become messages and exit codes.

Command modules register on `app` with `@command(name, examples=...)` and wrap their bodies
with `@guarded`; they parse options, call one library function, and print. Heavy libraries
are imported inside command bodies only, so `cxassess --help` stays fast.

Conventions every command shares: results on standard output, messages on standard error
(`say`, silenced by `-Q`); exit code 0 done, 1 failed or cancelled, 2 bad input, 130
interrupted (Ctrl-C).
"""

from __future__ import annotations

import functools
import inspect
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from cxassess import __version__
from cxassess.errors import Cancelled, CxError, InterruptedRun


class _PlainOption(TyperOption):
    """An option whose help shows its placeholder (FILE, N) and nothing for a flag, instead
    of Typer's Python type labels (`<bool>`, `<str>`)."""

    def display_type_rich(self, ctx: Any) -> str | None:
        return None if self.is_flag else self.metavar


class _PlainArgument(TyperArgument):
    """An argument whose help shows its upper-case name only, not `<list[Path]>`."""

    def display_type_rich(self, ctx: Any) -> str | None:
        return None


def _plain_params(params: list[Any]) -> list[Any]:
    for param in params:
        if type(param) is TyperOption:
            param.__class__ = _PlainOption
        elif type(param) is TyperArgument:
            param.__class__ = _PlainArgument
    return params


class CxCommand(TyperCommand):
    """A command whose `--help` reads like the rest of cxassess (see `_PlainOption`)."""

    def get_params(self, ctx: Any) -> list[Any]:
        return _plain_params(super().get_params(ctx))


class CxGroup(TyperGroup):
    """The group counterpart of `CxCommand`, for `cxassess` itself and `cxassess init`."""

    def get_params(self, ctx: Any) -> list[Any]:
        return _plain_params(super().get_params(ctx))


app = typer.Typer(
    name="cxassess",
    cls=CxGroup,
    help="See your customer-service culture the way your customers do: questionnaires, "
    "scores and leadership reports.",
    epilog="[bold]Examples[/]\n"
    "$ cxassess demo\n"
    "$ cxassess score answers.csv -q three-abilities -g team",
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def reflow(text: str | None) -> str:
    """A docstring as help text: each paragraph on one line, so that the help screen wraps
    it at the terminal's width instead of breaking where the source line ended."""
    paragraphs = inspect.cleandoc(text or "").split("\n\n")
    return "\n\n".join(" ".join(p.split()) for p in paragraphs)


def examples_epilog(examples: Sequence[str]) -> str:
    """The closing part of a command's help: its examples, one per line (Rich markup)."""
    lines = ["[bold]Examples[/]", *("$ " + e.replace("[", "\\[") for e in examples)]
    return "\n".join(lines)


def command(
    name: str, *, examples: Sequence[str], parent: typer.Typer | None = None
) -> Callable[[F], F]:
    """Register a command on `app` (or `parent`) with its docstring as help and its
    examples at the end of `--help`; every command has one or two."""

    def decorate(func: F) -> F:
        target = app if parent is None else parent
        target.command(
            name, cls=CxCommand, help=reflow(func.__doc__), epilog=examples_epilog(examples)
        )(func)
        return func

    return decorate


_state = {"debug": bool(os.environ.get("CXASSESS_DEBUG")), "quiet": False}

F = TypeVar("F", bound=Callable[..., Any])


def err_console() -> Any:
    """A Rich console on stderr (honours NO_COLOR and non-terminals)."""
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def out_console() -> Any:
    """A Rich console on stdout."""
    from rich.console import Console

    return Console(highlight=False)


def print_problems(problems: Sequence[Any], answers: str = "") -> None:
    """Show what reading the answers met on stderr, the same way in every command: file-level
    warnings, then the count of unreadable cells and the first of them. `answers` names whose
    answers they are ("customer") where a command reads two sides."""
    from cxassess.outputs.terminal import problem_lines

    lines = problem_lines(list(problems))
    if not lines:
        return
    console = err_console()
    if answers:
        console.print(f"[bold]In the {answers} answers:[/]")
    for line in lines:
        console.print(line)


def quiet() -> bool:
    """Whether -Q asked for no messages (progress, "wrote ..." lines) on stderr."""
    return bool(_state["quiet"])


def set_quiet(value: bool) -> bool:
    """The callback of -Q/--quiet, on `cxassess` itself and on each command."""
    if value:
        _state["quiet"] = True
    return value


def say(message: str) -> None:
    """An informational message on stderr (what was written, what comes next), left out
    with -Q. Warnings and errors are printed whatever -Q says: they change what the figures
    mean."""
    if not quiet():
        from cxassess.visible import visible

        err_console().print(visible(message))


def report_error(error: CxError) -> None:
    """Print a cxassess error as its readable lines on stderr (one per problem)."""
    from cxassess.errors import ValidationError
    from cxassess.visible import visible

    console = err_console()
    for line in error.lines():
        if line.startswith("warning: "):
            shown = visible(line.removeprefix("warning: "))
            console.print(f"[yellow]warning:[/] {shown}")
        else:
            console.print(f"[bold red]error:[/] {visible(line)}")
    if isinstance(error, ValidationError) and len(error.problems) > 1:
        console.print(error.message, style="bold")


def guarded(func: F) -> F:
    """Run a command body, turning cxassess errors into a message and exit code (2 for bad
    input, 1 otherwise) and any other exception into a one-line internal error."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (Cancelled, InterruptedRun) as exc:
            # the user's own choice, not a failure: one plain line, no "error:"
            from cxassess.visible import visible

            hint = f"; {exc.hint}" if exc.hint else ""
            err_console().print(visible(exc.message + hint))
            raise typer.Exit(exc.exit_code) from None
        except CxError as exc:
            if _state["debug"]:
                raise
            report_error(exc)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            err_console().print("interrupted; nothing more was done", markup=False)
            raise typer.Exit(130) from None
        except (typer.Exit, typer.Abort):
            raise
        except Exception as exc:
            if _state["debug"]:
                raise
            from cxassess.visible import visible

            err_console().print(
                f"[bold red]error:[/] internal error: {visible(type(exc).__name__)}: "
                f"{visible(exc)}\n  hint: run again with --debug for the traceback, "
                "and please report it"
            )
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cxassess {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: bool = typer.Option(
        False,
        "-V",
        "--version",
        callback=_version,
        is_eager=True,
        help="Show the version and exit.",
    ),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks for errors."),
    quiet_flag: bool = typer.Option(
        False, "-Q", "--quiet", help="No messages on stderr except warnings and errors."
    ),
) -> None:
    """See your customer-service culture the way your customers do."""
    _state["debug"] = debug or _state["debug"]
    _state["quiet"] = quiet_flag  # each invocation starts afresh; a command's -Q may add it


def debug_enabled() -> bool:
    """Whether --debug was given."""
    return _state["debug"]


def stdin_is_terminal() -> bool:
    """Whether a person is typing (used to choose interactive behaviour)."""
    return sys.stdin.isatty()
