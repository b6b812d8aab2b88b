"""The addresses that name our JSON Schemas: one place, for the package and the generated
schemas alike."""

from __future__ import annotations

BASE_ID = "https://cxassess.dev/schema/"
DRAFT = "https://json-schema.org/draft/2020-12/schema"


def schema_id(kind: str) -> str:
    """The `$id` of a kind's schema, e.g. `https://cxassess.dev/schema/results-1.json`."""
    return f"{BASE_ID}{kind}-1.json"
