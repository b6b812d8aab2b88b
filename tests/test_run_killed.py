"""A run killed with SIGKILL mid-way resumes with every earlier answer intact."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cxassess.cli import app
from cxassess.interview.autosave import partial_path

MINIMAL = str(Path(__file__).parent / "data" / "valid" / "minimal.yaml")


def wait_for_answers(partial: Path, count: int, limit_seconds: float = 60) -> dict:
    """Poll the partial file until it holds `count` answers (not a timing assertion: the limit
    only stops a broken run from hanging the suite)."""
    deadline = time.monotonic() + limit_seconds
    while time.monotonic() < deadline:
        try:
            data = json.loads(partial.read_text())
        except (FileNotFoundError, json.JSONDecodeError):
            data = {}
        if len(data.get("answers", {})) >= count:
            return data
        time.sleep(0.05)
    raise AssertionError(f"the partial file never held {count} answers")


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_run_killed_with_sigkill_resumes_with_every_answer(runner, tmp_path):
    out = tmp_path / "r.json"
    env = {**os.environ, "NO_COLOR": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "cxassess", "run", MINIMAL, "-o", str(out)],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    try:
        assert process.stdin is not None
        for line in ("Support", "4", "2", "5", "n"):
            process.stdin.write(line + "\n")
            process.stdin.flush()
        saved = wait_for_answers(partial_path(out), 4)
        process.send_signal(signal.SIGKILL)
        process.wait()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == -signal.SIGKILL
    assert saved["answers"] == {"a1": 4.0, "a2": 2.0, "a3": 5.0, "b1": None}
    assert not out.exists()

    result = runner.invoke(
        app,
        ["run", MINIMAL, "--resume", str(partial_path(out))],
        input="3\n4\n9\n\n",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert data["segments"] == {"team": "Support"}
    assert data["answers"] == {
        "a1": 4.0,
        "a2": 2.0,
        "a3": 5.0,
        "b1": None,
        "b2": 3.0,
        "b3": 4.0,
        "recommend": 9.0,
    }
    assert data["not_applicable"] == ["b1"]
    assert not partial_path(out).exists()
