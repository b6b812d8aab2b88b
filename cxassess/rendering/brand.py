"""The report's branding: `brand.yaml` (organisation, logo, colours, fonts, footer, title).

A brand file is read with the questionnaire loader's YAML parser, so every mistake is reported
with its file and line. Paths in it (logo, font files) are relative to the brand file. The logo
and the font files are the only files outside the template folders that rendering may read:
`Brand.allowed_files()` lists them for the URL fetcher.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, field_validator
from pydantic import ValidationError as PydanticValidationError

from cxassess.errors import FileNotFound, Location, Problem, ValidationError

HEX_COLOUR = r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$"
LOGO_TYPES = {".svg": "image/svg+xml", ".png": "image/png"}
FONT_TYPES = {
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
}
MAX_ASSET_BYTES = 20 * 1024 * 1024
"""Largest logo or font file accepted (a real logo is a few kB, a font a few hundred)."""

STARTER_BRAND = """\
# brand.yaml: how `cxassess report --brand brand.yaml` dresses the report.
# Every key is optional. Paths are relative to this file.

organisation: Example Organisation       # shown on the cover and in running headers
title: Customer experience assessment     # the report's title on the cover
subtitle: How our people see the service we give
# author: Customer Experience Office      # PDF metadata author (default: the organisation)

# logo: logo.svg                          # SVG or PNG: large on the cover, small in each
#                                         # printed page's header

colours:                                  # hex colours: "#rrggbb" or "#rgb", in quotes
  primary: "#1f3a5f"                      # headings, favourable bars, chart outlines
  accent: "#c8553d"                       # highlights: focus areas, priorities, markers

# fonts:                                  # default: Inter, shipped with cxassess
#   body:                                 # the text font: an installed family ...
#     family: Source Sans 3
#   heading:                              # ... or font files (TTF, OTF, WOFF, WOFF2)
#     regular: fonts/Brand-Regular.ttf
#     bold: fonts/Brand-Bold.ttf

footer: Prepared by the Customer Experience Office
confidentiality: Confidential. For internal use only.
paper: A4                                 # A4 or Letter
"""


class _BrandModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Colours(_BrandModel):
    """The brand's two colours; charts derive their tints from them."""

    primary: str = Field(default="#1f3a5f", pattern=HEX_COLOUR)
    """Headings, favourable bars and chart outlines."""
    accent: str = Field(default="#c8553d", pattern=HEX_COLOUR)
    """Highlights: focus areas, priorities and markers."""


class FontSpec(_BrandModel):
    """A font: the name of an installed family, or font files relative to brand.yaml."""

    family: str | None = Field(default=None, pattern=r"^[A-Za-z0-9 _.-]{1,64}$")
    """An installed font family, e.g. `Source Sans 3`."""
    regular: str | None = None
    """File of the regular weight."""
    bold: str | None = None
    """File of the bold weight."""
    italic: str | None = None
    """File of the italic style."""
    bold_italic: str | None = None
    """File of the bold italic style."""

    def files(self) -> dict[str, str]:
        """The font files given, by style name."""
        styles = ("regular", "bold", "italic", "bold_italic")
        return {s: getattr(self, s) for s in styles if getattr(self, s)}


class Fonts(_BrandModel):
    """Fonts of running text and of headings."""

    body: FontSpec | None = None
    heading: FontSpec | None = None


class BrandFile(_BrandModel):
    """The keys of `brand.yaml`."""

    organisation: str = Field(
        default="", max_length=120, validation_alias=AliasChoices("organisation", "organization")
    )
    title: str = Field(default="Customer experience assessment", max_length=120)
    subtitle: str = Field(default="", max_length=200)
    author: str = Field(default="", max_length=120)
    logo: str | None = None
    colours: Colours = Field(
        default_factory=Colours, validation_alias=AliasChoices("colours", "colors")
    )
    fonts: Fonts = Field(default_factory=Fonts)
    footer: str = Field(default="", max_length=200)
    confidentiality: str = Field(default="Confidential. For internal use only.", max_length=200)
    paper: Literal["A4", "Letter"] = "A4"

    @field_validator("paper", mode="before")
    @classmethod
    def _paper_case(cls, value: Any) -> Any:
        if isinstance(value, str) and value.lower() in ("a4", "letter"):
            return "A4" if value.lower() == "a4" else "Letter"
        return value


class Asset(BaseModel):
    """A brand file that rendering may read: its resolved path and media type."""

    model_config = ConfigDict(frozen=True)

    path: Path
    media_type: str

    def data_uri(self) -> str:
        """The file as a `data:` URI, so that the HTML carries it and nothing is fetched."""
        encoded = base64.b64encode(self.path.read_bytes()).decode("ascii")
        return f"data:{self.media_type};base64,{encoded}"


class Brand(BaseModel):
    """A loaded brand: the file's settings plus its checked logo and font files."""

    model_config = ConfigDict(frozen=True)

    settings: BrandFile = Field(default_factory=BrandFile)
    source: Path | None = None
    logo: Asset | None = None
    fonts: dict[str, dict[str, Asset]] = Field(default_factory=dict)
    """Font files by role (`body`, `heading`) and style (`regular`, `bold`, ...)."""

    def allowed_files(self) -> list[Path]:
        """The only files outside the template folders that rendering may read."""
        files = [self.logo.path] if self.logo else []
        files += [asset.path for styles in self.fonts.values() for asset in styles.values()]
        return files

    def family(self, role: str) -> str | None:
        """The installed family named for a role (`body` or `heading`), if any."""
        spec = getattr(self.settings.fonts, role)
        return spec.family if spec is not None else None


def default_brand() -> Brand:
    """The brand used without `--brand`: neutral colours, the built-in fonts, no logo."""
    return Brand()


def _asset(
    base: Path, raw: str, allowed: dict[str, str], what: str, line: int | None, file: str
) -> tuple[Asset | None, Problem | None]:
    """Check one file named in brand.yaml: it exists, is a regular file (no symlink) of an
    accepted type and size."""
    where = Location(file, line)
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", raw.strip()) or raw.strip().startswith("//"):
        return None, Problem(
            where,
            what,
            f"'{raw}' is a web address; the report uses only local files",
            f"download the {what} and give its file path (relative to the brand file)",
        )
    path = (base / raw).expanduser()
    suffix = path.suffix.lower()
    if suffix not in allowed:
        kinds = ", ".join(s.lstrip(".").upper() for s in allowed)
        return None, Problem(where, what, f"'{raw}' is not a {kinds} file", f"give a {kinds} file")
    link = _linked_component(base, path)
    if link is not None:
        return None, Problem(
            where,
            what,
            f"'{raw}' goes through a symbolic link ({link})",
            "copy the file into the brand folder itself; links are not followed",
        )
    if not path.is_file():
        return None, Problem(
            where, what, f"file not found: {path}", "paths are relative to the brand file"
        )
    if path.stat().st_size > MAX_ASSET_BYTES:
        return None, Problem(where, what, f"'{raw}' is larger than 20 MB", "use a smaller file")
    return Asset(path=path.resolve(), media_type=allowed[suffix]), None


def _linked_component(base: Path, path: Path) -> str | None:
    """The first part of `path`, from the brand folder `base` (or from the folder it shares
    with `base`, for a path such as `../logo.svg`) down to the file, that is a symbolic link:
    a linked folder counts as much as a linked file. None if there is none."""
    import os

    target = Path(os.path.abspath(path))
    root = Path(os.path.commonpath([os.path.abspath(base), target]))
    step = root
    for part in target.relative_to(root).parts:
        step = step / part
        if step.is_symlink():
            return os.path.relpath(step, os.path.abspath(base))
    return None


def _check_logo_content(asset: Asset, line: int | None, file: str) -> Problem | None:
    head = asset.path.read_bytes()[:2048]
    if asset.media_type == "image/png" and not head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Problem(
            Location(file, line), "logo", "the file is not a PNG image", "export it as PNG"
        )
    if asset.media_type == "image/svg+xml" and b"<svg" not in head.lower():
        return Problem(
            Location(file, line), "logo", "the file is not an SVG image", "export it as SVG"
        )
    return None


def load_brand(path: str | Path) -> Brand:
    """Read and check a brand file, raising one `ValidationError` listing every problem (each
    with its line)."""
    from cxassess.format.loader import parse_yaml

    file_path = Path(path)
    file = str(file_path)
    if not file_path.is_file():
        raise FileNotFound(file_path, "brand file", "check the path given to --brand")
    data, nodes = parse_yaml(file_path)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ValidationError(
            [
                Problem(
                    Location(file, 1),
                    "top level",
                    "expected a mapping of keys such as 'organisation:', 'logo:', 'colours:'",
                    "start from `cxassess init brand`",
                )
            ],
            file,
        )
    problems = [
        Problem(
            Location(file, node.start_mark.line + 1),
            ".".join(str(k) for k in key_path[:-1]) or "top level",
            f"key '{key_path[-1]}' appears twice",
            "keep one of them",
        )
        for key_path, node in nodes.duplicates
    ]
    try:
        settings = BrandFile.model_validate(data)
    except PydanticValidationError as exc:
        problems += _brand_problems(file, data, nodes, exc)
        raise ValidationError(sorted(problems, key=lambda p: p.location.line or 0), file) from None
    base = file_path.parent
    logo = None
    if settings.logo:
        line = nodes.line_of(("logo",))
        logo, problem = _asset(base, settings.logo, LOGO_TYPES, "logo", line, file)
        if problem is None and logo is not None:
            problem = _check_logo_content(logo, line, file)
        if problem is not None:
            problems.append(problem)
    fonts: dict[str, dict[str, Asset]] = {}
    for role in ("body", "heading"):
        spec: FontSpec | None = getattr(settings.fonts, role)
        if spec is None:
            continue
        for style, raw in spec.files().items():
            line = nodes.line_of(("fonts", role, style))
            asset, problem = _asset(base, raw, FONT_TYPES, f"fonts.{role}.{style}", line, file)
            if problem is not None:
                problems.append(problem)
            elif asset is not None:
                fonts.setdefault(role, {})[style] = asset
        if spec.files() and "regular" not in spec.files():
            problems.append(
                Problem(
                    Location(file, nodes.line_of(("fonts", role))),
                    f"fonts.{role}",
                    "font files are given but no 'regular' one",
                    "add 'regular: path/to/Font-Regular.ttf'",
                )
            )
    if problems:
        raise ValidationError(sorted(problems, key=lambda p: p.location.line or 0), file)
    return Brand(settings=settings, source=file_path.resolve(), logo=logo, fonts=fonts)


def _known_keys(loc: tuple[Any, ...]) -> list[str]:
    """Keys allowed at a place of the brand file, for suggesting the one meant."""
    path = tuple(str(k) for k in loc)
    if path == ():
        model: type[BaseModel] = BrandFile
    elif path in (("colours",), ("colors",)):
        model = Colours
    elif path == ("fonts",):
        model = Fonts
    elif len(path) == 2 and path[0] == "fonts":
        model = FontSpec
    else:
        return []
    return list(model.model_fields)


def _brand_problems(
    file: str, data: Any, nodes: Any, exc: PydanticValidationError
) -> list[Problem]:
    """Schema errors of a brand file as problems with line numbers and hints."""
    import difflib

    from cxassess.format.nodes import describe_path

    problems = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        kind = error["type"]
        where = describe_path(data, loc)
        what = error["msg"].removeprefix("Value error, ")
        hint = ""
        line = nodes.line_of(loc)
        if kind == "extra_forbidden":
            known = _known_keys(loc[:-1])
            where = describe_path(data, loc[:-1])
            what = f"unknown key '{loc[-1]}'"
            close = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else "known keys: " + ", ".join(known)
            line = nodes.line_of(loc, key=True)
        elif loc and loc[0] in ("colours", "colors"):
            given = error.get("input")
            what = "no colour given" if given is None else f"'{given}' is not a hex colour"
            hint = 'write it as "#1f3a5f", in quotes (an unquoted # starts a comment)'
        elif loc and loc[-1] == "family":
            what = f"'{error.get('input')}' is not a font family name"
            hint = "use letters, digits, spaces, '-', '_' and '.' only"
        elif kind == "literal_error":
            what = f"'{error.get('input')}' is not allowed"
            hint = "use " + error.get("ctx", {}).get("expected", "one of the listed values")
        elif kind == "string_type":
            what = "expected text"
            hint = "write plain text; put text holding ':' or '#' in quotes"
        elif kind == "string_too_long":
            hint = "shorten it"
        elif kind in ("model_type", "dict_type"):
            hint = "check the indentation: this should be a mapping of 'key: value'"
        problems.append(Problem(Location(file, line), where, what, hint))
    return problems
