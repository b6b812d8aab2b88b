"""The stand-alone gap report read on a screen: on a laptop and on a phone, with the embedded
font and with the wider fallback, nothing lies past the window or outside its chart, and
wide tables scroll sideways inside their own box instead of widening the page."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import CHROMIUM, measure, screenshot, without_embedded_fonts
from typer.testing import CliRunner

from cxassess.cli import app
from cxassess.demo import write_data

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium is not installed (Debian package `chromium`)"
)


@pytest.fixture(scope="module")
def gap_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("gap-screen")
    files = write_data(folder)
    out = folder / "gap.html"
    result = CliRunner().invoke(
        app,
        [
            "gap",
            str(files.staff_csv),
            str(files.customer_csv),
            "-g",
            "team",
            "--brand",
            str(files.brand),
            "-o",
            str(out),
            "-Q",
        ],
    )
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize("fonts", ["embedded", "fallback"])
@pytest.mark.parametrize("width", [1280, 390])
def test_gap_report_fits_the_window_with_either_font(
    gap_html: Path, width: int, fonts: str, tmp_path: Path
) -> None:
    page = gap_html if fonts == "embedded" else without_embedded_fonts(gap_html, tmp_path)
    seen = measure(page, width)
    assert seen.scroll_width <= seen.client_width, (seen.scroll_width, seen.client_width)
    assert seen.outside == [], f"text or pictures past the window at {width} px: {seen.outside}"


def test_gap_report_on_a_phone_keeps_questions_readable(gap_html: Path, tmp_path: Path) -> None:
    """The tables scroll inside a box, at a width that leaves the question column room for
    several words a line (squeezed to the window, it held one word a line, 60 px wide)."""
    seen = measure(gap_html, 390)
    assert seen.narrowest_label >= 150, seen.narrowest_label
    shot = screenshot(gap_html, tmp_path / "gap-390.png", 390)
    from PIL import Image

    with Image.open(shot) as image:
        assert image.size[0] == 390
