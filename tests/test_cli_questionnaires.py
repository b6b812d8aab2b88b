"""The questionnaire commands as a user runs them: exit codes and messages."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from cxassess import __version__
from cxassess.cli import app

DATA = Path(__file__).parent / "data"


def test_version_prints_the_version(runner) -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"cxassess {__version__}"


def test_list_shows_the_five_builtin_questionnaires(runner) -> None:
    result = runner.invoke(app, ["list", "--json"])
    assert result.exit_code == 0
    rows = {row["id"]: row for row in json.loads(result.stdout)}
    assert {
        "three-abilities",
        "three-abilities-customer",
        "trust-culture",
        "internal-communication",
        "experience-focus",
    } <= set(rows)
    assert rows["three-abilities"]["audience"] == "staff"
    assert rows["three-abilities"]["items"] > 10
    table = runner.invoke(app, ["list"])
    assert table.exit_code == 0 and "three-abilities" in table.stdout


def test_show_prints_the_tree_of_a_builtin_id(runner) -> None:
    result = runner.invoke(app, ["show", "three-abilities"])
    assert result.exit_code == 0
    assert "Capability" in result.stdout and "Levels" in result.stdout


def test_show_json_of_a_file_path(runner) -> None:
    result = runner.invoke(app, ["show", str(DATA / "valid" / "minimal.yaml"), "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["id"] == "minimal"


def test_show_unknown_id_is_exit_2_with_known_ids(runner) -> None:
    result = runner.invoke(app, ["show", "three-abilitis"])
    assert result.exit_code == 2
    assert "no questionnaire 'three-abilitis'" in result.stderr
    assert "three-abilities" in result.stderr
    assert "Traceback" not in result.output


def test_show_missing_file_is_exit_2(runner) -> None:
    result = runner.invoke(app, ["show", "nowhere/q.yaml"])
    assert result.exit_code == 2
    assert "questionnaire file not found: nowhere/q.yaml" in result.stderr


def test_validate_valid_files_exit_0(runner) -> None:
    result = runner.invoke(
        app,
        [
            "validate",
            str(DATA / "valid" / "minimal.yaml"),
            str(DATA / "valid" / "spec-example.yaml"),
        ],
    )
    assert result.exit_code == 0
    # The spec's own example uses "often" twice: the wording checks warn, and it stays valid.
    assert "2 file(s) checked: 0 error(s), 2 warning(s) - valid" in result.stdout
    assert "uses 'often' [absolute]" in result.output


def test_validate_warning_passes_unless_strict(runner, tmp_path: Path) -> None:
    text = (DATA / "valid" / "minimal.yaml").read_text()
    thin = text.replace("      - {id: b3, text: Three, scale: agree5}\n", "")
    path = tmp_path / "thin.yaml"
    path.write_text(thin)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0
    assert "warning:" in result.stderr and "only 2 item(s)" in result.stderr
    strict = runner.invoke(app, ["validate", "--strict", str(path)])
    assert strict.exit_code == 2


def test_validate_reports_every_file_before_failing(runner) -> None:
    result = runner.invoke(
        app,
        [
            "validate",
            str(DATA / "invalid" / "invalid-unknown-scale.yaml"),
            str(DATA / "valid" / "minimal.yaml"),
            str(DATA / "invalid" / "invalid-misspelt-key.yaml"),
        ],
    )
    assert result.exit_code == 2
    assert "unknown scale 'agree7'" in result.stderr
    assert "did you mean 'title'?" in result.stderr
    assert "3 file(s) checked: 2 error(s)" in result.stdout


def test_schema_is_valid_json_schema_with_field_descriptions(runner, tmp_path: Path) -> None:
    out = tmp_path / "schema.json"
    result = runner.invoke(app, ["schema", "-o", str(out)])
    assert result.exit_code == 0
    schema = json.loads(out.read_text())
    assert schema["properties"]["audience"]["description"] == "Who answers it."
    item = schema["$defs"]["Item"]["properties"]
    assert "reverse" in item and item["reverse"]["description"]
    printed = runner.invoke(app, ["schema"])
    assert json.loads(printed.stdout) == schema


def test_help_imports_neither_weasyprint_nor_a_dataframe_library() -> None:
    code = (
        "import sys\n"
        "from cxassess.cli import app\n"
        "try:\n    app(['--help'])\nexcept SystemExit:\n    pass\n"
        "for name in ('weasyprint', 'polars', 'pandas', 'duckdb', 'pyarrow'):\n"
        "    assert name not in sys.modules, name\n"
        "print('clean')\n"
    )
    for command in ([], ["score"], ["report"], ["run"], ["gap"]):
        probe = code.replace("['--help']", repr([*command, "--help"]))
        result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        assert "clean" in result.stdout


def test_installed_command_finds_builtins_from_any_folder(tmp_path: Path) -> None:
    env = {
        k: v
        for k, v in __import__("os").environ.items()
        if k not in ("PYTHONPATH", "CXASSESS_PATH")
    }
    result = subprocess.run(
        [sys.executable, "-m", "cxassess", "list", "--json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    sources = {row["id"]: row["source"] for row in json.loads(result.stdout)}
    assert sources["three-abilities"] == "built-in"
    assert len(sources) == 5


def test_validate_reports_a_missing_file_and_still_checks_the_others(runner) -> None:
    result = runner.invoke(
        app,
        ["validate", "nowhere.yaml", str(DATA / "invalid" / "invalid-unknown-scale.yaml")],
    )
    assert result.exit_code == 2
    assert "nowhere.yaml: questionnaire file not found: nowhere.yaml" in result.stderr
    assert "unknown scale 'agree7'" in result.stderr


def test_paths_with_brackets_print_as_written(runner, tmp_path: Path) -> None:
    out = tmp_path / "[/]s.json"
    result = runner.invoke(app, ["schema", "-o", str(out)])
    assert result.exit_code == 0
    assert out.exists() and "[/]s.json" in result.stderr


def test_public_api_names_resolve_lazily() -> None:
    code = (
        "import sys, cxassess\n"
        "assert 'polars' not in sys.modules\n"
        "for name in cxassess.__all__[1:]:\n"
        "    assert callable(getattr(cxassess, name)), name\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
