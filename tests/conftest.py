"""Shared fixtures: paths to test data and a CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

DATA = Path(__file__).parent / "data"


@pytest.fixture
def data_dir() -> Path:
    """The folder of test data files."""
    return DATA


@pytest.fixture
def runner() -> CliRunner:
    """A CLI runner with stderr kept apart from stdout."""
    return CliRunner()
