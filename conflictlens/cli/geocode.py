"""`conflictlens geocode NAME`: look a place name up in the offline gazetteer."""
from __future__ import annotations

import json
from typing import Optional

import typer


def register(app: typer.Typer) -> None:
    @app.command("geocode")
    def geocode_cmd(
        name: str = typer.Argument(..., help="A place name, e.g. 'Gwadar', 'D.I. Khan', 'Hyderabad'."),
        context: Optional[str] = typer.Option(None, "--context", "-c",
                                              help="Sentence to resolve NAME in (else NAME alone)."),
        dateline: Optional[str] = typer.Option(None, "--dateline", help="Dateline place of the text."),
        limit: int = typer.Option(5, "--limit", "-n", min=1, help="Candidate readings to show."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
    ) -> None:
        """Resolve a place name offline and show the chosen reading, its reason and the alternatives."""
        from ..geo.gazetteer import get_gazetteer
        from ..geo.locate import geoparse, place_fields

        gaz = get_gazetteer()
        text = context if context else name
        start = text.find(name)
        parse = geoparse(text, gaz, dateline=dateline)
        chosen = next((m for m in parse.mentions if start >= 0 and m.start <= start < m.end), None)
        rejected = next((m for m in parse.rejected if start >= 0 and m.start <= start < m.end), None)
        cands = sorted(gaz.lookup(name), key=lambda e: (-e.pop, e.pid))[:limit]
        result = {
            "query": name,
            "resolved": None,
            "reason": None,
            "score": None,
            "candidates": [{"name": e.name, "feature": e.feature, **place_fields(e, gaz), "population": e.pop}
                           for e in cands],
        }
        if chosen is not None:
            result["reason"], result["score"] = chosen.reason, chosen.score
            if chosen.resolved is not None:
                result["resolved"] = {"name": chosen.resolved.name, "feature": chosen.resolved.feature,
                                      "geonames_id": chosen.resolved.gid, **place_fields(chosen.resolved, gaz)}
        elif rejected is not None:
            result["reason"] = f"not a place here: {rejected.reason}"
        else:
            result["reason"] = "no gazetteer entry matches" if not cands else "not recognised as a toponym here"
        if as_json:
            typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
            return
        from rich.console import Console
        from rich.table import Table

        con = Console()
        r = result["resolved"]
        if r:
            con.print(f"[bold]{name}[/] -> {r['location']} ({r['feature']}), {r['admin2'] or '-'}, "
                      f"{r['admin1'] or '-'}, {r['country']} [{r['iso3']}]  {r['latitude']}, {r['longitude']}")
            con.print(f"score {result['score']}: {result['reason']}")
        else:
            con.print(f"[bold]{name}[/]: unresolved ({result['reason']})")
        table = Table(title="candidate readings (by population)")
        for col in ("name", "feature", "admin2", "admin1", "country", "lat", "lon", "population"):
            table.add_column(col)
        for c in result["candidates"]:
            table.add_row(c["name"], c["feature"], c["admin2"] or "", c["admin1"] or "", c["iso3"] or "",
                          str(c["latitude"]), str(c["longitude"]), f"{c['population']:,}")
        con.print(table)
