"""Progress on standard error while a long command works: the step it is at, and a count
with its known total ("2/6 reports") where there is one.

Shown only when standard error is a terminal and -Q was not given: a pipe, a log file or CI
gets nothing, so that what a script captures is the same however long the work took. The
display is transient: once the work is done it disappears and the command's messages follow.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text


class _Count(ProgressColumn):
    """`2/6 reports` for a count with a known total; nothing for a step."""

    def render(self, task: Task) -> Text:
        if task.total is None:
            return Text("")
        unit = task.fields.get("unit", "")
        return Text(f"{int(task.completed)}/{int(task.total)} {unit}".rstrip())


class Steps:
    """What a command tells its progress display: `step(name)` as each step begins, and
    `count(done, total, label)` while it works through a known number of things."""

    def __init__(self, progress: Progress | None):
        self._progress = progress
        self._step: TaskID | None = None
        self._counts: dict[str, TaskID] = {}

    @property
    def shown(self) -> bool:
        """Whether anything is drawn (a terminal, and no -Q)."""
        return self._progress is not None

    def step(self, name: str) -> None:
        """The step now under way, e.g. `Reading the answers`."""
        if self._progress is None:
            return
        if self._step is None:
            self._step = self._progress.add_task(name, total=None)
        # drawn now, not at the next tick: a quick step is still seen (and testable)
        self._progress.update(self._step, description=name, refresh=True)

    def count(self, done: int, total: int, label: str = "", unit: str = "reports") -> None:
        """`done` of `total` things finished (`label` says which was last), drawn as a bar
        with `done/total unit`."""
        if self._progress is None:
            return
        task = self._counts.get(unit)
        if task is None:
            task = self._progress.add_task(f"Writing {unit}", total=total, unit=unit)
            self._counts[unit] = task
        description = f"Writing {unit}" + (f": {label}" if label else "")
        self._progress.update(
            task, completed=done, total=total, description=description, refresh=True
        )


def progress_display(console: Console) -> Progress:
    """The Rich progress display cxassess draws on `console`."""
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        _Count(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )


@contextmanager
def steps_on(console: Console, *, quiet: bool = False) -> Iterator[Steps]:
    """A `Steps` drawing on `console` while the block runs, or drawing nothing when the
    console is not a terminal or `quiet` is set."""
    if quiet or not console.is_terminal:
        yield Steps(None)
        return
    progress = progress_display(console)
    with progress:
        yield Steps(progress)
