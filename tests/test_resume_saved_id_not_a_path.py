"""`run --resume` never opens the questionnaire id written in a saved run as a path: only ids
found in the catalogue are accepted; a run started from a file is resumed by naming the file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cxassess.cli import app

DATA = Path(__file__).parent / "data" / "exports"
BUILTIN = Path(__file__).parents[1] / "questionnaires" / "three-abilities.yaml"


def _partial(tmp_path: Path, saved_id: str) -> Path:
    record = json.loads((DATA / "minimal-response-unfinished.json").read_text(encoding="utf-8"))
    record["questionnaire"]["id"] = saved_id
    partial = tmp_path / "r.json.partial.json"
    partial.write_text(json.dumps(record), encoding="utf-8")
    return partial


@pytest.mark.parametrize("kind", ["absolute", "relative", "traversal"])
def test_saved_id_that_is_a_path_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    planted = tmp_path / "planted.yaml"
    shutil.copy(BUILTIN, planted)
    saved_id = {
        "absolute": str(planted),
        "relative": "planted.yaml",
        "traversal": "../" + tmp_path.name + "/planted",
    }[kind]
    partial = _partial(tmp_path, saved_id)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["run", "--resume", str(partial)], input="q\n")
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert f"{partial}: the saved run names the questionnaire" in result.output
    assert "not in the catalogue" in result.output
    assert "The three abilities" not in result.output


def test_questionnaire_named_again_is_checked_against_the_saved_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    partial = _partial(tmp_path, "/somewhere/else.yaml")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["run", str(BUILTIN), "--resume", str(partial)], input="q\n")
    assert "not in the catalogue" not in result.output
    assert "holds answers to '/somewhere/else.yaml'" in result.output
    assert result.exit_code == 2
