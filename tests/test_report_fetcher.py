"""The report's URL fetcher reads only data: URLs, template folders and the brand's files."""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest

from cxassess.errors import InputError
from cxassess.rendering.fetcher import FatalURLFetchingError, RestrictedURLFetcher
from cxassess.rendering.render import html_to_pdf


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "inside.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("secret")
    return templates, outside


def test_fetcher_allows_data_urls() -> None:
    fetcher = RestrictedURLFetcher()
    payload = base64.b64encode(b"hello").decode()
    response = fetcher.fetch(f"data:text/plain;base64,{payload}")
    assert response.read() == b"hello"


def test_fetcher_allows_a_file_inside_a_template_folder(folders: tuple[Path, Path]) -> None:
    templates, _ = folders
    fetcher = RestrictedURLFetcher([templates])
    response = fetcher.fetch((templates / "inside.svg").as_uri())
    assert b"<svg" in response.read()


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://example.com/logo.png",
        "https://example.com/font.woff2",
        "ftp://example.com/x",
        "file://otherhost/etc/passwd",
        "javascript:alert(1)",
    ],
)
def test_fetcher_refuses_anything_else(url: str, folders: tuple[Path, Path]) -> None:
    templates, _ = folders
    fetcher = RestrictedURLFetcher([templates])
    with pytest.raises(FatalURLFetchingError):
        fetcher.fetch(url)
    assert fetcher.refused


def test_fetcher_refuses_dot_dot_out_of_a_template_folder(folders: tuple[Path, Path]) -> None:
    templates, outside = folders
    fetcher = RestrictedURLFetcher([templates])
    url = f"file://{templates}/../outside/secret.txt"
    with pytest.raises(FatalURLFetchingError):
        fetcher.fetch(url)
    with pytest.raises(FatalURLFetchingError):
        fetcher.fetch((outside / "secret.txt").as_uri())


def test_fetcher_refuses_a_symlink_inside_a_template_folder(folders: tuple[Path, Path]) -> None:
    templates, outside = folders
    link = templates / "link.txt"
    os.symlink(outside / "secret.txt", link)
    fetcher = RestrictedURLFetcher([templates])
    with pytest.raises(FatalURLFetchingError):
        fetcher.fetch(link.as_uri())


def test_fetcher_refuses_a_symlinked_folder_inside_a_template_folder(
    folders: tuple[Path, Path],
) -> None:
    templates, outside = folders
    os.symlink(outside, templates / "linked")
    fetcher = RestrictedURLFetcher([templates])
    with pytest.raises(FatalURLFetchingError):
        fetcher.fetch((templates / "linked" / "secret.txt").as_uri())


def test_fetcher_allows_exactly_the_brand_files(folders: tuple[Path, Path]) -> None:
    templates, outside = folders
    logo = outside / "logo.svg"
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    fetcher = RestrictedURLFetcher([templates], [logo])
    assert b"<svg" in fetcher.fetch(logo.as_uri()).read()
    with pytest.raises(FatalURLFetchingError):
        fetcher.fetch((outside / "secret.txt").as_uri())


@pytest.mark.parametrize(
    "tag",
    [
        '<img src="file:///etc/passwd">',
        '<img src="http://127.0.0.1:9/x.png">',
        '<link rel="stylesheet" href="https://example.com/x.css">',
        '<svg xmlns="http://www.w3.org/2000/svg" width="50" height="50">'
        '<image href="file:///etc/hostname" width="50" height="50"/></svg>',
    ],
)
def test_rendering_stops_when_html_asks_for_a_forbidden_url(tag: str) -> None:
    html = f"<html lang='en'><head><title>t</title></head><body><p>x</p>{tag}</body></html>"
    with pytest.raises(InputError, match="may not"):
        html_to_pdf(html, variant=None)


def test_rendering_reads_an_image_inside_the_template_folder(
    folders: tuple[Path, Path],
) -> None:
    templates, _ = folders
    html = "<html lang='en'><head><title>t</title></head><body><img src='inside.svg'></body></html>"
    pdf = html_to_pdf(html, template_folder=templates, variant=None)
    assert pdf.startswith(b"%PDF")
