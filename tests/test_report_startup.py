"""What `cxassess report` loads, and when: the PDF worker is started before the heavy
libraries are imported, and a plain report does not load the gap or comparison code."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from test_report_safety import write_answers

HEAVY = ("polars", "numpy", "pydantic", "jinja2", "weasyprint", "cxassess.results")


def _modules_after(code: str, cwd: Path) -> list[str]:
    """The modules of `HEAVY` and of the gap and comparison code loaded after running `code`
    in a fresh interpreter (what one process of the command would have imported)."""
    probe = (
        f"{code}\nimport json, sys\n"
        "print(json.dumps(sorted(m for m in sys.modules if m in "
        f"{HEAVY!r} or m.startswith(('cxassess.gap', 'cxassess.compare')))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=cwd, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_report_entry_point_imports_no_heavy_library(tmp_path: Path) -> None:
    loaded = _modules_after(
        "from cxassess.report.build import ReportRequest, make_report\n"
        "ReportRequest(inputs=['answers.csv'], output='report.pdf')",
        tmp_path,
    )
    assert loaded == []


def test_the_pdf_worker_starts_before_the_scoring_code_is_imported(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from cxassess.report import workers\n"
        "seen = []\n"
        "class Spy(workers._Worker):\n"
        "    def __init__(self):\n"
        "        seen.append(sorted(m for m in ('polars', 'numpy') if m in sys.modules))\n"
        "        super().__init__()\n"
        "workers._Worker = Spy\n"
        "from cxassess.report.build import ReportRequest, make_report\n"
        "make_report(ReportRequest(inputs=['a.csv'], questionnaire='three-abilities',"
        " output='report.pdf'))\n"
        "print(seen)\n"
    )
    write_answers(tmp_path / "a.csv", {"North": 6, "South": 7}, {})
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip().splitlines()[-1] == "[[]]"
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")


def test_a_plain_report_loads_no_gap_or_comparison_code(tmp_path: Path) -> None:
    write_answers(tmp_path / "a.csv", {"North": 6, "South": 7}, {})
    loaded = _modules_after(
        "from cxassess.report.build import ReportRequest, make_report\n"
        "make_report(ReportRequest(inputs=['a.csv'], questionnaire='three-abilities',"
        " segments=['team'], output='report.html'))",
        tmp_path,
    )
    assert not [m for m in loaded if m.startswith(("cxassess.gap", "cxassess.compare"))]
    assert "polars" in loaded  # the answers were read, so the probe itself is working
    assert (tmp_path / "report.html").is_file()
