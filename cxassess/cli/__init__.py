"""The `cxassess` command line: a thin adapter over the library (see `app.py`)."""

from __future__ import annotations

# Command modules register themselves on `app` when imported (one line each).
from cxassess.cli import questionnaires as _questionnaires  # noqa: F401
from cxassess.cli.app import app

from cxassess.cli import run as _run  # noqa: E402, F401
from cxassess.cli import gap as _gap  # noqa: E402, F401
from cxassess.cli import score as _score  # noqa: E402, F401
from cxassess.cli import report as _report  # noqa: E402, F401
# -- command modules above this line --


def main() -> None:
    """Entry point of the `cxassess` console script."""
    app()


__all__ = ["app", "main"]
