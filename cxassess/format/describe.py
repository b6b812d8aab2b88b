"""Readable views of questionnaires: the catalogue table, the structure tree, JSON summaries
and the JSON Schema of the format."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from cxassess.format.catalog import CatalogEntry
from cxassess.format.models import Questionnaire
from cxassess.format.nonanswers import (
    NON_ANSWER_NAMES,
    non_answer_label,
    offered_non_answers,
    scale_non_answers,
)

if TYPE_CHECKING:
    from rich.table import Table
    from rich.tree import Tree

SCHEMA_ID = "https://cxassess.dev/schema/questionnaire-1.json"


def catalog_rows(entries: list[CatalogEntry]) -> list[dict[str, Any]]:
    """One plain record per questionnaire, as `cxassess list --json` prints them."""
    return [
        {
            "id": e.questionnaire.id,
            "title": e.questionnaire.text(e.questionnaire.title),
            "audience": e.questionnaire.audience,
            "items": len(e.questionnaire.scored_questions()),
            "minutes": e.questionnaire.minutes,
            "version": e.questionnaire.version,
            "source": e.source,
            "path": str(e.path),
        }
        for e in entries
    ]


def catalog_table(entries: list[CatalogEntry]) -> Table:
    """The catalogue as a Rich table."""
    from rich import box
    from rich.table import Table

    from cxassess.visible import visible as escape

    table = Table(title="Questionnaires", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    for name, justify in (
        ("id", "left"),
        ("title", "left"),
        ("audience", "left"),
        ("items", "right"),
        ("min", "right"),
        ("source", "left"),
    ):
        table.add_column(
            name,
            justify=justify,  # type: ignore[arg-type]
            no_wrap=name in ("id", "audience", "items", "min", "source"),
        )
    for row in catalog_rows(entries):
        minutes = row["minutes"]
        table.add_row(
            row["id"],
            escape(row["title"]),
            row["audience"],
            str(row["items"]),
            "" if minutes is None else f"{minutes:g}",
            row["source"],
        )
    return table


def _scale_text(q: Questionnaire, name: str, lang: str | None) -> str:
    scale = q.scales[name]
    points = ", ".join(f"{p.value:g} {q.text(p.label, lang)}" for p in scale.resolved_points())
    if scale.type == "nps":
        points = "0-10"
    extras = "".join(
        f"; {NON_ANSWER_NAMES[kind].lower()}: {q.text(non_answer_label(scale, kind), lang)}"
        for kind in scale_non_answers(scale)
    )
    return f"{name} ({scale.type}): {points}{extras}"


def questionnaire_tree(q: Questionnaire, lang: str | None = None) -> Tree:
    """The structure of a questionnaire (scales, segments, dimensions, items, outcomes,
    comments, levels) as a Rich tree for `cxassess show`."""
    from rich.tree import Tree

    from cxassess.visible import visible as escape

    minutes = f", about {q.minutes:g} min" if q.minutes else ""
    root = Tree(
        f"[bold]{escape(q.text(q.title, lang))}[/] [dim]({q.id} v{q.version}, "
        f"{q.audience}{minutes})[/]"
    )
    if q.description:
        root.add(escape(q.text(q.description, lang)), style="italic")
    scales = root.add("[bold]Scales[/]")
    for name in q.scales:
        scales.add(escape(_scale_text(q, name, lang)))
    if q.segments:
        segments = root.add("[bold]Segments[/]")
        for seg in q.segments:
            choices = f": {', '.join(seg.choices)}" if seg.choices else " (free text)"
            segments.add(escape(f"{seg.id} - {q.text(seg.title, lang)}{choices}"))
    for dim in q.dimensions:
        weight = f" weight {dim.weight:g}" if dim.weight != 1 else ""
        branch = root.add(
            f"[bold cyan]{escape(q.text(dim.title, lang))}[/] [dim]({dim.id}{weight})[/]"
        )
        for item in dim.items:
            flags = [item.scale]
            if item.reverse:
                flags.append("reversed")
            if not item.required:
                flags.append("optional")
            if item.weight != 1:
                flags.append(f"weight {item.weight:g}")
            if item.offers is not None:
                offered = offered_non_answers(item, q.scale_of(item))
                names = " and ".join(NON_ANSWER_NAMES[k] for k in offered)
                flags.append(
                    f"offers {names}" if names else "offers neither Don't know nor Does not apply"
                )
            branch.add(
                f"[dim]{item.id}[/] {escape(q.text(item.text, lang))} [dim]({', '.join(flags)})[/]"
            )
    if q.outcomes:
        outcomes = root.add("[bold]Outcomes[/]")
        for o in q.outcomes:
            outcomes.add(f"[dim]{o.id}[/] {escape(q.text(o.text, lang))} [dim]({o.scale})[/]")
    if q.comments:
        comments = root.add("[bold]Comments[/]")
        for c in q.comments:
            comments.add(f"[dim]{c.id}[/] {escape(q.text(c.text, lang))}")
    levels = root.add("[bold]Levels[/]")
    for lv in q.levels:
        levels.add(f"{lv.min:g}+ {escape(q.text(lv.title, lang))}")
    root.add(f"[bold]Recommendations[/]: {len(q.recommendations)}")
    return root


def questionnaire_json(q: Questionnaire) -> str:
    """The questionnaire as JSON (defaults filled in), for `cxassess show --json`."""
    return q.model_dump_json(indent=2, exclude_none=True)


def format_json_schema() -> str:
    """The JSON Schema of the questionnaire format, for editors (yaml-language-server)."""
    schema = Questionnaire.model_json_schema(mode="validation")
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
    }
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
