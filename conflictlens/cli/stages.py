"""`conflictlens stages`: list registered pipeline stages and their I/O."""
from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    @app.command("stages")
    def stages_cmd() -> None:
        """List the registered pipeline stages with the fields they read and write."""
        from rich.console import Console
        from rich.table import Table

        from ..pipeline import load_config
        from ..registry import stages

        active = load_config()["pipeline"]["stages"]
        table = Table(title="pipeline stages")
        for col in ("name", "default", "reads", "writes", "description"):
            table.add_column(col)
        for s in stages.all():
            table.add_row(s.name, "yes" if s.name in active else "", ", ".join(s.reads),
                          ", ".join(s.writes), s.doc)
        Console().print(table)
