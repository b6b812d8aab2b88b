"""Each export format is checked by the tool's own software where we can run it."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cxassess.cli import app
from cxassess.exporting import FORMATS, render_export
from cxassess.exporting.common import options, value_text
from cxassess.format.catalog import resolve_questionnaire

DATA = Path(__file__).parent / "data"
USER_WRITTEN = DATA / "export" / "user-written-four-point.yaml"
NODE_PREFIX = Path(__file__).parent.parent / ".node-test"
QUESTIONNAIRES = ["three-abilities", str(USER_WRITTEN)]


@pytest.fixture(params=QUESTIONNAIRES, ids=["built-in", "user-written"])
def q(request):
    return resolve_questionnaire(request.param)


def test_xlsform_converts_with_pyxform_without_warnings(q, tmp_path) -> None:
    pyxform = pytest.importorskip("pyxform.xls2xform")
    path = tmp_path / "form.xlsx"
    path.write_bytes(render_export(q, "xlsform"))
    result = pyxform.convert(xlsform=str(path))
    assert result.warnings == []
    assert f'id="{q.id}"' in result.xform and f'version="{q.version}"' in result.xform
    for question in [*q.scored_questions(), *q.segments, *q.comments]:
        assert f'ref="/data/{question.id}"' in result.xform or f'/{question.id}"' in result.xform


def test_xlsform_has_a_label_column_per_language(tmp_path) -> None:
    import fastexcel

    q = resolve_questionnaire(str(USER_WRITTEN))
    path = tmp_path / "form.xlsx"
    path.write_bytes(render_export(q, "xlsform"))
    survey = fastexcel.read_excel(path).load_sheet("survey").to_polars()
    assert {"label::English (en)", "label::French (fr)"} <= set(survey.columns)
    assert "w-greeted" in survey["name"].to_list()


@pytest.mark.skipif(shutil.which("node") is None, reason="Node is not installed")
def test_surveyjs_loads_in_survey_core_with_every_question_and_value(q, tmp_path) -> None:
    if not (NODE_PREFIX / "node_modules" / "survey-core").is_dir():
        pytest.skip(
            "survey-core is not installed: run `npm install --prefix .node-test survey-core`"
        )
    form = tmp_path / "form.json"
    form.write_bytes(render_export(q, "surveyjs"))
    script = (
        "const Survey = require('survey-core');"
        "const json = JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8'));"
        "const model = new Survey.Model(json);"
        "if (model.jsonErrors && model.jsonErrors.length) {"
        "  console.error(JSON.stringify(model.jsonErrors.map(e => e.message))); process.exit(3); }"
        "const out = model.getAllQuestions().map(q => ({name: q.name, type: q.getType(),"
        "  title: q.title, values: (q.choices || []).map(c => String(c.value))}));"
        "console.log(JSON.stringify({title: model.title, description: model.description,"
        "  pages: model.pages.length, questions: out}));"
    )
    run = subprocess.run(
        ["node", "-e", script, str(form)],
        capture_output=True,
        text=True,
        cwd=NODE_PREFIX,
        env={"NODE_PATH": str(NODE_PREFIX / "node_modules"), "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert run.returncode == 0, run.stderr
    loaded = json.loads(run.stdout)
    assert f"{q.id}, version {q.version}" in loaded["description"]
    found = {item["name"]: item for item in loaded["questions"]}
    for question in q.scored_questions():
        expected = [opt.value for opt in options(q, q.scale_of(question))]
        assert found[question.id]["values"] == expected
        assert found[question.id]["title"] == q.text(question.text)
    for other in [*q.segments, *q.comments]:
        assert other.id in found
    assert loaded["pages"] == len(q.dimensions) + bool(q.outcomes) + bool(q.segments) + bool(
        q.comments
    )


@pytest.mark.skipif(shutil.which("node") is None, reason="Node is not installed")
def test_google_forms_script_passes_node_check(q, tmp_path) -> None:
    script = tmp_path / "form.js"  # node --check reads .gs only under a .js name
    script.write_bytes(render_export(q, "google-forms"))
    run = subprocess.run(["node", "--check", str(script)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


def test_google_forms_script_holds_every_text_exactly(q) -> None:
    script = render_export(q, "google-forms").decode()
    assert "FormApp.create(" in script
    assert f"{q.id}, version {q.version}" in script
    for question in [*q.scored_questions(), *q.comments]:
        assert json.dumps(q.text(question.text), ensure_ascii=False) in script
    for segment in q.segments:
        assert json.dumps(q.text(segment.title), ensure_ascii=False) in script
    for scale in q.scales.values():
        for opt in options(q, scale):
            assert json.dumps(opt.labels[q.default_language], ensure_ascii=False) in script


def test_paper_version_names_every_question_and_the_version(q) -> None:
    text = render_export(q, "md").decode()
    assert f"{q.id}, version {q.version}" in text
    for question in [*q.scored_questions(), *q.comments]:
        assert f"**{q.text(question.text)}** [{question.id}]" in text


def test_export_in_a_second_language_writes_its_texts() -> None:
    q = resolve_questionnaire(str(USER_WRITTEN))
    script = render_export(q, "google-forms", "fr").decode()
    assert "On m'a accueilli rapidement." in script
    assert "I was greeted quickly." not in script


runner = CliRunner()


def test_cli_export_writes_the_file_and_says_so(tmp_path) -> None:
    target = tmp_path / "form.json"
    result = runner.invoke(
        app, ["export", "three-abilities", "--to", "surveyjs", "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    assert f"wrote {target}" in result.output
    assert json.loads(target.read_text())["pages"]


def test_cli_export_refuses_a_questionnaire_that_does_not_validate(tmp_path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: cxassess/1\nid: Bad\n")
    result = runner.invoke(app, ["export", str(bad), "--to", "xlsform", "-o", str(tmp_path / "x")])
    validated = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 2
    assert "'Bad' is not a valid id" in result.output
    assert "'Bad' is not a valid id" in validated.output
    assert not (tmp_path / "x").exists()


def test_cli_export_names_the_formats_for_an_unknown_one() -> None:
    result = runner.invoke(app, ["export", "three-abilities", "--to", "typeform"])
    assert result.exit_code == 2
    assert "unknown export format 'typeform'" in result.output
    assert "xlsform, surveyjs, limesurvey, qualtrics, google-forms, docx, md" in result.output


def test_cli_export_refuses_a_language_the_questionnaire_lacks(tmp_path) -> None:
    result = runner.invoke(
        app, ["export", "three-abilities", "--to", "md", "--lang", "de", "-o", str(tmp_path / "m")]
    )
    assert result.exit_code == 2
    assert "has no language 'de'" in result.output


def test_xlsform_refuses_ids_that_cannot_be_xlsform_names(tmp_path) -> None:
    text = USER_WRITTEN.read_text(encoding="utf-8").replace("id: w-greeted", "id: 1-greeted")
    path = tmp_path / "digit-first-id.yaml"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["export", str(path), "--to", "xlsform", "-o", str(tmp_path / "f")])
    assert result.exit_code == 2
    assert "XLSForm names must start with a letter" in result.output
    assert "1-greeted" in result.output
    assert not (tmp_path / "f").exists()


# -- LimeSurvey, Qualtrics, Word --------------------------------------------------------------

LIMESURVEY_COLUMNS = ["class", "type/scale", "name", "relevance", "text", "help", "language"]
"""The first columns of LimeSurvey's tab-separated structure, as its manual lists them."""
LIMESURVEY_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9]{0,19}$")


def _limesurvey_rows(q) -> tuple[list[str], list[dict[str, str]]]:
    """The file read as LimeSurvey's importer reads it: tabs, `"` quoting, a header row."""
    text = render_export(q, "limesurvey").decode("utf-8")
    reader = csv.reader(io.StringIO(text), delimiter="\t", quotechar='"')
    header, *body = list(reader)
    assert all(len(row) == len(header) for row in body)
    return header, [dict(zip(header, row, strict=True)) for row in body]


def test_limesurvey_structure_has_the_documented_columns_and_rows(q) -> None:
    header, rows = _limesurvey_rows(q)
    assert header[: len(LIMESURVEY_COLUMNS)] == LIMESURVEY_COLUMNS
    assert {"mandatory", "other", "assessment_value"} <= set(header)
    assert {r["class"] for r in rows} <= {"S", "SL", "G", "Q", "SQ", "A"}
    settings = {r["name"]: r["text"] for r in rows if r["class"] == "S"}
    assert settings["language"] == q.default_language
    assert settings["additional_languages"].split() == q.languages[1:]
    described = [r for r in rows if r["class"] == "SL" and r["name"] == "surveyls_description"]
    assert len(described) == len(q.languages)
    assert all(f"{q.id}, version {q.version}" in r["text"] for r in described)
    body = [r for r in rows if r["class"] in ("G", "Q", "SQ", "A")]
    assert body[0]["class"] == "G"  # questions belong to the group above them


def test_limesurvey_has_one_block_per_language_row_for_row(q) -> None:
    _header, rows = _limesurvey_rows(q)
    body = [r for r in rows if r["class"] in ("G", "Q", "SQ", "A")]
    blocks = [[r for r in body if r["language"] == lang] for lang in q.languages]
    assert sum(len(b) for b in blocks) == len(body)
    # a group's name is its title, in its language; every other row keeps its code
    shape = [
        [(r["class"], r["type/scale"], r["class"] != "G" and r["name"]) for r in b] for b in blocks
    ]
    assert all(s == shape[0] for s in shape)
    # the base language first, each block whole
    assert [r["language"] for r in body] == [
        lang for lang, b in zip(q.languages, blocks, strict=True) for _ in b
    ]


def test_limesurvey_codes_are_safe_and_name_every_question_once(q) -> None:
    _header, rows = _limesurvey_rows(q)
    base = [r for r in rows if r.get("language") == q.default_language]
    questions = [r["name"] for r in base if r["class"] == "Q"]
    assert len(questions) == len(set(questions))
    assert all(LIMESURVEY_CODE.match(r["name"]) for r in base if r["class"] in ("Q", "SQ"))
    answers = [r["name"] for r in base if r["class"] == "A"]
    assert all(a.isalnum() and len(a) <= 5 for a in answers)
    texts = {html.unescape(r["text"]) for r in base if r["class"] in ("Q", "SQ")}
    for question in [*q.scored_questions(), *q.comments]:
        assert q.text(question.text) in texts
    for segment in q.segments:
        assert q.text(segment.title) in texts


def test_limesurvey_assessment_values_are_the_scale_points(q) -> None:
    _header, rows = _limesurvey_rows(q)
    base = [r for r in rows if r.get("language") == q.default_language]
    points = {value_text(p.value) for s in q.scales.values() for p in s.resolved_points()}
    for row in (r for r in base if r["class"] == "A" and r["name"] in points):
        assert row["assessment_value"] == row["name"]


def test_limesurvey_refuses_ids_it_could_not_tell_apart(tmp_path) -> None:
    text = USER_WRITTEN.read_text(encoding="utf-8").replace("id: w-ignored", "id: wgreeted")
    path = tmp_path / "ids-differing-in-punctuation.yaml"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(
        app, ["export", str(path), "--to", "limesurvey", "-o", str(tmp_path / "f")]
    )
    assert result.exit_code == 2
    assert "w-greeted and wgreeted (both 'wgreeted')" in result.output
    assert not (tmp_path / "f").exists()


QUALTRICS_TAGS = re.compile(
    r"^\[\[(AdvancedFormat|PageBreak|Choices|Answers|Block:[^\[\]]+|ID:[A-Za-z][\w-]*|"
    r"Question:(DB|Matrix|MC:SingleAnswer:(Vertical|Horizontal)|TE:Essay|TE:SingleLine))\]\]$"
)
"""The Advanced Format tags the export uses, as Qualtrics documents them."""


def test_qualtrics_file_uses_only_documented_tags_with_our_ids(q) -> None:
    lines = render_export(q, "qualtrics").decode().splitlines()
    assert lines[0] == "[[AdvancedFormat]]"
    tags = [line for line in lines if line.startswith("[[")]
    assert all(QUALTRICS_TAGS.match(t) for t in tags), [
        t for t in tags if not QUALTRICS_TAGS.match(t)
    ]
    assert all("[[" not in line for line in lines if not line.startswith("[["))
    ids = [t[5:-2] for t in tags if t.startswith("[[ID:")]
    assert len(ids) == len(set(ids))
    expected = [
        *(s.id for s in q.segments),
        *(o.id for o in q.outcomes),
        *(c.id for c in q.comments),
    ]
    assert set(expected) <= set(ids)
    questions = [t for t in tags if t.startswith("[[Question:") and t != "[[Question:DB]]"]
    assert len(questions) == len(ids)  # every question but the introduction has its tag
    assert any(f"{q.id}, version {q.version}" in line for line in lines)


def test_qualtrics_matrix_lists_each_statement_and_the_scale_labels(q) -> None:
    lines = render_export(q, "qualtrics").decode().splitlines()
    starts = [i for i, line in enumerate(lines) if line == "[[Question:Matrix]]"]
    statements: list[str] = []
    for start in starts:
        end = lines.index("", start)
        block = lines[start:end]
        rows = block[block.index("[[Choices]]") + 1 : block.index("[[Answers]]")]
        columns = block[block.index("[[Answers]]") + 1 :]
        items = [i for i in q.all_items() if q.text(i.text) in rows]
        assert columns == [o.labels[q.default_language] for o in options(q, q.scale_of(items[0]))]
        statements += rows
    assert statements == [q.text(i.text) for i in q.all_items()]


def test_word_file_opens_and_holds_every_text_and_answer(q, tmp_path) -> None:
    docx = pytest.importorskip("docx")
    path = tmp_path / "paper.docx"
    path.write_bytes(render_export(q, "docx"))
    document = docx.Document(str(path))
    paragraphs = [p.text for p in document.paragraphs]
    assert f"cxassess questionnaire {q.id}, version {q.version}" in paragraphs
    assert document.core_properties.subject == f"cxassess questionnaire {q.id}, version {q.version}"
    for question in [*q.scored_questions(), *q.comments]:
        assert f"{q.text(question.text)} [{question.id}]" in paragraphs
    bullets = {p.text for p in document.paragraphs if p.style.name == "List Bullet"}
    for question in q.scored_questions():
        for opt in options(q, q.scale_of(question)):
            assert opt.labels[q.default_language] in bullets


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_names_the_questionnaire_and_version(q, fmt) -> None:
    data = render_export(q, fmt)
    if data.startswith(b"PK"):  # a workbook or a Word file: look inside its parts
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            data = b"".join(archive.read(name) for name in archive.namelist())
    text = data.decode("utf-8", errors="ignore")
    assert q.id in text and q.version in text


@pytest.mark.parametrize("fmt", ["limesurvey", "qualtrics", "docx"])
def test_cli_new_formats_refuse_a_questionnaire_that_does_not_validate(fmt, tmp_path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: cxassess/1\nid: Bad\n")
    result = runner.invoke(app, ["export", str(bad), "--to", fmt, "-o", str(tmp_path / "x")])
    assert result.exit_code == 2
    assert "'Bad' is not a valid id" in result.output
    assert not (tmp_path / "x").exists()


def test_cli_qualtrics_export_says_how_to_download_the_answers(tmp_path) -> None:
    target = tmp_path / "form.txt"
    result = runner.invoke(
        app, ["export", "three-abilities", "--to", "qualtrics", "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    assert "Use choice text" in result.output
    assert target.read_text(encoding="utf-8").startswith("[[AdvancedFormat]]")


def test_qualtrics_refuses_a_text_it_would_take_for_a_tag(tmp_path) -> None:
    text = USER_WRITTEN.read_text(encoding="utf-8").replace(
        "en: I was greeted quickly.", "en: 'I was greeted [[quickly]].'"
    )
    path = tmp_path / "double-brackets-in-a-statement.yaml"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(
        app, ["export", str(path), "--to", "qualtrics", "-o", str(tmp_path / "f")]
    )
    assert result.exit_code == 2
    assert "which Qualtrics reads as a tag" in result.output
    assert not (tmp_path / "f").exists()


def test_limesurvey_refuses_scale_values_that_are_no_answer_codes(tmp_path) -> None:
    text = USER_WRITTEN.read_text(encoding="utf-8").replace(
        "{value: 1, label:", "{value: -1, label:"
    )
    path = tmp_path / "negative-scale-value.yaml"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(
        app, ["export", str(path), "--to", "limesurvey", "-o", str(tmp_path / "f")]
    )
    assert result.exit_code == 2, result.output
    assert "scale 'agree4' has values LimeSurvey cannot store as answer codes: -1" in result.output
    assert not (tmp_path / "f").exists()
