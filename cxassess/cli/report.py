"""Commands about the leadership report: `report`, `demo` and `init brand`."""

from __future__ import annotations

from pathlib import Path

import typer

from cxassess.cli.app import (
    CxGroup,
    app,
    command,
    err_console,
    examples_epilog,
    guarded,
    out_console,
    print_problems,
    quiet,
    say,
)
from cxassess.cli.completion import complete_questionnaire, complete_segment
from cxassess.cli.options import (
    DEFAULT_MIN_GROUP_SIZE,
    HeadcountsOption,
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

init_app = typer.Typer(
    name="init",
    cls=CxGroup,
    help="Write commented starter files to edit (e.g. a brand.yaml for the report).",
    epilog=examples_epilog(["cxassess init brand"]),
    no_args_is_help=True,
)
app.add_typer(init_app, name="init")


@command(
    "report",
    examples=[
        "cxassess report results.json -o report.pdf --brand brand.yaml",
        "cxassess report staff.csv -q three-abilities --customer customers.csv",
    ],
)
@guarded
def report_command(
    inputs: list[Path] = typer.Argument(
        ...,
        help="A results.json of `cxassess score`, response files of `cxassess run`, or survey "
        "exports (CSV, XLSX, Parquet, Arrow); folders are searched for answer files.",
        show_default=False,
        metavar="INPUT",
    ),
    questionnaire: QuestionnaireOption = None,  # type: ignore[assignment]
    output: Path = typer.Option(
        None,
        "-o",
        "--output",
        metavar="FILE",
        help="report.pdf (default) or report.html.",
        show_default=False,
    ),
    brand: Path = typer.Option(
        None,
        "--brand",
        metavar="BRAND.YAML",
        help="brand.yaml: organisation, logo, colours, fonts, footer, title.",
    ),
    template: Path = typer.Option(
        None,
        "--template",
        metavar="DIR",
        help="Folder of templates overriding the built-in ones by name.",
    ),
    segments: SegmentsOption = [],  # noqa: B006 (Typer copies option defaults)
    per_group: str = typer.Option(
        None,
        "--per-group",
        metavar="SEGMENT",
        help="Also write one report per group of this segment.",
        autocompletion=complete_segment,
    ),
    out_dir: Path = typer.Option(
        None, "--out-dir", metavar="DIR", help="Folder for --per-group reports (default: reports/)."
    ),
    min_group_size: MinGroupSizeOption = DEFAULT_MIN_GROUP_SIZE,
    min_comment_group_size: MinCommentGroupSizeOption = None,
    keep_first_duplicate: KeepFirstDuplicateOption = False,
    include_test_responses: IncludeTestResponsesOption = False,
    lang: LangOption = None,
    paper: str = typer.Option(
        None, "--paper", metavar="PAPER", help="A4 or Letter (default: the brand's, else A4)."
    ),
    mapping: MapOption = None,
    strict: StrictOption = False,
    jobs: int = typer.Option(
        None, "--jobs", metavar="N", help="Processes for --per-group (default: one per core)."
    ),
    customer: list[Path] = typer.Option(
        [],
        "--customer",
        metavar="CUSTOMER_INPUT",
        help="Customer answers (exports, response files, or a results.json of the customer "
        "questionnaire; repeatable): adds the perception gap, staff against customers.",
        show_default=False,
    ),
    customer_questionnaire: str = typer.Option(
        None,
        "--customer-questionnaire",
        metavar="QUESTIONNAIRE",
        help="Questionnaire of the customer answers. Default: the one their file names, else "
        "the customer questionnaire paired with the staff one (three-abilities-customer for "
        "three-abilities).",
        autocompletion=complete_questionnaire,
    ),
    compare: Path = typer.Option(
        None,
        "--compare",
        metavar="PREVIOUS.JSON",
        help="An earlier results.json of the same questionnaire: show the change since then "
        "on every figure, marked only where larger than its noise.",
    ),
    headcounts: HeadcountsOption = None,
    quiet_flag: QuietOption = False,
) -> None:
    """Write the leadership report (PDF or HTML) from results, response files or exports.

    With --customer, the report adds the perception gap between your people's answers and
    customers'; with --compare, the change since earlier results.
    """
    # imported when the command runs, not at the top: `--help` must not load polars or WeasyPrint
    from cxassess.outputs.progress import steps_on
    from cxassess.report.build import ReportRequest, make_report

    request = ReportRequest(
        inputs=inputs,
        questionnaire=questionnaire,
        output=output,
        brand=brand,
        template=template,
        segments=segments,
        per_group=per_group,
        out_dir=out_dir,
        min_group_size=min_group_size,
        min_comment_group_size=min_comment_group_size,
        keep_first_duplicate=keep_first_duplicate,
        include_tests=include_test_responses,
        lang=lang,
        paper=paper,
        mapping=mapping,
        strict=strict,
        workers=jobs,
        customer=customer,
        customer_questionnaire=customer_questionnaire,
        compare=compare,
        headcounts=headcounts,
    )
    with steps_on(err_console(), quiet=quiet()) as progress:
        outcome = make_report(request, on_step=progress.step, on_group=progress.count)
    print_problems(outcome.problems)
    print_problems(outcome.customer_problems, "customer")
    for skipped in outcome.skipped_groups:
        say(f"skipped {skipped}")
    for file in outcome.files:
        say(f"wrote {file}")


@command("demo", examples=["cxassess demo", "cxassess demo --out-dir sample --seed 7"])
@guarded
def demo_command(
    out_dir: Path = typer.Option(
        Path("cxassess-demo"),
        "--out-dir",
        metavar="DIR",
        help="Folder for the sample data and report.",
    ),
    seed: int = typer.Option(
        2024, "--seed", metavar="N", help="Seed of the random answers (same seed, same files)."
    ),
    quiet_flag: QuietOption = False,
) -> None:
    """Generate realistic sample answers (staff and customers), score them and write the
    report, in one go."""
    from cxassess.demo import run_demo
    from cxassess.outputs.progress import steps_on
    from cxassess.visible import visible as escape

    with steps_on(err_console(), quiet=quiet()) as progress:
        files = run_demo(out_dir, seed=seed, on_step=progress.step, on_group=progress.count)
    print_problems(files.problems)
    print_problems(files.customer_problems, "customer")
    console = out_console()
    console.print(f"[bold]Sample data and report written to {escape(str(files.folder))}/[/]")
    for path, what in (
        (files.staff_csv, "staff answers (three-abilities), 7 teams"),
        (files.customer_csv, "customer answers (three-abilities-customer)"),
        (files.previous_csv, "staff answers of a year earlier"),
        (files.brand, "the demo brand; edit it and report again"),
        (files.previous_results, "last year's results, to compare with"),
        (files.results, "scored results"),
        (files.report, "the leadership report, with the gap and the change"),
        (files.gap_json, "the perception gap's figures"),
        (files.gap_pdf, "the perception gap as a report of its own"),
    ):
        if path is not None:
            console.print(f"  {escape(str(path))}  [dim]{what}[/]")
    console.print(
        "\nNext: open the report, then try\n"
        f"  cxassess report {files.staff_csv} -q three-abilities -g team "
        f"--per-group team --out-dir {files.folder / 'teams'} --brand {files.brand} "
        f"--customer {files.customer_csv}",
        soft_wrap=True,
        markup=False,
    )


@command(
    "brand",
    parent=init_app,
    examples=["cxassess init brand", "cxassess init brand -o acme-brand.yaml --force"],
)
@guarded
def init_brand_command(
    output: Path = typer.Option(
        Path("brand.yaml"), "-o", "--output", metavar="FILE", help="File to write."
    ),
    force: bool = typer.Option(False, "--force", help="Replace the file if it already exists."),
    quiet_flag: QuietOption = False,
) -> None:
    """Write a commented starter brand.yaml for `cxassess report --brand`."""

    from cxassess.errors import InputError
    from cxassess.outputs.files import write_text_atomic
    from cxassess.rendering.brand import STARTER_BRAND

    if output.exists() and not force:
        raise InputError(f"{output} already exists", hint="use --force to overwrite it")
    write_text_atomic(output, STARTER_BRAND)
    say(f"wrote {output}: edit it, then run `cxassess report ... --brand {output}`")
