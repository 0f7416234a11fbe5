"""Helpers shared by CLI commands: progress bars, output files, error lines."""
from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator

import typer

from ..errors import ConflictLensError


def echo_error(code: str, message: str, where: str | None = None) -> None:
    """One line on stderr; the input is named unless the message already names it."""
    if where and where not in message:
        message = f"{where}: {message}"
    typer.echo(f"error[{code}]: {message}", err=True)


@contextmanager
def open_output(path: Path | None) -> Iterator[IO[str]]:
    if path is None:
        yield sys.stdout
        return
    try:
        fh = open(path, "w", encoding="utf-8", newline="")
    except OSError as exc:
        raise ConflictLensError("E301", path=str(path), detail=exc.strerror or str(exc)) from None
    with fh:
        yield fh


@contextmanager
def progress(total: int | None, label: str, enabled: bool = True):
    """A rich progress bar on stderr, shown only on a terminal and for more than one item."""
    if not enabled or not sys.stderr.isatty() or (total is not None and total <= 1):
        yield lambda n=1: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeRemainingColumn(), console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda n=1: bar.advance(task, n)
