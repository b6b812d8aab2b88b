"""The Typer application and the one place where errors become messages and exit codes.

Command modules register on `app` and wrap their bodies with `@guarded`; they parse options,
call one library function, and print. Heavy libraries are imported inside command bodies only,
so `cxassess --help` stays fast.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import typer

from cxassess import __version__
from cxassess.errors import CxError

app = typer.Typer(
    name="cxassess",
    help="See your customer-service culture the way your customers do: questionnaires, "
    "scores and leadership reports.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

_state = {"debug": bool(os.environ.get("CXASSESS_DEBUG"))}

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
        except CxError as exc:
            if _state["debug"]:
                raise
            report_error(exc)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            err_console().print("interrupted")
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
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks for errors."),
) -> None:
    """See your customer-service culture the way your customers do."""
    _state["debug"] = debug or _state["debug"]


def debug_enabled() -> bool:
    """Whether --debug was given."""
    return _state["debug"]


def stdin_is_terminal() -> bool:
    """Whether a person is typing (used to choose interactive behaviour)."""
    return sys.stdin.isatty()
