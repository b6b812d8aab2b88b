"""`Results` as an Excel workbook (`results.xlsx`): a sheet per part of the results, then the
tidy *Data* sheet (the rows of `results.csv`).

Made for reading and for analysis in Excel: every sheet is an Excel table with a filter on
each column (named like its sheet, so `=Items[score]` works in a formula); shares are stored as
fractions shown as percentages (`0%`), scores and other points on the 0-100 scale with one
decimal (`0.0`), means, alphas and correlations with two (`0.00`). The number stored is the
full figure; only its display is rounded. The *Data* sheet keeps the CSV's units (shares in
percent, 0-100) so that the two files agree. Text cells are protected against formulas as in
`tables`.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from cxassess.outputs.tables import (
    ALL,
    TIDY_COLUMNS,
    Cell,
    change_entries,
    change_values,
    safe_cell,
    tidy_rows,
)
from cxassess.results import Results

if TYPE_CHECKING:
    from cxassess.compare import Comparison

Shown = Literal["text", "count", "points", "share", "mean"]
"""How a column's numbers are shown: as Excel shows them (`text`, also for words), whole
numbers (`count`), points with one decimal (`points`), a fraction as a percentage (`share`),
or two decimals (`mean`: means, alphas, correlations)."""

NUMBER_FORMATS: dict[Shown, str] = {"count": "0", "points": "0.0", "share": "0%", "mean": "0.00"}


@dataclass(frozen=True)
class Sheet:
    """One sheet: its columns (header and how numbers are shown) and its rows. `shown_by_row`
    overrides the column's format for a sheet whose rows differ in kind (*Summary*)."""

    columns: list[tuple[str, Shown]]
    rows: list[list[Cell]]
    shown_by_row: dict[int, Shown] = field(default_factory=dict)

    @property
    def header(self) -> list[str]:
        """The column headers."""
        return [name for name, _ in self.columns]


def _share(percent: float | None) -> float | None:
    """A percentage of the results (0-100) as the fraction Excel formats with `0%`."""
    return None if percent is None else percent / 100


def sheets(results: Results, comparison: Comparison | None = None) -> dict[str, Sheet]:
    """The workbook's sheets by name, in order; suppressed groups keep only n."""
    found: dict[str, Sheet] = {"Summary": _summary(results)}
    found["Dimensions"] = Sheet(
        [("id", "text"), ("title", "text"), ("score", "points"), ("level", "text"),
         ("n", "count"), ("sd", "points"), ("alpha", "mean"), ("alpha n", "count"),
         ("weight", "text")],
        [[d.id, d.title, d.score, _level_title(results, d.level), d.n, d.sd, d.alpha,
          d.alpha_n, d.weight] for d in results.dimensions],
    )  # fmt: skip
    values = sorted({v for i in results.items for v in i.distribution}, key=float)
    found["Items"] = Sheet(
        [("id", "text"), ("dimension", "text"), ("text", "text"), ("reverse", "text"),
         ("n", "count"), ("mean", "mean"), ("score", "points"), ("sd", "points"),
         ("favourable", "share"), ("neutral", "share"), ("unfavourable", "share"),
         ("don't know", "count"), ("does not apply", "count"),
         *[(f"answered {v}", "count") for v in values]],
        [[i.id, i.dimension, i.text, i.reverse, i.n, i.mean, i.score, i.sd,
          _share(i.favorable), _share(i.neutral), _share(i.unfavorable),
          i.dont_know, i.not_applicable,
          *[i.distribution.get(v) for v in values]] for i in results.items],
    )  # fmt: skip
    if results.outcomes:
        found["Outcomes"] = Sheet(
            [("id", "text"), ("text", "text"), ("n", "count"), ("mean", "mean"),
             ("score", "points"), ("favourable", "share"), ("nps", "points"),
             ("promoters", "share"), ("passives", "share"), ("detractors", "share")],
            [[o.id, o.text, o.n, o.mean, o.score, _share(o.favorable), o.nps,
              _share(o.promoters), _share(o.passives), _share(o.detractors)]
             for o in results.outcomes],
        )  # fmt: skip
    if results.drivers is not None:
        outcome = results.drivers.outcome
        found["Drivers"] = Sheet(
            [("outcome", "text"), ("kind", "text"), ("id", "text"), ("title", "text"),
             ("weight", "mean"), ("weight low", "mean"), ("weight high", "mean"),
             ("r", "mean"), ("n", "count"), ("score", "points"), ("focus area", "text")],
            [[outcome, d.kind, d.id, d.title, d.weight, d.weight_low, d.weight_high,
              d.r, d.n, d.score, d.focus]
             for d in [*results.drivers.dimensions, *results.drivers.items]],
        )  # fmt: skip
    if results.groups:
        found["Groups"] = _groups(results)
    found["Recommendations"] = Sheet(
        [("priority", "text"), ("title", "text"), ("for", "text"), ("score", "points"),
         ("below", "points"), ("why", "text"), ("actions", "text")],
        [[r.priority, r.title, r.dimension or r.item, r.score, r.below, r.why,
          "\n".join(r.actions)] for r in results.recommendations],
    )  # fmt: skip
    comment_rows: list[list[Cell]] = [
        [ALL, ALL, c.id, answer] for c in results.comments for answer in c.answers
    ]
    for g in results.groups:
        if not g.suppressed:
            comment_rows += [[g.segment, g.value, c.id, a] for c in g.comments for a in c.answers]
    found["Comments"] = Sheet(
        [("segment", "text"), ("group", "text"), ("question", "text"), ("answer", "text")],
        comment_rows,
    )
    if comparison is not None:
        found["Change"] = Sheet(
            [("segment", "text"), ("group", "text"), ("kind", "text"), ("id", "text"),
             ("title", "text"), ("previous", "points"), ("current", "points"),
             ("change", "points"), ("95% low", "points"), ("95% high", "points"),
             ("beyond the noise", "text")],
            [[segment, group, change.kind, change.id, change.title, *change_values(change)]
             for segment, group, _n, change in change_entries(comparison)],
        )  # fmt: skip
    found["Data"] = Sheet(
        [(c, "count" if c == "n" else "text") for c in TIDY_COLUMNS],
        [list(r.values()) for r in tidy_rows(results, comparison)],
    )
    return found


def _summary(results: Results) -> Sheet:
    q = results.questionnaire
    rows: list[list[Cell]] = [
        ["questionnaire", f"{q.title} ({q.id} {q.version})"],
        ["respondents", results.respondents],
        ["overall score", results.overall.score],
        ["overall level", _level_title(results, results.overall.level)],
        ["min group size", results.min_group_size],
        ["generated", results.generated],
        *[["source", f"{s.file} ({s.rows} rows, sha256 {s.sha256[:12]})"] for s in results.sources],
        *[["note", note] for note in results.notes],
    ]
    return Sheet([("measure", "text"), ("value", "text")], rows, {2: "points"})


def _groups(results: Results) -> Sheet:
    dims = [d.id for d in results.dimensions]
    rows: list[list[Cell]] = []
    for g in results.groups:
        if g.suppressed:
            rows.append(
                [g.segment, g.value, g.n, f"hidden: {g.hidden_why or 'too few respondents'}"]
            )
            continue
        scores = {d.id: d.score for d in g.dimensions}
        overall = g.overall.score if g.overall else None
        rows.append([g.segment, g.value, g.n, "", overall, *[scores.get(d) for d in dims]])
    columns: list[tuple[str, Shown]] = [
        ("segment", "text"), ("group", "text"), ("n", "count"), ("note", "text"),
        ("overall", "points"), *[(d, "points") for d in dims],
    ]  # fmt: skip
    return Sheet(columns, rows)


def _level_title(results: Results, level: str | None) -> str | None:
    info = results.level(level)
    return info.title if info else level


def table_headers(header: list[str]) -> list[str]:
    """Column headers an Excel table accepts: text, safe from formulas, and unique ignoring
    case (a dimension called `N` beside the column `n` becomes `N (2)`)."""
    seen: set[str] = set()
    unique: list[str] = []
    for name in header:
        text = str(safe_cell(name)) or "column"
        candidate, count = text, 1
        while candidate.casefold() in seen:
            count += 1
            candidate = f"{text} ({count})"
        seen.add(candidate.casefold())
        unique.append(candidate)
    return unique


def xlsx_bytes(results: Results, comparison: Comparison | None = None) -> bytes:
    """The results workbook: a sheet per part, then the tidy `Data` sheet, each an Excel
    table with filters and number formats (see the module docstring)."""
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
    formats = {
        shown: workbook.add_format({"num_format": code}) for shown, code in NUMBER_FORMATS.items()
    }
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    for name, sheet in sheets(results, comparison).items():
        worksheet = workbook.add_worksheet(name)
        headers = table_headers(sheet.header)
        widths = [len(h) + 4 for h in headers]
        for r, row in enumerate(sheet.rows, start=1):
            for c, value in enumerate(row):
                shown = sheet.shown_by_row.get(r - 1, sheet.columns[c][1])
                _write(worksheet, r, c, value, formats.get(shown), wrap)
                shown_width = 8 if isinstance(value, float) else len(str(value or "")) + 2
                widths[c] = min(60, max(widths[c], shown_width))  # a float shows rounded
        # a table needs a row below its headers: an empty sheet gets an empty one
        last_row = max(len(sheet.rows), 1)
        worksheet.add_table(
            0,
            0,
            last_row,
            len(headers) - 1,
            {
                "name": name,
                "columns": [{"header": h} for h in headers],
                "style": "Table Style Light 1",
            },
        )
        worksheet.freeze_panes(1, 0)
        for c, width in enumerate(widths):
            worksheet.set_column(c, c, width)
    workbook.close()
    return buffer.getvalue()


def _write(sheet: Any, row: int, column: int, value: Cell, number: Any, wrap: Any) -> None:
    if value is None:
        return
    if isinstance(value, bool):
        sheet.write_boolean(row, column, value)
    elif isinstance(value, int | float):
        sheet.write_number(row, column, value, number)
    else:
        text = fit_cell(str(safe_cell(value)))
        sheet.write_string(row, column, text, wrap if "\n" in text else None)


XLSX_CELL_CHARS = 32_767
"""The most characters an Excel cell holds."""


def fit_cell(text: str) -> str:
    """Text for one workbook cell: whole when it fits, else cut with a note at its end saying
    so (the JSON results keep every character)."""
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
