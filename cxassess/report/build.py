"""`make_report`: from the command's inputs to written report files, in one call.

INPUT is a `results.json` of `cxassess score`, response files of `cxassess run`, or survey
exports; the last two are scored on the fly by `cxassess.pipeline.score_inputs`, the same path
as `cxassess score`. A single response file gives a personal report. With `per_group`, one
report per group at or above the threshold is rendered in parallel processes, plus an
overview; file names are slugs of the group's value, checked to lie inside the output folder.
With `customer`, the report gains the perception gap against those customer answers; with
`compare`, the change since those previous results on every figure (see `extras`).

This module stays light to import: `make_report` starts the PDF rendering process first and
only then loads the scoring and report code (`assemble`), so that WeasyPrint loads in that
process while this one loads polars, NumPy and the models and scores the answers.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from cxassess.errors import InputError
from cxassess.report.request import LoadedInputs, ReportOutcome, ReportRequest
from cxassess.report.workers import PdfWorkers, worker_count

__all__ = ["LoadedInputs", "ReportOutcome", "ReportRequest", "load_inputs", "make_report"]

OUTPUT_SUFFIXES = (".pdf", ".html")


def load_inputs(request: ReportRequest) -> LoadedInputs:
    """Read and score the inputs: a results file as it is, answers through `score_inputs`."""
    # imported here, not at the top, to keep this module light (see the module text)
    from cxassess.report.assemble import load_inputs as read_and_score

    return read_and_score(request)


def _output_kind(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in OUTPUT_SUFFIXES:
        raise InputError(
            f"cannot write a report as '{suffix or path.name}'",
            hint="name the output report.pdf, or report.html for a web page",
        )
    return suffix


def make_report(
    request: ReportRequest,
    *,
    on_step: Callable[[str], None] | None = None,
    on_group: Callable[[int, int, str], None] | None = None,
) -> ReportOutcome:
    """Score (if needed), render and write the report(s). `on_step` is told each step;
    `on_group(done, total, label)` follows the documents when several are rendered."""
    request.check()  # again: fields may have been changed since the request was made
    if request.per_group:
        _check_out_dir(Path(request.out_dir or "reports"))
    output = Path(request.output or "report.pdf")
    if request.per_group and request.output is None:
        output = Path(request.out_dir or "reports") / "overview.pdf"
    suffix = _output_kind(output)
    documents = [output, *(p for p in request.gap_outputs if p.suffix.lower() != ".json")]
    pdfs = sum(1 for p in documents if p.suffix.lower() == ".pdf")
    if not pdfs:
        return _assemble(request, output, suffix, None, on_step, on_group)
    # Started before the rest is even imported, the workers load WeasyPrint while this process
    # loads and scores the answers. With --per-group the number of documents is known only
    # after scoring; the surplus workers are stopped when the documents are handed out.
    count = worker_count(request.workers, None if request.per_group else pdfs)
    with PdfWorkers(count) as workers:
        return _assemble(request, output, suffix, workers, on_step, on_group)


def _assemble(
    request: ReportRequest,
    output: Path,
    suffix: str,
    workers: PdfWorkers | None,
    on_step: Callable[[str], None] | None,
    on_group: Callable[[int, int, str], None] | None,
) -> ReportOutcome:
    # imported here, once the workers are started: see the module text
    from cxassess.report.assemble import assemble

    return assemble(request, output, suffix, workers, on_step, on_group)


def _check_out_dir(out_dir: Path) -> None:
    """Refuse, before any work, a --out-dir that is (or lies inside) a file, which would
    otherwise fail only when the first group's report is written."""
    for folder in (out_dir, *out_dir.parents):
        if folder.exists():
            if not folder.is_dir():
                raise InputError(
                    f"{folder} is a file, not a folder",
                    hint="give --out-dir a folder (it is created if missing)",
                )
            return
