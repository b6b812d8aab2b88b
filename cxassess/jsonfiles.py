"""Recognise cxassess's own JSON files (results, responses, gaps, comparisons) by their
`schema` key, and read them back with one error style, one way for every command."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from cxassess.errors import FileNotFound, InputError

M = TypeVar("M", bound=BaseModel)


def json_object(path: Path) -> dict[str, Any] | None:
    """The top-level mapping of a JSON file, or None when the file is not a JSON object.

    Only the first bytes are read for a file that does not start like JSON, so a large CSV
    is not read twice just to learn that it is not one of ours."""
    try:
        with path.open("rb") as handle:
            start = handle.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
        if not start.startswith(b"{"):
            return None
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    return data if isinstance(data, dict) else None


def schema_of(path: Path) -> str | None:
    """The `schema` key of a JSON file (e.g. `cxassess.results/1`), or None."""
    data = json_object(path) if path.is_file() else None
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
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{file}: not JSON (line {exc.lineno}: {exc.msg})", hint=hint) from None
    found = data.get("schema") if isinstance(data, dict) else None
    if found != schema:
        said = f"schema {found!r}" if found else "no schema key"
        raise InputError(f"{file}: not a cxassess {what} ({said})", hint=hint)
    try:
        return model.model_validate(data)
    except PydanticValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InputError(
            f"{file}: not a cxassess {what} ({where}: {first['msg']})", hint=hint
        ) from None
