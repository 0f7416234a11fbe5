"""`conflictlens extract`: articles in, ACLED-grade JSON/JSONL/CSV out."""
from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Optional

import typer

from ._common import echo_error, open_output, progress

FORMATS = ("json", "jsonl", "csv")


def register(app: typer.Typer) -> None:
    @app.command("extract")
    def extract_cmd(
        inputs: list[str] = typer.Argument(..., metavar="PATH|URL|-",
                                           help="Text/HTML files, directories, .jsonl corpora, http(s) URLs, or - for stdin."),
        fmt: str = typer.Option("json", "--format", "-f", help="json (one object; JSON Lines for several), jsonl, or csv (one row per event, ACLED columns)."),
        output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write to FILE instead of stdout."),
        published: Optional[str] = typer.Option(None, "--published", help="Publication date YYYY-MM-DD (overrides what the article says)."),
        config: Optional[Path] = typer.Option(None, "--config", "-c", help="TOML config overriding conflictlens/default.toml."),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    ) -> None:
        """Extract events, aggregates, quotes, actors and places from news articles.

        Examples:

          conflictlens extract article.txt

          conflictlens extract https://example.org/news/1.html --published 2024-07-01

          conflictlens extract corpus.jsonl --format jsonl -o events.jsonl

          conflictlens extract samples/ --format csv -o events.csv

          cat page.html | conflictlens extract -

        Exit status: 0 when every input was processed, 1 when any input failed
        (each failure is reported on stderr as one `error[Exxx]:` line).
        """
        from ..errors import ConflictLensError
        from ..ingest.readers import count_inputs, iter_inputs, parse_date
        from ..pipeline import get_pipeline, load_config
        from ..schema import ACLED_CSV_COLUMNS, EXTRA_CSV_COLUMNS, Failure, event_csv_row

        if fmt not in FORMATS:
            raise ConflictLensError("E302", fmt=fmt, choices=", ".join(FORMATS))
        pub = parse_date(published, "--published") if published else None
        cfg = load_config(config)
        pipe = get_pipeline(str(config) if config else None)
        total = count_inputs(inputs)
        n_ok = n_fail = 0
        several = (total or 0) > 1
        with open_output(output) as out, progress(total, "extracting", enabled=not quiet) as tick:
            writer = None
            if fmt == "csv":
                writer = csv.DictWriter(out, fieldnames=ACLED_CSV_COLUMNS + EXTRA_CSV_COLUMNS)
                writer.writeheader()
            for result in pipe.process_many(iter_inputs(inputs, cfg, pub)):
                tick()
                if isinstance(result, Failure):
                    n_fail += 1
                    echo_error(result.code, result.message, result.input)
                    continue
                n_ok += 1
                if writer is not None:
                    for ev in result.events:
                        writer.writerow(event_csv_row(ev, result.source))
                elif fmt == "jsonl" or several:
                    out.write(result.model_dump_json() + "\n")
                else:
                    out.write(json.dumps(result.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n")
                out.flush()
        if several and not quiet:
            typer.echo(f"{n_ok} processed, {n_fail} failed", err=True)
        if n_fail:
            raise typer.Exit(1)
