"""Each export format is checked by the tool's own software where we can run it."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cxassess.cli import app
from cxassess.exporting import render_export
from cxassess.exporting.common import options
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
    assert "xlsform, surveyjs, google-forms, md" in result.output


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
