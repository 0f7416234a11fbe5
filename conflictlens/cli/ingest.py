"""`conflictlens ingest`: extract articles in parallel and store them, deduplicated, in a database."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ._common import echo_error, progress


def register(app: typer.Typer) -> None:
    @app.command("ingest")
    def ingest_cmd(
        inputs: list[str] = typer.Argument(..., metavar="PATH|URL|FEED...",
                                           help="Files, directories, .jsonl corpora, http(s) URLs, RSS/Atom feeds "
                                                "(feed:URL or *.rss/*.atom/*.xml)."),
        db: Optional[str] = typer.Option(None, "--db", help="Database: a file path, sqlite:///FILE or postgresql://... "
                                                            "(default $CONFLICTLENS_DB, then ./conflictlens.db)."),
        workers: int = typer.Option(1, "--workers", "-w", min=1, help="Extraction processes (spaCy loads once per worker)."),
        config: Optional[Path] = typer.Option(None, "--config", "-c", help="TOML config overriding conflictlens/default.toml."),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar and no summary."),
        engine: str = typer.Option("local", "--engine", help="Where extraction runs: local (worker processes) "
                                                              "or dask (a Dask cluster; docs/scale.md)."),
        scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Dask scheduler tcp://HOST:PORT "
                                                                         "(--engine dask; default: a LocalCluster "
                                                                         "of --workers processes)."),
    ) -> None:
        """Extract and store articles; each incident reported by several outlets becomes one event.

        Re-running is safe: an article already stored (same content) is skipped, and
        an interrupted run (even kill -9) resumes where it stopped.  Failed articles
        are recorded with their error code and listed at the end; they never stop
        the batch.

        Examples:

          conflictlens ingest corpus.jsonl --workers 4

          conflictlens ingest articles/ --db postgresql://user@localhost/conflict

          conflictlens ingest feed:https://example.org/world/rss.xml

          conflictlens ingest corpus.parquet --engine dask --scheduler tcp://10.0.0.5:8786
        """
        from ..pipeline import load_config
        from ..store import Store
        from ..store.db import redact

        cfg = load_config(config)
        store = Store(db, cfg)
        from ..engines import get_engine
        from ..engines.inputs import count_corpus

        # local: the worker processes of store.ingest; dask: a Dask cluster (conflictlens/engines)
        with get_engine(engine, workers=workers, scheduler=scheduler) as eng, \
                progress(count_corpus(inputs), "ingesting", enabled=not quiet) as tick:
            rep = eng.ingest(inputs, store, cfg, advance=tick)
        if not quiet:
            typer.echo(f"{redact(store.url)}: {rep.stored} stored, {rep.skipped} already there, "
                       f"{rep.failed} failed; {rep.mentions} event mention(s), {rep.new_events} new event(s) "
                       f"(run {rep.run_id})", err=True)
        for f in rep.failures:
            echo_error(f.code, f.message, f.input)
        store.close()
        if rep.failed:
            raise typer.Exit(1)
