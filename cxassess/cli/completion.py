"""Shell completion of questionnaire ids and segment names (`cxassess --install-completion`).

Typer calls these while the user presses Tab, so each is cheap: questionnaire ids are the file
names on the catalogue's search path (nothing is parsed), segment names come from the
questionnaire named by -q and from the header line of the first answers file (at most
`HEADER_BYTES` read). When a function offers nothing the shell completes file paths, as it
does for every FILE and DIR option. Nothing here runs for `--help`: the imports are inside.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

HEADER_BYTES = 64 * 1024
"""How much of an answers file is read to find its header line."""

SEGMENT_NAME_MOST = 40
"""Longer headers are question texts (Google Forms), not segment columns."""


def questionnaire_ids() -> list[str]:
    """The ids `-q` accepts without a path: the YAML file names of ./questionnaires,
    $CXASSESS_PATH and the built-in set, first of each name kept, in that order."""
    from cxassess.format.catalog import search_path

    seen: dict[str, None] = {}
    for folder, _source in search_path():
        if not folder.is_dir():
            continue
        for path in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
            seen.setdefault(path.stem, None)
    return list(seen)


def complete_questionnaire(ctx: Any, args: list[str], incomplete: str) -> list[str]:
    """Questionnaire ids starting with what was typed; none once it looks like a path, so the
    shell offers YAML files instead."""
    if "/" in incomplete or incomplete.startswith("."):
        return []
    try:
        return [i for i in questionnaire_ids() if i.startswith(incomplete)]
    except Exception:  # completion must never print a traceback into the prompt
        return []


def header_names(path: Path, limit: int = HEADER_BYTES) -> list[str]:
    """The column names of a CSV or TSV file's first line, reading at most `limit` bytes;
    none for other files or a line longer than that."""
    import csv

    if path.suffix.lower() not in (".csv", ".tsv", ".txt"):
        return []
    try:
        with path.open("rb") as handle:
            head = handle.read(limit)
    except OSError:
        return []
    line, newline, _rest = head.partition(b"\n")
    if not newline and len(head) >= limit:
        return []
    text = line.decode("utf-8-sig", errors="replace").rstrip("\r")
    delimiter = max(",;\t", key=text.count)
    row = next(csv.reader([text], delimiter=delimiter), [])
    return [name.strip() for name in row if name.strip()]


def typed_words() -> list[str]:
    """The words of the command line being completed, as the shell handed them to Typer.
    Click leaves a command's arguments out of its context while an option's value is being
    completed (`score answers.csv -g <Tab>`), so the answers file is found here instead."""
    import os
    import shlex

    line = os.environ.get("_TYPER_COMPLETE_ARGS") or os.environ.get("COMP_WORDS") or ""
    try:
        return shlex.split(line)
    except ValueError:  # an unclosed quote
        return line.split()


def _first_file(values: Iterable[Any]) -> Path | None:
    """The first value naming a CSV or TSV file that exists."""
    for value in values:
        path = Path(str(value))
        if path.suffix.lower() in (".csv", ".tsv", ".txt") and path.is_file():
            return path
    return None


def _questionnaire_names(reference: Any) -> tuple[list[str], set[str]]:
    """The segment ids of the questionnaire given with -q, and its question ids (left out of
    the header's names)."""
    if not reference:
        return [], set()
    from cxassess.format.catalog import resolve_questionnaire

    q = resolve_questionnaire(str(reference))
    questions = {i.id for d in q.dimensions for i in d.items}
    questions |= {o.id for o in q.outcomes} | {c.id for c in q.comments}
    return [s.id for s in q.segments], questions


def segment_names(params: dict[str, Any]) -> list[str]:
    """Segment names for `-g`: the questionnaire's segments, then the short column names of
    the first answers file that are not its questions."""
    names: list[str] = []
    questions: set[str] = set()
    with contextlib.suppress(Exception):  # an unknown or broken questionnaire: header alone
        names, questions = _questionnaire_names(params.get("questionnaire"))
    inputs = params.get("inputs") or params.get("staff_input") or []
    if not isinstance(inputs, list | tuple):
        inputs = [inputs]
    first = _first_file([*inputs, *typed_words()])
    if first is not None:
        for name in header_names(first):
            if len(name) <= SEGMENT_NAME_MOST and name not in questions and name not in names:
                names.append(name)
    return names


def complete_segment(ctx: Any, args: list[str], incomplete: str) -> list[str]:
    """Segment names starting with what was typed (see `segment_names`)."""
    try:
        params = dict(getattr(ctx, "params", {}) or {})
        return [n for n in segment_names(params) if n.startswith(incomplete)]
    except Exception:  # completion must never print a traceback into the prompt
        return []
