"""One report's finished HTML from results: the context, then the templates.

Shared by the main report (`build`) and the per-group reports (`groups`), which would otherwise
import each other.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from cxassess.rendering.render import render_html
from cxassess.report.context import ReportOptions, build_context

if TYPE_CHECKING:
    from cxassess.rendering.brand import Brand
    from cxassess.report.context import Section
    from cxassess.results import Results


def render_document(
    results: Results,
    brand: Brand,
    options: ReportOptions,
    template: Path | None,
    extra_sections: Sequence[tuple[str, Section]] = (),
) -> str:
    """The finished HTML of one report (the main one, or one group's)."""
    context = build_context(results, brand, options, extra_sections=extra_sections)
    return render_html(context, template)
