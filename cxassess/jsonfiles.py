"""Recognise cxassess's own JSON files (results, responses, gaps, comparisons) by their
`schema` key, and read them back with one error style, one way for every command."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from cxassess.errors import FileNotFound, InputError, Location

M = TypeVar("M", bound=BaseModel)

MAX_JSON_DEPTH = 500
"""Nesting reported as too deep; Python's JSON reader gives up near a thousand levels."""


def _deep_line(text: str | bytes) -> int:
    """The line where the nesting of a JSON text first goes deeper than `MAX_JSON_DEPTH`."""
    data = text.encode("utf-8", "replace") if isinstance(text, str) else text
    depth, in_string, escaped = 0, False, False
    for index, byte in enumerate(data):
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:
                escaped = True
            elif byte == 0x22:
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return data.count(b"\n", 0, index) + 1
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return 1


def loads_json(text: str | bytes, path: str | Path) -> Any:
    """`json.loads`, refusing a text nested too deep to read (thousands of brackets inside
    each other) with an `InputError` naming the file and line, instead of a RecursionError.
    `json.JSONDecodeError` is raised as by `json.loads`."""
    try:
        return json.loads(text)
    except RecursionError:
        raise InputError(
            "the JSON is nested too deep to read (lists or objects inside each other, more "
            f"than {MAX_JSON_DEPTH} levels)",
            hint="give a file written by cxassess; this one was damaged or made by hand",
            location=Location(str(path), _deep_line(text)),
        ) from None
    except json.JSONDecodeError:
        raise
    except ValueError as exc:  # a number of thousands of digits, beyond Python's limit
        raise InputError(
            f"a value in the JSON cannot be read ({str(exc).split(';')[0]})",
            hint="give a file written by cxassess; this one was damaged or made by hand",
            location=Location(str(path)),
        ) from None


def json_object(path: Path) -> dict[str, Any] | None:
    """The top-level mapping of a JSON file, or None when the file is not a JSON object.

    Only the first bytes are read for a file that does not start like JSON, so a large CSV
    is not read twice just to learn that it is not one of ours."""
    try:
        with path.open("rb") as handle:
            start = handle.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
        if not start.startswith(b"{"):
            return None
        data = loads_json(path.read_text(encoding="utf-8-sig"), path)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    return data if isinstance(data, dict) else None


def schema_of(path: Path) -> str | None:
    """The `schema` key of a JSON file (e.g. `cxassess.results/1`), or None."""
    data = json_object(path) if path.is_file() else None  # regular files only: never a pipe
    schema = data.get("schema") if data else None
    return schema if isinstance(schema, str) else None


def read_our_json(path: str | Path, model: type[M], schema: str, what: str, hint: str) -> M:
    """Read one of our JSON files (`schema` key `schema`) into `model`, with one error style
    for every kind: not found, unreadable, not JSON (with its line), another schema, or a
    field that does not fit (named by its path). `what` names the kind ("results file")."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise FileNotFound(file, what) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{file}: cannot read ({exc})", hint=hint) from None
    try:
        data = loads_json(text, file)
    except json.JSONDecodeError as exc:
        raise InputError(f"{file}: not JSON (line {exc.lineno}: {exc.msg})", hint=hint) from None
    found = data.get("schema") if isinstance(data, dict) else None
    if found != schema:
        said = f"schema {found!r}" if found else "no schema key"
        raise InputError(f"{file}: not a cxassess {what} ({said})", hint=hint)
    try:
        return model.model_validate(data)
    except PydanticValidationError as exc:
        raise InputError(
            f"{file}: not a cxassess {what} ({first_field_error(exc)})", hint=hint
        ) from None


def first_field_error(exc: PydanticValidationError) -> str:
    """The first thing wrong with a JSON file's fields, as `path.to.field: what`: one line for
    an error message, whichever of our files it was."""
    first = exc.errors(include_url=False)[0]
    return ".".join(str(p) for p in first["loc"]) + f": {first['msg']}"
