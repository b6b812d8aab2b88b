"""Benchmark the full `cxassess report` command against WeasyPrint alone on the same HTML.

    python benchmarks/bench_report.py [--repeat 5] [--keep FOLDER]

Writes the demo's data (297 staff answers in 7 teams, `cxassess demo`), then times, in the same
run, in fresh child processes, interleaved so that a busy machine slows both alike:

- command: `cxassess report staff-answers.csv -q three-abilities -g team -g role --brand
  brand.yaml -o report.pdf`: start Python, import, read and score the CSV, build the context,
  draw the charts, render the templates, lay out and write the PDF, exit;
- WeasyPrint alone: a `python -c` process that imports WeasyPrint and writes the same finished
  HTML to PDF with the same settings (PDF/UA-1, the same base folder, the same embedded
  fonts), and nothing else, then exits as any program does.

What is the same on both sides: the interpreter and its start-up, the HTML WeasyPrint is given
(the command's `-o report.html` minus the one Content-Security-Policy line added to files
written as HTML, which is exactly what the command hands its PDF worker), the fonts (embedded
in that HTML), the PDF variant and the base folder. What differs is only the command's own
work: its imports, reading and scoring, the context and the templates. One warm-up run of each
comes first, so both find the same disk caches: Python's compiled modules, and the command's
compiled built-in templates (a report's very first run on a machine compiles them, about a
quarter of a second more). The command's PDF worker skips the interpreter's teardown once it
has sent the PDF; WeasyPrint alone exits normally, as the `weasyprint` command does.

Prints, for wall-clock and for processor time (user + system, the command's PDF worker
included), the best of each side and the ratio of the bests, and the range of the ratio over
the interleaved pairs. On a machine shared with other work the wall-clock times swell with the
load, while processor time shows what each side itself costs. Targets: at most 1.3 (issue
11), aiming at 1.1 (issue 15); the exit code is 1 above 1.3.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET = 1.3
AIM = 1.1

WEASYPRINT_ALONE = """
import sys
from weasyprint import HTML
html = open(sys.argv[1], encoding="utf-8").read()
HTML(string=html, base_url=sys.argv[3]).write_pdf(sys.argv[2], pdf_variant="pdf/ua-1")
"""


def _cxassess() -> list[str]:
    found = shutil.which("cxassess")
    return [found] if found else [sys.executable, "-m", "cxassess"]


def _cpu() -> float:
    """Processor seconds used so far by finished child processes (and theirs)."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _timed(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall-clock and processor seconds of one run of `command`."""
    start, cpu = time.perf_counter(), _cpu()
    subprocess.run(command, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - start, _cpu() - cpu


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs of each (best is kept)")
    parser.add_argument("--keep", type=Path, help="write the files here and keep them")
    args = parser.parse_args()

    from cxassess.demo import write_data
    from cxassess.rendering.htmlcheck import CSP_META
    from cxassess.rendering.render import builtin_theme

    folder = args.keep or Path(tempfile.mkdtemp(prefix="cxassess-bench-report-"))
    files = write_data(folder)
    base = [
        *_cxassess(),
        "report",
        files.staff_csv.name,
        "-q",
        "three-abilities",
        "-g",
        "team",
        "-g",
        "role",
        "--brand",
        files.brand.name,
    ]
    subprocess.run([*base, "-o", "report.html"], cwd=folder, check=True, capture_output=True)
    written = (folder / "report.html").read_text(encoding="utf-8")
    policy = "\n" + CSP_META + "\n"
    assert written.count(policy) == 1, "the HTML file no longer starts as the benchmark expects"
    html = folder / "weasyprint-input.html"
    html.write_text(written.replace(policy, "", 1), encoding="utf-8")
    alone = [
        sys.executable,
        "-c",
        WEASYPRINT_ALONE,
        str(html),
        str(folder / "weasyprint-alone.pdf"),
        builtin_theme().resolve().as_uri() + "/",
    ]
    command = [*base, "-o", "report.pdf"]
    # one warm-up of each, so that both start with the same disk caches
    _timed(command, folder)
    _timed(alone, folder)
    full_times, alone_times = [], []
    for _ in range(args.repeat):
        full_times.append(_timed(command, folder))
        alone_times.append(_timed(alone, folder))
    full, bare = min(t for t, _ in full_times), min(t for t, _ in alone_times)
    full_cpu, bare_cpu = min(c for _, c in full_times), min(c for _, c in alone_times)
    wall_ratios = [f / a for (f, _), (a, _) in zip(full_times, alone_times, strict=True)]
    cpu_ratios = [f / a for (_, f), (_, a) in zip(full_times, alone_times, strict=True)]
    pages = subprocess.run(
        ["pdfinfo", str(folder / "report.pdf")], capture_output=True, text=True, check=False
    ).stdout
    page_count = next(
        (line.split()[-1] for line in pages.splitlines() if line.startswith("Pages:")), "?"
    )
    ratio = full / bare
    print(f"report: {page_count} pages from 297 staff answers (demo data), best of {args.repeat}")
    print(
        f"  cxassess report (CSV to PDF, whole command)  {full:6.2f} s wall  {full_cpu:6.2f} s CPU"
    )
    print(
        f"  WeasyPrint alone (same HTML to PDF)          {bare:6.2f} s wall  {bare_cpu:6.2f} s CPU"
    )
    print(
        f"  ratio of the bests                           {ratio:6.2f} wall  "
        f"{full_cpu / bare_cpu:6.2f} CPU  (target <= {TARGET}, aim {AIM})"
    )
    print(
        f"  ratio over the {args.repeat} pairs                     "
        f"{min(wall_ratios):.2f}-{max(wall_ratios):.2f} wall  "
        f"{min(cpu_ratios):.2f}-{max(cpu_ratios):.2f} CPU"
    )
    if args.keep is None:
        shutil.rmtree(folder, ignore_errors=True)
    sys.exit(0 if ratio <= TARGET else 1)


if __name__ == "__main__":
    main()
