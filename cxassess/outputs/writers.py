"""Write `Results` to a file, the format chosen by the file's suffix."""

from __future__ import annotations

from pathlib import Path

from cxassess.errors import InputError
from cxassess.results import Results

RESULT_SUFFIXES = (".json", ".csv", ".xlsx")


def check_results_path(path: str | Path) -> Path:
    """The output path, if its suffix names a results format (else `InputError`, exit 2), so a
    wrong name is refused before any work is done."""
    target = Path(path)
    if target.suffix.lower() not in RESULT_SUFFIXES:
        raise InputError(
            f"cannot write results as '{target.suffix or target.name}'",
            hint="name the output file .json (all figures), .csv (a tidy table) or .xlsx "
            "(a workbook)",
        )
    return target


def write_results(results: Results, path: str | Path) -> Path:
    """Write results atomically: `.json` (`cxassess.results/1`), `.csv` (tidy rows, safe to
    open in Excel) or `.xlsx` (a workbook). Groups hidden for anonymity keep only their n."""
    from cxassess.outputs.files import write_text_atomic
    from cxassess.outputs.tables import write_csv, write_xlsx

    target = check_results_path(path)
    suffix = target.suffix.lower()
    if suffix == ".json":
        return write_text_atomic(target, results.to_json() + "\n")
    if suffix == ".csv":
        return write_csv(results, target)
    return write_xlsx(results, target)
