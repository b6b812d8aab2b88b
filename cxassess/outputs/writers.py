"""Write `Results` to a file, the format chosen by the file's suffix, optionally with the
change since previous results (`--compare` of `cxassess score` and `cxassess report`), and read
those previous results."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from cxassess.errors import InputError
from cxassess.inputs.classify import previous_results_file
from cxassess.results import Results, read_results

if TYPE_CHECKING:
    from cxassess.compare import Comparison

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


def results_json(results: Results, comparison: Comparison | None = None) -> str:
    """The `cxassess.results/1` JSON text; with a comparison, one more top-level key,
    `comparison` (`cxassess.comparison/1`), which readers of results ignore."""
    text = results.to_json()
    if comparison is None:
        return text
    data = json.loads(text)
    data["comparison"] = json.loads(comparison.to_json())
    return json.dumps(data, indent=2, ensure_ascii=False)


def write_results(results: Results, path: str | Path, comparison: Comparison | None = None) -> Path:
    """Write results atomically: `.json` (`cxassess.results/1`), `.csv` (tidy rows, safe to
    open in Excel) or `.xlsx` (a workbook). Groups hidden for anonymity keep only their n.
    With a `comparison` (`cxassess.compare.compare_results`), each format also holds the
    change since the previous results."""
    from cxassess.outputs.files import write_text_atomic
    from cxassess.outputs.tables import write_csv
    from cxassess.outputs.workbook import write_xlsx

    target = check_results_path(path)
    suffix = target.suffix.lower()
    if suffix == ".json":
        return write_text_atomic(target, results_json(results, comparison) + "\n")
    if suffix == ".csv":
        return write_csv(results, target, comparison)
    return write_xlsx(results, target, comparison)


def read_previous_results(path: str | Path, questionnaire: str | None = None) -> Results:
    """The previous results for `--compare`: a `results.json` written earlier by `cxassess
    score`. Another kind of file, or results of another questionnaire than `questionnaire`
    (when given), is refused with an `InputError` (exit 2) before any scoring work."""
    file = previous_results_file(path)
    previous = read_results(file)
    if questionnaire is not None and previous.questionnaire.id != questionnaire:
        raise InputError(
            f"{file}: the previous results are of questionnaire '{previous.questionnaire.id}', "
            f"these answers of '{questionnaire}'",
            hint="--compare needs earlier results of the same questionnaire "
            "(to set staff against customers, use `cxassess gap` or `report --customer`)",
        )
    return previous


def compare_with_previous(current: Results, previous: Results) -> Comparison:
    """The change from `previous` to `current` (`cxassess.compare.compare_results`), after
    hiding in the previous results every group the current threshold hides, so that a higher
    `--min-group-size` protects both surveys alike."""
    from cxassess.compare import compare_results

    return compare_results(current, previous)
