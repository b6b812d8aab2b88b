"""`Results` as tidy rows: the table of `results.csv` and of the workbook's *Data* sheet.

Tidy means one row per group, figure and measure, in the columns `segment, group, n, kind,
id, outcome, measure, value, label`:

- `value` holds numbers only (so pandas, polars and Excel read the column as numbers): scores,
  shares in percent (0-100), counts, correlations; a yes/no flag is 1 or 0.
- `label` holds words: a level's id, a recommendation's title and priority, why a group is
  hidden, a comment's text; for a flag, `true` or `false` beside its 1 or 0.
- `kind` is what the row is about (`overall`, `dimension`, `item`, `outcome`, `driver`,
  `recommendation`, `group`, `comment`, or `change of <kind>` with `--compare`) and never
  holds an id: the outcome a driver is measured against is in the column `outcome`.

Everyone is the group `(all)` of the segment `(all)`. A group hidden for anonymity (rule 11)
has only its `n` and why it is hidden, in every table written here; comments are those the
results hold, which already leave out groups below the comment threshold.

Every cell is safe to open in Excel: a text that starts with `=`, `+`, `-` or `@` (or a tab or
carriage return) and is not a plain decimal number is written with a leading apostrophe, so a
team named `=HYPERLINK(...)` is shown as text, never run as a formula. Only plain decimals
(`-3`, `+1.5`, `-2e3`) count as numbers: `-inf`, `-nan`, `-Infinity` or `-1_000`, which
Python's `float()` accepts, get the apostrophe too. Numbers are written by us, never from
text, and a number that is not finite is left empty.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from cxassess.results import (
    DimensionResult,
    ItemResult,
    OutcomeResult,
    Overall,
    Results,
)

if TYPE_CHECKING:
    from cxassess.compare import Change, Comparison

ALL = "(all)"
TIDY_COLUMNS = ("segment", "group", "n", "kind", "id", "outcome", "measure", "value", "label")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

PLAIN_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")

Cell = str | int | float | bool | None

SHARE_MEASURES = {
    "favorable": "favourable",
    "neutral": "neutral",
    "unfavorable": "unfavourable",
}
"""The results' share fields and the measure names of the tables: one spelling, as in the
report ("favourable"), while the JSON keeps the field names of `cxassess.results/1`."""


def safe_cell(value: Cell) -> Cell:
    """A cell value that spreadsheet programs will not run as a formula."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return value
    if PLAIN_DECIMAL.fullmatch(value):
        return value
    return "'" + value


def split_value(value: Cell) -> tuple[float | None, str | None]:
    """A figure as the tidy table's (`value`, `label`): numbers as floats, words as a label,
    a flag as 1 or 0 with `true` or `false`; a number that is not finite as no value."""
    if value is None:
        return None, None
    if isinstance(value, bool):
        return (1.0 if value else 0.0), ("true" if value else "false")
    if isinstance(value, int | float):
        number = float(value)
        return (number if math.isfinite(number) else None), None
    return None, str(value)


def _figure_rows(
    overall: Overall | None,
    dimensions: list[DimensionResult],
    items: list[ItemResult],
    outcomes: list[OutcomeResult],
) -> Iterator[tuple[str, str, str, Cell]]:
    """(kind, id, measure, value) for every figure of one set of respondents."""
    if overall is not None:
        yield from (
            ("overall", "", "score", overall.score),
            ("overall", "", "level", overall.level),
            ("overall", "", "n", overall.n),
            ("overall", "", "sd", overall.sd),
        )
    for dim in dimensions:
        for measure in ("score", "level", "n", "sd", "alpha", "alpha_n"):
            yield ("dimension", dim.id, measure, getattr(dim, measure))
        if dim.hidden_why:
            yield ("dimension", dim.id, "hidden_why", dim.hidden_why)
    for kind, questions in (("item", items), ("outcome", outcomes)):
        for question in questions:
            yield (kind, question.id, "n", question.n)
            yield (kind, question.id, "mean", question.mean)
            yield (kind, question.id, "score", question.score)
            yield (kind, question.id, "sd", question.sd)
            for field, measure in SHARE_MEASURES.items():
                yield (kind, question.id, measure, getattr(question, field))
            if isinstance(question, OutcomeResult) and question.nps is not None:
                for measure in ("nps", "promoters", "passives", "detractors"):
                    yield (kind, question.id, measure, getattr(question, measure))
            for value, count in question.distribution.items():
                yield (kind, question.id, f"answered {value}", count)
            for measure in ("dont_know", "not_applicable"):  # not answers: never in n
                if getattr(question, measure) is not None:
                    yield (kind, question.id, measure, getattr(question, measure))
            if question.hidden_why:
                yield (kind, question.id, "hidden_why", question.hidden_why)


CHANGE_MEASURES = ("previous", "current", "change", "ci_low", "ci_high", "beyond_noise")


def change_values(change: Change) -> tuple[Cell, ...]:
    """A change's figures in the order of `CHANGE_MEASURES`; `beyond_noise` is empty when the
    change could not be computed."""
    return (
        change.previous,
        change.current,
        change.change,
        change.ci_low,
        change.ci_high,
        change.marked if change.change is not None else None,
    )


def change_entries(comparison: Comparison) -> Iterator[tuple[str, str, int, Change]]:
    """(segment, group, n, change) for every change: everyone's, then each group's that is
    shown in both surveys."""
    for change in [
        comparison.overall,
        *comparison.dimensions,
        *comparison.items,
        *comparison.outcomes,
    ]:
        yield ALL, ALL, comparison.current.respondents, change
    for group in comparison.groups:
        if group.suppressed:
            continue
        for change in [*([group.overall] if group.overall else []), *group.dimensions]:
            yield group.segment, group.value, group.n_current, change


def tidy_rows(results: Results, comparison: Comparison | None = None) -> list[dict[str, Cell]]:
    """The results as tidy rows (see the module docstring); suppressed groups keep only n and
    why they are hidden."""
    rows: list[dict[str, Cell]] = []

    def add(
        where: tuple[str, str, int], kind: str, ident: str, measure: str, figure: Cell, of: str = ""
    ) -> None:
        value, label = split_value(figure)
        segment, group, n = where
        cells = (segment, group, n, kind, ident, of, measure, value, label)
        rows.append(dict(zip(TIDY_COLUMNS, cells, strict=True)))

    everyone = (ALL, ALL, results.respondents)
    for kind, ident, measure, value in _figure_rows(
        results.overall, results.dimensions, results.items, results.outcomes
    ):
        add(everyone, kind, ident, measure, value)
    if results.drivers is not None:
        outcome = results.drivers.outcome
        for driver in [*results.drivers.dimensions, *results.drivers.items]:
            for measure in ("weight", "weight_low", "weight_high", "r", "n", "focus"):
                add(everyone, "driver", driver.id, measure, getattr(driver, measure), outcome)
    for rec in results.recommendations:
        for measure, value in (
            ("priority", rec.priority),
            ("title", rec.title),
            ("for", rec.dimension or rec.item or ""),
            ("score", rec.score),
            ("below", rec.below),
        ):
            add(everyone, "recommendation", rec.id, measure, value)
    for comment in results.comments:
        for answer in comment.answers:
            add(everyone, "comment", comment.id, "answer", answer)
    for group in results.groups:
        where = (group.segment, group.value, group.n)
        add(where, "group", "", "n", group.n)
        if group.suppressed:
            add(where, "group", "", "suppressed", True)
            add(where, "group", "", "hidden_why", group.hidden_why)
            continue
        for kind, ident, measure, value in _figure_rows(
            group.overall, group.dimensions, group.items, group.outcomes
        ):
            add(where, kind, ident, measure, value)
        for comment in group.comments:
            for answer in comment.answers:
                add(where, "comment", comment.id, "answer", answer)
    if comparison is not None:
        for segment, group_value, n, change in change_entries(comparison):
            ident = "" if change.kind == "overall" else change.id
            for measure, value in zip(CHANGE_MEASURES, change_values(change), strict=True):
                add((segment, group_value, n), f"change of {change.kind}", ident, measure, value)
    return rows


def csv_text(results: Results, comparison: Comparison | None = None) -> str:
    """The tidy CSV text (UTF-8; written with a byte-order mark so Excel reads accents)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(TIDY_COLUMNS)
    for row in tidy_rows(results, comparison):
        writer.writerow([_csv_cell(column, row[column]) for column in TIDY_COLUMNS])
    return buffer.getvalue()


def _csv_cell(column: str, value: Cell) -> Cell:
    """One CSV cell: every `value` with a decimal point (`13.0`), so that readers which guess
    a column's type from its first rows (polars) read the whole column as floats."""
    if value is None:
        return ""
    if column == "value" and isinstance(value, float):
        return repr(round(value, 10))
    return safe_cell(value)


def write_csv(results: Results, path: str | Path, comparison: Comparison | None = None) -> Path:
    """Write the tidy CSV atomically."""
    from cxassess.outputs.files import write_bytes_atomic

    text = csv_text(results, comparison)
    return write_bytes_atomic(path, b"\xef\xbb\xbf" + text.encode("utf-8"))
