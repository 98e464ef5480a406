"""A Rich progress bar on standard error while it is a terminal; nothing otherwise."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from disputedesk.importing.run import NoProgress
from disputedesk.importing.run import Progress as ImportProgress


class RichProgress:
    """Rows processed out of the phase's total, one bar per phase."""

    visible = True

    def __init__(self, progress: Progress) -> None:
        self._progress = progress
        self._task: TaskID | None = None

    def phase(self, description: str, total: int | None) -> None:
        if self._task is not None:
            task = self._progress.tasks[-1]
            self._progress.update(self._task, total=task.completed)  # the phase is over
        self._task = self._progress.add_task(description, total=total)

    def advance(self, rows: int) -> None:
        if self._task is not None and rows:
            self._progress.advance(self._task, rows)


@contextmanager
def stderr_progress() -> Iterator[ImportProgress]:
    console = Console(stderr=True)
    if not console.is_terminal:
        yield NoProgress()
        return
    columns = (
        TextColumn("{task.description:<22}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("rows"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console) as progress:
        yield RichProgress(progress)
