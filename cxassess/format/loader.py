"""Read a questionnaire file into a `Questionnaire`, reporting every problem with its line.

The YAML is composed into nodes first (safe loader: no Python tags, ever), so that each value
keeps the line it came from. Before anything is constructed, the size the document would have
once its aliases are expanded is computed without expanding them: an alias bomb is refused in
microseconds. Schema errors from pydantic are mapped back to the node of the offending key.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError as PydanticValidationError

from cxassess.errors import FileNotFound, Location, Problem, ValidationError
from cxassess.format import models as format_models
from cxassess.format.checks import check_meaning
from cxassess.format.models import SLUG_PATTERN, Questionnaire
from cxassess.format.nodes import NodeMap, PathKey, describe_path

MAX_EXPANDED_NODES = 100_000
"""Largest number of values a questionnaire may expand to; real ones have a few hundred."""

_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_NUMBER_DIGITS = 4000
"""Longest number a questionnaire may hold; Python refuses to convert longer integers."""

MAX_DEPTH = 100
"""Deepest nesting of lists and mappings; real questionnaires nest five or six deep."""

_NUMBER_TAGS = frozenset({"tag:yaml.org,2002:int", "tag:yaml.org,2002:float"})


class _Refused(Exception):
    """A node the document must not be built from, with the reason to tell the user."""

    def __init__(self, node: yaml.Node | yaml.Event, what: str, hint: str):
        super().__init__(what)
        self.node, self.what, self.hint = node, what, hint


def _check_depth(source: str) -> None:
    """Raise `_Refused` at the first list or mapping nested more than `MAX_DEPTH` deep.

    Read as a stream of events (no recursion), before the document is composed: composing a
    document nested thousands deep would overflow the stack and crash the process."""
    depth = 0
    for event in yaml.parse(source, Loader=_Loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise _Refused(
                    event,
                    f"lists and mappings are nested more than {MAX_DEPTH} deep",
                    "check the brackets and indentation near this line",
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _expanded_size(root: yaml.Node) -> int:
    """How many nodes the document holds once aliases are expanded, computed without expanding.

    An alias inside the value it names (`a: &a [*a]`) would expand for ever, and a number of
    thousands of digits cannot be converted: both raise `_Refused` with the node."""
    memo: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in memo:
            continue
        if isinstance(node, yaml.ScalarNode):
            if node.tag in _NUMBER_TAGS and len(str(node.value)) > MAX_NUMBER_DIGITS:
                raise _Refused(
                    node,
                    f"a number of {len(str(node.value)):,} characters is too long",
                    f"write numbers of at most {MAX_NUMBER_DIGITS:,} digits, or put the value "
                    "in quotes if it is text",
                )
            memo[id(node)] = 1
            continue
        children = (
            [n for pair in node.value for n in pair]
            if isinstance(node, yaml.MappingNode)
            else list(node.value)
        )
        if children_done:
            open_nodes.discard(id(node))
            memo[id(node)] = min(1 + sum(memo[id(c)] for c in children), 10**12)
            continue
        if id(node) in open_nodes:
            raise _Refused(
                node,
                "an alias (*name) is used inside the value it names, so it never ends",
                "write the values out instead of making an alias refer to itself",
            )
        open_nodes.add(id(node))
        stack.append((node, True))
        for child in children:
            if id(child) in open_nodes:
                raise _Refused(
                    child,
                    "an alias (*name) is used inside the value it names, so it never ends",
                    "write the values out instead of making an alias refer to itself",
                )
            if id(child) not in memo:
                stack.append((child, False))
    return memo[id(root)]


def _yaml_problem(file: str, exc: yaml.YAMLError, source: str = "") -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark is not None else None
    column = mark.column + 1 if mark is not None else None
    what = str(getattr(exc, "problem", None) or exc).strip().replace("\t", "\\t")
    context = getattr(exc, "context", None)
    context_mark = getattr(exc, "context_mark", None)
    if context and context_mark is not None and context_mark.line + 1 != line:
        what += f" ({context} that starts on line {context_mark.line + 1})"
    hint = "check the indentation and quoting near this line"
    if "constructor for the tag" in what or "could not determine" in what:
        what = "tags such as !!python/... are not allowed"
        hint = "remove the tag; questionnaires hold plain text, numbers, lists and mappings"
    elif "\\t" in what or _char_at(source, mark) == "\t":
        what = "a tab character cannot be used for indentation"
        hint = "indent with spaces, not tabs"
    elif "quoted scalar" in what:
        hint = "close the quote, or remove it"
    elif "maximum nesting depth" in what:  # PyYAML 6.0.3+ stops its own scanner first
        what = f"lists and mappings are nested more than {MAX_DEPTH} deep"
        hint = "check the brackets and indentation near this line"
    return Problem(Location(file, line, column), "YAML", what, hint)


def _char_at(source: str, mark: Any) -> str:
    if mark is None:
        return ""
    lines = source.splitlines()
    if mark.line >= len(lines) or mark.column >= len(lines[mark.line]):
        return ""
    return lines[mark.line][mark.column]


def parse_yaml(path: Path) -> tuple[Any, NodeMap]:
    """Read a YAML file safely into plain data plus the line marks of its nodes."""
    file = str(path)
    if path.exists() and not path.is_file() and not path.is_dir():
        problem = Problem(
            Location(file),
            "file",
            "not a regular file (it is a pipe, a device or a socket)",
            "save the YAML to a file first, and give the path of that file",
        )
        raise ValidationError([problem], file)
    try:
        source = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise FileNotFound(path, "questionnaire file") from None
    except IsADirectoryError:
        raise FileNotFound(path, "questionnaire file (this is a folder)") from None
    except UnicodeDecodeError as exc:
        problem = Problem(
            Location(file), "encoding", f"not UTF-8 text ({exc.reason})", "save it as UTF-8"
        )
        raise ValidationError([problem], file) from None
    try:
        loader = _Loader(source)
        try:
            try:
                _check_depth(source)
                root = loader.get_single_node()
                size = _expanded_size(root) if root is not None else 0
            except _Refused as refused:
                mark = refused.node.start_mark
                problem = Problem(
                    Location(file, mark.line + 1, mark.column + 1),
                    "YAML",
                    refused.what,
                    refused.hint,
                )
                raise ValidationError([problem], file) from None
            if root is not None and size > MAX_EXPANDED_NODES:
                problem = Problem(
                    Location(file, root.start_mark.line + 1),
                    "YAML",
                    f"the document expands to more than {MAX_EXPANDED_NODES:,} values "
                    "through aliases (*name)",
                    "write the values out instead of nesting aliases",
                )
                raise ValidationError([problem], file)
            data = loader.construct_document(root) if root is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        raise ValidationError([_yaml_problem(file, exc, source)], file) from None
    return data, NodeMap(root)


def _fields_at(path: PathKey) -> list[str]:
    """Known keys of the model at a path, for suggesting the closest key to a misspelt one."""

    model: Any = format_models.Questionnaire
    for key in path:
        if isinstance(key, int):
            continue
        if model is format_models.Questionnaire and key == "scales":
            model = "scales"
            continue
        if model == "scales":
            model = format_models.Scale
            continue
        field = model.model_fields.get(key) if isinstance(model, type) else None
        if field is None:
            return []
        sub = {
            "points": format_models.ScalePoint,
            "segments": format_models.Segment,
            "dimensions": format_models.Dimension,
            "items": format_models.Item,
            "outcomes": format_models.Outcome,
            "comments": format_models.Comment,
            "levels": format_models.Level,
            "recommendations": format_models.Recommendation,
            "when": format_models.Condition,
        }.get(key)
        if sub is None:
            return []
        model = sub
    return list(model.model_fields) if isinstance(model, type) else []


def _misspelt_keys(errors: list[Any]) -> dict[PathKey, str]:
    """Missing keys that an unknown key at the same place probably meant (e.g. `tittle`)."""
    missing = {tuple(e["loc"]) for e in errors if e["type"] == "missing"}
    meant: dict[PathKey, str] = {}
    for error in errors:
        loc = tuple(error["loc"])
        if error["type"] != "extra_forbidden":
            continue
        candidates = [m[-1] for m in missing if m[:-1] == loc[:-1]]
        close = difflib.get_close_matches(str(loc[-1]), [str(c) for c in candidates], n=1)
        if close:
            meant[(*loc[:-1], close[0])] = str(loc[-1])
    return meant


def _pydantic_problems(
    file: str, data: Any, nodes: NodeMap, exc: PydanticValidationError
) -> Iterator[Problem]:
    errors = exc.errors(include_url=False)
    misspelt = _misspelt_keys(errors)
    for error in errors:
        if error["type"] == "missing" and tuple(error["loc"]) in misspelt:
            continue  # reported once, as the unknown key that was meant to be it
        loc: PathKey = tuple(error["loc"])
        kind = error["type"]
        where = describe_path(data, loc)
        what = error["msg"].removeprefix("Value error, ")
        hint = ""
        if kind == "extra_forbidden":
            known = _fields_at(loc[:-1])
            where = describe_path(data, loc[:-1])
            what = f"unknown key '{loc[-1]}'"
            close = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
            hint = (
                f"did you mean '{close[0]}'?"
                if close
                else "remove it; known keys here: " + ", ".join(known)
            )
            line = nodes.line_of(loc, key=True)
        elif kind == "missing":
            where = describe_path(data, loc[:-1])
            what = f"required key '{loc[-1]}' is missing"
            hint = f"add '{loc[-1]}: ...'"
            line = nodes.line_of(loc[:-1])
        else:
            line = nodes.line_of(loc)
            if (
                kind == "string_pattern_mismatch"
                and error.get("ctx", {}).get("pattern") == SLUG_PATTERN
            ):
                what = f"'{error.get('input')}' is not a valid id"
                hint = "use lowercase letters, digits and '-', starting with a letter or digit"
            elif kind == "literal_error":
                what = f"'{error.get('input')}' is not allowed"
                hint = "use " + error.get("ctx", {}).get("expected", "one of the listed values")
            elif kind in ("float_parsing", "float_type", "int_parsing", "int_type"):
                what = f"'{error.get('input')}' is not a number"
                hint = "write a plain number such as 1 or 2.5"
            elif what.startswith("expected text"):
                hint = 'put text holding ":" or "," in quotes, e.g. text: "Yes, we can"'
            elif kind in ("bool_parsing", "bool_type"):
                what = f"'{error.get('input')}' is not true or false"
                hint = "write true or false"
            elif kind in ("list_type", "dict_type", "model_type"):
                hint = "check the indentation: this should be " + (
                    "a list of '- ' entries" if kind == "list_type" else "a mapping of 'key: value'"
                )
        yield Problem(Location(file, line), where, what, hint)


def read_questionnaire(path: str | Path) -> tuple[Questionnaire | None, list[Problem]]:
    """Load and check a questionnaire file, returning it with every problem and warning found.

    The questionnaire is None when any error was found. Nothing is raised for bad content, so
    that `cxassess validate` can report every file; use `load_questionnaire` to fail instead.
    """

    file = str(path)
    try:
        data, nodes = parse_yaml(Path(path))
    except ValidationError as exc:
        return None, exc.problems
    problems = [
        Problem(
            Location(file, node.start_mark.line + 1),
            describe_path(data, key_path[:-1]),
            f"key '{key_path[-1]}' appears twice",
            "keep one of them",
        )
        for key_path, node in nodes.duplicates
    ]
    if not isinstance(data, dict):
        problems.append(
            Problem(
                Location(file, 1),
                "top level",
                "expected a mapping of keys such as 'format:', 'id:', 'dimensions:'",
                "start from the example in docs/format.md or `cxassess show three-abilities`",
            )
        )
        return None, problems
    try:
        questionnaire = Questionnaire.model_validate(data)
    except PydanticValidationError as exc:
        problems.extend(_pydantic_problems(file, data, nodes, exc))
        problems.sort(key=lambda p: p.location.line or 0)
        return None, problems
    problems.extend(check_meaning(questionnaire, data, nodes, file))
    problems.sort(key=lambda p: (p.severity != "error", p.location.line or 0))
    if any(p.severity == "error" for p in problems):
        return None, problems
    return questionnaire, problems


def load_questionnaire(path: str | Path) -> Questionnaire:
    """Load a questionnaire file, raising one `ValidationError` listing every error found."""
    questionnaire, problems = read_questionnaire(path)
    if questionnaire is None:
        raise ValidationError(problems, str(path))
    return questionnaire
