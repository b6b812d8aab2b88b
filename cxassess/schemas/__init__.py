"""JSON Schemas of the files cxassess reads and writes, generated from the pydantic models
that read them back, so a schema cannot say something the code does not do.

| kind            | the file                                    | its `schema` key         |
|-----------------|---------------------------------------------|--------------------------|
| `questionnaire` | a questionnaire (YAML)                      | none                     |
| `results`       | `results.json` of `score`, `report`, `demo` | `cxassess.results/1`     |
| `gap`           | `gap.json` of `gap`, `report`, `demo`       | `cxassess.gap/1`         |
| `response`      | one person's answers, written by `run`      | `cxassess.response/1`    |

Each JSON file's `schema` key names its schema, and the schema requires that exact value, so
a tool can tell the files apart before reading them. The schemas allow keys they do not list:
a newer cxassess may add an optional key within the same version (`/1`), as it did with
`comparison` in results files.

Importing this package is cheap: the models are imported when a schema is asked for.
"""

from __future__ import annotations

import json
from typing import Any

from cxassess.errors import InputError
from cxassess.schemas.ids import BASE_ID, DRAFT, schema_id

SCHEMA_KINDS = ("questionnaire", "results", "gap", "response")
"""The kinds `cxassess schema` prints; the first is the default."""


def json_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one kind of file (see the module docstring); an
    unknown kind is an `InputError` (exit 2) naming the kinds there are."""
    if kind not in SCHEMA_KINDS:
        raise InputError(
            f"no schema called '{kind}'",
            hint="choose one of: " + ", ".join(SCHEMA_KINDS),
        )
    if kind == "questionnaire":
        from cxassess.format.describe import format_json_schema

        return json.loads(format_json_schema())
    from cxassess.schemas.files import file_schema

    return file_schema(kind)


def schema_text(kind: str) -> str:
    """A kind's JSON Schema as the text `cxassess schema KIND` prints (ends with a newline)."""
    return json.dumps(json_schema(kind), indent=2, ensure_ascii=False) + "\n"


__all__ = ["BASE_ID", "DRAFT", "SCHEMA_KINDS", "json_schema", "schema_id", "schema_text"]
