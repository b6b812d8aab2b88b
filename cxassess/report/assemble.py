"""The work of `make_report` once the outputs are settled: read and score the inputs, add the
gap, the change and the response rates, draw each document and write it.

Kept apart from `build`, which starts the PDF rendering process before importing this module
(and with it polars, NumPy and the models), so that WeasyPrint loads in that process while
this one loads and scores.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from cxassess.errors import InputError, Location, Problem
from cxassess.format.catalog import resolve_questionnaire
from cxassess.inputs.classify import (
    classify_all,
    named_questionnaire,
    one_results_file,
    refuse_missing,
    refuse_not_inputs,
)
from cxassess.inputs.headcounts import read_headcounts
from cxassess.outputs.files import write_bytes_atomic, write_text_atomic
from cxassess.pipeline import score_answers
from cxassess.rendering.brand import Brand, default_brand, load_brand
from cxassess.rendering.htmlcheck import standalone_html
from cxassess.rendering.render import PDF_VARIANT, template_folders
from cxassess.report.context import ReportOptions
from cxassess.report.document import render_document
from cxassess.report.extras import check_extras, gap_documents, report_additions
from cxassess.report.groups import group_documents
from cxassess.report.participation import add_participation
from cxassess.report.request import LoadedInputs, ReportOutcome, ReportRequest
from cxassess.results import Results, read_results
from cxassess.scoring.privacy import PrivacySettings, apply_privacy


def _load_results_file(path: Path, request: ReportRequest) -> LoadedInputs:
    results = read_results(path)
    if request.lang and request.lang != results.language:
        raise InputError(
            f"{path} was scored in '{results.language}'; --lang {request.lang} needs the answers",
            hint="give the response files or the survey export instead, with --lang",
        )
    if request.segments:
        present = list(dict.fromkeys(g.segment for g in results.groups))
        missing = [s for s in request.segments if s not in present]
        if missing:
            raise InputError(
                f"{path} has no breakdown by {', '.join(missing)}",
                hint=f"its breakdowns: {', '.join(present) or 'none'}; or score again with "
                f"`cxassess score ... -g {missing[0]}`",
            )
        results = results.model_copy(
            update={"groups": [g for g in results.groups if g.segment in request.segments]}
        )
    problems = []
    if request.min_group_size < results.min_group_size:
        problems.append(
            Problem(
                location=Location(None),
                where="--min-group-size",
                what=f"{path} already hides groups below {results.min_group_size}; "
                f"they cannot be shown with {request.min_group_size}",
                severity="warning",
            )
        )
    results = apply_privacy(
        results, PrivacySettings(request.min_group_size, request.min_comment_group_size)
    )
    questionnaire = None
    try:
        questionnaire = resolve_questionnaire(request.questionnaire or results.questionnaire.id)
    except InputError:
        if request.questionnaire:
            raise
    if (
        request.questionnaire
        and questionnaire is not None
        and questionnaire.id != results.questionnaire.id
    ):
        raise InputError(
            f"{path} holds results of the questionnaire '{results.questionnaire.id}', "
            f"not '{questionnaire.id}' given with -q",
            hint=f"leave out -q (a results file names its questionnaire), or give "
            f"-q {results.questionnaire.id}",
        )
    if questionnaire is not None and questionnaire.version != results.questionnaire.version:
        questionnaire = None
    return LoadedInputs(
        results=results, questionnaire=questionnaire, kind="organisation", problems=problems
    )


def load_inputs(request: ReportRequest) -> LoadedInputs:
    """Read and score the inputs: a results file as it is, answers through `score_inputs`."""
    if not request.inputs:
        raise InputError("no input given", hint="give a results.json, response files or exports")
    infos = classify_all(request.inputs)
    refuse_not_inputs(
        infos,
        "answers or results",
        "give a results.json of `cxassess score`, response files or survey exports"
        + (
            "; for the gap, use --customer or `cxassess gap`"
            if any(i.kind == "gap" for i in infos)
            else ""
        ),
    )
    results_file = one_results_file(infos)
    if results_file is not None:
        return _load_results_file(results_file.path, request)
    ref = request.questionnaire or named_questionnaire(infos)
    if ref is None:
        refuse_missing(infos)
        raise InputError(
            "which questionnaire do these answers belong to?",
            hint="give it with -q, e.g. -q three-abilities (see `cxassess list`)",
        )
    questionnaire = resolve_questionnaire(ref)
    personal = len(infos) == 1 and infos[0].kind == "response"
    segments = [] if personal else list(request.segments)
    if request.per_group and request.per_group not in segments:
        segments.insert(0, request.per_group)
    scored = score_answers(
        [i.path for i in infos],
        questionnaire,
        segments=segments,
        min_group_size=request.min_group_size,
        mapping=request.mapping,
        strict=request.strict,
        lang=request.lang,
        min_comment_group_size=request.min_comment_group_size,
        keep_first_duplicate=request.keep_first_duplicate,
        include_tests=request.include_tests,
        keep_frame=bool(request.per_group),
    )
    return LoadedInputs(
        results=scored.results,
        questionnaire=questionnaire,
        kind="personal" if personal else "organisation",
        problems=scored.problems,
        respondent=infos[0].respondent if personal else "",
        scored=scored,
    )


def _brand(request: ReportRequest) -> Brand:
    return load_brand(request.brand) if request.brand else default_brand()


def assemble(
    request: ReportRequest,
    output: Path,
    suffix: str,
    workers: Any,
    on_step: Callable[[str], None] | None,
    on_group: Callable[[int, int, str], None] | None,
) -> ReportOutcome:
    """Check the brand, the template folder and the extras, then make the report(s) into
    `output` (of kind `suffix`), PDFs through `workers` (None: no PDF is asked for)."""

    def step(name: str) -> None:
        if on_step:
            on_step(name)

    brand = _brand(request)
    template_folders(request.template)
    previous = check_extras(request)
    return _make(request, brand, output, suffix, workers, step, on_group, previous)


def _make(
    request: ReportRequest,
    brand: Brand,
    output: Path,
    suffix: str,
    workers: Any,
    step: Callable[[str], None],
    on_group: Callable[[int, int, str], None] | None,
    previous: Results | None = None,
) -> ReportOutcome:
    """`make_report` once the output and the rendering processes are settled."""

    headcounts = read_headcounts(request.headcounts) if request.headcounts else None
    loaded = load_inputs(request)
    outcome = ReportOutcome(results=loaded.results)
    outcome.warnings = [str(p) for p in loaded.problems]
    if request.results_output is not None:
        write_text_atomic(request.results_output, loaded.results.to_json())
    added = report_additions(request, loaded, brand, previous, step)
    if headcounts is not None:
        added.participation = add_participation(added, loaded, headcounts)
    outcome.gap, outcome.comparison = added.gap, added.comparison
    outcome.problems = list(loaded.problems)
    if added.customers is not None:
        outcome.customer_problems = list(added.customers.problems)
    outcome.warnings += added.warnings
    options = ReportOptions(
        kind=loaded.kind,
        paper=request.paper,
        subject=loaded.respondent,
        warnings=_appendix_warnings(loaded.problems) + added.warnings[:5],
        questionnaire=loaded.questionnaire,
        primary_segment=request.per_group,
        comparison=added.comparison,
        summary_extra=added.summary,
        customers=added.customers.results if added.customers else None,
        gap=added.gap,
    )
    step("Drawing the report")
    jobs = [
        (output, render_document(loaded.results, brand, options, request.template, added.sections))
    ]
    if added.gap is not None and request.gap_outputs:
        step("Drawing the gap report")
        jobs += gap_documents(added.gap, request.gap_outputs, brand, request.template)
        outcome.files += [p for p in request.gap_outputs if p.suffix.lower() == ".json"]
    if request.per_group and loaded.kind != "personal":
        step("Drawing the reports per group")
        jobs += group_documents(request, loaded, brand, suffix, outcome, added, previous)
    step(f"Writing {output.name}" if len(jobs) == 1 else f"Writing {len(jobs)} reports")
    _write_documents(jobs, workers, request, brand, on_group if len(jobs) > 1 else None)
    outcome.files += [target for target, _html in jobs]
    return outcome


def _appendix_warnings(problems: Sequence[Problem]) -> list[str]:
    shown = [str(p) for p in problems[:20]]
    if len(problems) > 20:
        shown.append(f"... and {len(problems) - 20} more")
    return shown


def _write_documents(
    jobs: Sequence[tuple[Path, str]],
    workers: Any,
    request: ReportRequest,
    brand: Brand,
    on_progress: Callable[[int, int, str], None] | None,
) -> None:
    """Write finished HTML as is (no `workers`), or as PDF rendered by the worker processes,
    in parallel when there are several documents."""

    total = len(jobs)
    if on_progress:
        on_progress(0, total, "")
    pdf_jobs = [job for job in jobs if job[0].suffix.lower() == ".pdf"]
    done = 0
    for target, html in jobs:
        if target.suffix.lower() != ".pdf":
            write_text_atomic(target, standalone_html(html))
            done += 1
            if on_progress:
                on_progress(done, total, target.name)
    if not pdf_jobs:
        return
    assert workers is not None, "PDF documents need the rendering processes"

    def finished(index: int, pdf: bytes) -> None:
        nonlocal done
        write_bytes_atomic(pdf_jobs[index][0], pdf)
        done += 1
        if on_progress:
            on_progress(done, total, pdf_jobs[index][0].name)

    workers.render(
        [html for _target, html in pdf_jobs],
        template_folder=request.template,
        brand_files=brand.allowed_files(),
        variant=PDF_VARIANT,
        on_done=finished,
    )
