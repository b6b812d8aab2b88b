"""`cxassess export`: write a questionnaire in a survey tool's import format."""

from __future__ import annotations

from pathlib import Path

import typer

from cxassess.cli.app import app, err_console, guarded

_FORMATS = "xlsform, surveyjs, limesurvey, qualtrics, google-forms, docx or md"


@app.command("export")
@guarded
def export_command(
    questionnaire: str = typer.Argument(..., help="A built-in id or a path to a YAML file."),
    to: str = typer.Option(..., "--to", help=f"The format to write: {_FORMATS}."),
    output: Path = typer.Option(
        None, "-o", "--output", help="Write to this file (default: <id>.<format suffix>)."
    ),
    lang: str = typer.Option(None, "--lang", help="Language of the form (default: the first)."),
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
    console = err_console()
    console.print(f"wrote {target} ({fmt.summary})", markup=False)
    for note in export_notes(q, fmt.name):
        console.print(note, markup=False)
