"""`conflictlens report`: a situation report (HTML, PDF or Markdown) from the database."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer


def register(app: typer.Typer) -> None:
    @app.command("report")
    def report_cmd(
        db: Optional[str] = typer.Option(None, "--db", help="Database URL or file (default $CONFLICTLENS_DB, then ./conflictlens.db)."),
        country: Optional[str] = typer.Option(None, "--country", help="Country name or ISO3 code."),
        admin1: Optional[str] = typer.Option(None, "--admin1", help="Province/state (admin1) name."),
        since: Optional[str] = typer.Option(None, "--since", help="First day, YYYY-MM-DD (default: the earliest event)."),
        until: Optional[str] = typer.Option(None, "--until", help="Last day, YYYY-MM-DD (default: the latest event)."),
        compare_previous: bool = typer.Option(True, "--compare-previous/--no-compare-previous",
                                              help="Compare with the previous period of equal length."),
        fmt: str = typer.Option("html", "--format", "-f", help="html, pdf or md."),
        output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write to FILE (required for pdf; default stdout)."),
    ) -> None:
        """Write a situation report: headline figures, map, timeline, top actors and locations,
        notable events with their evidence, voices, and a methods box.

        Examples:

          conflictlens report --country PAK --since 2024-06-01 --until 2024-06-30 -o june.html

          conflictlens report --country Pakistan --admin1 Balochistan --format pdf -o brief.pdf
        """
        from ..errors import ConflictLensError
        from ..ingest.readers import parse_date
        from ..report import FORMATS, ReportParams, collect, render
        from ..store import Store

        if fmt not in FORMATS:
            raise ConflictLensError("E302", fmt=fmt, choices=", ".join(FORMATS))
        if fmt == "pdf" and output is None:
            raise ConflictLensError("E301", path="-", detail="pdf output needs -o FILE")
        params = ReportParams(country=country, admin1=admin1, since=parse_date(since, "--since"),
                              until=parse_date(until, "--until"), compare_previous=compare_previous)
        store = Store(db, _config(), create=False)
        try:
            data = collect(store, params)
        finally:
            store.close()
        body = render(data, fmt)
        if output is None:
            sys.stdout.write(body.decode("utf-8"))
            return
        try:
            output.write_bytes(body)
        except OSError as exc:
            raise ConflictLensError("E301", path=str(output), detail=exc.strerror or str(exc)) from None
        typer.echo(f"wrote {output} ({len(body):,} bytes; {data.n_events} events, "
                   f"{data.n_fatalities} fatalities)", err=True)


def _config() -> dict:
    from ..pipeline import load_config

    return load_config()
