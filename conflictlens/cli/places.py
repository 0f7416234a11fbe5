"""`conflictlens places FILE`: list the toponyms the geoparser finds in an article."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer


def register(app: typer.Typer) -> None:
    @app.command("places")
    def places_cmd(
        path: Path = typer.Argument(..., help="A plain-text article ('-' for stdin)."),
        dateline: Optional[str] = typer.Option(None, "--dateline", help="Dateline place (e.g. Islamabad)."),
        rejected: bool = typer.Option(False, "--rejected", help="Also list matches rejected as non-places."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON Lines instead of a table."),
    ) -> None:
        """Show every place mention in FILE with its resolution, score and reason (no NLP model needed)."""
        import sys

        from ..errors import ConflictLensError
        from ..geo.gazetteer import get_gazetteer
        from ..geo.locate import geoparse, place_fields

        if str(path) == "-":
            text = sys.stdin.read()
        else:
            if not path.is_file():
                raise ConflictLensError("E001", path=str(path))
            try:
                text = path.read_text("utf-8")
            except UnicodeDecodeError as exc:
                raise ConflictLensError("E003", path=str(path), detail=str(exc)) from None
        gaz = get_gazetteer()
        parse = geoparse(text, gaz, dateline=dateline)
        rows = []
        for m in parse.mentions:
            row = {"start": m.start, "end": m.end, "text": m.text, "dateline": m.is_dateline,
                   "locative": m.locative, "score": m.score, "reason": m.reason, "resolved": None}
            if m.resolved is not None:
                row["resolved"] = {"name": m.resolved.name, "feature": m.resolved.feature,
                                   **place_fields(m.resolved, gaz)}
            rows.append(row)
        if rejected:
            rows += [{"start": m.start, "end": m.end, "text": m.text, "rejected": m.reason} for m in parse.rejected]
            rows.sort(key=lambda r: r["start"])
        if as_json:
            for r in rows:
                typer.echo(json.dumps(r, ensure_ascii=False))
            return
        from rich.console import Console
        from rich.table import Table

        table = Table(title=f"places in {path}")
        for col in ("offset", "mention", "place", "admin1", "iso3", "lat,lon", "score", "reason"):
            table.add_column(col, overflow="fold")
        for r in rows:
            res = r.get("resolved")
            if "rejected" in r:
                table.add_row(str(r["start"]), r["text"], "[dim]not a place[/]", "", "", "", "", r["rejected"])
            elif res:
                table.add_row(str(r["start"]), r["text"], f"{res['location']} ({res['feature']})", res["admin1"] or "",
                              res["iso3"] or "", f"{res['latitude']:.3f},{res['longitude']:.3f}", f"{r['score']:.2f}",
                              ("[dateline] " if r["dateline"] else "") + r["reason"])
            else:
                table.add_row(str(r["start"]), r["text"], "[yellow]abstain[/]", "", "", "", f"{r['score']:.2f}",
                              r["reason"])
        Console(width=200).print(table)
