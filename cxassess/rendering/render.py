"""From context to HTML and PDF: the Jinja environment and the WeasyPrint call.

Templates are looked up in the user's `--template` folder first, then in the built-in theme,
so a folder holding only `report.css` or `partials/cover.html` overrides just that file. The
environment is Jinja's `ImmutableSandboxedEnvironment`: a template sees only the context we
pass, our filters and a short list of harmless built-in ones, and may not reach Python
internals (`__class__`, `__globals__`, ...) or call methods that change data; trying to is
refused as bad input naming the template file and line. It autoescapes HTML
(`select_autoescape`) and fails on any undefined name (`StrictUndefined`). Rendering reads
nothing but the template folders and the brand's own files, through
`fetcher.RestrictedURLFetcher`, and never the network; the HTML written as a file is checked
by `htmlcheck` so that a browser opening it fetches nothing either.
"""

from __future__ import annotations

import base64
import functools
import logging
import mimetypes
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    UndefinedError,
    select_autoescape,
)
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from cxassess.errors import InputError, Location, ReportError
from cxassess.rendering.compiled import builtin_template_cache
from cxassess.resources import data_dir

THEME = "default"
ENTRY_TEMPLATE = "base.html"
PDF_VARIANT = "pdf/ua-1"
"""Tagged, accessible PDF (PDF/UA-1): headings, tables, figures and reading order marked."""


def builtin_theme() -> Path:
    """The folder of the built-in theme's templates."""
    return data_dir("report_templates") / THEME


def template_folders(user_folder: str | Path | None = None) -> list[Path]:
    """The template search path: the user's folder (checked to exist) then the built-in theme."""
    folders = []
    if user_folder is not None:
        folder = Path(user_folder)
        if not folder.exists():
            raise InputError(
                f"template folder not found: {folder}",
                hint="give a folder holding templates to override, e.g. report.css",
            )
        if not folder.is_dir():
            raise InputError(
                f"not a folder: {folder}",
                hint="--template takes a folder; put report.css or partials/*.html in it",
            )
        folders.append(folder.resolve())
    folders.append(builtin_theme().resolve())
    return folders


class ConfinedLoader(FileSystemLoader):
    """A `FileSystemLoader` that refuses templates reached through a symbolic link or lying
    outside their folder once resolved."""

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        source, filename, uptodate = super().get_source(environment, template)
        if filename is not None:
            path = Path(filename)
            root = next((Path(p) for p in self.searchpath if path.is_relative_to(Path(p))), None)
            if (
                root is None
                or _has_symlink(root, path)
                or not path.resolve().is_relative_to(root.resolve())
            ):
                raise TemplateNotFound(template, f"{template} is a link or lies outside {root}")
        return source, filename, uptodate


def _has_symlink(root: Path, path: Path) -> bool:
    step = root
    for part in path.relative_to(root).parts:
        step = step / part
        if step.is_symlink():
            return True
    return False


def _fmt_score(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}"


def _fmt_pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}%"


def _fmt_signed(value: float | None) -> str:
    return "–" if value is None else f"{value:+.0f}".replace("-", "\u2212")


def _fmt_decimal(value: float | None, places: int = 1) -> str:
    return "–" if value is None else f"{value:.{places}f}"


SAFE_BUILTIN_FILTERS = (
    "abs", "capitalize", "center", "count", "default", "d", "e", "escape", "first", "float",
    "format", "int", "join", "last", "length", "list", "lower", "max", "min", "replace",
    "reverse", "round", "safe", "sort", "string", "striptags", "sum", "title", "trim",
    "truncate", "unique", "upper", "urlencode", "wordcount", "wordwrap",
)  # fmt: skip
"""Jinja's own filters kept for templates: text and list formatting only (no `attr`, `map`,
`select`... which reach attributes or tests by name, and nothing that reads or writes)."""


AUTOESCAPED = ("html", "htm", "xml", "svg")
NOT_AUTOESCAPED = ("css",)


@functools.lru_cache(maxsize=8)
def _environment(folders: tuple[Path, ...]) -> Environment:
    """One environment per template search path and process, so that a template is compiled
    once however many reports (`--per-group`) use it; Jinja still reloads a template whose
    file changed, through the same confined loader."""
    return make_environment(folders)


def make_environment(folders: Sequence[Path]) -> Environment:
    """The sandboxed Jinja environment over a template search path, with the report's filters
    and the `asset(name)` function (a file of the template folders as a `data:` URI). Its
    globals hold `asset` only, its filters ours and `SAFE_BUILTIN_FILTERS`. The built-in
    theme's templates are compiled once and kept in the user's cache (`compiled`); the
    user's own templates are compiled on every run."""
    env = ImmutableSandboxedEnvironment(
        loader=ConfinedLoader([str(f) for f in folders]),
        autoescape=select_autoescape(
            enabled_extensions=AUTOESCAPED,
            disabled_extensions=NOT_AUTOESCAPED,
            default_for_string=True,
            default=True,
        ),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    kept = {name: env.filters[name] for name in SAFE_BUILTIN_FILTERS if name in env.filters}
    env.filters.clear()
    env.filters.update(kept)
    env.filters.update(score=_fmt_score, pct=_fmt_pct, signed=_fmt_signed, decimal=_fmt_decimal)
    env.globals.clear()
    # What the compiled code depends on besides the template's text: the cache key holds it.
    settings = (
        f"{type(env).__module__}.{type(env).__qualname__} trim_blocks lstrip_blocks "
        f"StrictUndefined autoescape={','.join(AUTOESCAPED)} not={','.join(NOT_AUTOESCAPED)} "
        f"filters={','.join(sorted(env.filters))}"
    )
    env.bytecode_cache = builtin_template_cache(builtin_theme(), settings)

    def asset(name: str) -> str:
        for folder in folders:
            path = Path(folder) / name
            if path.is_file() and not _has_symlink(Path(folder), path):
                if not path.resolve().is_relative_to(Path(folder).resolve()):
                    break
                media = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                if path.suffix.lower() in (".otf", ".ttf", ".woff", ".woff2"):
                    media = "font/" + path.suffix.lower().lstrip(".")
                encoded = base64.b64encode(path.read_bytes()).decode("ascii")
                return f"data:{media};base64,{encoded}"
        raise TemplateError(f"asset not found in the template folders: {name}")

    env.globals["asset"] = asset
    return env


def _template_location(exc: BaseException, folders: Sequence[Path]) -> Location | None:
    """The template file and line where a rendering error happened, from its traceback."""
    if isinstance(exc, TemplateSyntaxError) and exc.filename:
        return Location(exc.filename, exc.lineno)
    tb = exc.__traceback__
    found = None
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if any(name.startswith(str(f)) for f in folders):
            found = Location(name, tb.tb_lineno)
        tb = tb.tb_next
    return found


def render_template(
    name: str,
    context: Mapping[str, Any],
    template_folder: str | Path | None = None,
) -> str:
    """Render one template of the search path in the sandbox. A fault in the user's
    `--template` folder (unknown name, syntax, reaching Python internals) is an `InputError`
    naming the template file and line; a fault in the built-in theme is a `ReportError`."""
    folders = template_folders(template_folder)
    env = _environment(tuple(folders))
    user = folders[0] if template_folder is not None else None
    try:
        return env.get_template(name).render(**context)
    except (TemplateError, TypeError, ValueError, AttributeError, KeyError) as exc:
        location = _template_location(exc, folders)
        in_user = (
            user is not None and location is not None and str(location.file).startswith(str(user))
        )
        hint = "fix the template in your --template folder, or remove it to use the built-in one"
        if isinstance(exc, TemplateNotFound):
            message = f"template not found: {exc.name}"
        elif isinstance(exc, SecurityError):
            message = f"the template tried to reach Python internals, which is refused: {exc}"
            hint = (
                "templates may use only the report's values and filters; remove the attribute "
                "or call named here"
            )
            in_user = True
        elif isinstance(exc, UndefinedError):
            message = f"template uses an unknown name: {exc.message}"
        else:
            message = f"template error: {exc}"
        if in_user or (user is not None and isinstance(exc, TemplateNotFound)):
            raise InputError(message, location=location, hint=hint) from None
        raise ReportError(
            message, location=location, hint="this is a bug in the built-in theme; please report it"
        ) from exc


def render_html(context: Mapping[str, Any], template_folder: str | Path | None = None) -> str:
    """The report as one HTML document (charts inline, fonts and logo as `data:` URIs)."""
    return render_template(ENTRY_TEMPLATE, context, template_folder)


@contextmanager
def _captured_weasyprint_log() -> Iterator[list[str]]:
    """Collect WeasyPrint's warnings instead of printing them (shown with --debug)."""
    logger = logging.getLogger("weasyprint")
    messages: list[str] = []

    class _Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            messages.append(record.getMessage())

    handler = _Collect(level=logging.WARNING)
    previous = (logger.level, logger.propagate)
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    try:
        yield messages
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous[0])
        logger.propagate = previous[1]


def _refused(detail: str) -> InputError:
    """A fetch the allow-list refused: bad input (a template's or a brand's), so exit 2."""
    return InputError(
        f"the report tried to read something it may not: {detail}",
        hint="templates may use only files inside the template folders, and the brand only "
        "its logo and fonts; nothing is ever read from the network",
    )


def html_to_pdf(
    html: str,
    *,
    template_folder: str | Path | None = None,
    brand_files: Sequence[Path] = (),
    variant: str | None = PDF_VARIANT,
    log: list[str] | None = None,
) -> bytes:
    """Render finished HTML to PDF bytes with the restricted URL fetcher."""
    from weasyprint import HTML

    from cxassess.rendering.fetcher import FatalURLFetchingError, RestrictedURLFetcher

    folders = template_folders(template_folder)
    fetcher = RestrictedURLFetcher(folders, brand_files)
    with _captured_weasyprint_log() as messages:
        try:
            document = HTML(string=html, base_url=folders[0].as_uri() + "/", url_fetcher=fetcher)
            pdf = document.write_pdf(pdf_variant=variant)
        except FatalURLFetchingError as exc:
            raise _refused(str(exc)) from None
    if fetcher.refused:
        # WeasyPrint swallows errors raised while drawing SVG images: nothing was read, but
        # the document asked for something forbidden, so it is not written either.
        raise _refused(f"refused to read {fetcher.refused[0]}")
    if log is not None:
        log.extend(messages)
    assert isinstance(pdf, bytes)
    return pdf
