"""`cxassess report` and `cxassess init brand` on the command line: exit codes and messages."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_report_safety import write_answers
from typer.testing import CliRunner

from cxassess.cli import app


@pytest.fixture(scope="module")
def answers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli")
    return write_answers(folder / "answers.csv", {"North": 8, "South": 7}, {})


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def test_report_missing_input_is_exit_2(tmp_path: Path) -> None:
    code, output = run("report", str(tmp_path / "nope.csv"), "-q", "three-abilities")
    assert code == 2
    assert "input file not found" in output
    assert "nope.csv" in output
    assert "Traceback" not in output


def test_report_answers_without_questionnaire_is_exit_2(answers: Path) -> None:
    code, output = run("report", str(answers))
    assert code == 2
    assert "which questionnaire" in output
    assert "-q" in output


def test_report_broken_brand_names_file_and_line(answers: Path, tmp_path: Path) -> None:
    brand = tmp_path / "brand.yaml"
    brand.write_text(
        "organisation: Acme\ncolours:\n  primary: #1f3a5f\n  accent: '#zzz'\n",
        encoding="utf-8",
    )
    code, output = run("report", str(answers), "-q", "three-abilities", "--brand", str(brand))
    assert code == 2
    assert f"{brand}:3" in output
    assert "primary" in output
    assert "in quotes" in output
    assert f"{brand}:4" in output


def test_report_brand_yaml_syntax_error_names_the_line(answers: Path, tmp_path: Path) -> None:
    brand = tmp_path / "brand.yaml"
    brand.write_text("organisation: Acme\ntitle: [unclosed\nfooter: x\n", encoding="utf-8")
    code, output = run("report", str(answers), "-q", "three-abilities", "--brand", str(brand))
    assert code == 2
    assert str(brand) + ":" in output


def test_report_missing_brand_file_is_exit_2(answers: Path, tmp_path: Path) -> None:
    code, output = run(
        "report", str(answers), "-q", "three-abilities", "--brand", str(tmp_path / "b.yaml")
    )
    assert code == 2
    assert "brand file not found" in output


def test_report_missing_template_folder_is_exit_2(answers: Path, tmp_path: Path) -> None:
    code, output = run(
        "report", str(answers), "-q", "three-abilities", "--template", str(tmp_path / "nothere")
    )
    assert code == 2
    assert "template folder not found" in output


def test_report_template_file_instead_of_folder_is_exit_2(answers: Path, tmp_path: Path) -> None:
    file = tmp_path / "report.css"
    file.write_text("body {}", encoding="utf-8")
    code, output = run("report", str(answers), "-q", "three-abilities", "--template", str(file))
    assert code == 2
    assert "not a folder" in output


def test_report_template_syntax_error_names_file_and_line(answers: Path, tmp_path: Path) -> None:
    folder = tmp_path / "theme"
    (folder / "partials").mkdir(parents=True)
    broken = folder / "partials" / "cover.html"
    broken.write_text("<section>\n<h1>{{ document.title </h1>\n</section>\n", encoding="utf-8")
    code, output = run(
        "report", str(answers), "-q", "three-abilities", "--template", str(folder),
        "-o", str(tmp_path / "r.html"),
    )  # fmt: skip
    assert code == 2
    assert f"{broken}:2" in output
    assert "template error" in output


def test_report_template_unknown_name_names_file_and_line(answers: Path, tmp_path: Path) -> None:
    folder = tmp_path / "theme"
    (folder / "partials").mkdir(parents=True)
    broken = folder / "partials" / "cover.html"
    broken.write_text("<section>\n\n<h1>{{ document.no_such_field }}</h1>\n</section>\n")
    code, output = run(
        "report", str(answers), "-q", "three-abilities", "--template", str(folder),
        "-o", str(tmp_path / "r.html"),
    )  # fmt: skip
    assert code == 2
    assert "no_such_field" in output
    assert f"{broken}:3" in output


def test_report_template_asking_for_a_local_file_is_refused(answers: Path, tmp_path: Path) -> None:
    folder = tmp_path / "theme"
    (folder / "partials").mkdir(parents=True)
    (folder / "partials" / "cover.html").write_text(
        '<section><img src="file:///etc/passwd"></section>', encoding="utf-8"
    )
    output = tmp_path / "r.pdf"
    code, text = run(
        "report", str(answers), "-q", "three-abilities", "--template", str(folder),
        "-o", str(output),
    )  # fmt: skip
    assert code == 2
    assert "may not" in text
    assert "/etc/passwd" in text
    assert not output.exists()


def test_report_unknown_output_type_is_exit_2(answers: Path, tmp_path: Path) -> None:
    code, output = run(
        "report", str(answers), "-q", "three-abilities", "-o", str(tmp_path / "r.docx")
    )
    assert code == 2
    assert "report.pdf" in output


def test_report_unknown_paper_is_exit_2(answers: Path) -> None:
    code, output = run("report", str(answers), "-q", "three-abilities", "--paper", "A3")
    assert code == 2
    assert "--paper A4" in output


def test_report_unknown_segment_for_results_file_is_exit_2(answers: Path, tmp_path: Path) -> None:
    results = tmp_path / "results.json"
    code, output = run("score", str(answers), "-q", "three-abilities", "-o", str(results))
    assert code == 0, output
    code, output = run("report", str(results), "-g", "region")
    assert code == 2
    assert "no breakdown by region" in output


def test_init_brand_writes_a_starter_that_loads(tmp_path: Path) -> None:
    from cxassess.rendering.brand import load_brand

    target = tmp_path / "brand.yaml"
    code, output = run("init", "brand", "-o", str(target))
    assert code == 0, output
    assert f"wrote {target}" in output
    brand = load_brand(target)
    assert brand.settings.colours.primary == "#1f3a5f"
    code, output = run("init", "brand", "-o", str(target))
    assert code == 2
    assert "already exists" in output
    assert "--force" in output
    code, output = run("init", "brand", "-o", str(target), "--force")
    assert code == 0


def test_report_help_lists_the_options() -> None:
    code, output = run("report", "--help")
    assert code == 0
    for option in ("--brand", "--template", "--per-group", "--out-dir", "--lang", "--paper"):
        assert option in output


def test_report_brand_logo_url_is_refused_with_a_file_hint(answers: Path, tmp_path: Path) -> None:
    brand = tmp_path / "brand.yaml"
    brand.write_text("logo: http://127.0.0.1:9/logo.png\n", encoding="utf-8")
    code, output = run(
        "report",
        str(answers),
        "-q",
        "three-abilities",
        "--brand",
        str(brand),
        "-o",
        str(tmp_path / "r.html"),
    )
    assert code == 2
    assert "web address" in output
    assert "file path" in output
    assert "file not found" not in output
    assert not (tmp_path / "r.html").exists()


def test_report_per_group_skip_message_gives_each_group_its_reason(tmp_path: Path) -> None:
    answers = write_answers(tmp_path / "a.csv", {"Tiny": 3, "Field service": 6, "HQ": 9}, {})
    out = tmp_path / "teams"
    code, output = run(
        "report",
        str(answers),
        "-q",
        "three-abilities",
        "--per-group",
        "team",
        "--out-dir",
        str(out),
        "-o",
        str(tmp_path / "overview.html"),
    )
    assert code == 0, output
    assert "skipped Tiny (n=3): fewer than 5 respondents" in output
    assert "skipped Field service (n=6): hidden so that 'Tiny' (hidden) cannot be" in output
    assert "Field service (n=6): fewer than" not in output


def test_report_results_file_with_another_questionnaire_is_exit_2(
    answers: Path, tmp_path: Path
) -> None:
    results = tmp_path / "results.json"
    code, output = run("score", str(answers), "-q", "three-abilities", "-o", str(results))
    assert code == 0, output
    html = tmp_path / "x.html"
    code, output = run("report", str(results), "-q", "trust-culture", "-o", str(html))
    assert code == 2
    assert "questionnaire 'three-abilities', not 'trust-culture'" in output
    assert "leave out -q" in output
    assert not html.exists()
    code, output = run("report", str(results), "-q", "three-abilities", "-o", str(html))
    assert code == 0, output
    assert html.exists()


def test_report_markup_in_group_names_and_paths_is_printed_as_is(tmp_path: Path) -> None:
    answers = write_answers(tmp_path / "a.csv", {"Ops [/] x": 3, "[red]y[/red]": 6, "HQ": 8}, {})
    out = tmp_path / "[/]teams"
    overview = tmp_path / "out" / "[/]a.html"
    code, output = run(
        "report",
        str(answers),
        "-q",
        "three-abilities",
        "--per-group",
        "team",
        "--out-dir",
        str(out),
        "-o",
        str(overview),
    )
    assert code == 0, output
    assert "skipped Ops [/] x (n=3): fewer than 5 respondents" in output
    assert "skipped [red]y[/red] (n=6): hidden so that" in output
    assert f"wrote {overview}" in output
    assert overview.exists()


def test_init_brand_path_with_markup_characters_is_printed_as_is(tmp_path: Path) -> None:
    target = tmp_path / "out" / "[/]b.yaml"
    code, output = run("init", "brand", "-o", str(target))
    assert code == 0, output
    assert f"wrote {target}: edit it" in output
    assert target.exists()


def test_report_refuses_a_gap_file_as_its_input(runner, tmp_path) -> None:
    gap = tmp_path / "gap.json"
    gap.write_text('{"schema": "cxassess.gap/1", "dimensions": []}')
    result = runner.invoke(app, ["report", str(gap), "-o", str(tmp_path / "r.pdf")])
    assert result.exit_code == 2
    assert "this is a gap file of `cxassess gap`, not answers or results" in result.stderr
