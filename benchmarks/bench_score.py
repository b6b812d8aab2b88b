"""Benchmark `cxassess score` on a million respondents against a bare polars query.

    python benchmarks/bench_score.py [--rows 1000000] [--repeat 5] [--keep FOLDER]

Writes a CSV of ROWS respondents answering `bench-ten-items.yaml` (10 items in 3 dimensions,
two segments: 12 teams and 4 regions, about 8% of answers skipped), then times, in the same
run and in fresh child processes, interleaved so that a busy machine slows all alike:

- bare query: polars reads the CSV and groups it by each segment, averaging every item;
- library: `cxassess.pipeline.score_inputs` on the same file with `-g team -g region`;
- bare process and CLI: the same two, as whole commands (interpreter start and imports included):
  `python -c <bare query>` against `cxassess score FILE -q ... -g team -g region -o out.json`.

Prints the best time of each, the ratios (target: at most 2) and each child's peak memory
(resident set size from the kernel's accounting of the child; target: under 2 GB).

cxassess is compiled to bytecode first, as an installed package is (polars is), and the command
run is the `cxassess` script beside this Python, not a version manager's shim on PATH.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl

HERE = Path(__file__).parent
QUESTIONNAIRE = HERE / "bench-ten-items.yaml"
ITEMS = [
    "cap-stock",
    "cap-busy",
    "cap-training",
    "cap-first-time",
    "acc-channels",
    "acc-hours",
    "acc-hoops",
    "enj-pleasure",
    "enj-special",
    "enj-return",
]
SEGMENTS = ["team", "region"]
TARGET_RATIO = 2.0
TARGET_BYTES = 2 * 1024**3

BARE = """
import json, resource, sys, time
import polars as pl
items = {items!r}
start = time.perf_counter()
frame = pl.read_csv(sys.argv[1])
for segment in {segments!r}:
    frame.group_by(segment).agg(pl.col(items).mean())
seconds = time.perf_counter() - start
print(json.dumps({{"seconds": seconds}}))
"""

LIBRARY = """
import json, sys, time
import polars as pl
import cxassess.inputs.reader, cxassess.inputs.columns
import cxassess.scoring.summary, cxassess.scoring.aggregate
from cxassess.format.catalog import resolve_questionnaire
from cxassess.pipeline import score_inputs
q = resolve_questionnaire({questionnaire!r})
start = time.perf_counter()
results, problems = score_inputs([sys.argv[1]], q, segments={segments!r})
seconds = time.perf_counter() - start
assert results.respondents == {rows}, results.respondents
print(json.dumps({{"seconds": seconds}}))
"""


def generate(path: Path, rows: int) -> None:
    """Write the benchmark CSV: deterministic answers from hashes of the row number."""
    answers(0, rows).write_csv(path)


def answers(start: int, stop: int) -> pl.DataFrame:
    """The respondents numbered `start` to `stop - 1`: each one's answers are hashes of their
    number, so any range (a chunk of a larger file) comes out the same however it is cut."""
    import polars as pl

    index = pl.int_range(start, stop, eager=True)
    teams = pl.Series([f"Team {n:02d}" for n in range(12)])
    regions = pl.Series(["North", "South", "East", "West"])
    columns = {
        "respondent": "r" + index.cast(pl.String),
        "team": teams.gather(index.hash(1) % 12),
        "region": regions.gather(index.hash(2) % 4),
    }
    frame = pl.DataFrame(columns)
    draws = {item: (index.hash(100 + n) % 100).cast(pl.Int64) for n, item in enumerate(ITEMS)}
    return frame.with_columns(
        [
            pl.when(draw < 8).then(None).otherwise(1 + (draw * 7 + n) % 5).alias(item)
            for n, (item, draw) in enumerate(draws.items())
        ]
    )


def run_child(command: list[str]) -> tuple[float, float | None, int]:
    """Run a child process: wall seconds, the seconds it reports itself, peak RSS in bytes."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    out = process.stdout.read()
    err = process.stderr.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{err.decode(errors='replace')}")
    reported = None
    if out.strip().startswith(b"{"):
        reported = float(json.loads(out.decode().strip().splitlines()[-1])["seconds"])
    return wall, reported, usage.ru_maxrss * 1024  # ru_maxrss is in KiB on Linux


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="write the CSV and results here and keep them")
    options = parser.parse_args()

    folder = options.keep or Path(tempfile.mkdtemp(prefix="cxassess-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    data = folder / "bench-answers.csv"
    start = time.perf_counter()
    generate(data, options.rows)
    size = data.stat().st_size
    print(
        f"generated {options.rows:,} respondents ({size / 1e6:.0f} MB) in "
        f"{time.perf_counter() - start:.1f} s: {data}"
    )
    python = sys.executable
    cli_command = _cli_command(python)
    _compile_package()
    bare = BARE.format(items=ITEMS, segments=SEGMENTS)
    library = LIBRARY.format(questionnaire=str(QUESTIONNAIRE), segments=SEGMENTS, rows=options.rows)
    runs: dict[str, list[tuple[float, float | None, int]]] = {
        "bare query": [],
        "library": [],
        "bare process": [],
        "cli": [],
    }
    out = folder / "results.json"
    for _ in range(options.repeat):
        runs["bare query"].append(run_child([python, "-c", bare, str(data)]))
        runs["library"].append(run_child([python, "-c", library, str(data)]))
        runs["bare process"].append(run_child([python, "-c", bare, str(data)]))
        runs["cli"].append(
            run_child(
                [
                    *cli_command,
                    "score",
                    str(data),
                    "-q",
                    str(QUESTIONNAIRE),
                    "-g",
                    "team",
                    "-g",
                    "region",
                    "-o",
                    str(out),
                ]
            )
        )

    def best(name: str, inside: bool) -> float:
        return min((r[1] if inside else r[0]) or 0.0 for r in runs[name])

    def peak(name: str) -> int:
        return max(r[2] for r in runs[name])

    bare_query, library_time = best("bare query", True), best("library", True)
    bare_process, cli_time = best("bare process", False), best("cli", False)
    lib_ratio, cli_ratio = library_time / bare_query, cli_time / bare_process
    print(f"\nbest of {options.repeat} runs, {os.cpu_count()} CPU(s), polars {_polars_version()}")
    print(f"{'':34}{'seconds':>9}{'peak RSS':>11}")
    rows = [
        ("bare polars read + group-by", bare_query, peak("bare query")),
        ("cxassess score_inputs (library)", library_time, peak("library")),
        ("bare query as a process", bare_process, peak("bare process")),
        ("cxassess score (CLI, -o json)", cli_time, peak("cli")),
    ]
    for label, seconds, rss in rows:
        print(f"{label:34}{seconds:9.3f}{rss / 1024**2:9.0f} MB")
    print(f"\nratio library / bare query:     {lib_ratio:.2f}  (target <= {TARGET_RATIO:g})")
    print(f"ratio CLI / bare process:       {cli_ratio:.2f}  (target <= {TARGET_RATIO:g})")
    worst = max(peak("library"), peak("cli"))
    print(f"peak memory of cxassess:        {worst / 1024**2:.0f} MB (target < 2048 MB)")
    met = max(lib_ratio, cli_ratio) <= TARGET_RATIO and worst < TARGET_BYTES
    print("target met" if met else "target NOT met")
    if not options.keep:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


def _compile_package() -> None:
    """Compile cxassess to bytecode first, as installing a package does, so that every run
    loads it like polars is loaded (already compiled), even under PYTHONDONTWRITEBYTECODE or
    just after an edit; otherwise each run would compile the modules it imports."""
    import compileall

    import cxassess

    compileall.compile_dir(Path(cxassess.__file__).parent, quiet=1)


def _cli_command(python: str) -> list[str]:
    """The `cxassess` command installed beside this interpreter, as a user of this environment
    runs it. Not the first one on PATH: that may be a version manager's shim (pyenv's adds
    about 0.05 s a call), which would time the shim rather than cxassess."""
    script = Path(python).parent / ("cxassess.exe" if os.name == "nt" else "cxassess")
    return [str(script)] if script.is_file() else [python, "-m", "cxassess"]


def _polars_version() -> str:
    import polars as pl

    return pl.__version__


if __name__ == "__main__":
    raise SystemExit(main())
