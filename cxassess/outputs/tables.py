"""`Results` as tables: the tidy rows of `results.csv`, and the sheets of `results.xlsx`.

Tidy means one row per group, figure and measure: `segment, group, n, kind, id, measure,
value`. Everyone is the group `(all)` of the segment `(all)`. A group hidden for anonymity
(rule 11) has only its `n` and a `suppressed` row, in every table written here.

With a comparison (`cxassess score --compare`), the change since the previous results comes
as rows of kind `change of <kind>` (measures `previous`, `current`, `change`, `ci_low`,
`ci_high`, `beyond_noise`), and as a *Change* sheet.

Every cell is safe to open in Excel: a text that starts with `=`, `+`, `-` or `@` (or a tab or
carriage return) and is not a plain decimal number is written with a leading apostrophe, so a
team named `=HYPERLINK(...)` is shown as text, never run as a formula. Only plain decimals
(`-3`, `+1.5`, `-2e3`) count as numbers: `-inf`, `-nan`, `-Infinity` or `-1_000`, which
Python's `float()` accepts, get the apostrophe too.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
TIDY_COLUMNS = ("segment", "group", "n", "kind", "id", "measure", "value")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

PLAIN_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")

Cell = str | int | float | bool | None


def safe_cell(value: Cell) -> Cell:
    """A cell value that spreadsheet programs will not run as a formula."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return value
    if PLAIN_DECIMAL.fullmatch(value):
        return value
    return "'" + value


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
    for kind, questions in (("item", items), ("outcome", outcomes)):
        for question in questions:
            measures = ["n", "mean", "score", "sd", "favorable", "neutral", "unfavorable"]
            if isinstance(question, OutcomeResult) and question.nps is not None:
                measures += ["nps", "promoters", "passives", "detractors"]
            for measure in measures:
                yield (kind, question.id, measure, getattr(question, measure))
            for value, count in question.distribution.items():
                yield (kind, question.id, f"answered {value}", count)


DRIVER_COLUMNS = (
    "kind",
    "id",
    "title",
    "weight",
    "weight low",
    "weight high",
    "r",
    "n",
    "score",
    "focus area",
)
CHANGE_MEASURES = ("previous", "current", "change", "ci_low", "ci_high", "beyond_noise")


def _change_values(change: Change) -> tuple[Cell, ...]:
    return (
        change.previous,
        change.current,
        change.change,
        change.ci_low,
        change.ci_high,
        change.marked if change.change is not None else None,
    )


def _change_entries(comparison: Comparison) -> Iterator[tuple[str, str, int, Change]]:
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
    """The results as tidy rows (see the module docstring); suppressed groups keep only n."""
    rows: list[dict[str, Cell]] = []

    def add(segment: str, group: str, n: int, kind: str, ident: str, measure: str, value: Cell):
        rows.append(
            dict(zip(TIDY_COLUMNS, (segment, group, n, kind, ident, measure, value), strict=True))
        )

    total = results.respondents
    for kind, ident, measure, value in _figure_rows(
        results.overall, results.dimensions, results.items, results.outcomes
    ):
        add(ALL, ALL, total, kind, ident, measure, value)
    if results.drivers is not None:
        for driver in [*results.drivers.dimensions, *results.drivers.items]:
            for measure in ("weight", "weight_low", "weight_high", "r", "n", "focus"):
                add(
                    ALL,
                    ALL,
                    total,
                    f"driver of {results.drivers.outcome}",
                    driver.id,
                    measure,
                    getattr(driver, measure),
                )
    for rec in results.recommendations:
        target = rec.dimension or rec.item or ""
        for measure, value in (
            ("priority", rec.priority),
            ("title", rec.title),
            ("for", target),
            ("score", rec.score),
            ("below", rec.below),
        ):
            add(ALL, ALL, total, "recommendation", rec.id, measure, value)
    for group in results.groups:
        add(group.segment, group.value, group.n, "group", "", "n", group.n)
        if group.suppressed:
            add(group.segment, group.value, group.n, "group", "", "suppressed", True)
            add(group.segment, group.value, group.n, "group", "", "hidden_why", group.hidden_why)
            continue
        for kind, ident, measure, value in _figure_rows(
            group.overall, group.dimensions, group.items, group.outcomes
        ):
            add(group.segment, group.value, group.n, kind, ident, measure, value)
    if comparison is not None:
        for segment, group_value, n, change in _change_entries(comparison):
            ident = "" if change.kind == "overall" else change.id
            for measure, value in zip(CHANGE_MEASURES, _change_values(change), strict=True):
                add(segment, group_value, n, f"change of {change.kind}", ident, measure, value)
    return rows


def csv_text(results: Results, comparison: Comparison | None = None) -> str:
    """The tidy CSV text (UTF-8; written with a byte-order mark so Excel reads accents)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(TIDY_COLUMNS)
    for row in tidy_rows(results, comparison):
        writer.writerow([_csv_value(row[c]) for c in TIDY_COLUMNS])
    return buffer.getvalue()


def _csv_value(value: Cell) -> Cell:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(round(value, 10))
    return safe_cell(value)


def write_csv(results: Results, path: str | Path, comparison: Comparison | None = None) -> Path:
    """Write the tidy CSV atomically."""
    from cxassess.outputs.files import write_bytes_atomic

    text = csv_text(results, comparison)
    return write_bytes_atomic(path, b"\xef\xbb\xbf" + text.encode("utf-8"))


def sheets(
    results: Results, comparison: Comparison | None = None
) -> dict[str, tuple[list[str], list[list[Cell]]]]:
    """The workbook's sheets as (header, rows), in order; suppressed groups keep only n."""
    dims = [d.id for d in results.dimensions]
    found: dict[str, tuple[list[str], list[list[Cell]]]] = {}
    overall = results.overall
    found["Summary"] = (
        ["measure", "value"],
        [
            [
                "questionnaire",
                f"{results.questionnaire.title} ({results.questionnaire.id} "
                f"{results.questionnaire.version})",
            ],
            ["respondents", results.respondents],
            ["overall score", overall.score],
            ["overall level", _level_title(results, overall.level)],
            ["min group size", results.min_group_size],
            ["generated", results.generated],
            *[
                ["source", f"{s.file} ({s.rows} rows, sha256 {s.sha256[:12]})"]
                for s in results.sources
            ],
            *[["note", note] for note in results.notes],
        ],
    )
    found["Dimensions"] = (
        ["id", "title", "score", "level", "n", "sd", "alpha", "alpha n", "weight"],
        [
            [
                d.id,
                d.title,
                d.score,
                _level_title(results, d.level),
                d.n,
                d.sd,
                d.alpha,
                d.alpha_n,
                d.weight,
            ]
            for d in results.dimensions
        ],
    )
    item_header = [
        "id",
        "dimension",
        "text",
        "reverse",
        "n",
        "mean",
        "score",
        "sd",
        "favorable %",
        "neutral %",
        "unfavorable %",
    ]
    values = sorted({v for i in results.items for v in i.distribution}, key=float)
    found["Items"] = (
        item_header + [f"answered {v}" for v in values],
        [
            [
                i.id,
                i.dimension,
                i.text,
                i.reverse,
                i.n,
                i.mean,
                i.score,
                i.sd,
                i.favorable,
                i.neutral,
                i.unfavorable,
                *[i.distribution.get(v) for v in values],
            ]
            for i in results.items
        ],
    )
    if results.outcomes:
        found["Outcomes"] = (
            ["id", "text", "n", "mean", "nps", "promoters %", "passives %", "detractors %"],
            [
                [o.id, o.text, o.n, o.mean, o.nps, o.promoters, o.passives, o.detractors]
                for o in results.outcomes
            ],
        )
    if results.drivers is not None:
        found["Drivers"] = (
            list(DRIVER_COLUMNS),
            [
                [
                    d.kind,
                    d.id,
                    d.title,
                    d.weight,
                    d.weight_low,
                    d.weight_high,
                    d.r,
                    d.n,
                    d.score,
                    d.focus,
                ]
                for d in [*results.drivers.dimensions, *results.drivers.items]
            ],
        )
    if results.groups:
        group_rows: list[list[Cell]] = []
        for g in results.groups:
            if g.suppressed:
                group_rows.append(
                    [
                        g.segment,
                        g.value,
                        g.n,
                        f"hidden: {g.hidden_why or 'too few respondents'}",
                    ]
                )
                continue
            scores = {d.id: d.score for d in g.dimensions}
            group_rows.append(
                [
                    g.segment,
                    g.value,
                    g.n,
                    "",
                    g.overall.score if g.overall else None,
                    *[scores.get(d) for d in dims],
                ]
            )
        found["Groups"] = (["segment", "group", "n", "note", "overall", *dims], group_rows)
    found["Recommendations"] = (
        ["priority", "title", "for", "score", "below", "why", "actions"],
        [
            [
                r.priority,
                r.title,
                r.dimension or r.item,
                r.score,
                r.below,
                r.why,
                "\n".join(r.actions),
            ]
            for r in results.recommendations
        ],
    )
    comment_rows: list[list[Cell]] = [
        [ALL, ALL, c.id, answer] for c in results.comments for answer in c.answers
    ]
    for g in results.groups:
        if not g.suppressed:
            comment_rows += [[g.segment, g.value, c.id, a] for c in g.comments for a in c.answers]
    found["Comments"] = (["segment", "group", "question", "answer"], comment_rows)
    if comparison is not None:
        found["Change"] = (
            ["segment", "group", "kind", "id", "title", "previous", "current", "change",
             "95% low", "95% high", "beyond the noise"],
            [
                [segment, group, change.kind, change.id, change.title,
                 *_change_values(change)]
                for segment, group, _n, change in _change_entries(comparison)
            ],
        )  # fmt: skip
    rows = [list(r.values()) for r in tidy_rows(results, comparison)]
    found["Data"] = (list(TIDY_COLUMNS), rows)
    return found


def _level_title(results: Results, level: str | None) -> str | None:
    info = results.level(level)
    return info.title if info else level


def xlsx_bytes(results: Results, comparison: Comparison | None = None) -> bytes:
    """The results workbook: a sheet per part, then the tidy `Data` sheet."""
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    bold = workbook.add_format({"bold": True, "bottom": 1})
    number = workbook.add_format({"num_format": "0.0#"})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    for name, (header, rows) in sheets(results, comparison).items():
        sheet = workbook.add_worksheet(name)
        sheet.write_row(0, 0, header, bold)
        sheet.freeze_panes(1, 0)
        widths = [len(h) + 2 for h in header]
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                _write(sheet, r, c, value, number, wrap)
                if c < len(widths):
                    widths[c] = min(60, max(widths[c], len(str(value or "")) + 2))
        for c, width in enumerate(widths):
            sheet.set_column(c, c, width)
    workbook.close()
    return buffer.getvalue()


def _write(sheet: Any, row: int, column: int, value: Cell, number: Any, wrap: Any) -> None:
    if value is None:
        return
    if isinstance(value, bool):
        sheet.write_boolean(row, column, value)
    elif isinstance(value, int | float):
        sheet.write_number(row, column, value, number if isinstance(value, float) else None)
    else:
        text = fit_cell(str(safe_cell(value)))
        sheet.write_string(row, column, text, wrap if "\n" in text else None)


XLSX_CELL_CHARS = 32_767
"""The most characters an Excel cell holds."""


def fit_cell(text: str) -> str:
    """Text for one workbook cell: whole when it fits, else cut with a note at its end saying
    so (the JSON results keep every character; the CSV results hold no comments)."""
    if len(text) <= XLSX_CELL_CHARS:
        return text
    note = (
        f" [cut: this text has {len(text):,} characters, more than an Excel cell holds; "
        "the JSON results (-o results.json) keep it whole]"
    )
    return text[: XLSX_CELL_CHARS - len(note)] + note


def write_xlsx(results: Results, path: str | Path, comparison: Comparison | None = None) -> Path:
    """Write the results workbook atomically."""
    from cxassess.outputs.files import write_bytes_atomic

    return write_bytes_atomic(path, xlsx_bytes(results, comparison))
