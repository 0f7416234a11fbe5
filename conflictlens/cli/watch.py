"""`conflictlens watch`: poll feeds and folders, store new articles once, fire alert rules."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer


def register(app: typer.Typer) -> None:
    @app.command("watch")
    def watch_cmd(
        targets: list[str] = typer.Argument(..., metavar="FEED_URL|DIR...",
                                            help="RSS/Atom feed URLs (http/https) and folders to watch."),
        interval: float = typer.Option(300.0, "--interval", min=0.0, help="Seconds between polls."),
        rules: Optional[Path] = typer.Option(None, "--rules", help="Alert rules (YAML or JSON; docs/watch.md)."),
        db: Optional[str] = typer.Option(None, "--db", help="Database (as for `ingest`); watch state lives there too."),
        config: Optional[Path] = typer.Option(None, "--config", "-c", help="TOML config overriding conflictlens/default.toml."),
        jsonl: Optional[Path] = typer.Option(None, "--alerts-jsonl", help="Append alerts to this JSONL file."),
        webhook: Optional[str] = typer.Option(None, "--webhook", help="POST each alert as JSON to this URL."),
        json_out: bool = typer.Option(False, "--json", help="Alerts on stdout as JSON lines."),
        host_interval: float = typer.Option(1.0, "--host-interval", min=0.0,
                                            help="Politeness: least seconds between two requests to one host."),
        max_bytes: int = typer.Option(5_000_000, "--max-bytes", min=1, help="Largest feed body accepted."),
        once: bool = typer.Option(False, "--once", help="Poll once and exit (for cron)."),
        max_cycles: Optional[int] = typer.Option(None, "--max-cycles", min=1, help="Stop after N polls."),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="No per-cycle summary on stderr."),
    ) -> None:
        """Watch feeds and folders; ingest new items exactly once; alert on rules.

        Every new feed entry or file is extracted and stored once, across
        restarts (state in the database).  Alerts go to stdout, and to a
        JSONL file and a webhook when given.  A feed that fails (HTTP error,
        malformed XML, too big) is reported and retried at the next poll.
        Stop with Ctrl-C or SIGTERM: the current item finishes first.

        Examples:

          conflictlens watch https://example.org/world/rss.xml --rules alerts.yml

          conflictlens watch inbox/ --interval 60 --alerts-jsonl alerts.jsonl
        """
        import signal
        import threading

        from ..pipeline import load_config
        from ..store import Store
        from ..watch import Watcher, load_rules
        from ..watch.sinks import JsonlSink, StdoutSink, WebhookSink

        cfg = load_config(config)
        rule_list = load_rules(rules) if rules else []
        store = Store(db, cfg)
        sinks = [StdoutSink(as_json=json_out)]
        if jsonl:
            sinks.append(JsonlSink(jsonl))
        if webhook:
            sinks.append(WebhookSink(webhook))
        watcher = Watcher(targets, store, cfg, rules=rule_list, sinks=sinks,
                          min_host_interval=host_interval, max_bytes=max_bytes,
                          on_error=lambda line: typer.echo(line, err=True))
        stop = threading.Event()

        def _stop(signum, _frame):
            if not quiet:
                typer.echo(f"watch: {signal.Signals(signum).name} received, stopping after the current item",
                           err=True)
            stop.set()

        old = {s: signal.signal(s, _stop) for s in (signal.SIGINT, signal.SIGTERM)}

        def summary(rep) -> None:
            if not quiet:
                typer.echo(f"watch: {rep.items} new item(s), {rep.stored} stored, {rep.skipped} already there, "
                           f"{rep.failed} failed, {len(rep.alerts)} alert(s)", err=True)

        try:
            watcher.run(stop, interval=interval, max_cycles=1 if once else max_cycles, on_cycle=summary)
        finally:
            for s, h in old.items():
                signal.signal(s, h)
            watcher.close()
            store.close()
