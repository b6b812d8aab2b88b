"""Read a headcount file (`--headcounts teams.csv`): how many people each group has.

The file is untrusted like any export: read within bounds (`limits.read_input`, a small limit),
UTF-16/32 and Macintosh line ends recognised, quoting faults named by row and column. Its
first row names the breakdown in its first cell (`team,headcount`); every further row holds a
group's value and its headcount, a whole number. Every problem is collected (row, column,
what, how to fix) before the file is refused once.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from cxassess.errors import InputError, Location, Problem, ValidationError
from cxassess.inputs.limits import csv_error, csv_fault, mac_line_ends, read_input, sniff_text

MAX_HEADCOUNT_BYTES = 4 * 1024 * 1024
"""Largest headcount file read (4 MiB: far more than any organisation's list of teams)."""

MAX_HEADCOUNT_ROWS = 20_000
"""Most groups a headcount file may list."""

MAX_HEADCOUNT = 10_000_000
"""Largest headcount of one group."""

HINT = "each row holds a group's name and its number of people, e.g. `Stores,120`"


@dataclass(frozen=True)
class Headcounts:
    """The headcount of each group of one breakdown, with the row each came from."""

    file: str
    segment: str
    counts: dict[str, int] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    """The file's row (as a spreadsheet numbers it) of each group, for messages."""

    def location(self, value: str) -> Location:
        """Where a group's headcount is in the file (its count, column B)."""
        return Location(self.file, self.rows.get(value), 2)


def _text(path: Path) -> str:
    data = read_input(path, MAX_HEADCOUNT_BYTES)
    sniffed = sniff_text(path, data)
    if sniffed is None and data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:  # Excel's "Unicode Text" and many Windows tools write UTF-16 with a mark
            sniffed = (data.decode("utf-16").encode("utf-8"), "utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{path}: UTF-16 text damaged at byte {exc.start:,}",
                hint="save the headcount file again as CSV (UTF-8) from your spreadsheet",
            ) from None
    raw = mac_line_ends(sniffed[0] if sniffed else data)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path}: not UTF-8 text (byte {exc.start:,})",
            hint="save the headcount file as CSV (UTF-8) from your spreadsheet",
        ) from None


def _delimiter(first_line: str) -> str:
    counts = {sep: first_line.count(sep) for sep in (",", ";", "\t")}
    return max(counts, key=lambda sep: counts[sep]) if any(counts.values()) else ","


_WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")


def _count(cell: str) -> int | None:
    """A headcount written as a whole number (`120`, `1,200`, `120.0`), else None."""
    text = cell.strip().replace("\u00a0", "").replace(" ", "")
    if text.count(",") and text.replace(",", "").isdigit():
        text = text.replace(",", "")
    if text.endswith(".0"):
        text = text[:-2]
    # ASCII digits only, and few: `²`, `①` or a 5,000-digit number are not headcounts
    return int(text) if _WHOLE_NUMBER.fullmatch(text) else None


def read_headcounts(path: str | Path) -> Headcounts:
    """The headcounts of a CSV file whose first row names the breakdown (`team,headcount`).

    Refuses (`InputError`, exit 2) a file that is missing, too large, not CSV, empty, or has
    a row without a name, a headcount that is not a whole number from 1 up, or a group listed
    twice; every such row is named with its row and column."""
    path = Path(path)
    text = _text(path)
    first = text.split("\n", 1)[0]
    delimiter = _delimiter(first)
    shown = first.split(delimiter)
    if csv_fault(text.encode("utf-8"), delimiter) is not None:
        raise csv_error(path, text.encode("utf-8"), delimiter, shown, "bad quoting")
    try:
        table = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        raise csv_error(path, text.encode("utf-8"), delimiter, shown, str(exc)) from None
    numbered = [(n, row) for n, row in enumerate(table, start=1) if any(c.strip() for c in row)]
    if not numbered:
        raise InputError(
            f"{path}: the headcount file is empty",
            hint=f"start with a row such as `team,headcount`; {HINT}",
        )
    header_row, header = numbered[0]
    segment = header[0].strip()
    if not segment:
        raise InputError(
            "column A: the first row must name the breakdown (for example `team`)",
            hint="start the file with a row such as `team,headcount`",
            location=Location(str(path), header_row),
        )
    if len(numbered) - 1 > MAX_HEADCOUNT_ROWS:
        raise InputError(
            f"{path}: {len(numbered) - 1:,} groups; at most {MAX_HEADCOUNT_ROWS:,} are read",
            hint="give the headcounts of one breakdown only",
        )
    problems: list[Problem] = []
    counts: dict[str, int] = {}
    rows: dict[str, int] = {}
    for number, row in numbered[1:]:
        value = row[0].strip() if row else ""
        cell = row[1] if len(row) > 1 else ""
        where = Location(str(path), number, 1 if not value else 2)
        if not value:
            problems.append(Problem(where, "column A", "no group name", HINT))
            continue
        count = _count(cell)
        if count is None or not 1 <= count <= MAX_HEADCOUNT:
            shown = cell.strip()[:40] or "nothing"
            problems.append(
                Problem(
                    where,
                    f"column B ({value[:40]})",
                    f"the headcount is {shown!r}, not a whole number from 1 up",
                    "write the number of people in the group, e.g. 120",
                )
            )
            continue
        if value in counts:
            problems.append(
                Problem(
                    where,
                    f"column A ({value[:40]})",
                    f"listed twice (first on row {rows[value]})",
                    "keep one row per group",
                )
            )
            continue
        counts[value], rows[value] = count, number
    if problems:
        raise ValidationError(problems, f"headcount file {path}")
    if not counts:
        raise InputError(f"{path}: no headcounts below the first row", hint=HINT)
    return Headcounts(str(path), segment, counts, rows)
