"""`Results` in the terminal: a few Rich tables a service leader can read at a glance.

Overall index, dimensions (score, level, n, alpha), items (mean, score, favourable shares),
outcomes (NPS), focus areas from the driver analysis, one table per segment (a group hidden for
anonymity shows its n and nothing else), the recommendations that fire, and notes. With a
comparison (`--compare`), a change column beside the overall index, dimensions, items and
outcomes: an arrow (▲ ▼) only where the change is larger than its noise.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from cxassess.errors import Problem
from cxassess.results import GroupResult, ItemResult, Results

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.table import Table
    from rich.text import Text

    from cxassess.compare import Change, Comparison

BAR_WIDTH = 10
SHORT_SHARES = ("fav.", "neutral", "unfav.")
"""Share headings in narrow terminals and beside a change column, so the table fits."""


def _number(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}%"


def bar(score: float | None, width: int = BAR_WIDTH) -> str:
    """A 0-100 score as a bar of block characters, e.g. `██████░░░░` for 60."""
    if score is None:
        return ""
    filled = round(max(0.0, min(100.0, score)) / 100 * width)
    return "█" * filled + "░" * (width - filled)


def change_cell(change: Change | None, digits: int = 1) -> str:
    """A change as Rich markup: `[bold]▲ +7.0[/]` beyond the noise, `[dim]+1.3[/]` within
    it, `[dim]-[/]` without a figure to compare."""
    if change is None or change.change is None:
        return "[dim]-[/]"
    text = f"{change.change:+.{digits}f}"
    if not change.marked:
        return f"[dim]{text}[/]"
    arrow = "▲" if change.direction == "up" else "▼"
    style = "bold green" if change.direction == "up" else "bold red"
    return f"[{style}]{arrow} {text}[/]"


def _changes(comparison: Comparison | None, kind: str) -> dict[str, Change]:
    if comparison is None:
        return {}
    pool = comparison.dimensions if kind == "dimension" else comparison.items
    if kind in ("outcome", "nps"):
        pool = comparison.outcomes
    return {c.id: c for c in pool if c.kind == kind}


def _plain(value: object) -> str:
    """Text from the questionnaire, the data or a file, made safe to print as Rich markup
    (a team called `Ops [/] x` is printed as it is, not read as markup) with its control
    characters shown as `\\x1b` rather than sent to the terminal."""
    from cxassess.visible import visible

    return visible(value)


def visible_text(value: object) -> str:
    """Text from a file with its control characters shown (`\\x1b`), for a `Text` object,
    which Rich does not read as markup."""
    from cxassess.visible import visible

    return visible(value).replace("\\[", "[")


def _level_title(results: Results, level: str | None) -> str:
    info = results.level(level)
    return info.title if info else (level or "-")


def _level(results: Results, level: str | None) -> str:
    """The level's title as Rich markup, for a table cell."""
    return _plain(_level_title(results, level))


NARROW = 100
"""Below this many columns the tables drop their outer margins, and the items table puts each
item's text on a line of its own and uses the shortest share headings."""
NARROW_SHARES = ("fav.", "neut.", "unfav.")
BAR_FROM = 70
"""Below this many columns the dimensions table leaves out its bar (the score is beside it)."""


def _table(
    title: str,
    *columns: str,
    right: tuple[int, ...] = (),
    change: bool = False,
    narrow: bool = False,
) -> Table:
    from rich import box
    from rich.table import Table

    # narrow: no outer margins and one space between columns, so 60 columns hold the figures
    compact = {"show_edge": False, "pad_edge": False, "collapse_padding": True} if narrow else {}
    table = Table(
        title=title, title_justify="left", box=box.SIMPLE_HEAD, title_style="bold", **compact
    )
    for index, column in enumerate(columns):
        if index in right:  # figures are never broken across lines
            table.add_column(column, justify="right", no_wrap=True)
        else:
            table.add_column(column, justify="left")
    if change:
        table.add_column("change", justify="right", min_width=8, no_wrap=True)
    return table


class _ByWidth:
    """A table built when it is printed, for the console's width at that moment, so that one
    `results_view` reads well at 60, 80 or 120 columns."""

    def __init__(self, build: Callable[[int], Table]):
        self._build = build

    def __rich_console__(self, console: Any, options: Any) -> Any:
        yield self._build(options.max_width)


def _dimensions(results: Results, comparison: Comparison | None, width: int = 120) -> Table:
    narrow = width < NARROW
    with_bar = width >= BAR_FROM
    table = _table(
        "Dimensions",
        "dimension",
        "score",
        *([""] if with_bar else []),
        "level",
        "n",
        "alpha",
        right=(1, 3 + with_bar, 4 + with_bar),
        change=comparison is not None,
        narrow=narrow,
    )
    table.columns[2 + with_bar].no_wrap = True  # level names are shown whole, never cut
    if with_bar:
        table.columns[2].no_wrap = True
    changes = _changes(comparison, "dimension")
    for dim in results.dimensions:
        cells = [
            _plain(dim.title or dim.id),
            _number(dim.score),
            *([bar(dim.score)] if with_bar else []),
            _level(results, dim.level),
            str(dim.n),
            _number(dim.alpha, 2),
        ]
        if comparison is not None:
            cells.append(change_cell(changes.get(dim.id)))
        table.add_row(*cells)
    return table


def _item_name(item: ItemResult, narrow: bool, id_width: int = 0) -> Text:
    """The item's cell: its id, `(reversed)` beside it, and its text, on the same line when
    wide, on the next line when narrow; each line is cut with an ellipsis rather than
    wrapped, so that a row stays one item and "(reversed)" stays beside its id. Wide, the
    ids are padded to `id_width` so that the texts start in one column."""
    from rich.text import Text

    cell = Text(no_wrap=True, overflow="ellipsis")
    name = visible_text(item.id) + (" (reversed)" if item.reverse else "")
    cell.append(name)
    if item.text:
        cell.append("\n" if narrow else " " * (id_width - len(name) + 2))
        cell.append(visible_text(item.text), style="dim")
    return cell


def _items(results: Results, comparison: Comparison | None, width: int = 120) -> Table:
    narrow = width < NARROW
    short = narrow or comparison is not None
    table = _table(
        "Items",
        "item",
        "mean",
        "score",
        *(
            NARROW_SHARES
            if narrow
            else SHORT_SHARES
            if short
            else ("favourable", "neutral", "unfavourable")
        ),
        "n",
        right=(1, 2, 3, 4, 5, 6),
        change=comparison is not None,
        narrow=narrow,
    )
    changes = _changes(comparison, "item")
    first = table.columns[0]
    # the id and "(reversed)" stay readable however narrow the terminal
    id_width = max((len(i.id) + 11 * i.reverse for i in results.items), default=4)
    first.min_width = min(24, id_width)
    for item in results.items:
        cells = [
            _item_name(item, narrow, id_width),
            _number(item.mean, 2),
            _number(item.score),
            _share(item.favorable),
            _share(item.neutral),
            _share(item.unfavorable),
            str(item.n),
        ]
        if comparison is not None:
            cells.append(change_cell(changes.get(item.id)))
        table.add_row(*cells)
    return table


def _outcomes(results: Results, comparison: Comparison | None) -> Table:
    audience = results.questionnaire.audience
    title = (
        "Outcomes"
        if audience in ("customer", "")
        else f"Outcomes (an NPS here is the {audience}'s answer, not a customer score)"
    )
    table = _table(
        title,
        "question",
        "NPS",
        "promoters",
        "passives",
        "detractors",
        "mean",
        "n",
        right=(1, 2, 3, 4, 5, 6),
        change=comparison is not None,
    )
    nps, scores = _changes(comparison, "nps"), _changes(comparison, "outcome")
    for outcome in results.outcomes:
        cells = [
            _plain(outcome.id),
            _number(outcome.nps, 0),
            _share(outcome.promoters),
            _share(outcome.passives),
            _share(outcome.detractors),
            _number(outcome.mean, 2),
            str(outcome.n),
        ]
        if comparison is not None:
            if outcome.nps is not None:
                cells.append(change_cell(nps.get(outcome.id), 0) + " [dim](NPS)[/]")
            else:
                cells.append(change_cell(scores.get(outcome.id)) + " [dim](score)[/]")
        table.add_row(*cells)
    return table


def _focus(results: Results) -> Table | None:
    drivers = results.drivers
    if drivers is None:
        return None
    focus = [d for d in [*drivers.dimensions, *drivers.items] if d.focus]
    if not focus:
        return None
    weighted = drivers.method != ""
    table = _table(
        f"Focus areas: above the median importance to {_plain(drivers.outcome)}, "
        "below the median score",
        "kind",
        "id",
        "weight %" if weighted else "r",
        "score",
        right=(2, 3),
    )
    for driver in focus:
        table.add_row(
            _plain(driver.kind),
            _plain(driver.id),
            _number(None if driver.weight is None else driver.weight * 100, 1)
            if weighted
            else _number(driver.r, 2),
            _number(driver.score),
        )
    return table


def _segment(results: Results, segment: str, groups: list[GroupResult]) -> Table:
    dims = results.dimensions
    table = _table(
        f"By {_plain(segment)}",
        "group",
        "n",
        "overall",
        *[_plain(d.title or d.id) for d in dims],
        right=tuple(range(1, 3 + len(dims))),
    )
    for group in groups:
        if group.suppressed:
            table.add_row(_plain(group.value), str(group.n), "[dim]hidden[/]", *["" for _ in dims])
            reasons = [
                f"{g.value}: {g.hidden_why}" for g in groups if g.suppressed and g.hidden_why
            ]
            table.caption = _plain("hidden: " + ("; ".join(reasons) or "too few respondents"))
            continue
        scores = {d.id: d.score for d in group.dimensions}
        table.add_row(
            _plain(group.value),
            str(group.n),
            _number(group.overall.score if group.overall else None),
            *[_number(scores.get(d.id)) for d in dims],
        )
    return table


def _recommendations(results: Results) -> Table:
    table = _table("Recommendations", "priority", "what to do", "because", right=())
    for rec in results.recommendations:
        subject = rec.dimension or rec.item or ""
        table.add_row(
            _plain(rec.priority),
            _plain(rec.title),
            f"{_plain(subject)} {_number(rec.score)} is below {rec.below:g}",
        )
    return table


def _since(comparison: Comparison) -> str:
    return _plain(comparison.previous.generated[:10] or "the previous results")


def _change_head(comparison: Comparison) -> str:
    """The overall index's change, for the line under the overall index (Rich markup)."""
    overall = comparison.overall
    reading = (
        "beyond the noise"
        if overall.marked
        else "within the noise"
        if overall.ci_low is not None
        else "too few answers to judge the noise"
    )
    return (
        f"\nChange since {_since(comparison)} "
        f"({comparison.previous.respondents:,} respondent(s) then): "
        f"{change_cell(overall)} ({reading})"
    )


def results_view(results: Results, comparison: Comparison | None = None) -> RenderableType:
    """Every part of the results as one Rich renderable; with a `comparison`, the change of
    each figure since the previous results, marked only where larger than its noise."""
    from rich.console import Group
    from rich.text import Text

    from cxassess.visible import visible

    overall = results.overall
    files = len(results.sources)
    head = Text.assemble(
        (results.questionnaire.title or results.questionnaire.id, "bold"),
        f"  {results.questionnaire.id} {results.questionnaire.version}  ·  "
        f"{results.respondents:,} respondent(s) from {files} file(s)\n",
        ("Overall index ", "bold"),
        (_number(overall.score), "bold"),
        f"  {bar(overall.score)}  {_level_title(results, overall.level)}  (n={overall.n:,})",
    )
    if comparison is not None:
        head.append_text(Text.from_markup(_change_head(comparison)))
    parts: list[RenderableType] = [
        head,
        _ByWidth(lambda width: _dimensions(results, comparison, width)),
        _ByWidth(lambda width: _items(results, comparison, width)),
    ]
    if results.outcomes:
        parts.append(_outcomes(results, comparison))
    focus = _focus(results)
    if focus is not None:
        parts.append(focus)
    segments: dict[str, list[GroupResult]] = {}
    for group in results.groups:
        segments.setdefault(group.segment, []).append(group)
    parts += [_segment(results, name, groups) for name, groups in segments.items()]
    if results.recommendations:
        parts.append(_recommendations(results))
    answered = sum(len(c.answers) for c in results.comments)
    if answered:
        parts.append(Text(f"{answered} comment(s): write -o results.json or .xlsx to read them."))
    for note in results.notes:
        parts.append(Text.from_markup(f"[dim]note:[/] {visible(note)}"))
    if comparison is not None:
        parts.append(
            Text.from_markup(
                f"[dim]change:[/] since {_since(comparison)}; ▲ or ▼ marks a change larger "
                "than its noise (its 95% interval excludes zero), other changes are within it"
            )
        )
        for note in comparison.notes:
            parts.append(Text.from_markup(f"[dim]note:[/] {visible(note)}"))
    return Group(*parts)


LISTED_PROBLEMS = 20


def problem_lines(problems: list[Problem], limit: int = LISTED_PROBLEMS) -> list[str]:
    """What reading met, as lines for stderr: each file-level warning, then the number of
    unreadable cells and the first `limit` of them (Rich markup, already escaped)."""
    from cxassess.inputs.columns import cell_count
    from cxassess.visible import visible

    lines: list[str] = []
    cells = [p for p in problems if p.location.column is not None and p.severity == "error"]
    for problem in problems:
        if problem in cells:
            continue
        lines.append(f"[yellow]warning:[/] {visible(problem)}")
    count = cell_count(cells)
    if count:
        listed = cells[:limit]  # a column's many bad cells are one problem with their count
        shown = cell_count(listed)
        lines.append(
            f"[yellow]warning:[/] {count:,} answer(s) could not be read and were counted as "
            + ("missing; the first " + str(shown) + ":" if count > shown else "missing:")
        )
        lines += [f"  {visible(p)}" for p in listed]
        if count > shown:
            lines.append(f"  ... and {count - shown:,} more")
        lines.append(
            "  [dim]fix them in the file, map odd labels with --map, "
            "or use --strict to stop at the first[/]"
        )
    return lines
