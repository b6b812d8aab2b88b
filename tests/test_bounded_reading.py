"""Bounded time and memory: a small hostile file is refused with exit 2 and a message naming
it, and a child process under a memory limit finishes (the timeout only guards a hang)."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hostile_files import (
    QUESTIONNAIRE,
    declared_dimension_xlsx,
    far_cell_xlsx,
    good_xlsx,
    lying_size_xlsx,
    shared_string_amplified_xlsx,
    too_many_rows_xlsx,
    zip_bomb_rows_xlsx,
)
from typer.testing import CliRunner

from cxassess.cli import app

MEMORY_LIMIT = 2 * 1024**3
HANG_GUARD = 300  # seconds; a hang guard, never a measure of speed


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_limited(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`cxassess ARGS` in a child process limited to 2 GiB of address space."""
    return subprocess.run(
        [sys.executable, "-m", "cxassess", *args],
        preexec_fn=_limit_memory,
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
        cwd=cwd,
        env={**os.environ, "NO_COLOR": "1", "COLUMNS": "200"},
        check=False,
    )


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


XLSX_FAULTS: list[tuple[Callable[[Path], Path], str]] = [
    (far_cell_xlsx, "1,048,576 rows by 16,384 columns"),
    (declared_dimension_xlsx, "1,048,576 rows by 16,384 columns"),
    (shared_string_amplified_xlsx, "repeats shared texts"),
    (zip_bomb_rows_xlsx, "times its packed size"),
    (too_many_rows_xlsx, "more rows or columns than Excel allows"),
    (lying_size_xlsx, "times its packed size"),
]


@pytest.mark.parametrize(("build", "said"), XLSX_FAULTS, ids=lambda x: getattr(x, "__name__", ""))
def test_hostile_xlsx_is_refused_under_a_memory_limit(
    tmp_path: Path, build: Callable[[Path], Path], said: str
) -> None:
    path = build(tmp_path)
    done = run_limited("score", str(path), "-q", QUESTIONNAIRE)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert f"{path}: " in done.stderr
    assert said in done.stderr


def test_a_genuine_workbook_is_still_read_under_the_memory_limit(tmp_path: Path) -> None:
    done = run_limited("score", str(good_xlsx(tmp_path)), "-q", QUESTIONNAIRE)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "answers.csv"
    os.mkfifo(fifo)
    done = run_limited("score", str(fifo), "-q", QUESTIONNAIRE)
    assert done.returncode == 2
    assert f"{fifo}: not a regular file" in done.stderr
    assert "Traceback" not in done.stderr


def test_dev_zero_is_refused_under_a_memory_limit() -> None:
    done = run_limited("score", "/dev/zero", "-q", QUESTIONNAIRE)
    assert done.returncode == 2
    assert "/dev/zero: not a regular file" in done.stderr


def test_an_input_larger_than_the_cap_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import cxassess.inputs.limits as limits

    big = tmp_path / "big.csv"
    big.write_text("respondent,cap-stock\n" + "r,3\n" * 1000)
    monkeypatch.setattr(limits, "MAX_INPUT_BYTES", 1000)
    code, output = run("score", str(big), "-q", QUESTIONNAIRE)
    assert code == 2
    assert f"{big}: the file is too large to read" in output


SELF_ALIAS = "a: &a [*a]\n"


def test_self_referencing_alias_does_not_hang_validate(tmp_path: Path) -> None:
    path = tmp_path / "self-alias.yaml"
    path.write_text(SELF_ALIAS)
    done = run_limited("validate", str(path))
    assert done.returncode == 2
    assert f"{path}:1:" in done.stderr
    assert "inside the value it names" in done.stderr


def test_self_referencing_alias_does_not_hang_list(tmp_path: Path) -> None:
    folder = tmp_path / "questionnaires"
    folder.mkdir()
    (folder / "self-alias.yaml").write_text(SELF_ALIAS)
    done = run_limited("list", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "self-alias.yaml: skipped" in done.stderr
    assert QUESTIONNAIRE in done.stdout


def test_self_referencing_alias_in_brand_and_map_is_exit_2(tmp_path: Path) -> None:
    from hostile_files import good_csv_text

    answers = tmp_path / "answers.csv"
    answers.write_text(good_csv_text())
    for option, name in (("--brand", "brand.yaml"), ("--map", "map.yaml")):
        path = tmp_path / name
        path.write_text(SELF_ALIAS)
        command = "report" if option == "--brand" else "score"
        done = run_limited(command, str(answers), "-q", QUESTIONNAIRE, option, str(path))
        assert done.returncode == 2, (option, done.stderr)
        assert f"{path}:1:" in done.stderr
        assert "Traceback" not in done.stderr


def test_integer_of_100000_digits_is_exit_2_with_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "huge-number.yaml"
    path.write_text("format: 1\nid: x\nversion: " + "9" * 100_000 + "\n")
    code, output = run("validate", str(path))
    assert code == 2
    assert f"{path}:3:" in output
    assert "too long" in output
    assert "internal error" not in output


def test_list_skips_a_file_with_a_huge_number_and_lists_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "questionnaires"
    folder.mkdir()
    (folder / "huge-number.yaml").write_text("format: 1\nid: x\nversion: " + "9" * 100_000)
    monkeypatch.chdir(tmp_path)
    code, output = run("list")
    assert code == 0
    assert "huge-number.yaml: skipped" in output
    assert QUESTIONNAIRE in output


def test_yaml_nested_100000_deep_is_exit_2_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "nested-deep.yaml"
    path.write_text("a: " + "[" * 100_000 + "]" * 100_000 + "\n")
    done = run_limited("validate", str(path))
    assert done.returncode == 2, done.stderr
    assert f"{path}:1:" in done.stderr
    assert "nested more than" in done.stderr


def test_validate_refuses_a_fifo_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "questionnaire.yaml"
    os.mkfifo(fifo)
    done = run_limited("validate", str(fifo))
    assert done.returncode == 2
    assert f"{fifo}: file: not a regular file" in done.stderr
