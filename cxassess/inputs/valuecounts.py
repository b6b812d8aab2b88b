"""How many cells of each column hold each value, counted a batch at a time.

The conversion of an export (`columns.plan_conversion`) is decided from each column's distinct
values, and a segment's groups from how many cells hold each of its values. A text file read in
batches has them counted batch by batch: in a pass of their own before scoring, or beside a
scoring pass that started from the first batch's values (see `reader.BatchedRead.settled`), so
that a file whose first batch already shows every value is parsed once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

from cxassess.errors import Location, TooManyGroups

if TYPE_CHECKING:
    import polars as pl


class ValueCounts:
    """Per column of `names`, the distinct non-missing values (`value`) over the batches added
    so far and, for the columns `tallied` (all of them when None), how many cells hold each
    (`len`). Each batch's values are kept, and merged with those before once they hold as many
    rows as the merged ones, so that only the distinct values are kept and each is merged a
    few times, not once per batch. (A long (column, text) table counted by one streaming
    group-by took three times as long on a 20-million-row CSV; a `unique()` per column in one
    `select` is not streamed, and held every column of a 10-million-row file, 1.5 GB.)

    A column not tallied is only checked against the values merged so far, in one `select`
    for all such columns, and counted only in a batch where it holds a value not among them:
    a question's answers are a handful of values seen in the first batch, and checking them
    takes a fifth of the time of counting them.

    `limits` gives, for some columns (segments), the most different values they may hold:
    a batch that takes one past it raises `TooManyGroups`, so that a pass scoring the
    batches stops before it holds a group for every value."""

    def __init__(
        self,
        names: Iterable[str],
        limits: Mapping[str, int] | None = None,
        tallied: Iterable[str] | None = None,
    ) -> None:
        self.names = list(dict.fromkeys(names))
        self.limits = dict(limits or {})
        self.tallied = set(self.names if tallied is None else tallied)
        self._counted: dict[str, pl.DataFrame] = {}
        self._pending: dict[str, list[pl.DataFrame]] = {name: [] for name in self.names}
        self._lock = threading.Lock()
        self.batches = 0

    def add(self, batch: pl.DataFrame) -> None:
        """Count the values of one batch (which holds every column of `names`) too."""
        import polars as pl

        with self._lock:
            known = self._known(batch)
            names = [name for name in self.names if name not in known]
            queries = []
            for name in names:
                values = batch.lazy().select(pl.col(name).alias("value")).drop_nulls()
                if name in self.tallied:
                    queries.append(values.group_by("value").len())
                else:
                    queries.append(values.unique())
            for name, found in zip(names, pl.collect_all(queries), strict=True):
                self._pending[name].append(found)
            self._merge(lambda name: self._due(name) or self._past_limit(name))
            self.batches += 1
            for name, limit in self.limits.items():
                if name in self._counted and self._counted[name].height > limit:
                    self._refuse(name, limit)

    def _known(self, batch: pl.DataFrame) -> set[str]:
        """The columns not tallied whose every value in `batch` is among those merged."""
        import polars as pl

        checked = [
            name
            for name in self.names
            if name not in self.tallied
            and name in self._counted
            and self._counted[name].schema["value"] == batch.schema[name]
        ]
        if not checked:
            return set()
        row = batch.select(
            (
                pl.col(name).is_in(self._counted[name].get_column("value").implode())
                | pl.col(name).is_null()
            )
            .all()
            .alias(name)
            for name in checked
        ).row(0, named=True)
        return {name for name in checked if row[name]}

    def _held(self, name: str) -> int:
        """At most how many different values `name` has: the rows of its counts."""
        merged = self._counted.get(name)
        return (0 if merged is None else merged.height) + sum(f.height for f in self._pending[name])

    def _due(self, name: str) -> bool:
        merged = self._counted.get(name)
        pending = sum(f.height for f in self._pending[name])
        return pending > 0 and pending >= (0 if merged is None else merged.height)

    def _past_limit(self, name: str) -> bool:
        return name in self.limits and self._held(name) > self.limits[name]

    def _merge(self, wanted: Callable[[str], bool]) -> None:
        """Merge the pending counts of the columns `wanted` says."""
        import polars as pl

        names = [name for name in self.names if self._pending[name] and wanted(name)]
        queries = []
        for name in names:
            parts = self._pending[name]
            if name in self._counted:
                parts = [self._counted[name], *parts]
            if len(parts) == 1:
                queries.append(parts[0].lazy())
                continue
            merged = pl.concat([part.lazy() for part in parts])
            if name in self.tallied:
                queries.append(merged.group_by("value").agg(pl.col("len").sum()))
            else:
                queries.append(merged.unique())
        for name, merged in zip(names, pl.collect_all(queries), strict=True):
            self._counted[name] = merged
            self._pending[name] = []

    def _refuse(self, name: str, limit: int) -> None:
        raise too_many_groups(
            f"the segment '{name}' has more than {limit:,} different values", limit
        )

    def counted(self) -> dict[str, pl.DataFrame]:
        """Each column's values so far, with their counts (`len`) for a column tallied (an
        empty table for a column not seen)."""
        import polars as pl

        with self._lock:
            self._merge(lambda name: True)
            found = {}
            for name in self.names:
                schema = {"value": pl.String}
                if name in self.tallied:
                    schema["len"] = pl.UInt32
                found[name] = self._counted.get(name, pl.DataFrame(schema=schema))
            return found


def too_many_groups(what: str, limit: int, location: Location | None = None) -> TooManyGroups:
    """The refusal of a segment with more than `limit` different values, `what` saying how
    many and where."""
    return TooManyGroups(
        f"{what}; a segment groups people, and at most {limit:,} groups are scored",
        hint="give -g a column that groups people, such as a team or region, not an id or a "
        "free-text column",
        location=location,
    )


def count_values(
    batches: Iterable[pl.DataFrame], names: Iterable[str], tallied: Iterable[str] | None = None
) -> dict[str, pl.DataFrame]:
    """`ValueCounts` of every batch of `batches`, in one pass over them."""
    counts = ValueCounts(names, tallied=tallied)
    for batch in batches:
        counts.add(batch)
    return counts.counted()


__all__ = ["ValueCounts", "count_values", "too_many_groups"]
