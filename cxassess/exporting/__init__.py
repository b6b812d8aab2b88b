"""Write a questionnaire in a survey tool's own import format (`cxassess export`).

One module per format; each has `render(questionnaire, lang) -> str`. Every export names the
questionnaire's id and version and uses our item ids as question names wherever the tool
allows, so that the tool's answer export reads back with no `--map`.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

from cxassess.errors import InputError
from cxassess.format.models import Questionnaire


@dataclass(frozen=True)
class ExportFormat:
    """A format `cxassess export --to` can write."""

    name: str
    module: str
    suffix: str
    """The end of the default file name, after the questionnaire's id."""
    binary: bool
    summary: str


FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat("xlsform", "xlsform", ".xlsx", True, "XLSForm for KoboToolbox, ODK, ..."),
        ExportFormat("surveyjs", "surveyjs", ".json", False, "SurveyJS form JSON"),
        ExportFormat(
            "limesurvey", "limesurvey", "-limesurvey.txt", False, "LimeSurvey survey structure"
        ),
        ExportFormat(
            "qualtrics", "qualtrics", "-qualtrics.txt", False, "Qualtrics Advanced Format TXT"
        ),
        ExportFormat("google-forms", "google_forms", ".gs", False, "Google Apps Script"),
        ExportFormat(
            "docx", "word", ".docx", True, "printable paper version (Word, for Microsoft Forms)"
        ),
        ExportFormat("md", "markdown", ".md", False, "printable paper version (Markdown)"),
    )
}


def export_format(name: str) -> ExportFormat:
    """The format called `name`, or an input error listing the formats there are."""
    found = FORMATS.get(name.strip().lower())
    if found is None:
        raise InputError(
            f"unknown export format '{name}'",
            hint="use one of: " + ", ".join(FORMATS),
        )
    return found


def check_language(q: Questionnaire, lang: str | None) -> str:
    """The language to write (the questionnaire's default when none is given)."""
    if lang is None:
        return q.default_language
    if lang not in q.languages:
        raise InputError(
            f"questionnaire '{q.id}' has no language '{lang}'",
            hint="use one of: " + ", ".join(q.languages),
        )
    return lang


def render_export(q: Questionnaire, name: str, lang: str | None = None) -> bytes:
    """The file contents of questionnaire `q` in export format `name` (bytes, ready to write)."""
    fmt = export_format(name)
    language = check_language(q, lang)
    module = import_module(f"cxassess.exporting.{fmt.module}")
    result = module.render(q, language)
    return result if isinstance(result, bytes) else result.encode("utf-8")


def export_notes(q: Questionnaire, name: str) -> list[str]:
    """What the user must do in the tool for the answers to read back right, one sentence
    each: said after the file is written, since a wrong download would give wrong figures."""
    fmt = export_format(name)
    module = import_module(f"cxassess.exporting.{fmt.module}")
    notes = getattr(module, "notes", None)
    return list(notes(q)) if notes is not None else []


__all__ = [
    "FORMATS",
    "ExportFormat",
    "check_language",
    "export_format",
    "export_notes",
    "render_export",
]
