"""A `--template` folder from someone else runs no code and makes no browser fetch anything:
reaching Python internals is exit 2 naming the template file and line, and an HTML report
naming an outside address is refused (exit 2); the built-in HTML carries a no-fetch policy."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cxassess.cli import app

ANSWERS = Path(__file__).parent / "data" / "exports" / "three-abilities-our-layout.csv"
COVER = Path(__file__).parents[1] / "report_templates" / "default" / "partials" / "cover.html"


def _template(tmp_path: Path, extra: str) -> Path:
    folder = tmp_path / "tpl"
    (folder / "partials").mkdir(parents=True)
    lines = COVER.read_text(encoding="utf-8").splitlines()
    lines.insert(1, extra)
    (folder / "partials" / "cover.html").write_text("\n".join(lines), encoding="utf-8")
    return folder


def _report(tmp_path: Path, folder: Path | None, name: str = "r.html") -> tuple[int, str]:
    args = ["report", str(ANSWERS), "-q", "three-abilities", "-o", str(tmp_path / name)]
    if folder is not None:
        args += ["--template", str(folder)]
    result = CliRunner().invoke(app, args)
    return result.exit_code, result.output


@pytest.mark.parametrize(
    "expression",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
        "{{ asset.__globals__ }}",
        "{{ lipsum.__globals__['os'].popen('id').read() }}",
        "{{ [1]|map(attribute='__class__')|list }}",
    ],
)
def test_template_reaching_python_internals_is_refused_with_file_and_line(
    tmp_path: Path, expression: str
) -> None:
    folder = _template(tmp_path, expression)
    code, output = _report(tmp_path, folder)
    assert code == 2, output
    assert "Traceback" not in output
    assert f"{folder / 'partials' / 'cover.html'}:2:" in output
    assert not (tmp_path / "r.html").exists()


def test_harmless_template_change_still_renders(tmp_path: Path) -> None:
    folder = _template(tmp_path, "<p>{{ 'Our own words'|upper }}</p>")
    code, output = _report(tmp_path, folder)
    assert code == 0, output
    assert "OUR OWN WORDS" in (tmp_path / "r.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "markup",
    [
        '<img src="http://evil.example/pixel.gif">',
        '<link rel="stylesheet" href="file:///etc/passwd">',
        "<img src=//evil.example/x.png>",
        '<div style="background: url(https://evil.example/x)"></div>',
        "<style>@import 'https://evil.example/a.css';</style>",
        "<script>fetch('https://evil.example')</script>",
        '<img src="data:image/png;base64,AA" onerror="fetch(1)">',
        '<meta http-equiv="refresh" content="0; url=https://evil.example">',
        '<svg><image href="logo.png"/></svg>',
        '<p style="background:u\\rl(http://evil.example/a.png)"></p>',
        "<style>p{background:\\75rl(http://evil.example/x.png)}</style>",
        "<style>@\\69mport 'http://evil.example/x.css';</style>",
        "<p style=\"background-image:image-set('http://evil.example/a.png' 1x)\"></p>",
        '<link rel="stylesheet" href="data:text/css,@import url(http://evil.example/x.css);">',
        '<svg><a><set attributeName="href" to="javascript:alert(1)"/></a></svg>',
    ],
)
def test_html_report_naming_an_outside_address_is_refused(tmp_path: Path, markup: str) -> None:
    folder = _template(tmp_path, markup)
    code, output = _report(tmp_path, folder)
    assert code == 2, output
    assert "Traceback" not in output
    assert "would make the reader's browser fetch or run something" in output
    assert not (tmp_path / "r.html").exists()


def test_builtin_html_report_forbids_every_fetch(tmp_path: Path) -> None:
    code, output = _report(tmp_path, None)
    assert code == 0, output
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert html.index("Content-Security-Policy") < html.index("<style")


def test_head_inside_a_comment_cannot_move_the_security_policy(tmp_path: Path) -> None:
    folder = tmp_path / "tpl"
    folder.mkdir()
    base = Path(__file__).parents[1] / "report_templates" / "default" / "base.html"
    text = base.read_text(encoding="utf-8")
    (folder / "base.html").write_text("<!--<head>-->" + text, encoding="utf-8")
    code, output = _report(tmp_path, folder)
    assert code == 0, output
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    policy = html.index("Content-Security-Policy")
    assert policy < html.index("<!--<head>-->")  # before the comment, so not inside it
