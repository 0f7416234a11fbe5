"""`conflictlens serve`: the REST API and the web dashboard."""
from __future__ import annotations

from typing import Optional

import typer


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve_cmd(
        db: Optional[str] = typer.Option(None, "--db", help="Database URL or file (default $CONFLICTLENS_DB, then ./conflictlens.db)."),
        host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
        port: int = typer.Option(8000, "--port", min=0, max=65535, help="Port to listen on."),
        token: Optional[str] = typer.Option(None, "--token", envvar="CONFLICTLENS_API_TOKEN",
                                            help="Bearer token that enables POST /api/ingest (default: read-only)."),
        max_body: int = typer.Option(2_000_000, "--max-body", min=1, help="Largest request body in bytes (413 above)."),
        allow_fetch: bool = typer.Option(False, "--allow-fetch", help="Let /api/extract and /api/ingest fetch a URL."),
        allow_private: bool = typer.Option(False, "--allow-private", help="With --allow-fetch: allow private/loopback targets."),
        tiles: Optional[str] = typer.Option(None, "--tiles", help="Tile URL template for the map, e.g. http://localhost:8080/{z}/{x}/{y}.png."),
        log_level: str = typer.Option("info", "--log-level", help="uvicorn log level."),
    ) -> None:
        """Serve the REST API (/api, docs at /docs) and the dashboard (/) for a database.

        Examples:

          conflictlens serve --db conflictlens.db

          conflictlens serve --db postgresql://user@localhost/conflict --host 0.0.0.0 --port 8080

          CONFLICTLENS_API_TOKEN=secret conflictlens serve   # enables POST /api/ingest
        """
        from ..api import ApiSettings, create_app
        from ..errors import ConflictLensError

        try:
            import uvicorn
        except ImportError:
            raise ConflictLensError("E1009", detail="uvicorn is not installed") from None
        settings = ApiSettings(db=db, token=token or None, max_body=max_body,
                               allow_fetch=allow_fetch, allow_private=allow_private, tile_url=tiles)
        application = create_app(settings)
        typer.echo(f"conflictlens dashboard on http://{host}:{port}/  (API docs: /docs; "
                   f"{'writes enabled' if settings.token else 'read-only'})", err=True)
        try:
            uvicorn.run(application, host=host, port=port, log_level=log_level)
        except OSError as exc:  # pragma: no cover - address in use and the like
            raise ConflictLensError("E1009", detail=exc.strerror or str(exc)) from None
