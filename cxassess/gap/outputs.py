"""Write a perception gap to files: `gap.json`, `gap.html` or `gap.pdf`, chosen by suffix."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from cxassess.errors import InputError
from cxassess.gap.model import GapResults

SUFFIXES = (".json", ".html", ".htm", ".pdf")


def check_output_paths(paths: Sequence[Path]) -> None:
    """Refuse an output whose suffix is not one we write, before any work is done."""
    for path in paths:
        if path.suffix.lower() not in SUFFIXES:
            raise InputError(
                f"cannot write '{path}': unknown file type '{path.suffix or '(none)'}'",
                hint="end the file name in .json, .html or .pdf",
            )


def write_gap_outputs(gap: GapResults, paths: Sequence[Path]) -> list[Path]:
    """Write the gap to every path (atomically), by suffix; returns the paths written."""
    from cxassess.outputs.files import write_bytes_atomic, write_text_atomic

    check_output_paths(paths)
    written = []
    for path in paths:
        suffix = path.suffix.lower()
        if suffix == ".json":
            write_text_atomic(path, gap.to_json() + "\n")
        elif suffix in (".html", ".htm"):
            from cxassess.gap.report import render_gap_html

            write_text_atomic(path, render_gap_html(gap))
        else:
            from cxassess.gap.report import render_gap_pdf

            write_bytes_atomic(path, render_gap_pdf(gap))
        written.append(path)
    return written
