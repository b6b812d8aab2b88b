"""Where the built-in questionnaires and report templates live, installed or in a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """The folder of built-in `questionnaires` or `report_templates`.

    In a wheel they are shipped inside the package (`cxassess/_data/`); in a source checkout
    or an editable install they are the top-level folders beside the package.
    """
    inside = _PACKAGE / "_data" / name
    if inside.is_dir():
        return inside
    return _PACKAGE.parent / name
