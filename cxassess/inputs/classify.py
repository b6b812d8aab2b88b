"""What an input path is, and which questionnaire it belongs to: one answer for every command.

`score`, `report`, `report --customer`, `gap` and `--compare` all ask `classify` what each path
they were given is (a survey export, a response file of `cxassess run`, a folder of answer
files, a `results.json`, a `gap.json`, a comparison file) and `named_questionnaire` which
questionnaire the inputs name, so that `report folder/` and `gap folder/` infer it alike.
Our JSON files are told apart by their `schema` key, whatever they are called; only the first
response files of a folder are opened, and a CSV is never read as JSON.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from cxassess.errors import FileNotFound, InputError
from cxassess.inputs.columnar import is_columnar_dataset
from cxassess.jsonfiles import json_object
from cxassess.responses import RESPONSE_SCHEMA
from cxassess.results import RESULTS_SCHEMA

InputKind = Literal[
    "missing", "export", "response", "folder", "results", "gap", "comparison", "unknown"
]

GAP_SCHEMA = "cxassess.gap/1"
COMPARISON_SCHEMA = "cxassess.comparison/1"
_KIND_OF_SCHEMA: dict[str, InputKind] = {
    RESULTS_SCHEMA: "results",
    RESPONSE_SCHEMA: "response",
    GAP_SCHEMA: "gap",
    COMPARISON_SCHEMA: "comparison",
}
_DESCRIPTIONS: dict[InputKind, str] = {
    "missing": "not found",
    "export": "a survey export",
    "unknown": "a JSON file that is not one of cxassess's",
    "response": "one person's response file",
    "folder": "a folder of answers",
    "results": "a results file of `cxassess score`",
    "gap": "a gap file of `cxassess gap`",
    "comparison": "a comparison file",
}
ANSWER_KINDS: frozenset[InputKind] = frozenset({"export", "response", "folder", "unknown"})
"""Kinds read as answers to score (an unknown JSON file is read as a response file, whose
reader then says what is wrong with it)."""
FOLDER_PEEK = 20
"""How many `.json` files of a folder are opened to learn its questionnaire."""


@dataclass(frozen=True)
class InputInfo:
    """One input path, what it is, and the questionnaire it names (None when it names none:
    an export, or a folder without response files)."""

    path: Path
    kind: InputKind
    questionnaire: str | None = None
    respondent: str = ""
    """For one response file: the respondent it names ("" when none)."""

    @property
    def holds_answers(self) -> bool:
        """Whether the path holds answers to score (an export, response file or folder)."""
        return self.kind in ANSWER_KINDS

    def describe(self) -> str:
        """What the path is, in a few words for a message ("a gap file of `cxassess gap`")."""
        return _DESCRIPTIONS[self.kind]


def _named(data: dict) -> str | None:
    ref = data.get("questionnaire")
    ident = ref.get("id") if isinstance(ref, dict) else None
    return str(ident) if isinstance(ident, str) and ident else None


def _first_response_in(folder: Path) -> dict | None:
    """The first response file of a folder (by name, among its first few `.json` files)."""
    try:
        files = sorted(
            p
            for p in folder.iterdir()
            if p.suffix.lower() == ".json" and not p.name.startswith(".")
        )
    except OSError:
        return None
    for path in files[:FOLDER_PEEK]:
        head = json_object(path) if path.is_file() else None
        if head is not None and head.get("schema") == RESPONSE_SCHEMA:
            return head
    return None


def classify(path: str | Path) -> InputInfo:
    """What one input path is: one of our JSON files by its `schema` key, a folder, a `.json`
    file of no schema of ours ("unknown"), else a survey export (CSV, TSV, XLSX, Parquet or
    Arrow; a folder of Parquet files is one export)."""
    file = Path(path).expanduser()
    if file.is_dir():
        if is_columnar_dataset(file):  # a partitioned Parquet dataset is one export
            return InputInfo(file, "export")
        head = _first_response_in(file)
        return InputInfo(file, "folder", _named(head) if head else None)
    if not file.exists():
        return InputInfo(file, "missing")
    head = json_object(file) if file.is_file() else None  # regular files only: never a pipe
    schema = head.get("schema") if head else None
    kind = _KIND_OF_SCHEMA.get(schema) if isinstance(schema, str) else None
    if kind is None:
        kind = "unknown" if file.suffix.lower() == ".json" else "export"
    if head is None or kind in ("gap", "comparison"):
        return InputInfo(file, kind)
    respondent = str(head.get("respondent") or "") if kind == "response" else ""
    return InputInfo(file, kind, _named(head), respondent)


def classify_all(paths: Iterable[str | Path]) -> list[InputInfo]:
    """`classify` for each path, in order."""
    return [classify(p) for p in paths]


def named_questionnaire(infos: Sequence[InputInfo]) -> str | None:
    """The questionnaire the inputs name: that of the first results file, response file or
    folder of response files that names one (None when none does, e.g. only exports)."""
    return next((i.questionnaire for i in infos if i.questionnaire), None)


def refuse_missing(infos: Sequence[InputInfo], what: str = "input file") -> None:
    """Raise `FileNotFound` for the first path that does not exist."""
    for info in infos:
        if info.kind == "missing":
            raise FileNotFound(info.path, what)


def refuse_not_inputs(infos: Sequence[InputInfo], wanted: str, hint: str) -> None:
    """Refuse (exit 2) a gap or comparison file given where answers or results are wanted:
    `wanted` says what was ("answers or results"), `hint` what to give instead."""
    for info in infos:
        if info.kind in ("gap", "comparison"):
            raise InputError(f"{info.path}: this is {info.describe()}, not {wanted}", hint=hint)


def one_results_file(
    infos: Sequence[InputInfo], what: str = "results file", option: str = "input"
) -> InputInfo | None:
    """The results file among the inputs, which must then be the only one (None when there is
    none); `what` and `option` word the refusal ("customer results file", "--customer input")."""
    found = next((i for i in infos if i.kind == "results"), None)
    if found is not None and len(infos) > 1:
        raise InputError(
            f"a {what} must be the only {option}",
            hint="give one results.json, or the answers (exports or response files), "
            "as many as you like",
        )
    return found


def previous_results_file(path: str | Path) -> Path:
    """The path of the earlier results of `--compare`; anything but a results file is refused
    (exit 2) saying what it is instead, before any scoring work."""
    info = classify(path)
    if info.kind in ("missing", "folder"):
        raise FileNotFound(info.path, "previous results file")
    if info.kind == "results":
        return info.path
    ours = info.kind in ("response", "gap", "comparison")
    raise InputError(
        f"{info.path}: cannot compare with this: "
        + (info.describe() if ours else "not a results file"),
        hint="--compare takes a results.json written earlier by `cxassess score -o results.json`"
        + ("; to follow a gap over time, use `cxassess gap --compare`" if ours else ""),
    )
