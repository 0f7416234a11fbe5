"""The engine interface and the single writer shared by the engines."""
from __future__ import annotations

import abc
from typing import Callable, Iterable, Iterator

from ..doc import RawInput
from ..errors import ConflictLensError
from ..schema import Document, Failure
from ..store.ingest import IngestReport, raw_hash
from ..store.store import Store


class Engine(abc.ABC):
    """Runs extraction somewhere and stores the results through one writer."""

    name = "engine"

    @abc.abstractmethod
    def ingest(self, specs: list[str], store: Store, config: dict, *,
               advance: Callable[[int], None] | None = None,
               inputs: Iterable[RawInput | Failure] | None = None) -> IngestReport:
        """Extract every input of ``specs`` (or ``inputs``) and store it in ``store``."""

    def close(self) -> None:
        """Release what the engine holds (cluster connections); idempotent."""

    def __enter__(self) -> "Engine":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class Writer:
    """The single writer: stores finished documents one transaction each.

    Mirrors the bookkeeping of :func:`conflictlens.store.ingest.ingest` (raw
    hash skip before extraction, content-hash skip at write time, failures as
    rows) so that every engine produces the same rows.
    """

    def __init__(self, store: Store, specs: list[str], workers: int,
                 advance: Callable[[int], None] | None = None) -> None:
        self.store = store
        self.advance = advance or (lambda n=1: None)
        self.run_id = store.start_run(specs, workers)
        self.report = IngestReport(run_id=self.run_id)
        self.known = store.known_raw_hashes()

    def fail(self, f: Failure) -> None:
        self.report.failed += 1
        self.report.failures.append(f)
        self.store.record_failure(f, self.run_id)

    def write(self, rh: str, raw: RawInput, result: Document | Failure) -> None:
        rep = self.report
        if isinstance(result, Failure):
            self.fail(result)
        else:
            try:
                res = self.store.save_document(result, raw_hash=rh, input_name=raw.name,
                                               run_id=self.run_id)
            except ConflictLensError as exc:
                self.fail(Failure(input=raw.name, code=exc.code, message=exc.message))
            else:
                if res.stored:
                    rep.stored += 1
                    rep.new_events += res.new_events
                    rep.mentions += len(res.event_ids)
                else:
                    rep.skipped += 1
                self.known.add(rh)
        self.advance(1)

    def todo(self, source: Iterable[RawInput | Failure]) -> Iterator[tuple[str, RawInput]]:
        """Inputs still to extract, read lazily (the caller decides how many are in flight)."""
        batch_seen: set[str] = set()
        for item in source:
            self.report.seen += 1
            if isinstance(item, Failure):
                self.fail(item)
                self.advance(1)
                continue
            rh = raw_hash(item)
            if rh in self.known or rh in batch_seen:
                self.report.skipped += 1
                self.advance(1)
                continue
            batch_seen.add(rh)
            yield rh, item

    def finish(self, status: str) -> IngestReport:
        r = self.report
        self.store.finish_run(self.run_id, seen=r.seen, stored=r.stored, skipped=r.skipped,
                              failed=r.failed, status=status)
        return r
