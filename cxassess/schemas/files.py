"""The schemas of our JSON files (results, gap, response), from the models that read them."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from cxassess.compare import COMPARISON_SCHEMA, Comparison
from cxassess.gap.model import GAP_SCHEMA, GapResults
from cxassess.responses import RESPONSE_SCHEMA, ResponseFile
from cxassess.results import RESULTS_SCHEMA, Results
from cxassess.schemas.ids import DRAFT, schema_id


class ResultsFile(Results):
    """A `results.json`: the results, and with `--compare` the change since the previous
    results (`cxassess.comparison/1`), which readers of results ignore."""

    model_config = ConfigDict(title="cxassess results file")

    comparison: Comparison | None = None
    """Only with `--compare`: the change since the previous results."""


class GapFile(GapResults):
    """A `gap.json`: staff against customers, and with `--compare` the change since then."""

    model_config = ConfigDict(title="cxassess gap file")


class ResponseFileSchema(ResponseFile):
    """One person's answers as `cxassess run` writes them; an unfinished run (`*.partial.json`)
    has `completed: null`."""

    model_config = ConfigDict(title="cxassess response file")


FILES: dict[str, tuple[type[BaseModel], str]] = {
    "results": (ResultsFile, RESULTS_SCHEMA),
    "gap": (GapFile, GAP_SCHEMA),
    "response": (ResponseFileSchema, RESPONSE_SCHEMA),
}
"""Each kind's model and the value of its files' `schema` key."""


def _pin_schema_key(schema: dict[str, Any], value: str) -> None:
    """Make an object schema require `schema: <value>` (the models only default it)."""
    schema["properties"]["schema"] = {
        "const": value,
        "description": f"Always `{value}`: names the kind of file and its version.",
    }
    required = schema.setdefault("required", [])
    if "schema" not in required:
        required.insert(0, "schema")


def file_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of one of our JSON files (`results`, `gap` or `response`)."""

    model, value = FILES[kind]
    generated = model.model_json_schema(by_alias=True, mode="serialization")
    _pin_schema_key(generated, value)
    comparison = generated.get("$defs", {}).get("Comparison")
    if comparison is not None:
        _pin_schema_key(comparison, COMPARISON_SCHEMA)
    return {"$schema": DRAFT, "$id": schema_id(kind), **generated}
