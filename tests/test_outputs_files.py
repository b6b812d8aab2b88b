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
