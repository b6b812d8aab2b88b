"""Write a perception gap to files: `gap.json`, `gap.html` or `gap.pdf`, chosen by suffix."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from cxassess.errors import InputError
from cxassess.gap.model import GapResults

if TYPE_CHECKING:
    from cxassess.rendering.brand import Brand

SUFFIXES = (".json", ".html", ".htm", ".pdf")


def check_output_paths(
    paths: Sequence[Path],
    *,
    brand: str | Path | None = None,
    template_folder: str | Path | None = None,
) -> Brand | None:
    """Check the outputs before any work is done: known suffixes, a readable brand file and
    an existing template folder. Returns the loaded brand (None without one)."""
    for path in paths:
        if path.suffix.lower() not in SUFFIXES:
            raise InputError(
                f"cannot write '{path}': unknown file type '{path.suffix or '(none)'}'",
                hint="end the file name in .json, .html or .pdf",
            )
    if template_folder is not None:
        from cxassess.rendering.render import template_folders

        template_folders(template_folder)
    if brand is None:
        return None
    from cxassess.rendering.brand import load_brand

    return load_brand(brand)


def write_gap_outputs(
    gap: GapResults,
    paths: Sequence[Path],
    *,
    brand: Brand | None = None,
    template_folder: str | Path | None = None,
) -> list[Path]:
    """Write the gap to every path (atomically), by suffix; returns the paths written. The
    HTML and PDF report take the colours, logo and paper of `brand` (a brand.yaml) and any
    template overrides in `template_folder` (see `check_output_paths`)."""
    from cxassess.outputs.files import write_bytes_atomic, write_text_atomic

    check_output_paths(paths)
    options = {"brand": brand, "template_folder": template_folder}
    written = []
    for path in paths:
        suffix = path.suffix.lower()
        if suffix == ".json":
            write_text_atomic(path, gap.to_json() + "\n")
        elif suffix in (".html", ".htm"):
            from cxassess.gap.report import render_gap_html
            from cxassess.rendering.htmlcheck import standalone_html

            html = render_gap_html(gap, **options)
            write_text_atomic(path, standalone_html(html, source="the gap report"))
        else:
            from cxassess.gap.report import render_gap_pdf

            write_bytes_atomic(path, render_gap_pdf(gap, **options))
        written.append(path)
    return written
