"""The ``conflictlens`` console script.

Each module in this package (other than ``main`` and those starting with
``_``) defines ``register(app)`` and adds one command; they are discovered at
start-up so that a new command is one new file.
"""
from __future__ import annotations

import importlib
import pkgutil
import sys

import typer

from .. import __version__
from ..errors import ConflictLensError

app = typer.Typer(
    name="conflictlens",
    help="Turn conflict news into verifiable, ACLED-grade event data (offline by default).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"conflictlens {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    """conflictlens reads conflict news and writes event data tied to evidence."""


def _discover() -> None:
    pkg = importlib.import_module(__package__)
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
        if info.name == "main" or info.name.startswith("_"):
            continue
        mod = importlib.import_module(f"{__package__}.{info.name}")
        register = getattr(mod, "register", None)
        if register is not None:
            register(app)


_discover()


def main(argv: list[str] | None = None) -> int:
    try:
        rc = app(args=argv, standalone_mode=False)
    except ConflictLensError as exc:
        typer.echo(exc.line(), err=True)
        return 1
    except typer.Exit as exc:
        return exc.exit_code
    except (typer.Abort, KeyboardInterrupt):
        typer.echo("Aborted.", err=True)
        return 130
    except Exception as exc:  # click usage errors and the like
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            return exc.exit_code
        raise
    # with standalone_mode=False, click returns a command's typer.Exit code instead of raising it
    return rc if isinstance(rc, int) else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
