"""Loading questionnaires: the built-in set, files written by others, safety of the YAML."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from cxassess.errors import ValidationError
from cxassess.format.catalog import find_questionnaire, list_questionnaires, resolve_questionnaire
from cxassess.format.loader import MAX_EXPANDED_NODES, load_questionnaire, read_questionnaire
from cxassess.format.validate import validate_files
from cxassess.resources import data_dir
from cxassess.responses import answers_schema
from cxassess.scoring.summary import summarise

BUILT_IN = [
    "three-abilities",
    "three-abilities-customer",
    "trust-culture",
    "internal-communication",
    "experience-focus",
]
DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize("ident", BUILT_IN)
def test_builtin_questionnaire_loads_without_warnings(ident: str) -> None:
    path = find_questionnaire(ident)
    questionnaire, problems = read_questionnaire(path)
    assert questionnaire is not None and questionnaire.id == ident
    assert problems == []


@pytest.mark.parametrize("ident", BUILT_IN)
def test_builtin_questionnaire_meets_the_content_map(ident: str) -> None:
    q = resolve_questionnaire(ident)
    assert len(q.levels) == 4 and q.comments
    top = max(lv.min for lv in q.levels)
    # Negatively worded items only where that reads naturally (and never a double negative).
    assert any(item.reverse for item in q.all_items())
    assert q.notes and q.provisional_levels
    for dim in q.dimensions:
        assert 4 <= len(dim.items) <= 10
        lower_bounds = {
            q.condition_bounds(r.when)[0] for r in q.recommendations if r.when.dimension == dim.id
        }
        # every level below the top has advice aimed at it
        assert {lv.min for lv in q.levels if lv.min < top} <= lower_bounds, dim.id
    for rec in q.recommendations:
        assert 1 <= len(rec.actions) <= 3, rec.id


def test_staff_and_customer_three_abilities_share_dimension_ids() -> None:
    staff = resolve_questionnaire("three-abilities")
    customer = resolve_questionnaire("three-abilities-customer")
    assert [d.id for d in staff.dimensions] == [d.id for d in customer.dimensions]
    assert staff.outcomes and customer.outcomes


def test_builtin_files_pass_validate_without_warnings() -> None:
    outcome = validate_files(sorted(data_dir("questionnaires").glob("*.yaml")), strict=True)
    assert outcome.exit_code == 0 and outcome.files == 5, outcome.lines()


def test_questionnaire_written_by_someone_else_to_the_spec_loads_and_scores() -> None:
    q = load_questionnaire(DATA / "valid" / "spec-example.yaml")
    assert q.text(q.dimensions[0].title, "es") == "Capacidad"
    schema = answers_schema(q)
    rows = {name: [None, None] for name in schema}
    rows |= {
        "cap-stock": [5.0, 3.0],
        "cap-guessing": [1.0, 3.0],
        "cap-skills": [4.0, 2.0],
        "recommend": [9.0, 5.0],
    }
    results = summarise(q, pl.DataFrame(rows, schema=schema), lang="es")
    capability = results.dimension("capability")
    assert capability is not None and capability.title == "Capacidad"
    # respondent 1: 100, 100, 75 -> 91.67; respondent 2: 50, 50, 25 -> 41.67
    assert capability.score == pytest.approx((275 / 3 + 125 / 3) / 2)
    assert results.outcomes[0].nps == 0.0


def test_alias_bomb_is_refused_without_expanding() -> None:
    with pytest.raises(ValidationError) as caught:
        load_questionnaire(DATA / "invalid" / "invalid-alias-bomb.yaml")
    assert f"{MAX_EXPANDED_NODES:,}" in str(caught.value.problems[0])


def test_python_tags_are_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "hacked"
    path = tmp_path / "evil.yaml"
    path.write_text(f'x: !!python/object/apply:os.system ["touch {marker}"]\n')
    with pytest.raises(ValidationError):
        load_questionnaire(path)
    assert not marker.exists()


def test_missing_file_is_a_clear_input_error(tmp_path: Path) -> None:
    from cxassess.errors import FileNotFound

    with pytest.raises(FileNotFound, match="not found"):
        load_questionnaire(tmp_path / "nope.yaml")


def test_local_questionnaires_folder_and_cxassess_path_are_listed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    local = tmp_path / "work" / "questionnaires"
    local.mkdir(parents=True)
    text = (DATA / "valid" / "minimal.yaml").read_text()
    (local / "minimal.yaml").write_text(text)
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "other.yaml").write_text(text.replace("id: minimal", "id: other"))
    (extra / "broken.yaml").write_text("format: cxassess/1\n")
    monkeypatch.chdir(tmp_path / "work")
    monkeypatch.setenv("CXASSESS_PATH", str(extra))
    entries, notes = list_questionnaires()
    sources = {e.questionnaire.id: e.source for e in entries}
    assert sources["minimal"] == "./questionnaires"
    assert sources["other"] == "$CXASSESS_PATH"
    assert sources["three-abilities"] == "built-in"
    assert any("broken.yaml" in note for note in notes)
    assert resolve_questionnaire("other").id == "other"
