"""Building blocks of the questionnaire format: slugs, texts in several languages, and the
base model every part of the format shares (no extra keys, frozen, docstrings as descriptions).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, PlainValidator, WithJsonSchema

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
Slug = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=64)]


def _check_text(value: Any) -> str | dict[str, str]:
    """Accept a plain string or a mapping of language code to string."""
    if isinstance(value, str):
        return value
    if (
        isinstance(value, dict)
        and value
        and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())
    ):
        return value
    raise ValueError("expected text, or a mapping of language code to text such as {en: ...}")


Text = Annotated[
    str | dict[str, str],
    PlainValidator(_check_text),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string"},
                {"type": "object", "additionalProperties": {"type": "string"}, "minProperties": 1},
            ],
            "description": "Text, or a mapping of language code to text.",
        }
    ),
]


def text_in(value: str | dict[str, str] | None, lang: str | None, default_lang: str = "en") -> str:
    """Pick the text of a field in a language, falling back to the default language, then any."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    for key in (lang, default_lang):
        if key and key in value:
            return value[key]
    return next(iter(value.values()))


class FormatModel(BaseModel):
    """The base of every part of the format: unknown keys are refused, values are frozen, and
    attribute docstrings become field descriptions in the JSON Schema."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True, frozen=True)
