"""Writing results: files written atomically (`files`), the result formats (`writers`: JSON,
tidy CSV via `tables`, XLSX via `workbook`), the terminal view (`terminal`) and blank
templates (`template`).

Importing this package stays light: writers import their libraries when they run.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cxassess.compare import Comparison
    from cxassess.results import Results


def write_results(results: Results, path: str | Path, comparison: Comparison | None = None) -> Path:
    """Write results to `path` as JSON, CSV or XLSX, chosen by its suffix, with the change since
    previous results when `comparison` is given (see `writers`)."""
    from cxassess.outputs.writers import write_results as write

    return write(results, path, comparison)


__all__ = ["write_results"]
