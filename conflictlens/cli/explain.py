"""`conflictlens explain EVENT_ID`: why each report joined a merged event, and where each field came from."""
from __future__ import annotations

import json
from typing import Optional

import typer


def register(app: typer.Typer) -> None:
    @app.command("explain")
    def explain_cmd(
        event_id: str = typer.Argument(..., help="An event id from `conflictlens events`."),
        db: Optional[str] = typer.Option(None, "--db", help="Database URL or file (default $CONFLICTLENS_DB, then ./conflictlens.db)."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON instead of tables."),
    ) -> None:
        """Show a merged event, its mentions (one per reporting article) and the dedup decisions."""
        from ..pipeline import load_config
        from ..store import Store
        from ..store.explain import explain

        store = Store(db, load_config(), create=False)
        info = explain(store, event_id)
        store.close()
        if as_json:
            typer.echo(json.dumps(info, indent=2, ensure_ascii=False, default=str))
            return
        from rich.console import Console

        con = Console()
        ev = info["event"]
        con.print(f"[bold]{ev['id']}[/bold]  {ev['event_date']}  {ev['sub_event_type']}  "
                  f"{ev.get('location') or ''} ({ev.get('iso3') or ev.get('country') or '?'})  "
                  f"fatalities {ev['fatalities']} [{ev.get('fatalities_low')}-{ev.get('fatalities_high')}]  "
                  f"{ev['n_mentions']} mention(s) from {ev['n_sources']} source(s)")
        con.print("merge policy: " + "; ".join(f"{k}: {v}" for k, v in info["merge"].items()))
        for m in info["mentions"]:
            fat = str(m.get("fatalities")) if m.get("fatalities_known") else "?"
            score = "" if m.get("match_score") is None else f"  score {m['match_score']:.2f}"
            con.print(f"\n[bold]mention {m['mention_id']}[/bold]  {m['source_id']}  {m.get('outlet') or ''}  "
                      f"{m.get('url') or ''}{score}")
            con.print(f"  {m.get('event_date')}  {m.get('sub_event_type')}  {m.get('location') or ''}  "
                      f"fatalities {fat}  actors {m.get('actor1') or '-'} / {m.get('actor2') or '-'}")
            con.print(f"  why: {m['reason']}")
            if m.get("evidence_text"):
                con.print(f"  evidence: {m['evidence_text']}", highlight=False)
