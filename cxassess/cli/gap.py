"""`cxassess gap`: the experience perception gap between staff and customers."""

from __future__ import annotations

from pathlib import Path

import typer

from cxassess.cli.app import command, guarded, out_console, print_problems, say
from cxassess.cli.completion import complete_questionnaire, complete_segment
from cxassess.cli.options import (
    DEFAULT_MIN_GROUP_SIZE,
    IncludeTestResponsesOption,
    LangOption,
    MinGroupSizeOption,
    QuietOption,
    StrictOption,
)


@command(
    "gap",
    examples=[
        "cxassess gap staff.csv customers.csv -g team",
        "cxassess gap staff-results.json customer-results.json -o gap.pdf",
    ],
)
@guarded
def gap_command(
    staff_input: Path = typer.Argument(
        ...,
        metavar="STAFF_INPUT",
        help="Staff answers: a results.json of `score`, a survey export or response file.",
    ),
    customer_input: Path = typer.Argument(
        ..., metavar="CUSTOMER_INPUT", help="Customer answers, in any of the same forms."
    ),
    questionnaire: str = typer.Option(
        None,
        "-q",
        "--questionnaire",
        metavar="QUESTIONNAIRE",
        help="Staff questionnaire (id or file). Default: the one named in the results, "
        "else three-abilities.",
        autocompletion=complete_questionnaire,
    ),
    customer_questionnaire: str = typer.Option(
        None,
        "--customer-questionnaire",
        metavar="QUESTIONNAIRE",
        help="Customer questionnaire (id or file). Default: the one named in the results, "
        "else the customer questionnaire sharing the staff one's dimensions.",
        autocompletion=complete_questionnaire,
    ),
    segment: list[str] = typer.Option(
        [],
        "-g",
        "--segment",
        metavar="SEGMENT",
        help="Also show the gap per group of this segment (repeatable). A segment of both "
        "questionnaires pairs groups; one of a single side sets each group against the other "
        "side as a whole.",
        autocompletion=complete_segment,
    ),
    output: list[Path] = typer.Option(
        [],
        "-o",
        "--output",
        metavar="FILE",
        help="Write gap.json, gap.html or gap.pdf (repeatable); - writes the JSON to "
        "standard output instead of the tables.",
    ),
    compare: Path = typer.Option(
        None,
        "--compare",
        metavar="GAP.JSON",
        help="An earlier gap.json: show how each gap moved since then.",
    ),
    threshold: float = typer.Option(
        10.0,
        "--threshold",
        metavar="POINTS",
        min=0.0,
        max=100.0,
        help="Points of clear gap from which staff above customers is called a blind spot.",
    ),
    min_group_size: MinGroupSizeOption = DEFAULT_MIN_GROUP_SIZE,
    strict: StrictOption = False,
    include_test_responses: IncludeTestResponsesOption = False,
    brand: Path = typer.Option(
        None,
        "--brand",
        metavar="BRAND.YAML",
        help="brand.yaml for the report: colours, logo, organisation, paper.",
    ),
    template: Path = typer.Option(
        None,
        "--template",
        metavar="DIR",
        help="Folder whose gap/*.html or gap/*.css override the built-in.",
    ),
    lang: LangOption = None,
    all_items: bool = typer.Option(False, "--all-items", help="List every item gap."),
    quiet_flag: QuietOption = False,
) -> None:
    """Set what your people believe they deliver against what customers say they receive.

    For each shared dimension and paired item: both scores (0-100), the gap (staff minus
    customers) with its 95% interval, and whether it is clear of noise. Blind spots are gaps
    where staff rate the service clearly and far above customers; hidden strengths are the
    reverse.
    """
    # imported when the command runs, not at the top: `--help` must not load polars or WeasyPrint
    from cxassess.gap.build import build_gap
    from cxassess.gap.outputs import check_output_paths, write_gap_outputs
    from cxassess.gap.terminal import gap_renderables
    from cxassess.outputs.files import write_stdout

    to_stdout = any(str(path) == "-" for path in output)
    output = [path for path in output if str(path) != "-"]
    loaded_brand = check_output_paths(output, brand=brand, template_folder=template)
    run = build_gap(
        staff_input,
        customer_input,
        staff_questionnaire=questionnaire,
        customer_questionnaire=customer_questionnaire,
        segments=segment,
        min_group_size=min_group_size,
        threshold=threshold,
        strict=strict,
        lang=lang,
        compare=compare,
        include_tests=include_test_responses,
    )
    print_problems(run.staff_problems, "staff")
    print_problems(run.customer_problems, "customer")
    # files first: a table cut short by `| head` must not cost the user their outputs
    written = write_gap_outputs(run.gap, output, brand=loaded_brand, template_folder=template)
    if to_stdout:
        write_stdout(run.gap.to_json() + "\n")
    else:
        console = out_console()
        for renderable in gap_renderables(run.gap, all_items=all_items):
            console.print(renderable)
    for path in written:
        say(f"wrote {path}")
