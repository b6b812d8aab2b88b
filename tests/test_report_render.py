"""The report as a document: pages, metadata, fonts, bookmarks, paper, personal version and
template overrides."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from test_report_safety import pdf_text, write_answers
from typer.testing import CliRunner

from cxassess.cli import app
from cxassess.format.catalog import resolve_questionnaire
from cxassess.rendering.brand import default_brand
from cxassess.rendering.render import render_html
from cxassess.report.context import ReportOptions, Section, build_context
from cxassess.responses import ResponseFile, ResponseQuestionnaire
from cxassess.results import read_results


def pdf_info(path: Path) -> dict[str, str]:
    done = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    info = {}
    for line in done.stdout.splitlines():
        key, _, value = line.partition(":")
        info[key.strip()] = value.strip()
    return info


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Answers of three teams, their report and their results.json."""
    folder = tmp_path_factory.mktemp("render")
    answers = write_answers(
        folder / "answers.csv",
        {"North": 12, "South": 10, "East": 8},
        {"North": ["More staff at lunchtime."], "South": ["Answer the phone faster."]},
    )
    results = folder / "results.json"
    result = CliRunner().invoke(
        app,
        ["score", str(answers), "-q", "three-abilities", "-g", "team", "-o", str(results)],
    )
    assert result.exit_code == 0, result.output
    return answers, results


@pytest.fixture(scope="module")
def report(scored: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    _answers, results = scored
    output = tmp_path_factory.mktemp("out") / "report.pdf"
    result = CliRunner().invoke(app, ["report", str(results), "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert f"wrote {output}" in result.output
    return output


def test_report_has_title_author_language_and_tags(report: Path) -> None:
    info = pdf_info(report)
    assert info["Title"].startswith("Customer experience assessment")
    assert info["Author"]
    assert info["Tagged"] == "yes"
    assert "595.276 x 841.89" in info["Page size"]  # A4
    assert b"/Lang (en)" in _pdf_objects(report)


def _pdf_objects(path: Path) -> bytes:
    """The PDF's bytes with its compressed object streams expanded."""
    import re
    import zlib

    data = path.read_bytes()
    parts = [data]
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"".join(parts)


def test_report_fonts_are_embedded(report: Path) -> None:
    listing = subprocess.run(
        ["pdffonts", str(report)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert listing
    for line in listing:
        assert " yes " in line, line  # the "emb" column


def test_report_has_every_section_and_page_numbers(report: Path) -> None:
    text = pdf_text(report)
    for heading in (
        "Executive summary",
        "At a glance",
        "Capability",
        "Accessibility",
        "Enjoyability",
        "Results by group",
        "Outcomes and drivers",
        "Action plan",
        "In their own words",
        "Appendix: method and data",
    ):
        assert heading in text, heading
    pages = int(pdf_info(report)["Pages"])
    assert f"Page {pages} of {pages}" in text
    assert "three-abilities" in text  # questionnaire id in the appendix


def test_report_bookmarks_follow_the_headings(scored: tuple[Path, Path]) -> None:
    from weasyprint import HTML

    results = read_results(scored[1])
    html = render_html(build_context(results, default_brand()))
    tree = HTML(string=html).render().make_bookmark_tree()
    titles = [entry[0] for entry in tree]
    assert titles[:3] == ["Cover", "Executive summary", "At a glance"]
    assert "Action plan" in titles
    assert titles[-1] == "Appendix: method and data"


def test_letter_paper_is_an_option(scored: tuple[Path, Path], tmp_path: Path) -> None:
    output = tmp_path / "letter.pdf"
    result = CliRunner().invoke(
        app, ["report", str(scored[1]), "--paper", "letter", "-o", str(output)]
    )
    assert result.exit_code == 0, result.output
    assert "612 x 792" in pdf_info(output)["Page size"]


def test_summary_fits_on_one_page(report: Path) -> None:
    page_two = subprocess.run(
        ["pdftotext", "-f", "2", "-l", "2", "-layout", str(report), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "Executive summary" in page_two
    assert "PRIORITIESTOACTON" in page_two.replace(" ", "").upper()


def test_a_single_response_file_gives_a_personal_report(tmp_path: Path) -> None:
    q = resolve_questionnaire("three-abilities")
    response = ResponseFile(
        questionnaire=ResponseQuestionnaire(id=q.id, version=q.version),
        respondent="Ana",
        segments={"team": "North"},
        started="2026-01-05T09:00:00+00:00",
        completed="2026-01-05T09:07:00+00:00",
        answers={item.id: 4.0 for item in q.all_items()} | {"recommend": 9.0},
        comments={"one-change": "Open on Sundays & holidays"},
    )
    source = tmp_path / "ana.json"
    source.write_text(response.to_json(), encoding="utf-8")
    output = tmp_path / "ana.pdf"
    result = CliRunner().invoke(app, ["report", str(source), "-o", str(output)])
    assert result.exit_code == 0, result.output
    text = pdf_text(output)
    assert "Personal results" in text
    assert "You answered: Agree (4)" in text
    assert "Open on Sundays & holidays" in text
    assert "Results by group" not in text
    assert "Consistency" not in text


def test_template_folder_overrides_one_file_and_keeps_the_rest(
    scored: tuple[Path, Path], tmp_path: Path
) -> None:
    folder = tmp_path / "theme"
    (folder / "partials").mkdir(parents=True)
    (folder / "partials" / "cover.html").write_text(
        '<section class="cover" id="cover"><h1>OUR OWN COVER {{ document.organisation }}</h1>'
        "</section>",
        encoding="utf-8",
    )
    output = tmp_path / "custom.html"
    result = CliRunner().invoke(
        app, ["report", str(scored[1]), "--template", str(folder), "-o", str(output)]
    )
    assert result.exit_code == 0, result.output
    html = output.read_text(encoding="utf-8")
    assert "OUR OWN COVER" in html
    assert "Executive summary" in html  # the built-in partials are still used


def test_extra_sections_are_inserted_where_asked(scored: tuple[Path, Path]) -> None:
    results = read_results(scored[1])
    extra = Section(id="gap", template="partials/appendix.html", title="Gap", data={})
    context = build_context(results, extra_sections=[("outcomes", extra)])
    ids = [s.id for s in context["sections"]]
    assert ids[ids.index("outcomes") + 1] == "gap"


def test_scores_near_a_level_boundary_are_not_rounded_into_it() -> None:
    from cxassess.report.narrative import score_text

    assert score_text(59.6, [40, 60, 80]) == "59.6"
    assert score_text(59.99, [40, 60, 80]) == "59.9"
    assert score_text(61.4, [40, 60, 80]) == "61"
    assert score_text(None, [40]) == "–"


def test_group_report_names_its_group(scored: tuple[Path, Path]) -> None:
    results = read_results(scored[1])
    options = ReportOptions(kind="group", subject="North", subject_label="Team")
    html = render_html(build_context(results, default_brand(), options))
    assert "Team: North" in html


def test_per_group_pdfs_render_in_parallel_processes(
    scored: tuple[Path, Path], tmp_path: Path
) -> None:
    answers, _results = scored
    out_dir = tmp_path / "teams"
    result = CliRunner().invoke(
        app,
        [
            "report", str(answers), "-q", "three-abilities", "--per-group", "team",
            "--out-dir", str(out_dir), "--jobs", "2",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out_dir.iterdir())
    assert names == ["overview.pdf", "team-east.pdf", "team-north.pdf", "team-south.pdf"]
    north = pdf_text(out_dir / "team-north.pdf")
    assert "Team: North" in north
    assert "Respondents whose team is North only." in north
    assert int(pdf_info(out_dir / "team-north.pdf")["Pages"]) > 5


BILINGUAL = """\
format: cxassess/1
id: bilingual
version: "1.0"
title: {en: Service check, es: Revisión del servicio}
audience: staff
languages: [en, es]
scales:
  agree5:
    type: likert
    points:
      - {value: 1, label: {en: Strongly disagree, es: Muy en desacuerdo}}
      - {value: 2, label: {en: Disagree, es: En desacuerdo}}
      - {value: 3, label: {en: Neutral, es: Neutral}}
      - {value: 4, label: {en: Agree, es: De acuerdo}}
      - {value: 5, label: {en: Strongly agree, es: Muy de acuerdo}}
dimensions:
  - id: care
    title: {en: Care, es: Cuidado}
    items:
      - {id: c1, text: {en: We listen to customers., es: Escuchamos a los clientes.}, scale: agree5}
      - {id: c2, text: {en: We call back., es: Devolvemos llamadas.}, scale: agree5}
levels:
  - {id: low, min: 0, title: {en: Low, es: Bajo}}
  - {id: high, min: 60, title: {en: High, es: Alto}}
"""


def test_lang_chooses_the_questionnaire_language(tmp_path: Path) -> None:
    questionnaire = tmp_path / "bilingual.yaml"
    questionnaire.write_text(BILINGUAL, encoding="utf-8")
    answers = tmp_path / "answers.csv"
    rows = ["respondent,c1,c2"] + [f"r{i},{1 + i % 5},{1 + (i * 2) % 5}" for i in range(12)]
    answers.write_text("\n".join(rows) + "\n", encoding="utf-8")
    output = tmp_path / "es.html"
    result = CliRunner().invoke(
        app,
        ["report", str(answers), "-q", str(questionnaire), "--lang", "es", "-o", str(output)],
    )
    assert result.exit_code == 0, result.output
    html = output.read_text(encoding="utf-8")
    assert '<html lang="es">' in html
    assert "Escuchamos a los clientes." in html
    assert "Cuidado" in html
    assert "We listen to customers." not in html
    result = CliRunner().invoke(
        app, ["report", str(answers), "-q", str(questionnaire), "--lang", "fr"]
    )
    assert result.exit_code == 2
    assert "no texts in 'fr'" in result.output
