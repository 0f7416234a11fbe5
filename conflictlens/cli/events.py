"""`conflictlens events`: query stored events and export them."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ._common import open_output


def register(app: typer.Typer) -> None:
    @app.command("events")
    def events_cmd(
        db: Optional[str] = typer.Option(None, "--db", help="Database URL or file (default $CONFLICTLENS_DB, then ./conflictlens.db)."),
        country: Optional[str] = typer.Option(None, "--country", help="Country name or ISO3 code."),
        admin1: Optional[str] = typer.Option(None, "--admin1", help="Province/state (admin1) name."),
        since: Optional[str] = typer.Option(None, "--since", help="Events on or after YYYY-MM-DD."),
        until: Optional[str] = typer.Option(None, "--until", help="Events on or before YYYY-MM-DD."),
        type_: Optional[str] = typer.Option(None, "--type", help="Disorder, event or sub-event type, e.g. Battles or 'Suicide bomb'."),
        actor: Optional[str] = typer.Option(None, "--actor", help="Text contained in an actor name, e.g. TTP."),
        bbox: Optional[str] = typer.Option(None, "--bbox", help="MIN_LON,MIN_LAT,MAX_LON,MAX_LAT."),
        min_fatalities: Optional[int] = typer.Option(None, "--min-fatalities", min=0, help="At least this many fatalities."),
        limit: Optional[int] = typer.Option(None, "--limit", min=1, help="At most this many events."),
        fmt: str = typer.Option("table", "--format", "-f", help="table, csv, jsonl, geojson or parquet."),
        output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write to FILE (required for parquet)."),
    ) -> None:
        """List merged events; every row carries n_mentions and the sources that reported it.

        Examples:

          conflictlens events --country Pakistan --since 2024-01-01 --type Battles

          conflictlens events --bbox 69,32,72,35 --format geojson -o kp.geojson

          conflictlens events --format csv -o events.csv
        """
        from ..errors import ConflictLensError
        from ..ingest.readers import parse_date
        from ..store import Store
        from ..store.export import FORMATS, EventFilter, build_query, export, parse_bbox

        if fmt not in FORMATS:
            raise ConflictLensError("E302", fmt=fmt, choices=", ".join(FORMATS))
        flt = EventFilter(country=country, admin1=admin1, since=parse_date(since, "--since"),
                          until=parse_date(until, "--until"), type=type_, actor=actor,
                          bbox=parse_bbox(bbox), min_fatalities=min_fatalities, limit=limit)
        store = Store(db, _config(), create=False)
        rows = store.iter_events(build_query(flt, postgis=store.postgis))
        if fmt == "parquet":
            if output is None:
                raise ConflictLensError("E301", path="-", detail="parquet output needs -o FILE")
            export(rows, fmt, path=output)
        else:
            with open_output(output) as out:
                export(rows, fmt, out=out)
        store.close()


def _config() -> dict:
    from ..pipeline import load_config

    return load_config()
