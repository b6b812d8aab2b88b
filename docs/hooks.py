"""MkDocs hooks of the cxassess site (registered in `mkdocs.yml` under `hooks:`).

The questionnaire format reference (`format-reference.md`) is written at every build from the
pydantic models that read questionnaires (`cxassess.format.models`), through the same JSON
Schema that `cxassess schema` prints: a key added, renamed or re-described in the models shows
in the next build, so the reference cannot drift from the code. The page's source holds the
prose and a marker that the tables replace.
"""

from __future__ import annotations

import json
from typing import Any

MARKER = "<!-- format-reference: generated from cxassess.format.models -->"
REFERENCE_PAGE = "format-reference.md"
SLUG_PATTERN = "^[a-z0-9][a-z0-9-]*$"


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    """Put the generated tables in place of the marker on the format reference page, and of
    what follows it (a note for readers of the source file, who see no tables)."""
    if page.file.src_uri != REFERENCE_PAGE:
        return markdown
    if MARKER not in markdown:
        raise ValueError(f"{REFERENCE_PAGE} has lost its marker line: {MARKER}")
    return markdown[: markdown.index(MARKER)] + format_reference()


def _is_text(node: dict[str, Any]) -> bool:
    """The shape of the format's `Text`: a string, or a mapping of language code to string."""
    kinds = node.get("anyOf", [])
    return [k.get("type") for k in kinds] == ["string", "object"]


def _anchor(name: str) -> str:
    return name.lower()


def type_words(node: dict[str, Any]) -> str:
    """A field's type in words, from its JSON Schema: `id`, `text`, `list of Item`, ..."""
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        return f"[{name}](#{_anchor(name)})"
    if _is_text(node):
        return "text"
    if "anyOf" in node:
        kinds = [k for k in node["anyOf"] if k.get("type") != "null"]
        if len(kinds) == 1:
            return type_words(kinds[0])
        return " or ".join(type_words(k) for k in kinds)
    if "const" in node:
        return f"`{node['const']}`"
    if "enum" in node:
        return " | ".join(f"`{value}`" for value in node["enum"])
    kind = node.get("type")
    if kind == "array":
        return "list of " + type_words(node.get("items", {}))
    if kind == "object":
        inner = node.get("additionalProperties")
        return "mapping of name to " + type_words(inner) if isinstance(inner, dict) else "mapping"
    if kind == "string":
        return "id" if node.get("pattern") == SLUG_PATTERN else "string"
    return {"number": "number", "integer": "whole number", "boolean": "true or false"}.get(
        str(kind), "any"
    )


def _bounds(node: dict[str, Any]) -> list[str]:
    said = []
    for key, words in (
        ("minimum", "at least"),
        ("exclusiveMinimum", "above"),
        ("maximum", "at most"),
        ("exclusiveMaximum", "below"),
    ):
        if key in node:
            said.append(f"{words} {node[key]:g}")
    if node.get("minItems"):
        said.append(f"at least {node['minItems']} entr{'y' if node['minItems'] == 1 else 'ies'}")
    if "maxLength" in node:
        said.append(f"up to {node['maxLength']} characters")
    return said


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _need(name: str, node: dict[str, Any], required: list[str]) -> str:
    if name in required:
        return "required"
    if "default" in node and node["default"] is not None:
        return f"default `{json.dumps(node['default'])}`"
    return "optional"


def _fields_table(model: dict[str, Any]) -> list[str]:
    required = model.get("required", [])
    lines = ["| Key | Type | | Meaning |", "|-----|------|-|---------|"]
    for name, node in model.get("properties", {}).items():
        words = type_words(node)
        bounds = _bounds(node)
        if bounds:
            words += " (" + ", ".join(bounds) + ")"
        meaning = node.get("description", "")
        lines.append(
            f"| `{name}` | {_cell(words)} | {_need(name, node, required)} | {_cell(meaning)} |"
        )
    return lines


def _order(schema: dict[str, Any]) -> list[str]:
    """The parts in the order a reader meets them, from the top of a questionnaire down."""
    order: list[str] = []

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                name = ref.rsplit("/", 1)[-1]
                if name not in order:
                    order.append(name)
                    visit(schema["$defs"][name])
            for key, value in node.items():
                if key != "$defs":
                    visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(schema.get("properties", {}))
    return order


def _used_in(schema: dict[str, Any], name: str) -> list[str]:
    target = json.dumps(f"#/$defs/{name}")
    places = []
    for owner, model in [("Questionnaire", schema), *schema["$defs"].items()]:
        for key, node in model.get("properties", {}).items():
            if target in json.dumps(node):
                places.append(f"`{key}` of [{owner}](#{_anchor(owner)})")
    return places


def format_reference() -> str:
    """The reference tables of the questionnaire format: one per part, every key with its
    type, whether it is required (or its default), and its description from the models."""
    from cxassess.format.models import Questionnaire

    schema = Questionnaire.model_json_schema(mode="validation")
    out = ["## Questionnaire", "", _cell(schema.get("description", "")), ""]
    out += _fields_table(schema)
    for name in _order(schema):
        model = schema["$defs"][name]
        out += ["", f"## {name}", "", _cell(model.get("description", "")), ""]
        used = _used_in(schema, name)
        if used:
            out += ["Used as " + ", ".join(used) + ".", ""]
        out += _fields_table(model)
    return "\n".join(out) + "\n"
