"""A brand path that goes through a linked folder (`logo: linkdir/logo.svg`) is refused like a
linked file: exit 2 naming brand.yaml, its line and the link."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cxassess.cli import app

ANSWERS = Path(__file__).parent / "data" / "exports" / "three-abilities-our-layout.csv"
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>'


def _brand(tmp_path: Path, logo: str) -> Path:
    secret = tmp_path / "elsewhere"
    secret.mkdir()
    (secret / "logo.svg").write_text(SVG, encoding="utf-8")
    folder = tmp_path / "brand"
    folder.mkdir()
    (folder / "linkdir").symlink_to(secret, target_is_directory=True)
    (folder / "real").mkdir()
    (folder / "real" / "logo.svg").write_text(SVG, encoding="utf-8")
    brand = folder / "brand.yaml"
    brand.write_text(f"organisation: Example\nlogo: {logo}\n", encoding="utf-8")
    return brand


@pytest.mark.parametrize("logo", ["linkdir/logo.svg", "real/../linkdir/logo.svg"])
def test_logo_through_a_linked_folder_is_refused(tmp_path: Path, logo: str) -> None:
    brand = _brand(tmp_path, logo)
    out = tmp_path / "r.html"
    result = CliRunner().invoke(
        app,
        ["report", str(ANSWERS), "-q", "three-abilities", "--brand", str(brand), "-o", str(out)],
    )
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert f"{brand}:2:" in result.output
    assert "goes through a symbolic link (linkdir)" in result.output
    assert not out.exists()


def test_logo_in_a_real_subfolder_is_accepted(tmp_path: Path) -> None:
    brand = _brand(tmp_path, "real/logo.svg")
    out = tmp_path / "r.html"
    result = CliRunner().invoke(
        app,
        ["report", str(ANSWERS), "-q", "three-abilities", "--brand", str(brand), "-o", str(out)],
    )
    assert result.exit_code == 0, result.output
