"""Benchmark `cxassess score` from a million to a hundred million respondents (issue 15).

    python benchmarks/bench_stream.py [--sizes 1M,20M,100M] [--repeat 3] [--data DIR]
    python benchmarks/bench_stream.py --quick        # 200k respondents, under a minute

The answers are those of `bench_score.py` (`bench-ten-items.yaml`: 10 items, two segments), written
once per size by `generate.py` into a cache folder outside the repository (`--data`, by default
`~/.cache/cxassess-bench`), as CSV and, for the streaming sizes, Parquet. Every measure is a whole
command in a fresh child process, timed on the wall clock, with the child's peak resident memory
from the kernel's accounting (`os.wait4`, in a small launcher: see `LAUNCHER`); the measures are
interleaved, so a busy machine slows them alike. It prints:

1. `cxassess score FILE -g team -g region` of the eager sizes (1M) against a bare polars read and
   group-by of the same file as a command; target at most 1.5 times.
2. The same of the streaming sizes (20M) against a bare polars streaming query,
   `scan_csv(...).group_by(...).agg(...)` collected with the streaming engine (see `STREAMING`); at
   most 1.5 times.
3. The same on the Parquet copy against the streaming query on the Parquet file; at most 1.5 times.
4. The peak memory of `cxassess score` at every size: under 1 GB each, and flat (the largest
   within 25% of the smallest).
5. `cxassess score` against polars computing the counts scoring keeps (`SAME_SUMS`: per cell,
   each dimension's combinations of answers, and the repeated respondent ids), CSV and
   Parquet: no target; it shows how much of each ratio above is scoring's own work.
6. The warehouse aggregation of `docs/warehouse.md` run by DuckDB over the Parquet file: its time,
   with no target (needs `pip install -e '.[bench]'`).

A ratio is the best wall-clock time of `cxassess` over the best of its baseline (the verdict); the
range beside it is the ratio of each run to its pair; the processor-time ratio (user + system) is
printed too, since a loaded machine inflates it less than the wall clock. A command that refuses
its input (today `score` reads at most 512 MiB) is reported as such, and its targets as not met.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

from bench_score import (  # noqa: E402
    BARE,
    ITEMS,
    QUESTIONNAIRE,
    SEGMENTS,
    _cli_command,
    _compile_package,
    _polars_version,
)
from generate import csv_file, default_folder, label, parquet_file, parse_size  # noqa: E402

TARGET_RATIO = 1.5
TARGET_BYTES = 1024**3
FLAT = 1.25
"""Largest peak memory over the smallest, across sizes, still counted as flat."""
WAREHOUSE_DOC = HERE.parent / "docs" / "warehouse.md"

STREAMING = """
import sys
import polars as pl
items, segments, path = {items!r}, {segments!r}, sys.argv[1]
scan = pl.scan_parquet(path) if path.endswith(".parquet") else pl.scan_csv(path)
sums = [pl.col(items).sum().name.suffix("|sum"), pl.col(items).count().name.suffix("|n")]
cells = scan.group_by(segments).agg(sums).collect(engine="streaming")
for segment in segments:
    means = [pl.col(f"{{i}}|sum").sum() / pl.col(f"{{i}}|n").sum() for i in items]
    cells.group_by(segment).agg(means)
"""
"""The bare streaming query: one pass over the file, summing and counting each item per cell
(combination of the segments' values), then each segment's means from the cells. One query
per segment would read the file once per segment (polars does not share the scan), which
would make the baseline twice as slow as it need be."""

SAME_SUMS = """
import sys
import polars as pl
dimensions, segments, path = {dimensions!r}, {segments!r}, sys.argv[1]
scan = pl.scan_parquet(path) if path.endswith(".parquet") else pl.scan_csv(path)
def combination(items):
    key = pl.lit(0, pl.UInt32)
    for item in items:  # answers 1-5, no answer 0: one number per combination of answers
        key = key * 8 + pl.col(item).fill_null(0).cast(pl.UInt32)
    return key.alias("combination")
queries = [scan.group_by([*segments, combination(items)]).len() for items in dimensions]
queries.append(scan.group_by("respondent").len().filter(pl.col("len") > 1))
pl.collect_all(queries, engine="streaming")
"""
"""What `cxassess score` keeps, written as polars streaming queries, for comparison only (no
target): per cell of the segments, how many respondents gave each combination of a
dimension's answers (the counts every item's distribution, the dimension's score and
Cronbach's alpha come from), and the respondent ids given more than once (the repeat check).
The issue's baselines sum and count each item: two figures per item where scoring needs a
count per answer, so they are the floor of any reading of the file rather than of scoring."""

DUCKDB = """
import sys
import duckdb
rows = duckdb.sql(sys.argv[1]).fetchall()
assert rows, "the aggregation returned no rows"
"""


@dataclass
class Run:
    """One child process: wall and processor seconds, peak resident bytes, and why it failed."""

    wall: float
    cpu: float
    rss: int
    failure: str = ""


@dataclass
class Measure:
    """A command run once per repeat, and its runs."""

    name: str
    command: list[str]
    runs: list[Run] = field(default_factory=list)

    @property
    def failure(self) -> str:
        return next((r.failure for r in self.runs if r.failure), "")

    def best(self) -> float:
        return min(r.wall for r in self.runs)

    def span(self) -> str:
        walls = [r.wall for r in self.runs]
        low, high = min(walls), max(walls)
        return f"{low:.2f} s" if len(walls) == 1 else f"{low:.2f}-{high:.2f} s"

    def peak(self) -> int:
        return max(r.rss for r in self.runs)

    def cpu(self) -> float:
        return min(r.cpu for r in self.runs)

    def shown(self) -> str:
        """Wall-clock range, best processor time and peak memory, or why it did not run."""
        if self.failure:
            return self.failure
        return f"{self.span():>15}  {self.cpu():7.2f} s  {self.peak() / 2**20:7,.0f} MB"


LAUNCHER = """
import json, os, sys, time
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(sys.argv[2], sys.argv[2:])
    finally:
        os._exit(127)
_pid, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - start
with open(sys.argv[1], "w") as out:
    json.dump([wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, status], out)
"""
"""Runs a command and writes its wall time, processor time, peak memory (KiB) and wait status.

Linux counts a process's peak memory from before its `exec`, so a command started straight from
this benchmark (which holds polars and generated data) would be measured as at least this
benchmark's own size: every command then shows the same figure. The launcher is a bare Python
(`-S`, no imports beyond the standard ones) that starts the command itself."""


def run_child(command: list[str], folder: Path) -> Run:
    """Run one command to its end, through `LAUNCHER`: its wall time, processor time and peak
    memory, and, when it fails, its own first line of complaint (a refusal such as "the file
    is too large")."""
    report = folder / "measure.json"
    report.unlink(missing_ok=True)
    launcher = [sys.executable, "-S", "-c", LAUNCHER, str(report), *command]
    process = subprocess.run(launcher, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = process.stderr.decode(errors="replace")
    if not report.exists():
        return Run(0.0, 0.0, 0, f"not run: {err.strip() or 'the launcher failed'}")
    wall, cpu, rss_kib, status = json.loads(report.read_text())
    code = os.waitstatus_to_exitcode(status)
    failure = ""
    if code != 0:
        lines = [line.strip() for line in err.splitlines() if line.strip()]
        said = next((line for line in lines if "too large" in line), None)
        said = said or next((line for line in reversed(lines) if "Error" in line), None)
        said = (said or (lines[-1] if lines else "no message")).removeprefix("error: ")
        for path in command:  # the file's name is in the table already
            said = said.removeprefix(f"{path}: ")
        failure = f"{'refused' if code == 2 else 'failed'} (exit {code}): {said}"
    # ru_maxrss is in KiB on Linux
    return Run(wall, cpu, rss_kib * 1024, failure)


def warehouse_sql(parquet: Path) -> str:
    """The one aggregation of `docs/warehouse.md` (its first sql block), over `parquet`."""
    text = WAREHOUSE_DOC.read_text(encoding="utf-8")
    found = re.search(r"```sql\n(.*?)```", text, re.S)
    if found is None:
        raise SystemExit(f"{WAREHOUSE_DOC}: no ```sql block found")
    return found.group(1).replace("'answers.parquet'", "'" + str(parquet).replace("'", "''") + "'")


def has_duckdb() -> bool:
    """Whether DuckDB is installed (the `bench` extra), without loading it here."""
    return importlib.util.find_spec("duckdb") is not None


class Plan:
    """The measures of one run, keyed by (what, size), in the order they are run."""

    def __init__(self, options: argparse.Namespace, out: Path) -> None:
        python, self.cli = sys.executable, _cli_command(sys.executable)
        self.measures: dict[tuple[str, int], Measure] = {}
        self.duckdb = has_duckdb()
        bare = BARE.format(items=ITEMS, segments=SEGMENTS)
        streaming = STREAMING.format(items=ITEMS, segments=SEGMENTS)
        same = SAME_SUMS.format(dimensions=_dimensions(), segments=SEGMENTS)
        for rows in options.sizes:
            csv = csv_file(options.data, rows)
            if rows in options.eager:
                self.add("bare read", rows, [python, "-c", bare, str(csv)])
            self.add("score csv", rows, self.score(csv, out))
            if rows in options.eager or rows in options.streaming:
                self.add("same sums csv", rows, [python, "-c", same, str(csv)])
            if rows in options.streaming:
                parquet = parquet_file(options.data, rows)
                self.add("bare stream csv", rows, [python, "-c", streaming, str(csv)])
                self.add("score parquet", rows, self.score(parquet, out))
                self.add("bare stream parquet", rows, [python, "-c", streaming, str(parquet)])
                self.add("same sums parquet", rows, [python, "-c", same, str(parquet)])
                if self.duckdb:
                    command = [python, "-c", DUCKDB, warehouse_sql(parquet)]
                    self.add("duckdb parquet", rows, command)

    def score(self, data: Path, out: Path) -> list[str]:
        segments = [word for segment in SEGMENTS for word in ("-g", segment)]
        return [*self.cli, "score", str(data), "-q", str(QUESTIONNAIRE), *segments, "-o", str(out)]

    def add(self, what: str, rows: int, command: list[str]) -> None:
        self.measures[(what, rows)] = Measure(f"{what} {label(rows)}", command)

    def run(self, repeat: int, folder: Path, say: Callable[[str], None]) -> None:
        """Every measure once per repeat, interleaved; a refused command is not run again."""
        for number in range(1, repeat + 1):
            for measure in self.measures.values():
                if measure.failure:
                    continue
                measure.runs.append(run_child(measure.command, folder))
                last = measure.runs[-1]
                state = last.failure or f"{last.wall:.2f} s, {last.rss / 2**20:,.0f} MB"
                say(f"run {number}/{repeat}: {measure.name}: {state}")


def ratio_lines(plan: Plan, what: str, baseline: str, title: str) -> tuple[list[str], list[bool]]:
    """The table of one comparison per size: both commands, the ratio, target and verdict."""
    lines, verdicts = [], []
    for (kind, rows), measure in plan.measures.items():
        if kind != what or (baseline, rows) not in plan.measures:
            continue
        base = plan.measures[(baseline, rows)]
        lines.append(f"\n{title}, {label(rows)} respondents")
        lines.append(f"  {'':28} {'wall clock':>15}  {'CPU best':>9}  {'peak RSS':>10}")
        for shown in (measure, base):
            lines.append(f"  {shown.name:28} {shown.shown()}")
        if measure.failure or base.failure:
            lines.append(f"  ratio: not measured    target <= {TARGET_RATIO:g}   FAIL")
            verdicts.append(False)
            continue
        ratio = measure.best() / base.best()
        pairs = [m.wall / b.wall for m, b in zip(measure.runs, base.runs, strict=False)]
        ok = ratio <= TARGET_RATIO
        verdicts.append(ok)
        lines.append(
            f"  ratio: {ratio:.2f} (runs {min(pairs):.2f}-{max(pairs):.2f})"
            f"   target <= {TARGET_RATIO:g}   {'PASS' if ok else 'FAIL'}"
        )
        lines.append(f"  processor time ratio: {measure.cpu() / base.cpu():.2f} (no target)")
    return lines, verdicts


def memory_lines(plan: Plan) -> tuple[list[str], list[bool]]:
    """Peak memory of `cxassess score` (CSV) at every size: under 1 GB, and flat."""
    lines = ["\npeak memory of cxassess score (CSV), target under 1 GiB each and flat"]
    peaks = []
    for (kind, rows), measure in plan.measures.items():
        if kind != "score csv":
            continue
        if measure.failure:
            lines.append(f"  {label(rows):>6}  {measure.failure}   FAIL")
            peaks.append(None)
            continue
        peak = measure.peak()
        peaks.append(peak)
        verdict = "PASS" if peak < TARGET_BYTES else "FAIL"
        shown = f"{peak / 2**20:7,.0f} MB   {measure.span():>15}"
        lines.append(f"  {label(rows):>6}  {shown}   {verdict}")
    verdicts = [p is not None and p < TARGET_BYTES for p in peaks]
    measured = [p for p in peaks if p is not None]
    if len(peaks) > 1:
        flat = len(measured) == len(peaks)
        if len(measured) > 1:
            growth = max(measured) / min(measured)
            flat = flat and growth <= FLAT
            lines.append(f"  largest / smallest peak: {growth:.2f}   target <= {FLAT:g}")
        if len(measured) < len(peaks):
            lines.append("  (some sizes could not be measured)")
        lines.append(f"  flat with the row count: {'PASS' if flat else 'FAIL'}")
        verdicts.append(flat)
    return lines, verdicts


def same_sums_lines(plan: Plan) -> list[str]:
    """`cxassess score` against polars computing the sums scoring keeps (`SAME_SUMS`): no
    target, to show how far the issue's ratios are the work scoring must do."""
    lines = ["\nagainst polars computing the same counts (SAME_SUMS; no target)"]
    for (kind, rows), measure in plan.measures.items():
        if not kind.startswith("same sums"):
            continue
        score = plan.measures.get((kind.replace("same sums", "score"), rows))
        lines.append(f"  {measure.name:28} {measure.shown()}")
        if score is None or score.failure or measure.failure:
            continue
        pairs = [s.wall / m.wall for s, m in zip(score.runs, measure.runs, strict=False)]
        lines.append(
            f"  {score.name} / it: {score.best() / measure.best():.2f}"
            f" (runs {min(pairs):.2f}-{max(pairs):.2f}),"
            f" processor time {score.cpu() / measure.cpu():.2f}"
        )
    return lines


def _dimensions() -> list[list[str]]:
    """The items of each dimension of the benchmark's questionnaire."""
    import yaml

    text = yaml.safe_load(QUESTIONNAIRE.read_text(encoding="utf-8"))
    return [[item["id"] for item in dim["items"]] for dim in text["dimensions"]]


def duckdb_lines(plan: Plan) -> list[str]:
    """The warehouse aggregation's time: no target, for the docs."""
    title = "\nDuckDB, the aggregation of docs/warehouse.md over the Parquet file (no target)"
    if not plan.duckdb:
        return [title, "  not run: duckdb is not installed (pip install -e '.[bench]')"]
    lines = [title]
    for (kind, rows), measure in plan.measures.items():
        if kind == "duckdb parquet":
            lines.append(f"  {label(rows):>6}  {measure.shown()}")
    return lines


def parse_sizes(text: str) -> list[int]:
    return [parse_size(part) for part in text.split(",") if part.strip()]


def options_from(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=parse_sizes, default=parse_sizes("1M,20M,100M"))
    parser.add_argument(
        "--eager", type=parse_sizes, help="sizes against a bare read (default: 1M if in --sizes)"
    )
    parser.add_argument(
        "--streaming",
        type=parse_sizes,
        help="sizes against the streaming query, with a Parquet copy and DuckDB "
        "(default: 20M if in --sizes)",
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data", type=Path, default=default_folder(), help="cache folder")
    parser.add_argument("--quick", action="store_true", help="every measure at 200k respondents")
    options = parser.parse_args(argv)
    if options.quick:
        options.sizes = options.eager = options.streaming = [200_000]
    if options.eager is None:
        options.eager = [rows for rows in options.sizes if rows == 1_000_000]
    if options.streaming is None:
        options.streaming = [rows for rows in options.sizes if rows == 20_000_000]
    if options.repeat < 1:
        parser.error("--repeat must be at least 1")
    options.sizes = sorted(set(options.sizes) | set(options.eager) | set(options.streaming))
    return options


def main(argv: list[str] | None = None) -> int:
    options = options_from(argv)
    _compile_package()

    def say(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="cxassess-bench-") as folder:
        plan = Plan(options, Path(folder) / "results.json")
        plan.run(options.repeat, Path(folder), say)
    load = os.getloadavg()
    print(
        f"\ncxassess score -g team -g region, {os.cpu_count()} CPU(s), polars {_polars_version()},"
        f" {options.repeat} run(s) each, load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}"
    )
    print(f"answers generated into {options.data}")
    lines, verdicts = [], []
    for what, baseline, title in (
        ("score csv", "bare read", "CSV against a bare polars read + group-by"),
        ("score csv", "bare stream csv", "CSV against the bare polars streaming query"),
        ("score parquet", "bare stream parquet", "Parquet against the streaming query"),
    ):
        more, met = ratio_lines(plan, what, baseline, title)
        lines += more
        verdicts += met
    more, met = memory_lines(plan)
    lines += more + same_sums_lines(plan) + duckdb_lines(plan)
    verdicts += met
    print("\n".join(lines))
    print(f"\ntargets met: {sum(verdicts)} of {len(verdicts)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
