"""cxassess: see your customer-service culture the way your customers do.

The library is the product; the command line is a thin adapter over these functions.
Heavy dependencies (polars, WeasyPrint) are imported only by the functions that need them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:  # pragma: no cover
    from cxassess.format.catalog import find_questionnaire as find_questionnaire
    from cxassess.format.loader import load_questionnaire as load_questionnaire

__all__ = ["__version__", "find_questionnaire", "load_questionnaire"]


def __getattr__(name: str) -> Any:
    """Import public API names lazily so that `import cxassess` stays cheap."""
    if name == "load_questionnaire":
        from cxassess.format.loader import load_questionnaire

        return load_questionnaire
    if name == "find_questionnaire":
        from cxassess.format.catalog import find_questionnaire

        return find_questionnaire
    raise AttributeError(name)
