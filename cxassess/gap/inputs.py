"""Read one side of the gap (staff or customers): a `results.json`, or answers to score.

Both `cxassess gap` and `cxassess report --customer` come here: `open_side` asks the one input
classifier (`cxassess.inputs.classify`) what the inputs are and which questionnaire they name,
and `score_side` scores answers with `cxassess.pipeline.score_answers`, the same path as
`cxassess score`, or re-checks a results file's groups under the threshold asked for. The
questionnaire comes from the option given, else from the results or response files themselves,
else a default (the built-in `three-abilities` pair).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cxassess.errors import InputError, Problem
from cxassess.format.catalog import find_questionnaire, list_questionnaires
from cxassess.format.loader import load_questionnaire
from cxassess.format.models import Questionnaire
from cxassess.inputs.classify import (
    classify_all,
    named_questionnaire,
    one_results_file,
    refuse_missing,
    refuse_not_inputs,
)
from cxassess.pipeline import score_answers
from cxassess.results import Results, read_results
from cxassess.scoring.options import DEFAULT_MIN_GROUP_SIZE
from cxassess.scoring.privacy import PrivacySettings, apply_privacy

DEFAULT_STAFF = "three-abilities"
DEFAULT_CUSTOMER = "three-abilities-customer"


@dataclass
class Side:
    """One side of the gap: its inputs, its questionnaire, and once scored its results."""

    role: str
    questionnaire: Questionnaire
    questionnaire_file: Path | None
    inputs: list[Path]
    results: Results | None = None
    """Read at once from a results file; for answers, None until `score_side` scores them."""
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def load_questionnaire_ref(ref: str | Path) -> tuple[Questionnaire, Path]:
    """A questionnaire by built-in id or path, with the file it was read from."""
    path = find_questionnaire(ref)
    return load_questionnaire(path), path


def matching_customer_questionnaire(staff: Questionnaire) -> str | None:
    """The id of the customer questionnaire on the search path that shares the most dimension
    ids with a staff questionnaire (None when none shares any)."""
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


def _option(role: str) -> str:
    return "-q" if role == "staff" else "--customer-questionnaire"


def _from_results(path: Path, role: str, ref: str | None) -> Side:
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
    return Side(role, q, q_path, [path], results, notes=notes)


def open_side(
    paths: str | Path | Sequence[str | Path],
    *,
    role: str,
    questionnaire: str | None = None,
    default_questionnaire: str | Callable[[], str | None] = DEFAULT_STAFF,
    option: str | None = None,
) -> Side:
    """Open one side of the gap (`role` is `staff` or `customer`): a results.json is read at
    once; answers only get their questionnaire here and are scored by `score_side`, so that
    questionnaires sharing nothing are refused before any scoring work.

    `default_questionnaire` (an id, or a function giving one) is used only for answers that do
    not name their questionnaire when no `questionnaire` is given; `option` names where the
    inputs were given, for messages (default: "<role> input")."""
    given = [paths] if isinstance(paths, str | Path) else list(paths)
    infos = classify_all(given)
    where = option or f"{role} input"
    refuse_missing(infos, where)
    gap_given = any(i.kind == "gap" for i in infos)
    refuse_not_inputs(
        infos,
        f"{role} answers or results",
        "give a results.json of `cxassess score`, a survey export or response files"
        + ("; to compare with an earlier gap, use `cxassess gap --compare`" if gap_given else ""),
    )
    results_file = one_results_file(infos, f"{role} results file", where)
    if results_file is not None:
        return _from_results(results_file.path, role, questionnaire)
    notes = []
    ref = questionnaire or named_questionnaire(infos)
    if ref is None:
        ref = default_questionnaire() if callable(default_questionnaire) else default_questionnaire
        if ref is None:
            raise InputError(
                f"{infos[0].path}: no questionnaire to score the {role} answers with",
                hint=f"name it with {_option(role)}, or give a results.json of `cxassess score`",
            )
        notes.append(
            f"The {role} answers were scored with the questionnaire '{ref}'; name another with "
            f"{_option(role)}."
        )
    q, q_path = load_questionnaire_ref(ref)
    return Side(role, q, q_path, [i.path for i in infos], notes=notes)


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
    `segments` that its questionnaire declares. A results.json is not scored again, but its
    groups are checked again (rule 11) under `min_group_size`, whatever threshold it was
    scored with."""
    if side.results is not None:
        side.results = apply_privacy(side.results, PrivacySettings(min_group_size))
        return side
    own = [s for s in segments if any(seg.id == s for seg in side.questionnaire.segments)]
    scored = score_answers(
        side.inputs,
        side.questionnaire,
        segments=own,
        min_group_size=min_group_size,
        strict=strict,
        lang=lang,
        include_tests=include_tests,
    )
    side.results = scored.results
    side.problems = list(scored.problems)
    return side
