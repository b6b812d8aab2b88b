"""`cxassess run` with standard input closed (`<&-`) ends in one clear message, exit 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_run_with_stdin_closed_says_so(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    done = subprocess.run(
        [sys.executable, "-m", "cxassess", "run", "three-abilities", "-o", str(out)],
        stdin=None,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        preexec_fn=lambda: os.close(0),
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert "standard input is closed" in done.stderr
    assert not out.exists()
