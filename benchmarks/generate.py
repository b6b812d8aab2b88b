"""Write the benchmark answers once per size, in chunks, into a cache folder outside the repository.

    python benchmarks/generate.py 1M 20M [--data DIR] [--parquet]

The answers are those of `bench_score.answers` (hashes of the respondent's number, so the same
for every run and however the file is cut into chunks), written a million respondents at a time:
generating 100 million respondents (about 4 GB of CSV) needs the memory of one chunk, not of the
whole file. A Parquet copy is converted from the CSV by a polars streaming query (`sink_parquet`),
again without holding the file. Each file is written under a temporary name and renamed when
complete, so an interrupted run leaves no half-written file to be taken for a finished one.

The default folder is `~/.cache/cxassess-bench` (or `$XDG_CACHE_HOME/cxassess-bench`).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_score import answers

CHUNK = 1_000_000
"""Respondents generated and written at a time."""
VERSION = 1
"""Part of every file name: change it when `answers` changes, so old caches are not reused."""


def default_folder() -> Path:
    """Where the generated files are kept between runs: the user's cache folder."""
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "cxassess-bench"


def parse_size(text: str) -> int:
    """A number of respondents as written on the command line: 200000, 200k, 1M, 1.5M."""
    text = text.strip().replace("_", "").replace(",", "")
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1:].lower(), 1)
    number = text[:-1] if factor > 1 else text
    try:
        rows = round(float(number) * factor)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a number of respondents (write e.g. 200k, 1M or 20M)"
        ) from None
    if rows < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: the number of respondents must be positive")
    return rows


def label(rows: int) -> str:
    """A size written short: 200k, 1M, 20M."""
    for factor, suffix in ((1_000_000, "M"), (1_000, "k")):
        if rows >= factor and rows % (factor // 10) == 0:
            return f"{rows / factor:g}{suffix}"
    return f"{rows:,}"


def csv_file(folder: Path, rows: int) -> Path:
    """The CSV of `rows` respondents in `folder`, written first if it is not there yet."""
    path = folder / f"answers-v{VERSION}-{rows}.csv"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".csv.partial")
        start = time.perf_counter()
        with partial.open("wb") as handle:
            for first in range(0, rows, CHUNK):
                chunk = answers(first, min(first + CHUNK, rows))
                chunk.write_csv(handle, include_header=first == 0)
        partial.replace(path)
        _said("wrote", path, start)
    return path


def parquet_file(folder: Path, rows: int) -> Path:
    """The Parquet copy of the CSV of `rows` respondents, converted first if not there yet."""
    import polars as pl

    path = folder / f"answers-v{VERSION}-{rows}.parquet"
    if not path.exists():
        source = csv_file(folder, rows)
        partial = path.with_suffix(".parquet.partial")
        start = time.perf_counter()
        pl.scan_csv(source).sink_parquet(partial, engine="streaming")
        partial.replace(path)
        _said("wrote", path, start)
    return path


def _said(what: str, path: Path, start: float) -> None:
    size = path.stat().st_size
    print(
        f"{what} {path} ({size / 1e6:,.0f} MB) in {time.perf_counter() - start:.1f} s",
        file=sys.stderr,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="+", type=parse_size, help="e.g. 1M 20M 100M")
    parser.add_argument("--data", type=Path, default=default_folder(), help="cache folder")
    parser.add_argument("--parquet", action="store_true", help="write a Parquet copy as well")
    options = parser.parse_args()
    for rows in options.sizes:
        print(csv_file(options.data, rows))
        if options.parquet:
            print(parquet_file(options.data, rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
