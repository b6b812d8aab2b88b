"""The allow-list of the PDF renderer, applied to HTML written as a file.

A PDF is drawn by WeasyPrint through `fetcher.RestrictedURLFetcher`, which reads only allowed
files. An `.html` report is opened later by a reader's browser, which would fetch whatever the
page names: a tracking image on the web, a stylesheet on a shared drive, a script. So before
an HTML report is written, every address in it is checked: only `data:` URLs (what
`asset(...)`, the logo and the fonts become) and links inside the page (`#section`) are
allowed, plus ordinary links a reader must click (`<a href="https://...">`). Scripts, event
handlers (`onload=`), frames, `<base>` and refresh tags are refused too. The page also carries
a Content-Security-Policy that forbids any fetch, should a browser find something this check
did not foresee.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from cxassess.errors import InputError

CSP = (
    "default-src 'none'; img-src data:; font-src data:; style-src 'unsafe-inline' data:; "
    "base-uri 'none'; form-action 'none'"
)
CSP_META = f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'

URL_ATTRIBUTES = {
    "src", "href", "xlink:href", "srcset", "poster", "data", "action", "formaction",
    "background", "cite", "longdesc", "manifest", "ping", "codebase", "archive", "icon",
    "lowsrc", "dynsrc", "profile", "imagesrcset",
}  # fmt: skip
REFUSED_TAGS = {
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal",
    "set", "animate", "animatetransform", "animatemotion",
}  # fmt: skip
"""Elements that run, embed or (SVG animation) rewrite an address after the check."""
CLICK_ONLY = ("http://", "https://", "mailto:")
"""Link targets allowed on `<a>` and `<area>`: a browser goes there only when clicked."""
CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+(['"])(.*?)\3""", re.I | re.S)


SAFE_DATA = re.compile(r"data:(image/(png|jpe?g|gif|webp|svg\+xml)|font/|application/(x-)?font)")
"""`data:` URLs that hold a picture or a font; a `data:` stylesheet or page could fetch."""


def _fetches(value: str) -> bool:
    """Whether a browser would fetch this address by itself: anything but a picture or font
    as a `data:` URL and a `#fragment` (an empty value fetches nothing either)."""
    text = re.sub(r"[\x00-\x20]", "", value).lower()
    return bool(text) and not (text.startswith("#") or SAFE_DATA.match(text))


class _Scanner(HTMLParser):
    """Collect the first thing in a page that would make a browser fetch or run something."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: tuple[int, str, str] | None = None
        self._in_style = False
        self.policy_first: bool | None = (
            None  # whether the first element is our Content-Security-Policy
        )

    def _flag(self, what: str, value: str) -> None:
        if self.found is None:
            shown = value if len(value) <= 100 else value[:97] + "..."
            self.found = (self.getpos()[0], what, shown)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        tag = tag.lower()
        if self.policy_first is None:
            self.policy_first = tag == "meta" and ("content", CSP) in attrs
        if tag in REFUSED_TAGS:
            self._flag(f"a <{tag}> element", f"<{tag}>")
        self._in_style = tag == "style"
        for name, raw in attrs:
            name, value = name.lower(), raw or ""
            if name.startswith("on"):
                self._flag(f"an event handler ({name}=) on <{tag}>", value)
            elif name == "style":
                self._check_css(value, f"a style on <{tag}>")
            elif name == "http-equiv" and value.strip().lower() in ("refresh", "set-cookie"):
                self._flag(f'<meta http-equiv="{value}">', value)
            elif name in URL_ATTRIBUTES and _fetches(value):
                clicked = tag in ("a", "area") and name == "href"
                if clicked and value.strip().lower().startswith(CLICK_ONLY):
                    continue
                self._flag(f"<{tag} {name}=...>", value)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self._in_style = False

    def handle_endtag(self, tag: str) -> None:
        if tag.lower() == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self._check_css(data, "a stylesheet")

    def _check_css(self, css: str, what: str) -> None:
        if "\\" in css:  # an escape can spell url( or @import past any pattern
            self._flag(f"{what} (a backslash escape in CSS)", css.split("\\", 1)[1][:40])
        lowered = css.lower()
        for word in ("@import", "image-set(", "image(", "src("):
            if word in lowered:
                self._flag(f"{what} ({word.rstrip('(')})", word)
        for match in CSS_URL.finditer(css):
            target = match.group(2) if match.group(2) is not None else match.group(4)
            if match.group(4) is not None or _fetches(target or ""):
                self._flag(f"{what} (url or @import)", target or "")


def standalone_html(html: str, *, source: str = "the report") -> str:
    """Check that `html` fetches and runs nothing when opened in a browser, and return it with
    a Content-Security-Policy forbidding any fetch. Raises `InputError` naming what would be
    fetched: it comes from a `--template` folder (the built-in theme embeds everything)."""
    doctype = re.match(r"\s*<!doctype[^>]*>", html, re.I)
    at = doctype.end() if doctype else 0
    # the policy comes first, before anything a template wrote: a `<head>` inside a comment or
    # an attribute cannot move it; a browser puts a <meta> met before <html> into the head
    page = html[:at] + "\n" + CSP_META + "\n" + html[at:]
    scanner = _Scanner()
    scanner.feed(page)
    scanner.close()
    if scanner.found is None and not scanner.policy_first:
        scanner.found = (1, "a start that hides the page's security policy", html[at : at + 40])
    if scanner.found is not None:
        line, what, value = scanner.found
        raise InputError(
            f"{source} as HTML would make the reader's browser fetch or run something: "
            f"{what} '{value}' (line {line} of the finished HTML)",
            hint="HTML reports embed everything; put the file in your --template folder and "
            "write {{ asset('file name') }} instead of its address, and remove scripts and "
            "escapes in CSS",
        )
    return page
