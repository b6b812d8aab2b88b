"""brand.yaml: loading, checks with line numbers, logo and font files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cxassess.errors import FileNotFound, ValidationError
from cxassess.rendering.brand import STARTER_BRAND, load_brand
from cxassess.report.context import build_context

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'
INTER = Path(__file__).parents[1] / "report_templates" / "default" / "fonts" / "Inter-Bold.otf"


def write(folder: Path, text: str) -> Path:
    path = folder / "brand.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        load_brand(path)
    return [str(p) for p in caught.value.problems]


def test_starter_brand_loads_with_its_defaults(tmp_path: Path) -> None:
    brand = load_brand(write(tmp_path, STARTER_BRAND))
    assert brand.settings.organisation == "Example Organisation"
    assert brand.settings.paper == "A4"
    assert brand.logo is None
    assert brand.allowed_files() == []


def test_logo_and_font_files_are_resolved_next_to_the_brand_file(tmp_path: Path) -> None:
    (tmp_path / "art").mkdir()
    (tmp_path / "art" / "logo.svg").write_text(SVG, encoding="utf-8")
    (tmp_path / "art" / "Brand.otf").write_bytes(INTER.read_bytes())
    path = write(
        tmp_path,
        "organization: Acme & Sons\nlogo: art/logo.svg\ncolors: {primary: '#123', accent: "
        "'#abcdef'}\nfonts:\n  heading:\n    regular: art/Brand.otf\n  body:\n    family: "
        "DejaVu Serif\npaper: letter\n",
    )
    brand = load_brand(path)
    assert brand.settings.organisation == "Acme & Sons"
    assert brand.settings.paper == "Letter"
    assert brand.logo is not None and brand.logo.media_type == "image/svg+xml"
    assert set(brand.allowed_files()) == {
        (tmp_path / "art" / "logo.svg").resolve(),
        (tmp_path / "art" / "Brand.otf").resolve(),
    }
    context = build_context_for(brand)
    assert context["theme"]["logo"].startswith("data:image/svg+xml;base64,")
    assert context["theme"]["heading_font"].startswith("'cxassess-brand-heading'")
    assert context["theme"]["body_font"].startswith("'DejaVu Serif'")


def build_context_for(brand):  # type: ignore[no-untyped-def]
    from cxassess.results import Overall, QuestionnaireRef, Results

    results = Results(
        questionnaire=QuestionnaireRef(id="q", version="1", title="Q"),
        generated="2026-01-01T00:00:00+00:00",
        respondents=0,
        min_group_size=5,
        overall=Overall(score=None, level=None, n=0),
    )
    return build_context(results, brand)


def test_unquoted_colour_is_reported_with_its_line_and_a_hint(tmp_path: Path) -> None:
    problems = problems_of(write(tmp_path, "title: T\ncolours:\n  primary: #1f3a5f\n"))
    assert len(problems) == 1
    assert problems[0].startswith(f"{tmp_path / 'brand.yaml'}:3: colours.primary")
    assert "in quotes" in problems[0]


def test_bad_colour_and_misspelt_key_are_both_reported(tmp_path: Path) -> None:
    problems = problems_of(write(tmp_path, "organisaton: Acme\ncolours:\n  accent: 'red'\n"))
    assert any(":1:" in p and "did you mean 'organisation'" in p for p in problems)
    assert any(":3:" in p and "'red' is not a hex colour" in p for p in problems)


def test_missing_logo_is_reported_with_its_line(tmp_path: Path) -> None:
    problems = problems_of(write(tmp_path, "organisation: Acme\n\nlogo: missing.png\n"))
    assert problems == [
        f"{tmp_path / 'brand.yaml'}:3: logo: file not found: {tmp_path / 'missing.png'}; "
        "paths are relative to the brand file"
    ]


def test_logo_of_the_wrong_kind_is_refused(tmp_path: Path) -> None:
    (tmp_path / "logo.gif").write_bytes(b"GIF89a")
    (tmp_path / "fake.png").write_text("not a png", encoding="utf-8")
    assert "not a SVG, PNG file" in problems_of(write(tmp_path, "logo: logo.gif\n"))[0]
    assert "not a PNG image" in problems_of(write(tmp_path, "logo: fake.png\n"))[0]


def test_png_logo_is_accepted(tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_bytes(PNG)
    brand = load_brand(write(tmp_path, "logo: logo.png\n"))
    assert brand.logo is not None and brand.logo.media_type == "image/png"


def test_symlinked_logo_is_refused(tmp_path: Path) -> None:
    (tmp_path / "real.svg").write_text(SVG, encoding="utf-8")
    os.symlink(tmp_path / "real.svg", tmp_path / "logo.svg")
    assert "symbolic link" in problems_of(write(tmp_path, "logo: logo.svg\n"))[0]


def test_font_files_need_a_regular_one(tmp_path: Path) -> None:
    (tmp_path / "B.otf").write_bytes(INTER.read_bytes())
    problems = problems_of(write(tmp_path, "fonts:\n  body:\n    bold: B.otf\n"))
    assert any("no 'regular' one" in p for p in problems)


def test_yaml_syntax_error_names_its_line(tmp_path: Path) -> None:
    problems = problems_of(write(tmp_path, "title: ok\nfooter: [open\n"))
    assert problems[0].startswith(str(tmp_path / "brand.yaml") + ":")


def test_brand_file_that_is_not_a_mapping_is_refused(tmp_path: Path) -> None:
    assert "expected a mapping" in problems_of(write(tmp_path, "- a\n- b\n"))[0]


def test_missing_brand_file_is_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(FileNotFound, match="brand file not found"):
        load_brand(tmp_path / "nope.yaml")
