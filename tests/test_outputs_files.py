"""Output files are written atomically and readable like any other file."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from cxassess.errors import CxError
from cxassess.outputs.files import write_text_atomic


def test_written_file_gets_the_usual_permissions(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        path = write_text_atomic(tmp_path / "sub" / "out.txt", "hello")
    finally:
        os.umask(old)
    assert path.read_text() == "hello"
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert [p.name for p in path.parent.iterdir()] == ["out.txt"]


def test_unwritable_target_is_a_readable_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(CxError, match="cannot write"):
        write_text_atomic(blocker / "out.txt", "hello")


def test_output_under_a_regular_file_is_bad_input_naming_the_file(tmp_path: Path) -> None:
    from cxassess.errors import InputError

    blocker = tmp_path / "afile"
    blocker.write_text("x")
    with pytest.raises(InputError, match="afile is a file, not a folder"):
        write_text_atomic(blocker / "sub" / "out.txt", "hello")
    with pytest.raises(InputError, match="it is a folder"):
        write_text_atomic(tmp_path, "hello")


def test_map_file_section_of_the_wrong_shape_is_reported_with_its_line(tmp_path: Path) -> None:
    from cxassess.errors import ValidationError
    from cxassess.format.catalog import resolve_questionnaire
    from cxassess.inputs.mapfile import parse_map

    q = resolve_questionnaire("three-abilities")
    for data in ({"columns": 5}, {"columns": ["a"]}, {"labels": 5}):
        with pytest.raises(ValidationError) as caught:
            parse_map(data, q, "odd.yaml")
        assert "must hold 'key: value' lines" in str(caught.value.problems[0])
