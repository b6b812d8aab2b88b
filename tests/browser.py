"""Open an HTML report in a real headless browser (Debian's Chromium) and measure it.

The shipped report carries a security policy that forbids scripts, so the measuring script is
added to a copy only: the copy loses the policy's `<meta>` and gains a script that writes, into
the page, the page's width against the window's and every text or picture that lies outside
the window (or outside the box that clips it). `--dump-dom` then prints the page with that
record in it. Scroll boxes (a wide table scrolling sideways on a phone) are allowed to hold
content wider than themselves; the scroll box itself must fit.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--virtual-time-budget=15000",
]

MEASURE = r"""
<script>
(function () {
  const de = document.documentElement;
  const width = de.clientWidth;
  const found = [];
  // The box a node must stay inside: every clipping ancestor (an <svg> clips by default) up
  // to the nearest scroll box, and the window unless a scroll box holds the node.
  function limits(node) {
    let left = -Infinity, right = Infinity, scrolled = false;
    for (let el = node.parentElement; el; el = el.parentElement) {
      const x = getComputedStyle(el).overflowX;
      if (x === "auto" || x === "scroll") { scrolled = true; break; }
      if (x === "hidden" || x === "clip") {
        const r = el.getBoundingClientRect();
        left = Math.max(left, r.left);
        right = Math.min(right, r.right);
      }
    }
    if (!scrolled) { left = Math.max(left, 0); right = Math.min(right, width); }
    return {left: left, right: right, skip: left === -Infinity && right === Infinity};
  }
  function visible(el) {
    return el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
  }
  function check(rect, node, what) {
    if (rect.width === 0 && rect.height === 0) return;
    const lim = limits(node);
    if (lim.skip) return;
    if (rect.right > lim.right + 1 || rect.left < lim.left - 1) {
      found.push({what: what.slice(0, 60), left: Math.round(rect.left),
                  right: Math.round(rect.right), limit: Math.round(lim.right)});
    }
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let t = walker.nextNode(); t; t = walker.nextNode()) {
    if (!t.textContent.trim() || !t.parentElement || !visible(t.parentElement)) continue;
    const range = document.createRange();
    range.selectNodeContents(t);
    for (const rect of range.getClientRects()) check(rect, t, t.textContent.trim());
  }
  for (const el of document.querySelectorAll("svg, img, table, section, nav")) {
    if (!visible(el) || (el.tagName === "svg" && el.parentElement.closest("svg"))) continue;
    check(el.getBoundingClientRect(), el, "<" + el.tagName.toLowerCase() + " " +
          (el.getAttribute("class") || "") + ">");
  }
  const shown = (sel) => Array.from(document.querySelectorAll(sel)).some(visible);
  const record = {
    scrollWidth: de.scrollWidth, clientWidth: width, outside: found,
    narrowestLabel: Math.round(Math.min(...Array.from(
      document.querySelectorAll("tbody td:first-child")).filter(
        (td) => visible(td) && td.textContent.trim().length > 20)
      .map((td) => td.getBoundingClientRect().width), Infinity)),
    runningShown: shown(".running-header") || shown(".running-footer"),
    tocLinks: Array.from(document.querySelectorAll("nav.toc a")).filter(visible)
      .map((a) => a.getAttribute("href")),
    sectionGaps: Array.from(document.querySelectorAll("body > section")).map(
      (s, i, all) => i === 0 ? null : Math.round(s.getBoundingClientRect().top -
                                                 all[i - 1].getBoundingClientRect().bottom))
      .slice(1),
  };
  const out = parent.document.createElement("pre");
  out.id = "cx-measure";
  out.textContent = JSON.stringify(record);
  parent.document.body.appendChild(out);
})();
</script>
"""


@dataclass(frozen=True)
class Measure:
    """What the browser saw of a page at one window width."""

    scroll_width: int
    client_width: int
    outside: list[dict]
    running_shown: bool
    toc_links: list[str]
    section_gaps: list[int]
    narrowest_label: float
    """Width of the narrowest first cell of a table row holding more than a few words."""


def _run(args: list[str], timeout: float = 180) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    with tempfile.TemporaryDirectory(prefix="cx-chromium-") as profile:
        return subprocess.run(
            [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )


def measure(html_file: Path, width: int, height: int = 2000) -> Measure:
    """Lay the page out at `width` CSS pixels and return what the measuring script recorded."""
    page = html_file.read_text(encoding="utf-8")
    page = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page, count=1)
    page = page.replace("</body>", MEASURE + "</body>", 1)
    # The page runs in a frame of exactly `width` pixels (a browser window has a minimum
    # width, a frame none), whose record the script writes into the outer page.
    frame = (
        '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="margin:0">'
        f'<iframe style="border:0;display:block" width="{width}" height="{height}" '
        f'srcdoc="{html.escape(page, quote=True)}"></iframe></body></html>'
    )
    copy = html_file.with_name(html_file.stem + f"-measured-{width}.html")
    copy.write_text(frame, encoding="utf-8")
    window = f"--window-size={max(width, 800)},{height}"
    done = _run([window, "--dump-dom", copy.resolve().as_uri()])
    found = re.search(r'<pre id="cx-measure">(.*?)</pre>', done.stdout, re.S)
    assert found, f"the browser printed no measurement; stderr: {done.stderr[-800:]}"
    raw = json.loads(html.unescape(found.group(1)))
    return Measure(
        raw["scrollWidth"],
        raw["clientWidth"],
        raw["outside"],
        raw["runningShown"],
        raw["tocLinks"],
        raw["sectionGaps"],
        raw["narrowestLabel"] if raw["narrowestLabel"] is not None else float("inf"),
    )


def screenshot(html_file: Path, out: Path, width: int, height: int = 2000) -> Path:
    """A PNG of the top of the page as a reader's browser shows it (the shipped file itself)."""
    _run([f"--window-size={width},{height}", f"--screenshot={out}", html_file.resolve().as_uri()])
    assert out.is_file(), f"the browser wrote no screenshot at {width} px"
    return out


def without_embedded_fonts(page: Path, tmp_path: Path) -> Path:
    """A copy of `page` without its `@font-face` rules: what a reader sees whose browser or
    mail client drops the embedded Inter (or measures before it has loaded): the wider
    fallback, DejaVu Sans."""
    text = re.sub(r"@font-face\s*\{[^}]*\}", "", page.read_text(encoding="utf-8"))
    assert "@font-face" not in text
    copy = tmp_path / f"{page.stem}-fallback-font.html"
    copy.write_text(text, encoding="utf-8")
    return copy
