"""`cxassess run`: answer a questionnaire in the terminal."""

from __future__ import annotations

from pathlib import Path

import typer

from cxassess.cli.app import command, guarded
from cxassess.cli.completion import complete_questionnaire


@command(
    "run",
    examples=[
        "cxassess run three-abilities --respondent Sam --segment team=Support",
        "cxassess run --resume response-three-abilities-Sam.partial.json",
    ],
)
@guarded
def run_command(
    questionnaire: str = typer.Argument(
        None,
        help="A built-in id (see `cxassess list`) or a YAML file. May be left out with --resume.",
        metavar="QUESTIONNAIRE",
        show_default=False,
        autocompletion=complete_questionnaire,
    ),
    output: Path = typer.Option(
        None,
        "-o",
        "--output",
        help="Response file to write. Default: a file in this folder named after the "
        "questionnaire and the respondent (or the time), e.g. response-three-abilities-Sam.json.",
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
    force: bool = typer.Option(
        False, "--force", help="Replace the output file if it already exists, without asking."
    ),
    overwrite: bool = typer.Option(
        False, "--overwrite", hidden=True, help="The former name of --force."
    ),
) -> None:
    """Answer a questionnaire in the terminal; every answer is saved as you go.

    Type the number of an answer (or its first letters) and Enter; b goes back, s skips an
    optional question, ? shows the help of questions marked with ?, q saves and quits; Ctrl-C
    stops too, keeping the answers so far. Without a terminal (a pipe), one answer per line.
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
        overwrite=force or overwrite,
    )
    run_assessment(request, Terminal.for_process())
