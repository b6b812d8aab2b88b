"""The report's layout: every word inside the text block on every page (A4 and Letter), no
near-empty page, the logo in the running header, and the HTML report usable on a screen as a
real browser (Debian's Chromium) lays it out at a desktop's and a phone's width."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from browser import CHROMIUM, measure, screenshot, without_embedded_fonts
from typer.testing import CliRunner

from cxassess.cli import app
from cxassess.demo import (
    CUSTOMER_QUESTIONNAIRE,
    STAFF_QUESTIONNAIRE,
    write_data,
    write_previous_results,
)
from cxassess.rendering.render import builtin_theme

MM = 72 / 25.4
TOLERANCE = 1.0
"""Points a word's box may pass the text block by (rounding of glyph boxes)."""
MIN_WORDS = 40
MIN_FILL = 0.2
"""A page ending a section holds at least this share of the text block's height."""
MID_FILL = 0.5
"""A page inside a section (not its last) is at least half full."""


@dataclass(frozen=True)
class Word:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    words: list[Word]


def pdf_words(pdf: Path) -> list[Page]:
    """Every word of a PDF with its box, page by page, as poppler's pdftotext reads them."""
    done = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    )
    pages = []
    for page in re.finditer(
        r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', done.stdout, re.S
    ):
        words = [
            Word(float(a), float(b), float(c), float(d), t)
            for a, b, c, d, t in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)'
                r"</word>",
                page.group(3),
            )
        ]
        pages.append(Page(float(page.group(1)), float(page.group(2)), words))
    return pages


def css_margins(paper: str) -> tuple[float, float, float, float]:
    """The page margins (top, right, bottom, left, in points) the stylesheet sets for `paper`,
    read from report.css so that the test follows the stylesheet."""
    css = (builtin_theme() / "report.css").read_text(encoding="utf-8")
    page = css[css.index("@page {") :]
    letter, other = re.findall(r"margin: ([\d.]+mm(?: [\d.]+mm){3});", page)[:2]
    chosen = letter if paper == "Letter" else other
    top, right, bottom, left = (float(v.removesuffix("mm")) * MM for v in chosen.split())
    return top, right, bottom, left


COVER_SIDE = 22 * MM
"""The cover has no page margin; its blocks are inset 22 mm from each side."""


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The demo's report (staff, customers, last year's results, brand) as PDF on A4 and on
    Letter, and as HTML."""
    folder = tmp_path_factory.mktemp("layout")
    files = write_data(folder)
    previous = write_previous_results(files)
    base = [
        "report",
        str(files.staff_csv),
        "-q",
        STAFF_QUESTIONNAIRE,
        "-g",
        "team",
        "-g",
        "role",
        "--brand",
        str(files.brand),
        "--customer",
        str(files.customer_csv),
        "--customer-questionnaire",
        CUSTOMER_QUESTIONNAIRE,
        "--compare",
        str(previous),
    ]
    out = {}
    for name, extra in (
        ("A4", ["--paper", "A4", "-o", str(folder / "a4.pdf")]),
        ("Letter", ["--paper", "Letter", "-o", str(folder / "letter.pdf")]),
        ("html", ["-o", str(folder / "report.html")]),
    ):
        result = CliRunner().invoke(app, [*base, *extra])
        assert result.exit_code == 0, result.output
        out[name] = Path(extra[-1])
    return out


def _body(page: Page, margins: tuple[float, float, float, float]) -> list[Word]:
    top, _right, bottom, _left = margins
    return [w for w in page.words if w.y0 >= top - TOLERANCE and w.y1 <= page.height - bottom + 1]


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_no_word_lies_outside_the_text_block(demo: dict[str, Path], paper: str) -> None:
    pages = pdf_words(demo[paper])
    top, right, bottom, left = css_margins(paper)
    outside = []
    for number, page in enumerate(pages, 1):
        lo, hi = (
            (COVER_SIDE, page.width - COVER_SIDE) if number == 1 else (left, page.width - right)
        )
        for w in page.words:
            if w.x0 < lo - TOLERANCE or w.x1 > hi + TOLERANCE or w.y1 > page.height:
                outside.append((number, w.text, round(w.x1 - hi, 1)))
    assert not outside, f"words past the text block on {paper} (page, word, points over): {outside}"
    # what lies in the top and bottom margins is the running header and footer, nothing else
    for number, page in enumerate(pages[1:], 2):
        margin_words = {
            w.text for w in page.words if w.y0 < top - TOLERANCE or w.y1 > page.height - bottom + 1
        }
        head = " ".join(w.text for w in page.words if w.y1 < top)
        assert "Page" in margin_words and "Northwind" in head, (number, sorted(margin_words))
        assert len(margin_words) < 30, (number, sorted(margin_words))


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_no_page_is_nearly_empty(demo: dict[str, Path], paper: str) -> None:
    pages = pdf_words(demo[paper])
    margins = css_margins(paper)
    top, _right, bottom, _left = margins
    block = pages[0].height - top - bottom

    def section_title(page: Page) -> str:
        # the running header's right half names the section (the h1's string-set)
        return " ".join(w.text for w in page.words if w.y1 < top and w.x0 > page.width / 2)

    thin = []
    for index, page in enumerate(pages[1:], 1):
        words = _body(page, margins)
        fill = (max(w.y1 for w in words) - min(w.y0 for w in words)) / block if words else 0
        ends_section = index + 1 == len(pages) or section_title(pages[index + 1]) != (
            section_title(page)
        )
        needed = MIN_FILL if ends_section else MID_FILL
        if len(words) < MIN_WORDS or fill < needed:
            thin.append((index + 1, len(words), round(fill, 2)))
    assert not thin, f"near-empty pages on {paper} (page, words, share filled): {thin}"


def test_every_page_after_the_cover_shows_the_logo_in_its_header(tmp_path: Path) -> None:
    from PIL import Image

    Image.new("RGB", (120, 40), "#16425b").save(tmp_path / "logo.png")
    (tmp_path / "brand.yaml").write_text(
        "organisation: Example Org\nlogo: logo.png\n", encoding="utf-8"
    )
    answers = write_data(tmp_path / "demo").staff_csv
    output = tmp_path / "report.pdf"
    result = CliRunner().invoke(
        app,
        [
            "report",
            str(answers),
            "-q",
            STAFF_QUESTIONNAIRE,
            "--brand",
            str(tmp_path / "brand.yaml"),
            "-o",
            str(output),
        ],
    )
    assert result.exit_code == 0, result.output
    listed = subprocess.run(
        ["pdfimages", "-list", str(output)], capture_output=True, text=True, check=True
    ).stdout
    pages_with_logo = {
        int(line.split()[0])
        for line in listed.splitlines()[2:]
        if line.split()[3:5] == ["120", "40"]
    }
    count = len(pdf_words(output))
    assert pages_with_logo == set(range(1, count + 1)), listed
    top = css_margins("A4")[0]
    for page in pdf_words(output)[1:]:
        assert any(w.text == "Example" and w.y1 < top for w in page.words)


needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium is not installed (Debian package `chromium`)"
)


@needs_chromium
@pytest.mark.parametrize("fonts", ["embedded", "fallback"])
@pytest.mark.parametrize("width", [1280, 390])
def test_html_report_fits_a_screen_with_contents_and_spaced_sections(
    demo: dict[str, Path], width: int, fonts: str, tmp_path: Path
) -> None:
    page = demo["html"] if fonts == "embedded" else without_embedded_fonts(demo["html"], tmp_path)
    seen = measure(page, width)
    assert seen.scroll_width <= seen.client_width, (seen.scroll_width, seen.client_width)
    assert seen.outside == [], f"text or pictures past the window at {width} px: {seen.outside}"
    assert not seen.running_shown, "the printed page's running header shows on screen"
    ids = re.findall(r'<section class="[^"]*" id="([^"]+)"', page.read_text(encoding="utf-8"))
    assert seen.toc_links == [f"#{i}" for i in ids if i != "cover"]
    assert len(seen.toc_links) >= 8
    assert min(seen.section_gaps) >= 8, seen.section_gaps
    shot = screenshot(page, tmp_path / f"report-{width}.png", width)
    from PIL import Image

    with Image.open(shot) as image:
        assert image.size[0] == width
        if width >= 1000:
            # the text column is centred with room either side: the page's edges show only
            # the screen background
            edge = image.convert("RGB")
            for x in (5, width - 6):
                column = {edge.getpixel((x, y)) for y in range(0, image.size[1], 25)}
                assert len(column) == 1, (x, column)


def test_shipped_html_keeps_its_security_policy_and_no_script(demo: dict[str, Path]) -> None:
    html = demo["html"].read_text(encoding="utf-8")
    assert '<meta http-equiv="Content-Security-Policy"' in html
    assert "<script" not in html.lower()
    assert '<nav class="toc"' in html
    assert "@media screen" in html
