"""Recognise cxassess's own JSON files (results, responses, gaps, comparisons) by their
`schema` key, one way for every command."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


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
