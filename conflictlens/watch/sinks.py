"""Where alerts go: stdout, a JSONL file, a webhook (HTTP POST of the alert as JSON)."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import IO

from ..errors import ConflictLensError


class Sink:
    name = "sink"

    def send(self, alert: dict) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def close(self) -> None:
        pass


class StdoutSink(Sink):
    """One line per alert: ``ALERT [rule] message (event id, n sources)``, or the JSON with ``as_json``."""

    name = "stdout"

    def __init__(self, stream: IO[str] | None = None, as_json: bool = False) -> None:
        self.stream = stream
        self.as_json = as_json

    def send(self, alert: dict) -> None:
        out = self.stream or sys.stdout
        if self.as_json:
            out.write(json.dumps(alert, default=str, ensure_ascii=False) + "\n")
        else:
            ev = alert.get("event") or {}
            urls = ", ".join(s.get("url") or s.get("id") or "" for s in alert.get("sources") or [])
            out.write(f"ALERT [{alert['rule']}] {alert['message']} | event {ev.get('id')} | {urls}\n")
        out.flush()


class JsonlSink(Sink):
    """Appends each alert as one JSON line (flushed at once)."""

    name = "jsonl"

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self.fh = open(self.path, "a", encoding="utf-8")
        except OSError as exc:
            raise ConflictLensError("E301", path=str(path), detail=exc.strerror or str(exc)) from None

    def send(self, alert: dict) -> None:
        self.fh.write(json.dumps(alert, default=str, ensure_ascii=False) + "\n")
        self.fh.flush()

    def close(self) -> None:
        self.fh.close()


class WebhookSink(Sink):
    """POSTs each alert as JSON; a failure raises E811 (the watcher reports it and goes on)."""

    name = "webhook"

    def __init__(self, url: str, timeout: float = 10.0) -> None:
        import httpx

        self.url = url
        self.client = httpx.Client(timeout=timeout)

    def send(self, alert: dict) -> None:
        import httpx

        try:
            resp = self.client.post(self.url, content=json.dumps(alert, default=str),
                                    headers={"Content-Type": "application/json"})
        except httpx.HTTPError as exc:
            raise ConflictLensError("E811", sink=f"webhook {self.url}",
                                    detail=f"{type(exc).__name__}: {exc}"[:200]) from None
        if resp.status_code >= 400:
            raise ConflictLensError("E811", sink=f"webhook {self.url}", detail=f"HTTP {resp.status_code}")

    def close(self) -> None:
        self.client.close()
