"""Read one side of the gap (staff or customers): a `results.json`, or answers to score.

A `results.json` is recognised by its `schema` key, whatever the file is called; anything else
(survey exports, response files of `cxassess run`) is scored with the batch pipeline, on the same
engine as `cxassess score`. The questionnaire comes from the option given, else from the
results or response file itself, else the built-in `three-abilities` pair.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cxassess.errors import FileNotFound, InputError, Problem
from cxassess.format.models import Questionnaire
from cxassess.jsonfiles import json_object
from cxassess.results import RESULTS_SCHEMA, Results
from cxassess.scoring.options import DEFAULT_MIN_GROUP_SIZE

DEFAULT_STAFF = "three-abilities"
DEFAULT_CUSTOMER = "three-abilities-customer"
_OTHER_SCHEMAS = {
    "cxassess.gap/1": "a gap file written by `cxassess gap`",
    "cxassess.comparison/1": "a comparison file",
}


@dataclass
class Side:
    """One side of the gap: its input, its questionnaire, and once scored its results."""

    role: str
    results: Results | None
    """None until `score_side` has scored the answers."""
    questionnaire: Questionnaire
    questionnaire_file: Path | None
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    source: Path = Path()


def _first_response_in(folder: Path) -> dict[str, Any] | None:
    """The first response file in a folder of answers, to learn which questionnaire it is."""
    try:
        files = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".json")
    except OSError:
        return None
    for path in files[:20]:
        head = json_object(path)
        if head is not None and head.get("schema") == "cxassess.response/1":
            return head
    return None


def load_questionnaire_ref(ref: str | Path) -> tuple[Questionnaire, Path]:
    """A questionnaire by built-in id or path, with the file it was read from."""
    from cxassess.format.catalog import find_questionnaire
    from cxassess.format.loader import load_questionnaire

    path = find_questionnaire(ref)
    return load_questionnaire(path), path


def matching_customer_questionnaire(staff: Questionnaire) -> str | None:
    """The id of the customer questionnaire on the search path that shares the most dimension
    ids with a staff questionnaire (None when none shares any)."""
    from cxassess.format.catalog import list_questionnaires

    if staff.id == DEFAULT_STAFF:
        return DEFAULT_CUSTOMER
    staff_dims = {d.id for d in staff.dimensions}
    entries, _notes = list_questionnaires()
    best, best_shared = None, 0
    for entry in entries:
        q = entry.questionnaire
        if q.audience != "customer" or q.id == staff.id:
            continue
        shared = len(staff_dims & {d.id for d in q.dimensions})
        if shared > best_shared:
            best, best_shared = q.id, shared
    return best


def _from_results(path: Path, role: str, ref: str | None) -> Side:
    from cxassess.results import read_results

    results = read_results(path)
    notes = []
    wanted = ref or results.questionnaire.id
    try:
        q, q_path = load_questionnaire_ref(wanted)
    except InputError as exc:
        if ref:
            raise
        raise InputError(
            f"{path}: the {role} results are of questionnaire '{results.questionnaire.id}', "
            "which cannot be found",
            hint=f"name its file with {_option(role)} ({exc.message})",
        ) from None
    if q.id != results.questionnaire.id:
        raise InputError(
            f"{path}: the {role} results are of questionnaire '{results.questionnaire.id}', "
            f"but '{q.id}' was given",
            hint="give the questionnaire the answers were collected with, or leave the option out",
        )
    if q.version != results.questionnaire.version:
        notes.append(
            f"The {role} results were scored on version {results.questionnaire.version} of "
            f"'{q.id}'; items are paired using version {q.version}."
        )
    return Side(role, results, q, q_path, notes=notes, source=path)


def _option(role: str) -> str:
    return "-q" if role == "staff" else "--customer-questionnaire"


def open_side(
    path: str | Path,
    *,
    role: str,
    questionnaire: str | None = None,
    default_questionnaire: str | Callable[[], str | None] = DEFAULT_STAFF,
) -> Side:
    """Open one side of the gap (`role` is `staff` or `customer`): a results.json is read at
    once; other answers only get their questionnaire here and are scored by `score_side`, so
    that questionnaires sharing nothing are refused before any scoring work.

    `default_questionnaire` (an id, or a function giving one) is used only for answers that do
    not name their questionnaire when no `questionnaire` is given."""
    file = Path(path)
    if not file.exists():
        raise FileNotFound(file, f"{role} input")
    head = json_object(file) if file.is_file() else _first_response_in(file)
    schema = head.get("schema") if head and file.is_file() else None
    if schema == RESULTS_SCHEMA:
        return _from_results(file, role, questionnaire)
    if schema in _OTHER_SCHEMAS:
        raise InputError(
            f"{file}: this is {_OTHER_SCHEMAS[schema]}, not {role} answers or results",
            hint="give a results.json of `cxassess score`, a survey export or response files"
            + (
                "; to compare with an earlier gap, use `cxassess gap --compare`"
                if schema == "cxassess.gap/1"
                else ""
            ),
        )
    notes = []
    ref = questionnaire
    if ref is None and head is not None and isinstance(head.get("questionnaire"), dict):
        ref = str(head["questionnaire"].get("id") or "") or None
    if ref is None:
        ref = default_questionnaire() if callable(default_questionnaire) else default_questionnaire
        if ref is None:
            raise InputError(
                f"{file}: no questionnaire to score the {role} answers with",
                hint=f"name it with {_option(role)}, or give a results.json of `cxassess score`",
            )
        notes.append(
            f"The {role} answers were scored with the questionnaire '{ref}'; name another with "
            f"{_option(role)}."
        )
    q, q_path = load_questionnaire_ref(ref)
    return Side(role, None, q, q_path, notes=notes, source=file)


def score_side(
    side: Side,
    *,
    segments: Sequence[str] = (),
    min_group_size: int = DEFAULT_MIN_GROUP_SIZE,
    strict: bool = False,
    lang: str | None = None,
    include_tests: bool = False,
) -> Side:
    """Score the answers of a side opened by `open_side`, with a breakdown by each of
    `segments` that its questionnaire defines. A results.json is not scored again, but its
    groups are hidden as `min_group_size` asks (rule 11), whatever threshold it was scored with."""
    if side.results is not None:
        from cxassess.scoring.privacy import tighten_privacy

        side.results = tighten_privacy(side.results, min_group_size)
        return side
    from cxassess.pipeline import score_inputs

    own = [s for s in segments if any(seg.id == s for seg in side.questionnaire.segments)]
    results, problems = score_inputs(
        [side.source],
        side.questionnaire,
        segments=own,
        min_group_size=min_group_size,
        strict=strict,
        lang=lang,
        include_tests=include_tests,
    )
    side.results = results
    side.problems = list(problems)
    return side
