"""The perception gap as Rich tables for the terminal: dimensions, the largest item gaps,
outcomes, groups, and what to do about it. Status words are printed as text, so the tables
read the same without colour."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cxassess import rounding
from cxassess.gap.model import GapResults, GapRow

if TYPE_CHECKING:
    from rich.console import RenderableType

    from cxassess.compare import Change

STATUS_WORDS = {
    "blind-spot": "blind spot",
    "staff-higher": "staff higher",
    "aligned": "no clear gap",
    "hidden-strength": "hidden strength",
    "too-few": "too few answers",
}
STATUS_STYLES = {"blind-spot": "bold red", "hidden-strength": "bold green", "too-few": "dim"}
ITEMS_SHOWN = 10


def signed(value: float | None, digits: int = 1) -> str:
    """A number with its sign (`+12.4`, `−3.0`), or an en dash when unknown: the one rounding
    helper of the reports, with one decimal by default as the terminal prints gaps."""
    return rounding.signed(value, digits)


def plain(value: float | None, digits: int = 1) -> str:
    """A number without sign, or an en dash when unknown."""
    return "–" if value is None else f"{value:.{digits}f}"


def interval(row: GapRow | Change, digits: int = 1) -> str:
    """`+9.2 to +15.6`, or an en dash without an interval."""
    if row.ci_low is None or row.ci_high is None:
        return "–"
    return f"{signed(row.ci_low, digits)} to {signed(row.ci_high, digits)}"


def _status(row: GapRow) -> str:
    word = STATUS_WORDS[row.status]
    style = STATUS_STYLES.get(row.status)
    return f"[{style}]{word}[/]" if style else word


def change_word(change: Change | None) -> str:
    """`narrowed` or `widened` for a gap change larger than its noise, else an empty string."""
    if change is None or not change.marked or change.previous is None or change.current is None:
        return ""
    return "narrowed" if abs(change.current) < abs(change.previous) else "widened"


def _change_text(change: Change | None) -> str:
    if change is None or change.change is None:
        return "–"
    word = change_word(change)
    return f"{signed(change.change)} {word}" if word else signed(change.change)


NARROW = 100
"""Below this many columns the gap tables drop their margins and let the first column shrink,
so that the figures, which are never cut, still fit 60 columns."""


class _ByWidth:
    """A table built when printed, for the width of the console printing it."""

    def __init__(self, build: Any):
        self._build = build

    def __rich_console__(self, console: Any, options: Any) -> Any:
        yield self._build(options.max_width)


def _table(title: str, first: str, with_change: bool, width: int = NARROW) -> Any:
    from rich import box
    from rich.table import Table

    narrow = width < NARROW
    compact = {"show_edge": False, "collapse_padding": True} if narrow else {}
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, **compact)
    table.add_column(first, overflow="fold", ratio=1, min_width=10 if narrow else 22)
    for name in ("staff", "cust.", "gap", "95% interval"):
        table.add_column(name, justify="right", no_wrap=True)
    table.add_column("reading", no_wrap=True)
    if with_change:
        table.add_column("gap change", justify="right", no_wrap=True)
    return table


def _row_cells(row: GapRow) -> list[str]:
    shown = (
        None
        if row.staff is None or row.customer is None
        else rounding.difference(row.staff, row.customer, 1)
    )
    return [plain(row.staff), plain(row.customer), signed(shown), interval(row), _status(row)]


def _dimension_table(gap: GapResults, width: int = NARROW) -> Any:
    from cxassess.visible import visible as escape

    comparison = gap.comparison
    table = _table(
        "Dimensions (scores 0-100, gap = staff − customers)", "dimension", bool(comparison), width
    )
    changes = {c.id: c for c in comparison.dimensions} if comparison else {}
    for row in gap.dimensions:
        cells = [escape(row.title), *_row_cells(row)]
        if comparison:
            cells.append(_change_text(changes.get(row.id)))
        table.add_row(*cells)
    if gap.overall is not None:
        cells = ["[bold]Overall index[/]", *_row_cells(gap.overall)]
        if comparison:
            cells.append(_change_text(comparison.overall))
        table.add_row(*cells)
    return table


def _item_table(gap: GapResults, limit: int | None, width: int = NARROW) -> Any:
    from cxassess.visible import visible as escape

    comparison = gap.comparison
    shown = gap.items if limit is None else gap.items[:limit]
    title = (
        f"Largest item gaps ({len(shown)} of {len(gap.items)}; --all-items lists every one)"
        if len(shown) < len(gap.items)
        else "Item gaps"
    )
    table = _table(title, "item (staff wording)", bool(comparison), width)
    changes = {(c.id, c.dimension): c for c in comparison.items} if comparison else {}
    titles = {d.id: d.title for d in gap.dimensions}
    for row in shown:
        dimension = titles.get(row.dimension or "", row.dimension or "")
        text, _customer, disagree = row.wording()
        note = " · negatively worded: higher means fewer agree" if disagree else ""
        cells = [f"{escape(text)}\n[dim]{escape(dimension)}{note}[/]", *_row_cells(row)]
        if comparison:
            cells.append(_change_text(changes.get((row.id, row.dimension))))
        table.add_row(*cells)
    return table


def _outcome_lines(gap: GapResults) -> list[str]:
    from cxassess.visible import visible as escape

    lines = []
    for nps in gap.nps:
        clear = "clear of noise" if nps.clear else "within the noise"
        lines.append(
            f"NPS ({escape(nps.id)}): staff {signed(nps.staff, 0)}, customers "
            f"{signed(nps.customer, 0)}, gap {signed(nps.gap, 0)} "
            f"(95% interval {signed(nps.ci_low, 0)} to {signed(nps.ci_high, 0)}, {clear})"
        )
    return lines


def _group_tables(gap: GapResults) -> list[Any]:
    from rich import box
    from rich.table import Table

    from cxassess.visible import visible as escape

    dims = [(d.id, d.title) for d in gap.dimensions]
    tables = []
    for segment in dict.fromkeys(g.segment for g in gap.groups):
        groups = [g for g in gap.groups if g.segment == segment]
        side = groups[0].side
        against = {
            "both": "each group's staff against the same group's customers",
            "staff": "each group of staff against all customers",
            "customer": "all staff against each group of customers",
        }[side]
        table = Table(
            title=f"Gap by {escape(segment)}: {against} (• = clear of noise)",
            title_justify="left",
            box=box.SIMPLE_HEAD,
            pad_edge=False,
        )
        table.add_column(escape(segment), overflow="fold", min_width=10)
        table.add_column("staff n", justify="right")
        table.add_column("cust. n", justify="right")
        for _dim_id, title in dims:
            table.add_column(escape(title), justify="right", no_wrap=True)
        hidden: dict[str, list[str]] = {}
        for group in groups:
            cells = [escape(group.value), str(group.n_staff), str(group.n_customer)]
            if group.suppressed:
                # one short word per cell, the reason under the table: a long reason in a
                # cell that cannot wrap pushed the other columns off an 80-column screen
                why = group.hidden_why or "too few answers to show"
                hidden.setdefault(why, []).append(group.value)
                cells += ["[dim]hidden[/]"] * len(dims)
            else:
                by_id = {d.id: d for d in group.dimensions}
                for dim_id, _title in dims:
                    row = by_id.get(dim_id)
                    cells.append(
                        "–" if row is None else signed(row.gap) + (" •" if row.clear else "  ")
                    )
            table.add_row(*cells)
        if hidden:
            table.caption = "Hidden, to protect anonymity: " + "; ".join(
                f"{', '.join(escape(v) for v in values)} ({escape(why)})"
                for why, values in hidden.items()
            )
            table.caption_justify = "left"
        tables.append(table)
    return tables


def _highlight_line(label: str, style: str, what: str, highlights: list) -> str | None:
    from cxassess.visible import visible as escape

    if not highlights:
        return None
    dims = [h for h in highlights if h.kind == "dimension"]
    items = [h for h in highlights if h.kind == "item"]
    parts = [f"{escape(h.title)} ({signed(h.gap, 0)})" for h in dims]
    if items:
        parts.append(f"{len(items)} item{'s' if len(items) > 1 else ''} (see the item table)")
    return f"[{style}]{label}[/] ({what}): " + ", ".join(parts)


def gap_renderables(gap: GapResults, *, all_items: bool = False) -> list[RenderableType]:
    """Everything `cxassess gap` prints, in order, as Rich renderables."""
    from rich.padding import Padding
    from rich.text import Text

    from cxassess.visible import visible as escape

    head = (
        f"[bold]Experience perception gap[/]: {escape(gap.staff.title or gap.staff.questionnaire)}"
        f" ({gap.staff.respondents} staff) against "
        f"{escape(gap.customer.title or gap.customer.questionnaire)} "
        f"({gap.customer.respondents} customers)"
    )
    out: list[RenderableType] = [head, ""]
    out.append(_ByWidth(lambda width: _dimension_table(gap, width)))
    if gap.items:
        limit = None if all_items else ITEMS_SHOWN
        out.append(_ByWidth(lambda width: _item_table(gap, limit, width)))
    out += _outcome_lines(gap)
    out += _group_tables(gap)
    for line in (
        _highlight_line(
            "Blind spots", "bold red", "staff clearly above customers", gap.blind_spots
        ),
        _highlight_line(
            "Hidden strengths", "bold green", "customers clearly above staff", gap.hidden_strengths
        ),
    ):
        if line:
            out.append(line)
    if gap.recommendations:
        out.append("")
        out.append("[bold]What to do about the gap[/]")
        titles = {d.id: d.title for d in gap.dimensions}
        for number, rec in enumerate(gap.recommendations, 1):
            where = (
                f" ({escape(titles.get(rec.dimension, rec.dimension))})" if rec.dimension else ""
            )
            out.append(f" {number}. \\[{rec.priority}] {escape(rec.title)}{where}")
            if rec.actions:
                out.append(
                    Padding(Text(f"First step: {rec.actions[0]}", style="dim"), (0, 0, 0, 4))
                )
    if gap.comparison is not None:
        out.append(
            f"Gap change since {escape(gap.comparison.previous_generated[:10] or 'the last gap')}"
            ": current gap minus previous gap, in points; 'narrowed' or 'widened' only where the "
            "change is larger than its noise."
        )
    for note in [*gap.notes, *(gap.comparison.notes if gap.comparison else [])]:
        out.append(Text(f"note: {note}", style="dim"))
    return out
