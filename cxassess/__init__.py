"""cxassess: see your customer-service culture the way your customers do.

The library is the product; the command line is a thin adapter over these functions:

- `load_questionnaire(path)` / `resolve_questionnaire(id_or_path)`: a checked `Questionnaire`;
- `read_responses(paths, questionnaire)`: survey exports and response files as one answers frame;
- `score_inputs(paths, questionnaire, segments=...)`: read and score in one call, giving `Results`;
- `summarise(questionnaire, frame, segments=...)`: the scoring engine on an answers frame;
- `summarise_batches(questionnaire, frames, segments=...)`: the same, a frame at a time;
- `make_report(request)`: the PDF or HTML report; `build_gap(...)`: the perception gap;
- `compare_results(current, previous)`: change over time.

Heavy dependencies (polars, NumPy, WeasyPrint) are imported only when these are first used.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_PUBLIC = {
    "load_questionnaire": "cxassess.format.loader",
    "find_questionnaire": "cxassess.format.catalog",
    "resolve_questionnaire": "cxassess.format.catalog",
    "read_responses": "cxassess.inputs",
    "score_inputs": "cxassess.pipeline",
    "summarise": "cxassess.scoring.summary",
    "summarise_batches": "cxassess.scoring.stream",
    "read_results": "cxassess.results",
    "make_report": "cxassess.report.build",
    "build_gap": "cxassess.gap.build",
    "compare_results": "cxassess.compare",
}

__all__ = ["__version__", *_PUBLIC]


def __getattr__(name: str) -> Any:
    """Import public API names lazily so that `import cxassess` stays cheap."""
    if name in _PUBLIC:
        return getattr(import_module(_PUBLIC[name]), name)
    raise AttributeError(name)
