"""`--map`: a small YAML file telling `cxassess score` how to read an odd export.

```yaml
columns:                 # export header -> item, outcome, segment or comment id (or ignore)
  "Dept": team
  "How easy is it to reach us?": acc-channels
  "Internal note": ignore
labels:                  # answer text -> value, on every question (n/a: missing)
  "Totally agree": 5
  "No idea": n/a
labels_for:              # answer text -> value (or segment value), for one question or segment
  recommend: {"Very likely": 10}
  team: {"CS": Customer service}
```
Headers and labels are compared like everywhere else: case, spacing and punctuation ignored.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cxassess.errors import FileNotFound, Location, Problem, ValidationError
from cxassess.format.models import Questionnaire
from cxassess.inputs.matching import IGNORE, AnswerReader, Target, key, label_key, parse_number

SECTIONS = ("columns", "labels", "labels_for")
MISSING_WORDS = frozenset({"na", "n/a", "missing", "notapplicable", ""})


@dataclass
class HeaderMap:
    """A parsed `--map` file: headers and labels as comparison keys."""

    columns: dict[str, Target] = field(default_factory=dict)
    labels: dict[str, float | None] = field(default_factory=dict)
    labels_for: dict[str, dict[str, Any]] = field(default_factory=dict)
    file: str = ""

    def labels_of(self, target_id: str) -> dict[str, Any]:
        """The labels that apply to one question or segment: its own over the general ones."""
        return {**self.labels, **self.labels_for.get(target_id, {})}


def _targets(q: Questionnaire) -> dict[str, Target]:
    found = {"respondent": Target("respondent"), "ignore": IGNORE}
    found |= {s.id: Target("question", s.id) for s in q.scored_questions()}
    found |= {s.id: Target("segment", s.id) for s in q.segments}
    found |= {c.id: Target("comment", c.id) for c in q.comments}
    return found


def _value(raw: Any) -> float | str | None:
    """A label's value: a number, None for missing, or the text itself (for segments)."""
    if raw is None or isinstance(raw, bool):
        return None if raw is None else str(raw)
    if isinstance(raw, int | float):
        return float(raw)
    text = str(raw).strip()
    if text.casefold() in MISSING_WORDS or key(text) in MISSING_WORDS:
        return None
    number = parse_number(text)
    return number if number is not None else text


class _Checker:
    """Collects problems of a map with the line each one is on."""

    def __init__(self, file: str, lines: Any) -> None:
        self.file = file
        self.lines = lines
        self.problems: list[Problem] = []

    def add(self, path: tuple[str | int, ...], what: str, hint: str) -> None:
        line = self.lines.line_of(path, key=True) if self.lines is not None else None
        where = ".".join(str(p) for p in path)
        self.problems.append(Problem(Location(self.file, line), where, what, hint))


def _close(word: str, choices: list[str]) -> str:
    found = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"did you mean '{found[0]}'?" if found else ""


def parse_map(data: Any, q: Questionnaire, file: str = "<map>", lines: Any = None) -> HeaderMap:
    """Check a map's plain data against a questionnaire; every problem is reported at once."""
    check = _Checker(file, lines)
    result = HeaderMap(file=file)
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        check.add((), "a map file must be a mapping with columns:, labels: or labels_for:", "")
        raise ValidationError(check.problems, file)
    for name in data:
        if name not in SECTIONS:
            check.add(
                (str(name),),
                f"unknown section '{name}'",
                _close(str(name), list(SECTIONS)) or "use columns:, labels: or labels_for:",
            )
        elif data[name] is not None and not isinstance(data[name], Mapping):
            check.add(
                (str(name),),
                f"'{name}:' must hold 'key: value' lines, not {type(data[name]).__name__}",
                f"indent the entries under '{name}:', one 'odd text: value' per line",
            )
    data = {name: value for name, value in data.items() if isinstance(value, Mapping)}
    targets = _targets(q)
    for header, target in (data.get("columns") or {}).items():
        ident = "ignore" if target is None else str(target)
        if ident not in targets:
            check.add(
                ("columns", str(header)),
                f"'{ident}' is not an item, outcome, segment or comment of '{q.id}'",
                _close(ident, list(targets)) or f"see `cxassess show {q.id}` for the ids",
            )
            continue
        result.columns[key(str(header))] = targets[ident]
    for label, raw in (data.get("labels") or {}).items():
        value = _value(raw)
        if isinstance(value, str):
            check.add(
                ("labels", str(label)),
                f"'{raw}' is not a number",
                "give the value the label stands for, e.g. 4, or n/a for missing",
            )
            continue
        result.labels[label_key(str(label))] = value
    for ident, labels in (data.get("labels_for") or {}).items():
        _parse_labels_for(q, str(ident), labels, targets, check, result)
    if check.problems:
        check.problems.sort(key=lambda p: p.location.line or 0)
        raise ValidationError(check.problems, file)
    return result


def _parse_labels_for(
    q: Questionnaire,
    ident: str,
    labels: Any,
    targets: dict[str, Target],
    check: _Checker,
    result: HeaderMap,
) -> None:
    target = targets.get(ident)
    if target is None or target.kind not in ("question", "segment"):
        check.add(
            ("labels_for", ident),
            f"'{ident}' is not an item, outcome or segment of '{q.id}'",
            _close(ident, list(targets)) or f"see `cxassess show {q.id}` for the ids",
        )
        return
    if not isinstance(labels, Mapping):
        check.add(("labels_for", ident), "expected a mapping of label to value", "")
        return
    found: dict[str, Any] = {}
    reader = AnswerReader(q, q.question(ident)) if target.kind == "question" else None
    for label, raw in labels.items():
        value = _value(raw)
        if (
            reader is not None
            and value is not None
            and (isinstance(value, str) or not reader.accepts(value))
        ):
            check.add(
                ("labels_for", ident, str(label)),
                f"{raw!r} is not a value of {ident}'s scale",
                f"expected {reader.expected()}",
            )
            continue
        found[label_key(str(label))] = value if reader is not None or value is None else str(raw)
    result.labels_for[ident] = found


def load_map(path: str | Path, q: Questionnaire) -> HeaderMap:
    """Read and check a `--map` YAML file."""
    from cxassess.format.loader import parse_yaml

    file = Path(path)
    if not file.is_file():
        raise FileNotFound(file, "map file", "give the path of the YAML file passed to --map")
    data, lines = parse_yaml(file)
    return parse_map(data, q, str(file), lines)


def coerce_map(
    mapping: HeaderMap | Mapping[str, Any] | str | Path | None, q: Questionnaire
) -> HeaderMap:
    """A `HeaderMap` from what a caller passed: nothing, a path, plain data or a map."""
    if mapping is None:
        return HeaderMap()
    if isinstance(mapping, HeaderMap):
        return mapping
    if isinstance(mapping, str | Path):
        return load_map(mapping, q)
    return parse_map(dict(mapping), q)
