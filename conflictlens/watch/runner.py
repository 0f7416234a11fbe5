"""The watch loop: poll every target, ingest new items once, evaluate rules, send alerts.

Exactly once across restarts:

1. an item (feed entry or file record) whose key is in ``watch_items`` is
   never fetched or extracted again;
2. an item is recorded right after its article is stored (one transaction
   each, the store's own idempotency covers a crash in between: the article
   is skipped as already stored and recorded then);
3. rules run over the sources not yet ``evaluated``; an alert is recorded in
   ``watch_alerts`` under its key before it is sent, and a key fires once.
   A crash after storing but before evaluating is caught up on the next cycle.

Extraction runs in this process (one pipeline, built once): a watch cycle
sees a few new articles; backfills belong to ``conflictlens ingest``.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Callable, Iterable

from sqlalchemy import select

from ..errors import ConflictLensError
from ..schema import Event, Failure
from ..store import models as M
from ..store.ingest import raw_hash
from ..store.store import Store
from .fetch import FeedFetcher
from .rules import Rule
from .sinks import Sink
from .sources import FeedSource, FolderSource, Item
from .state import WatchState


@dataclass
class CycleReport:
    """What one poll cycle did."""

    items: int = 0
    stored: int = 0
    skipped: int = 0
    failed: int = 0
    alerts: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # error lines (feed and sink problems)


def _jsonable(v):
    if isinstance(v, (date, datetime)):
        return v.isoformat()
    return v


def is_url(target: str) -> bool:
    return target.startswith(("http://", "https://"))


class Watcher:
    """Polls ``targets`` (feed URLs and folders) into ``store`` (see the module docstring)."""

    def __init__(self, targets: Iterable[str], store: Store, config: dict, *,
                 rules: Iterable[Rule] = (), sinks: Iterable[Sink] = (),
                 min_host_interval: float = 1.0, max_bytes: int = 5_000_000,
                 timeout: float = 20.0, settle_s: float = 1.0,
                 on_error: Callable[[str], None] | None = None) -> None:
        self.targets = list(targets)
        if not self.targets:
            raise ConflictLensError("E812", detail="no targets")
        self.store = store
        self.config = config
        self.rules = list(rules)
        self.sinks = list(sinks)
        self.on_error = on_error or (lambda line: None)
        self.state = WatchState(store.engine)
        self.fetcher = FeedFetcher(timeout=timeout, max_bytes=max_bytes,
                                   min_interval=min_host_interval)
        self.sources = [FeedSource(t, self.fetcher, self.state, config) if is_url(t)
                        else FolderSource(t, self.state, config, settle_s=settle_s)
                        for t in self.targets]
        self._pipe = None

    @property
    def pipeline(self):
        if self._pipe is None:
            from ..pipeline import Pipeline

            self._pipe = Pipeline.from_config(self.config)
        return self._pipe

    def close(self) -> None:
        self.fetcher.close()
        for s in self.sinks:
            s.close()

    # --- one cycle --------------------------------------------------------------------

    def poll_once(self, stop: threading.Event | None = None) -> CycleReport:
        """Poll every target once, ingest what is new, then evaluate the rules."""
        rep = CycleReport()
        run_id = None
        for src in self.sources:
            if stop is not None and stop.is_set():
                break
            target = getattr(src, "url", None) or str(getattr(src, "path", ""))
            try:
                for item in src.poll(stop):
                    if run_id is None:
                        run_id = self.store.start_run([f"watch:{t}" for t in self.targets], 1)
                    self._ingest_item(item, run_id, rep)
                    if stop is not None and stop.is_set():
                        break
            except ConflictLensError as exc:
                # a broken feed or folder is reported and skipped; the others go on
                rep.errors.append(exc.line())
                self.on_error(exc.line())
            except Exception as exc:  # noqa: BLE001 - never let one target stop the watcher
                line = ConflictLensError("E810", url=target, detail=f"{type(exc).__name__}: {exc}"[:200]).line()
                rep.errors.append(line)
                self.on_error(line)
        if run_id is not None:
            self.store.finish_run(run_id, seen=rep.items, stored=rep.stored, skipped=rep.skipped,
                                  failed=rep.failed)
        self._evaluate(rep)
        return rep

    def _ingest_item(self, item: Item, run_id: int, rep: CycleReport) -> None:
        rep.items += 1
        if item.failure is not None:
            self._fail(item, item.failure, run_id, rep)
            return
        raw = item.raw
        try:
            doc = self.pipeline.process(raw)
            res = self.store.save_document(doc, raw_hash=raw_hash(raw), input_name=raw.name,
                                           run_id=run_id)
        except ConflictLensError as exc:
            self._fail(item, Failure(input=item.name, code=exc.code, message=exc.message), run_id, rep)
            return
        except Exception as exc:  # noqa: BLE001 - a stage bug must not end the watch
            err = ConflictLensError("E610", path=item.name, detail=f"{type(exc).__name__}: {exc}")
            self._fail(item, Failure(input=item.name, code=err.code, message=err.message), run_id, rep)
            return
        if res.stored:
            rep.stored += 1
        else:
            rep.skipped += 1
        self.state.mark(item.key, item.target, item.name, "stored" if res.stored else "skipped",
                        res.source_id)

    def _fail(self, item: Item, failure: Failure, run_id: int, rep: CycleReport) -> None:
        rep.failed += 1
        self.store.record_failure(failure, run_id)
        self.state.mark(item.key, item.target, item.name, "failed", None)
        line = f"error[{failure.code}]: {failure.message}"
        rep.errors.append(line)
        self.on_error(line)

    # --- rules ------------------------------------------------------------------------

    def _evaluate(self, rep: CycleReport) -> None:
        pending = self.state.unevaluated_sources()
        if not pending:
            return
        keys = [k for k, _ in pending]
        batch = {sid for _, sid in pending}
        if self.rules:
            em, ev = M.event_mentions, M.events
            with self.store.engine.connect() as conn:
                ids = {r[0] for r in conn.execute(select(em.c.event_id).where(
                    em.c.source_id.in_(sorted(batch)), em.c.event_id.is_not(None)))}
                rows = [dict(r) for r in conn.execute(select(ev).where(ev.c.id.in_(sorted(ids)))).mappings()]
            rows.sort(key=lambda r: (r.get("event_date") or date.min, r["id"]))
            for rule in self.rules:
                for row in rows:
                    for hit in rule.evaluate(row, self.store.engine, batch):
                        alert = self._alert(rule, hit, row)
                        if self.state.claim_alert(hit.key, rule.name, row["id"], alert):
                            rep.alerts.append(alert)
                            self._send(alert, rep)
        self.state.mark_evaluated(keys)

    @staticmethod
    def _alert(rule: Rule, hit, row: dict) -> dict:
        event = {k: _jsonable(row.get(k)) for k in Event.model_fields if k != "evidence"}
        event.update(n_mentions=row.get("n_mentions"), n_sources=row.get("n_sources"))
        return {"rule": rule.name, "kind": rule.kind, "key": hit.key, "message": hit.message,
                "fired_at": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
                "details": hit.extra, "event": event, "evidence": row.get("evidence") or [],
                "sources": row.get("sources") or []}

    def _send(self, alert: dict, rep: CycleReport) -> None:
        for sink in self.sinks:
            try:
                sink.send(alert)
            except ConflictLensError as exc:
                rep.errors.append(exc.line())
                self.on_error(exc.line())

    # --- the loop ---------------------------------------------------------------------

    def run(self, stop: threading.Event, interval: float = 300.0, max_cycles: int | None = None,
            on_cycle: Callable[[CycleReport], None] | None = None) -> int:
        """Poll every ``interval`` seconds until ``stop`` is set (or ``max_cycles``); returns cycles run."""
        cycles = 0
        while not stop.is_set():
            started = time.monotonic()
            rep = self.poll_once(stop)
            cycles += 1
            if on_cycle:
                on_cycle(rep)
            if max_cycles is not None and cycles >= max_cycles:
                break
            stop.wait(max(0.0, interval - (time.monotonic() - started)))
        return cycles
