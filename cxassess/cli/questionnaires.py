"""Commands about questionnaires: list, show, validate, schema."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from cxassess.cli.app import command, err_console, guarded, out_console, say
from cxassess.cli.completion import complete_questionnaire
from cxassess.cli.options import QuietOption
from cxassess.visible import visible as escape


@command("list", examples=["cxassess list", "cxassess list --json"])
@guarded
def list_command(
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """List the questionnaires: built-in, ./questionnaires and $CXASSESS_PATH."""
    from cxassess.format.catalog import list_questionnaires
    from cxassess.format.describe import catalog_rows, catalog_table

    entries, notes = list_questionnaires()
    if as_json:
        typer.echo(json.dumps(catalog_rows(entries), indent=2, ensure_ascii=False))
    else:
        out_console().print(catalog_table(entries))
    for note in notes:
        err_console().print(f"[yellow]warning:[/] {escape(note)}")


@command("show", examples=["cxassess show three-abilities", "cxassess show my-survey.yaml --json"])
@guarded
def show_command(
    questionnaire: str = typer.Argument(
        ...,
        help="A built-in id or a path to a YAML file.",
        metavar="QUESTIONNAIRE",
        show_default=False,
        autocompletion=complete_questionnaire,
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the questionnaire as JSON."),
    lang: str = typer.Option(None, "--lang", metavar="LANG", help="Language of the texts shown."),
) -> None:
    """Show a questionnaire's structure: scales, dimensions, items, levels."""
    from cxassess.format.catalog import resolve_questionnaire
    from cxassess.format.describe import questionnaire_json, questionnaire_tree

    q = resolve_questionnaire(questionnaire)
    if as_json:
        typer.echo(questionnaire_json(q))
    else:
        out_console().print(questionnaire_tree(q, lang))


@command(
    "validate",
    examples=[
        "cxassess validate my-survey.yaml",
        "cxassess validate questionnaires/*.yaml --strict",
    ],
)
@guarded
def validate_command(
    files: list[Path] = typer.Argument(
        ..., help="Questionnaire YAML files to check.", metavar="FILE", show_default=False
    ),
    strict: bool = typer.Option(False, "--strict", help="Treat warnings as errors."),
    as_json: bool = typer.Option(
        False, "--json", help="Print the outcome as JSON on stdout (every problem, with where)."
    ),
) -> None:
    """Check questionnaire files; every problem is listed as file:line: where: what; how to fix."""
    from cxassess.format.validate import validate_files

    outcome = validate_files(files, strict=strict)
    if as_json:
        typer.echo(json.dumps(outcome.as_json(), indent=2, ensure_ascii=False))
        raise typer.Exit(outcome.exit_code)
    console = err_console()
    for line in outcome.lines():
        if line.startswith("warning: "):
            console.print(f"[yellow]warning:[/] {escape(line.removeprefix('warning: '))}")
        else:
            console.print(f"[bold red]error:[/] {escape(line)}")
    for note in outcome.notes:
        console.print(f"note: {escape(note)}")
    out_console().print(outcome.summary(), markup=False)
    raise typer.Exit(outcome.exit_code)


@command(
    "schema",
    examples=[
        "cxassess schema -o cxassess.schema.json",
        "cxassess schema results -o results.schema.json",
    ],
)
@guarded
def schema_command(
    kind: str = typer.Argument(
        "questionnaire",
        metavar="KIND",
        help="Which file: questionnaire (the default), results, gap or response.",
    ),
    output: Path = typer.Option(
        None, "-o", "--output", metavar="FILE", help="Write to this file.", show_default=False
    ),
    quiet: QuietOption = False,
) -> None:
    """Print the JSON Schema of a questionnaire (for editors) or of a file cxassess writes:
    results.json, gap.json or a response file of `cxassess run`."""
    from cxassess.outputs.files import write_text_atomic
    from cxassess.schemas import schema_text

    text = schema_text(kind)
    if output is None:
        typer.echo(text, nl=False)
    else:
        write_text_atomic(output, text)
        say(f"wrote {output}")
