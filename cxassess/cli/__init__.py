"""The `cxassess` command line: a thin adapter over the library (see `app.py`)."""

from __future__ import annotations

from importlib import import_module

from cxassess.cli.app import app

# Command modules register themselves on `app` when imported; `--help` lists the commands in
# this order, the everyday ones first.
COMMAND_MODULES = ("report", "run", "score", "gap", "questionnaires", "export")
for _module in COMMAND_MODULES:
    import_module(f"cxassess.cli.{_module}")


def main() -> None:
    """Entry point of the `cxassess` console script."""
    app()


__all__ = ["app", "main"]
