"""Two `cxassess run` sessions at once never lose anyone's answers: a second run on the same
`-o` is refused while the first is writing it, and a second run whose file name is ours takes
the next free name."""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from typer.testing import CliRunner

from cxassess.cli import app

MINIMAL = str(Path(__file__).parent / "data" / "valid" / "minimal.yaml")
FULL = ["Support", "4", "2", "5", "n", "3", "agree", "9", "More staff"]
ANSWERS = "".join(f"{a}\n" for a in FULL)


def _start(folder: Path, *args: str) -> subprocess.Popen[str]:
    """A run in a child process, waiting for its answers on standard input."""
    return subprocess.Popen(
        [sys.executable, "-m", "cxassess", "run", MINIMAL, *args],
        cwd=folder,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for_lock(lock: Path, child: subprocess.Popen[str]) -> None:
    """Until the child holds its lock (it has started and claimed its file)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and child.poll() is None:
        if lock.exists():
            fd = os.open(lock, os.O_RDWR)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return
            else:
                fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)
        time.sleep(0.05)
    raise AssertionError(f"the first run never locked {lock}: {child.communicate()}")


def test_second_run_on_the_same_output_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    first = _start(tmp_path, "-o", str(out))
    try:
        _wait_for_lock(tmp_path / ".r.json.lock", first)
        second = CliRunner().invoke(app, ["run", MINIMAL, "-o", str(out)], input=ANSWERS)
        assert second.exit_code == 2, second.output
        assert "Traceback" not in second.output
        assert f"{out} is being written by another cxassess run right now" in second.output
    finally:
        _stdout, stderr = first.communicate(ANSWERS, timeout=120)
    assert first.returncode == 0, stderr
    assert json.loads(out.read_text(encoding="utf-8"))["answers"]["a1"] == 4.0


def test_two_runs_with_our_file_name_keep_both_answers(tmp_path: Path, monkeypatch) -> None:
    first = _start(tmp_path, "--respondent", "Ana")
    name = "response-minimal-ana.json"
    try:
        _wait_for_lock(tmp_path / f".{name}.lock", first)
        monkeypatch.chdir(tmp_path)
        other = ANSWERS.replace("4\n", "1\n", 1)
        second = CliRunner().invoke(app, ["run", MINIMAL, "--respondent", "Ana"], input=other)
        assert second.exit_code == 0, second.output
    finally:
        _stdout, stderr = first.communicate(ANSWERS, timeout=120)
    assert first.returncode == 0, stderr
    mine = json.loads((tmp_path / name).read_text(encoding="utf-8"))
    theirs = json.loads((tmp_path / "response-minimal-ana-2.json").read_text(encoding="utf-8"))
    assert mine["answers"]["a1"] == 4.0
    assert theirs["answers"]["a1"] == 1.0
    assert not list(tmp_path.glob("*.partial.json"))
