"""`cxassess score` (score survey exports and response files) and `cxassess template`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cxassess.cli.app import (
    command,
    err_console,
    guarded,
    out_console,
    print_problems,
    quiet,
    say,
)
from cxassess.cli.completion import complete_questionnaire
from cxassess.cli.options import (
    DEFAULT_MIN_GROUP_SIZE,
    IncludeTestResponsesOption,
    KeepFirstDuplicateOption,
    LangOption,
    MapOption,
    MinCommentGroupSizeOption,
    MinGroupSizeOption,
    QuestionnaireOption,
    QuietOption,
    SegmentsOption,
    StrictOption,
)


@command(
    "score",
    examples=[
        "cxassess score answers.csv -q three-abilities -g team",
        "cxassess score exports/ -q three-abilities -o results.xlsx",
    ],
)
@guarded
def score_command(
    inputs: Annotated[
        list[str],
        typer.Argument(
            help="Survey exports (CSV, TSV, XLSX from Google Forms, Microsoft Forms, Qualtrics, "
            "SurveyMonkey or our own layout; Parquet or Arrow files, or a folder of Parquet "
            "files), response files of `cxassess run` (.json), or folders of them; mixed freely.",
            metavar="INPUT",
            show_default=False,
        ),
    ],
    questionnaire: QuestionnaireOption,
    segment: SegmentsOption = [],  # noqa: B006 (Typer copies option defaults)
    min_group_size: MinGroupSizeOption = DEFAULT_MIN_GROUP_SIZE,
    min_comment_group_size: MinCommentGroupSizeOption = None,
    keep_first_duplicate: KeepFirstDuplicateOption = False,
    output: str = typer.Option(
        None,
        "-o",
        "--output",
        help="Write the results to FILE instead of showing them: .json (every figure), .csv "
        "(a tidy table) or .xlsx (a workbook); - writes JSON to standard output.",
        metavar="FILE",
        show_default=False,
    ),
    map_file: MapOption = None,
    strict: StrictOption = False,
    lang: LangOption = None,
    include_test_responses: IncludeTestResponsesOption = False,
    compare: Path = typer.Option(
        None,
        "--compare",
        help="An earlier results.json of the same questionnaire: show the change of every "
        "figure since then, marked only where larger than its noise; -o files hold it too.",
        metavar="PREVIOUS.JSON",
        show_default=False,
    ),
    quiet_flag: QuietOption = False,
) -> None:
    """Score survey exports and response files: figures per item, dimension and group.

    Unreadable answers count as missing and the first 20 are listed; --strict stops at the
    first. With -o - the results go to standard output as JSON, and messages to standard error.
    """
    # imported when the command runs, not at the top: `--help` must not load polars or WeasyPrint
    from cxassess.format.catalog import resolve_questionnaire
    from cxassess.outputs.files import write_stdout
    from cxassess.outputs.progress import steps_on
    from cxassess.outputs.terminal import results_view
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
    with steps_on(err_console(), quiet=quiet()) as progress:
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
            include_tests=include_test_responses,
            on_step=progress.step,
        )
        comparison = compare_with_previous(results, previous) if previous is not None else None
        written = None
        if output is not None and not to_stdout:
            progress.step(f"Writing {output}")
            written = write_results(results, output, comparison)
    print_problems(problems)
    if to_stdout:
        write_stdout(results_json(results, comparison) + "\n")
    elif written is not None:
        groups = len({g.segment for g in results.groups})
        moved = ""
        if comparison is not None:
            count = sum(
                1
                for c in [comparison.overall, *comparison.dimensions, *comparison.items]
                if c.marked
            )
            moved = f", {count} figure(s) moved beyond the noise since {compare}"
        say(
            f"wrote {written}: {results.respondents:,} respondent(s)"
            + (f", {groups} breakdown(s)" if groups else "")
            + moved
        )
    else:
        out_console().print(results_view(results, comparison))


@command(
    "template",
    examples=[
        "cxassess template three-abilities -o answers.xlsx",
        "cxassess template three-abilities > answers.csv",
    ],
)
@guarded
def template_command(
    questionnaire: str = typer.Argument(
        ...,
        help="A built-in id (see `cxassess list`) or a YAML file.",
        metavar="QUESTIONNAIRE",
        show_default=False,
        autocompletion=complete_questionnaire,
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
    quiet_flag: QuietOption = False,
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
    say(
        f"wrote {written}: one column per question of '{q.id}'; fill in a row per respondent, "
        f"then run: cxassess score {written} -q {questionnaire}"
    )
