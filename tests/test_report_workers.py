"""The PDF rendering processes: how many are started, and a clean stop when writing fails."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from test_report_safety import write_answers
from typer.testing import CliRunner

from cxassess.cli import app
from cxassess.report import workers as workers_module
from cxassess.report.workers import PdfWorkers, worker_count

PAGE = "<html><body><p>Page {n}</p></body></html>"


def test_worker_count_is_capped_by_jobs_documents_and_cores(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(workers_module.os, "cpu_count", lambda: 8)
    assert worker_count(30, 6) == 6
    assert worker_count(3, 6) == 3
    assert worker_count(None, 20) == 8
    assert worker_count(30, None) == 8
    assert worker_count(None, 0) == 1
    monkeypatch.setattr(workers_module.os, "cpu_count", lambda: None)
    assert worker_count(4, 4) == 1


def test_pdf_workers_stop_the_ones_with_no_document() -> None:
    with PdfWorkers(3) as workers:
        pdfs = workers.render([PAGE.format(n=1)], variant=None)
        assert len(workers._workers) == 1
    assert pdfs[0].startswith(b"%PDF")


def test_pdf_workers_stop_cleanly_when_the_callback_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    thread_errors: list[BaseException | None] = []
    monkeypatch.setattr(threading, "excepthook", lambda args: thread_errors.append(args.exc_value))

    def fail(index: int, pdf: bytes) -> None:
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"), PdfWorkers(2) as workers:
        workers.render([PAGE.format(n=n) for n in range(6)], variant=None, on_done=fail)
    assert thread_errors == []


def test_report_out_dir_that_is_a_file_is_exit_2(tmp_path: Path) -> None:
    answers = write_answers(tmp_path / "a.csv", {"North": 6, "South": 7}, {})
    afile = tmp_path / "afile"
    afile.write_text("hi\n", encoding="utf-8")
    for out_dir in (afile, afile / "teams"):
        result = CliRunner().invoke(
            app,
            [
                "report",
                str(answers),
                "-q",
                "three-abilities",
                "--per-group",
                "team",
                "--out-dir",
                str(out_dir),
                "-o",
                str(tmp_path / "overview.pdf"),
            ],
        )
        assert result.exit_code == 2, result.output
        assert f"{afile} is a file, not a folder" in result.output
        assert "--out-dir" in result.output
        assert "Traceback" not in result.output
        assert not (tmp_path / "overview.pdf").exists()
