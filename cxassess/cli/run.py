"""`cxassess run`: answer a questionnaire in the terminal."""

from __future__ import annotations

from pathlib import Path

import typer

from cxassess.cli.app import app, guarded


@app.command("run")
@guarded
def run_command(
    questionnaire: str = typer.Argument(
        None,
        help="A built-in id (see `cxassess list`) or a YAML file. May be left out with --resume.",
        metavar="QUESTIONNAIRE",
        show_default=False,
    ),
    output: Path = typer.Option(
        None,
        "-o",
        "--output",
        help="Response file to write. Default: response-<questionnaire>-<respondent or time>"
        ".json in this folder.",
        metavar="FILE",
        show_default=False,
    ),
    respondent: str = typer.Option(
        None,
        "--respondent",
        help="Name or code of the person answering (kept in the file).",
        metavar="NAME",
    ),
    segment: list[str] = typer.Option(
        None,
        "--segment",
        help="Answer a segment question in advance, e.g. --segment team=Support (repeatable).",
        metavar="KEY=VALUE",
        show_default=False,
    ),
    lang: str = typer.Option(
        None, "--lang", help="Language of the questions, e.g. en.", metavar="LANG"
    ),
    resume: Path = typer.Option(
        None,
        "--resume",
        help="Continue a saved run: its .partial.json file (or the response file it belongs to).",
        metavar="FILE",
        show_default=False,
    ),
    overwrite: bool = typer.Option(
        False, "--overwrite", help="Replace the output file if it already exists."
    ),
) -> None:
    """Answer a questionnaire in the terminal; every answer is saved as you go.

    Type the number of an answer (or its first letters) and Enter; b goes back, s skips an
    optional question, ? shows help, q saves and quits. Without a terminal (a pipe), one
    answer per line.
    """
    from cxassess.interview.assessment import RunRequest, run_assessment
    from cxassess.interview.terminal import Terminal

    request = RunRequest(
        questionnaire=questionnaire,
        output=output,
        respondent=respondent,
        segments=list(segment or []),
        lang=lang,
        resume=resume,
        overwrite=overwrite,
    )
    run_assessment(request, Terminal.for_process())
