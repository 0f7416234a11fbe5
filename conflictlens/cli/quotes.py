"""`conflictlens quotes`: who said what, in what capacity, for or against."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from ._common import echo_error, open_output

QUOTE_STAGES = ["ingest.clean", "nlp.spacy", "quotes.rules"]


def _short(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def register(app: typer.Typer) -> None:
    @app.command("quotes")
    def quotes_cmd(
        inputs: list[str] = typer.Argument(..., metavar="PATH|URL|-",
                                           help="Text/HTML files, directories, .jsonl corpora, URLs, or - for stdin."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON (one object per article) instead of a table."),
        output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write to FILE instead of stdout."),
        config: Optional[Path] = typer.Option(None, "--config", "-c", help="TOML config overriding conflictlens/default.toml."),
        width: int = typer.Option(90, "--width", help="Characters of each quote shown in the table."),
        stance_method: Optional[str] = typer.Option(
            None, "--stance-method",
            help="model (default: explicit statements, else the trained model) or lexicon (cue sums only)."),
    ) -> None:
        """List the quotes of news articles: speaker, role, stance and the quoted text.

        Only the stages quotes need run (ingest.clean, nlp.spacy, quotes.rules);
        options come from the config file.

        Examples:

          conflictlens quotes article.txt

          conflictlens quotes article.txt --json

          conflictlens quotes article.txt --stance-method lexicon

        The stance column shows the label, then what decided it: "explicit:-opposed"
        (a stated position), or the model's probability and strongest features
        ("p=0.86", "w:fail +0.9", "g:affected +0.6").
        """
        from ..ingest.readers import iter_inputs
        from ..pipeline import get_pipeline, load_config
        from ..errors import ConflictLensError
        from ..schema import Failure

        cfg = load_config(config)
        overrides: dict = {"pipeline": {"stages": QUOTE_STAGES}}
        if stance_method is not None:
            overrides["stages"] = {"quotes.rules": {"stance_method": stance_method}}
        try:
            pipe = get_pipeline(str(config) if config else None, overrides=overrides)
        except ConflictLensError as exc:
            echo_error(exc.code, exc.message)
            raise typer.Exit(1) from None
        n_fail = 0
        results = []
        for result in pipe.process_many(iter_inputs(inputs, cfg)):
            if isinstance(result, Failure):
                n_fail += 1
                echo_error(result.code, result.message, result.input)
                continue
            results.append(result)
        with open_output(output) as out:
            if as_json:
                for doc in results:
                    obj = {
                        "source": {"id": doc.source.id, "title": doc.source.title, "url": doc.source.url},
                        "stance_target": doc.quotes[0].stance_target if doc.quotes else None,
                        "quotes": [q.model_dump(mode="json") for q in doc.quotes],
                    }
                    out.write(json.dumps(obj, ensure_ascii=False, indent=None if len(results) > 1 else 2) + "\n")
            else:
                from rich.console import Console
                from rich.table import Table

                console = Console(file=out)
                if console.width < 140:
                    console.width = 140
                for doc in results:
                    target = doc.quotes[0].stance_target if doc.quotes else None
                    table = Table(title=f"{doc.source.title or doc.source.id} — stance toward: {target or '?'}",
                                  show_lines=True)
                    table.add_column("#", justify="right")
                    table.add_column("speaker", max_width=24)
                    table.add_column("role / org", max_width=24)
                    table.add_column("kind")
                    table.add_column("stance", max_width=22)
                    table.add_column("quote", ratio=1, min_width=40)
                    for i, q in enumerate(doc.quotes, 1):
                        speaker = q.speaker or "?"
                        if q.anonymous:
                            speaker += " (anonymous)"
                        role = " / ".join(x for x in (q.speaker_role, q.speaker_org) if x)
                        cues = ", ".join(q.stance_cues[:3])
                        stance = f"{q.stance}" + (f"\n[dim]{cues}[/dim]" if cues else "")
                        table.add_row(str(i), speaker, role, q.kind, stance, _short(q.text, width))
                    console.print(table)
                    if not doc.quotes:
                        console.print("no quotes found")
        if n_fail:
            raise typer.Exit(1)
