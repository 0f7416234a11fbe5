"""`conflictlens schema`: print the JSON Schema of the output contract."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer


def register(app: typer.Typer) -> None:
    @app.command("schema")
    def schema_cmd(
        output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write to FILE instead of stdout."),
    ) -> None:
        """Print the JSON Schema (schema_version 1) of what `extract` outputs.

        Example: conflictlens schema -o conflictlens.schema.json
        """
        from ..schema import json_schema

        text = json.dumps(json_schema(), indent=2)
        if output:
            output.write_text(text + "\n", encoding="utf-8")
        else:
            typer.echo(text)
