"""Check a JSON file cxassess wrote against the schema its `schema` key names, strictly: the
published schemas let a newer version add keys, but a file we write today must hold no key
the schema does not list, so a field added to a writer and not to its model fails here."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema

from cxassess.schemas import json_schema

KIND_OF = {
    "cxassess.results/1": "results",
    "cxassess.gap/1": "gap",
    "cxassess.response/1": "response",
}


def closed(schema: Any) -> Any:
    """A copy of a schema in which every object with listed properties allows no others."""
    schema = copy.deepcopy(schema)

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "properties" in node and node.get("type", "object") == "object":
                node.setdefault("additionalProperties", False)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    return schema


def assert_matches_schema(data: dict[str, Any] | str | Path) -> str:
    """Validate a written file (its path, text or parsed data) against its schema; returns the
    kind. Fails with jsonschema's message naming the first field that does not fit."""
    if isinstance(data, Path):
        data = data.read_text(encoding="utf-8")
    if isinstance(data, str):
        data = json.loads(data)
    kind = KIND_OF[data["schema"]]
    schema = closed(json_schema(kind))
    jsonschema.Draft202012Validator(schema).validate(data)
    return kind
