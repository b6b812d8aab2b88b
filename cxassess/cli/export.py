"""`cxassess export`: write a questionnaire in a survey tool's import format."""

from __future__ import annotations

from pathlib import Path

import typer

from cxassess.cli.app import command, guarded, say
from cxassess.cli.completion import complete_questionnaire
from cxassess.cli.options import QuietOption

_FORMATS = "xlsform, surveyjs, limesurvey, qualtrics, google-forms, docx or md"


@command(
    "export",
    examples=[
        "cxassess export three-abilities --to google-forms",
        "cxassess export my-survey.yaml --to xlsform -o my-survey.xlsx",
    ],
)
@guarded
def export_command(
    questionnaire: str = typer.Argument(
        ...,
        help="A built-in id or a path to a YAML file.",
        metavar="QUESTIONNAIRE",
        show_default=False,
        autocompletion=complete_questionnaire,
    ),
    to: str = typer.Option(
        ..., "--to", metavar="FORMAT", help=f"The format to write: {_FORMATS}.", show_default=False
    ),
    output: Path = typer.Option(
        None,
        "-o",
        "--output",
        metavar="FILE",
        help="Write to this file (default: the questionnaire's id and the format's suffix).",
        show_default=False,
    ),
    lang: str = typer.Option(
        None, "--lang", metavar="LANG", help="Language of the form (default: the first)."
    ),
    quiet_flag: QuietOption = False,
) -> None:
    """Write a questionnaire as a form for KoboToolbox/ODK, SurveyJS, LimeSurvey, Qualtrics,
    Google Forms, Microsoft Forms (Word) or paper."""
    from cxassess.exporting import export_format, export_notes, render_export
    from cxassess.format.catalog import resolve_questionnaire
    from cxassess.outputs.files import write_bytes_atomic

    fmt = export_format(to)
    q = resolve_questionnaire(questionnaire)
    data = render_export(q, fmt.name, lang)
    target = output if output is not None else Path(f"{q.id}{fmt.suffix}")
    write_bytes_atomic(target, data)
    say(f"wrote {target} ({fmt.summary})")
    for note in export_notes(q, fmt.name):
        say(note)
