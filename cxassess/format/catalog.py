"""Find questionnaires: the built-in set, ./questionnaires and the folders in $CXASSESS_PATH."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from cxassess.errors import CxError, QuestionnaireNotFound
from cxassess.format.models import Questionnaire
from cxassess.resources import data_dir


@dataclass(frozen=True)
class CatalogEntry:
    """A questionnaire found on the search path, with where it came from."""

    questionnaire: Questionnaire
    path: Path
    source: str  # "built-in", "./questionnaires" or "$CXASSESS_PATH"


def search_path() -> list[tuple[Path, str]]:
    """Folders searched for questionnaires, first match wins: ./questionnaires, then each folder
    of $CXASSESS_PATH, then the built-in set."""
    built_in = data_dir("questionnaires")
    folders: list[tuple[Path, str]] = []
    local = Path.cwd() / "questionnaires"
    if local.resolve() != built_in.resolve():
        folders.append((local, "./questionnaires"))
    for part in os.environ.get("CXASSESS_PATH", "").split(os.pathsep):
        if part.strip():
            folders.append((Path(part).expanduser(), "$CXASSESS_PATH"))
    folders.append((built_in, "built-in"))
    return folders


def _yaml_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])


def list_questionnaires() -> tuple[list[CatalogEntry], list[str]]:
    """Every questionnaire on the search path (first of each id wins), plus a note for each
    file that could not be loaded, so one broken file does not hide the rest."""
    from cxassess.format.loader import read_questionnaire

    entries: dict[str, CatalogEntry] = {}
    notes: list[str] = []
    seen: set[Path] = set()
    for folder, source in search_path():
        for path in _yaml_files(folder):
            resolved = path.resolve()
            if resolved in seen:
                continue
            seen.add(resolved)
            try:
                questionnaire, problems = read_questionnaire(path)
            except (CxError, OSError) as exc:  # unreadable: skip it, keep listing the rest
                notes.append(f"{path}: skipped, {exc}; run `cxassess validate`")
                continue
            if questionnaire is None:
                errors = [p for p in problems if p.severity == "error"]
                notes.append(f"{path}: skipped, {len(errors)} problem(s); run `cxassess validate`")
                continue
            entries.setdefault(questionnaire.id, CatalogEntry(questionnaire, path, source))
    return list(entries.values()), notes


def find_questionnaire(ref: str | Path) -> Path:
    """The file of a questionnaire given as a path or as an id on the search path."""
    text = str(ref)
    path = Path(text).expanduser()
    if path.is_file():
        return path
    if path.suffix in (".yaml", ".yml") or os.sep in text:
        raise QuestionnaireNotFound(
            f"questionnaire file not found: {text}",
            hint="check the path, or give a built-in id (see `cxassess list`)",
        )
    for folder, _source in search_path():
        for candidate in (folder / f"{text}.yaml", folder / f"{text}.yml"):
            if candidate.is_file():
                return candidate
    entries, _notes = list_questionnaires()
    for entry in entries:
        if entry.questionnaire.id == text:
            return entry.path
    known = ", ".join(sorted(e.questionnaire.id for e in entries)) or "none"
    raise QuestionnaireNotFound(
        f"no questionnaire '{text}'",
        hint=f"use a file path or one of: {known}",
    )


def resolve_questionnaire(ref: str | Path) -> Questionnaire:
    """Load a questionnaire given as a built-in id or a path (errors raised, all collected)."""
    from cxassess.format.loader import load_questionnaire

    return load_questionnaire(find_questionnaire(ref))
