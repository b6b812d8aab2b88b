"""The package says what it is where package indexes and tools look: licence, links, keywords
and classifiers that exist, for every Python version we support."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_the_licence_is_mit_and_shipped() -> None:
    assert PROJECT["license"] == "MIT"
    assert PROJECT["license-files"] == ["LICENSE"]
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")


def test_the_links_point_to_the_repository_its_issues_and_changelog() -> None:
    urls = PROJECT["urls"]
    assert {"Homepage", "Documentation", "Repository", "Issues", "Changelog"} <= set(urls)
    assert all(url.startswith("https://") for url in urls.values())


def test_classifiers_cover_python_versions_status_topic_audience_and_environment() -> None:
    classifiers = PROJECT["classifiers"]
    floor = re.fullmatch(r">=3\.(\d+)", PROJECT["requires-python"])
    assert floor is not None
    versions = {c.rsplit(" :: ", 1)[1] for c in classifiers if re.search(r"Python :: 3\.\d+$", c)}
    assert versions == {"3.11", "3.12", "3.13"}
    assert min(int(v.split(".")[1]) for v in versions) == int(floor.group(1))
    for prefix in ("Development Status", "Topic", "Intended Audience", "Environment"):
        assert any(c.startswith(prefix + " :: ") for c in classifiers), prefix
    assert not any(c.startswith("License ::") for c in classifiers), "the licence is `license`"
    assert PROJECT["keywords"]


def test_every_classifier_is_one_pypi_knows() -> None:
    known = pytest.importorskip("trove_classifiers").classifiers
    assert [c for c in PROJECT["classifiers"] if c not in known] == []
