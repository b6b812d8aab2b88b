"""`cxassess score` (score survey exports and response files) and `cxassess template`."""

from __future__ import annotations

from pathlib import Path

import typer

from cxassess.cli.app import app, err_console, guarded, out_console


@app.command("score")
@guarded
def score_command(
    inputs: list[str] = typer.Argument(
        ...,
        help="Survey exports (CSV, TSV, XLSX from Google Forms, Microsoft Forms, Qualtrics, "
        "SurveyMonkey or our own layout), response files of `cxassess run` (.json), or folders "
        "of them; mixed freely.",
        metavar="INPUT",
        show_default=False,
    ),
    questionnaire: str = typer.Option(
        ...,
        "-q",
        "--questionnaire",
        help="The questionnaire answered: a built-in id (see `cxassess list`) or a YAML file.",
        metavar="QUESTIONNAIRE",
        show_default=False,
    ),
    segment: list[str] = typer.Option(
        None,
        "-g",
        "--segment",
        help="Break the results down by a segment of the questionnaire, or by any column of "
        "the input (repeatable).",
        metavar="SEGMENT",
        show_default=False,
    ),
    min_group_size: int = typer.Option(
        5,
        "--min-group-size",
        help="Groups with fewer respondents show only their number, to protect anonymity.",
        metavar="N",
    ),
    min_comment_group_size: int = typer.Option(
        None,
        "--min-comment-group-size",
        help="Groups with fewer respondents show no comments (default 10, never below "
        "--min-group-size).",
        metavar="N",
        show_default=False,
    ),
    keep_first_duplicate: bool = typer.Option(
        False,
        "--keep-first-duplicate",
        help="Keep the first of repeated responses (the same respondent id, or the same "
        "answers in two files) instead of refusing them.",
    ),
    output: str = typer.Option(
        None,
        "-o",
        "--output",
        help="Write the results to FILE instead of showing them: .json (every figure), .csv "
        "(a tidy table) or .xlsx (a workbook); - writes JSON to standard output.",
        metavar="FILE",
        show_default=False,
    ),
    map_file: Path = typer.Option(
        None,
        "--map",
        help="A YAML file mapping odd headers to question ids and odd answers to values.",
        metavar="FILE",
        show_default=False,
    ),
    strict: bool = typer.Option(
        False,
        "--strict",
        help="Stop at the first unreadable answer (exit 2) instead of counting it as missing.",
    ),
    lang: str = typer.Option(
        None, "--lang", help="Language of the texts in the results, e.g. en.", metavar="LANG"
    ),
    compare: Path = typer.Option(
        None,
        "--compare",
        help="An earlier results.json of the same questionnaire: show the change of every "
        "figure since then, marked only where larger than its noise; -o files hold it too.",
        metavar="PREVIOUS.JSON",
        show_default=False,
    ),
) -> None:
    """Score survey exports and response files: figures per item, dimension and group.

    Unreadable answers count as missing and the first 20 are listed; --strict stops at the first.
    """
    from cxassess.format.catalog import resolve_questionnaire
    from cxassess.outputs.terminal import problem_lines, results_view
    from cxassess.outputs.writers import (
        check_results_path,
        compare_with_previous,
        read_previous_results,
        results_json,
        write_results,
    )
    from cxassess.pipeline import score_inputs

    to_stdout = output == "-"
    if output is not None and not to_stdout:
        check_results_path(output)
    q = resolve_questionnaire(questionnaire)
    previous = read_previous_results(compare, q.id) if compare is not None else None
    results, problems = score_inputs(
        inputs,
        q,
        segments=list(segment or []),
        min_group_size=min_group_size,
        min_comment_group_size=min_comment_group_size,
        keep_first_duplicate=keep_first_duplicate,
        mapping=map_file,
        strict=strict,
        lang=lang,
    )
    comparison = compare_with_previous(results, previous) if previous is not None else None
    errors = err_console()
    for line in problem_lines(problems):
        errors.print(line)
    if to_stdout:
        typer.echo(results_json(results, comparison))
    elif output is not None:
        written = write_results(results, output, comparison)
        groups = len({g.segment for g in results.groups})
        moved = ""
        if comparison is not None:
            count = sum(
                1
                for c in [comparison.overall, *comparison.dimensions, *comparison.items]
                if c.marked
            )
            moved = f", {count} figure(s) moved beyond the noise since {compare}"
        errors.print(
            f"wrote {written}: {results.respondents:,} respondent(s)"
            + (f", {groups} breakdown(s)" if groups else "")
            + moved,
            markup=False,
        )
    else:
        out_console().print(results_view(results, comparison))


@app.command("template")
@guarded
def template_command(
    questionnaire: str = typer.Argument(
        ...,
        help="A built-in id (see `cxassess list`) or a YAML file.",
        metavar="QUESTIONNAIRE",
        show_default=False,
    ),
    output: Path = typer.Option(
        None,
        "-o",
        "--output",
        help="Write to FILE: .csv (the header row) or .xlsx (with drop-down lists of answers "
        "and a sheet explaining each column). Without it, the CSV goes to standard output.",
        metavar="FILE",
        show_default=False,
    ),
    lang: str = typer.Option(
        None, "--lang", help="Language of the question texts in the .xlsx.", metavar="LANG"
    ),
) -> None:
    """Write a blank answers file with the right headers, for collecting answers by hand.

    Fill in one row per respondent and score it with `cxassess score FILE -q QUESTIONNAIRE`.
    """
    from cxassess.format.catalog import resolve_questionnaire
    from cxassess.outputs.template import template_csv, write_template

    q = resolve_questionnaire(questionnaire)
    if output is None:
        typer.echo(template_csv(q), nl=False)
        return
    written = write_template(q, output, lang)
    err_console().print(
        f"wrote {written}: one column per question of '{q.id}'; fill in a row per respondent, "
        f"then run: cxassess score {written} -q {questionnaire}",
        markup=False,
    )
