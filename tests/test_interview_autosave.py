"""File names of a run, atomic partial saves, reading saved runs back."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pytest

from cxassess.errors import FileNotFound, ResponseError
from cxassess.format.catalog import resolve_questionnaire
from cxassess.interview import autosave
from cxassess.interview.record import new_record

MINIMAL = Path(__file__).parent / "data" / "valid" / "minimal.yaml"


def test_autosave_partial_file_sits_beside_the_output_and_maps_back():
    out = Path("/data/team/r.json")
    partial = autosave.partial_path(out)
    assert partial == Path("/data/team/r.json.partial.json")
    assert autosave.is_partial_name(partial)
    assert autosave.output_of_partial(partial) == out
    assert autosave.output_of_partial(Path("odd.json")) == Path("odd.json")


def test_autosave_default_output_uses_the_respondent_or_the_time(tmp_path):
    assert autosave.default_output("trust", "Ana López", tmp_path).name == (
        "response-trust-ana-lopez.json"
    )
    when = datetime(2025, 3, 4, 9, 5, 7)
    assert autosave.default_output("trust", None, tmp_path, when).name == (
        "response-trust-20250304-090507.json"
    )
    assert autosave.default_output("trust", "!!!", tmp_path, when).name == (
        "response-trust-20250304-090507.json"
    )


def test_autosave_default_output_never_reuses_an_existing_file(tmp_path):
    (tmp_path / "response-trust-ana.json").write_text("{}")
    (tmp_path / "response-trust-ana-2.json").write_text("{}")
    assert autosave.default_output("trust", "Ana", tmp_path).name == "response-trust-ana-3.json"


def test_autosave_save_partial_round_trips_and_leaves_no_temporary_file(tmp_path):
    q = resolve_questionnaire(MINIMAL)
    record = new_record(q, language="en", respondent="R1", segments={"team": "Ops"})
    record.answers["a1"] = 4.0
    path = autosave.partial_path(tmp_path / "sub" / "r.json")
    autosave.save_partial(path, record)
    assert autosave.read_response(path) == record
    assert sorted(p.name for p in path.parent.iterdir()) == ["r.json.partial.json"]


def test_autosave_failed_write_keeps_the_earlier_partial_file(tmp_path, monkeypatch):
    q = resolve_questionnaire(MINIMAL)
    record = new_record(q, language="en")
    record.answers["a1"] = 4.0
    path = tmp_path / "r.json.partial.json"
    autosave.save_partial(path, record)

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    record.answers["a2"] = 2.0
    with pytest.raises(Exception, match=r"(?i)no space left"):
        autosave.save_partial(path, record)
    monkeypatch.undo()
    assert autosave.read_response(path).answers == {"a1": 4.0}
    assert [p.name for p in tmp_path.iterdir()] == ["r.json.partial.json"]


def test_autosave_read_response_reports_missing_and_broken_files(tmp_path):
    with pytest.raises(FileNotFound):
        autosave.read_response(tmp_path / "none.json")
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    with pytest.raises(ResponseError, match="not a cxassess response file"):
        autosave.read_response(broken)
    other = tmp_path / "other.json"
    other.write_text(
        '{"schema": "cxassess.response/9", "questionnaire": {"id": "x", "version": "1"}}'
    )
    with pytest.raises(ResponseError, match="unknown schema"):
        autosave.read_response(other)


def test_autosave_find_partials_matches_questionnaire_and_respondent(tmp_path):
    q = resolve_questionnaire(MINIMAL)
    mine = new_record(q, language="en", respondent="Ana")
    theirs = new_record(q, language="en", respondent="Ben")
    autosave.save_partial(tmp_path / "response-minimal-ana.json.partial.json", mine)
    autosave.save_partial(tmp_path / "response-minimal-ben.json.partial.json", theirs)
    (tmp_path / "response-minimal-x.json.partial.json").write_text("garbage")
    found = autosave.find_partials(tmp_path, "minimal", "Ana")
    assert [p.name for p in found] == ["response-minimal-ana.json.partial.json"]
    assert autosave.find_partials(tmp_path, "other", "Ana") == []


def test_autosave_default_output_never_takes_the_name_of_an_unfinished_run(tmp_path):
    when = datetime(2025, 3, 4, 9, 5, 7)
    (tmp_path / "response-trust-20250304-090507.json.partial.json").write_text("{}")
    assert autosave.default_output("trust", None, tmp_path, when).name == (
        "response-trust-20250304-090507-2.json"
    )
