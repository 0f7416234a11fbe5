"""Batch ingest: read inputs, extract in parallel processes, store one article per transaction.

* Extraction runs in a process pool; each worker builds the pipeline once
  (spaCy loads once per worker).  ``workers=1`` runs in-process.
* The calling process is the only writer: it stores each finished
  Document in its own transaction (:meth:`Store.save_document`).
* Idempotent and resumable: an input whose raw hash (content + JSONL id) is
  already stored is skipped before extraction; a document whose clean body is
  already stored is skipped at write time.  After a crash or ``kill -9`` the
  same command stores what is missing and nothing twice.
* Failures (bad input, extraction error, even a crashed worker) are recorded
  in ``failures`` with their code; the batch always goes on.

The pieces every engine shares live here too: :class:`Writer` (the single
writer's bookkeeping), :func:`iter_spec_groups` (input expansion) and
:func:`extract_one` (an extraction whose errors become Failures).  The Dask
engine (``conflictlens.engines.dask``) uses them, so both engines store the
same rows.
"""
from __future__ import annotations

import hashlib
import os
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from ..doc import RawInput
from ..errors import ConflictLensError
from ..schema import Document, Failure
from .store import Store


@dataclass
class IngestReport:
    run_id: int
    seen: int = 0
    stored: int = 0
    skipped: int = 0
    failed: int = 0
    new_events: int = 0
    mentions: int = 0
    failures: list[Failure] = field(default_factory=list)


def raw_hash(raw: RawInput) -> str:
    """Hash of an input before extraction (its JSONL id, if any, and its content)."""
    h = hashlib.sha256()
    h.update((raw.id or "").encode("utf-8"))
    h.update(b"\0")
    h.update(raw.content.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def iter_spec_groups(specs: list[str], special: Callable[[str], bool],
                     read_special: Callable[[str], Iterable[RawInput | Failure]],
                     read_plain: Callable[[list[str]], Iterable[RawInput | Failure]],
                     ) -> Iterator[RawInput | Failure]:
    """Every input of ``specs`` in order: each ``special`` spec goes alone to
    ``read_special``, each run of consecutive other specs goes to ``read_plain``."""
    plain: list[str] = []
    for spec in specs:
        if special(spec):
            if plain:
                yield from read_plain(plain)
                plain = []
            yield from read_special(spec)
        else:
            plain.append(spec)
    if plain:
        yield from read_plain(plain)


def iter_all_inputs(specs: list[str], config: dict) -> Iterator[RawInput | Failure]:
    """Files, directories, URLs, JSONL corpora (``iter_inputs``) and RSS/Atom feeds."""
    from ..ingest.feeds import is_feed, iter_feed
    from ..ingest.readers import iter_inputs

    return iter_spec_groups(specs, is_feed, lambda spec: iter_feed(spec, config),
                            lambda plain: iter_inputs(plain, config))


def count_all_inputs(specs: list[str]) -> int | None:
    from ..ingest.feeds import is_feed
    from ..ingest.readers import count_inputs

    if any(is_feed(s) for s in specs):
        return None
    try:
        return count_inputs(specs)
    except OSError:
        return None


# --- worker side ------------------------------------------------------------------------

_PIPE = None


def _init_worker(config: dict) -> None:
    global _PIPE
    from ..pipeline import Pipeline

    _PIPE = Pipeline.from_config(config)


def extract_one(pipe, raw: RawInput) -> Document | Failure:
    """Run ``pipe`` on one input; every error becomes a Failure (E610 for a stage bug)."""
    try:
        return pipe.process(raw)
    except ConflictLensError as exc:
        return Failure(input=raw.name, code=exc.code, message=exc.message)
    except Exception as exc:  # noqa: BLE001 - a bug in a stage must not end the batch
        err = ConflictLensError("E610", path=raw.name, detail=f"{type(exc).__name__}: {exc}")
        return Failure(input=raw.name, code=err.code, message=err.message)


def _extract(raw: RawInput) -> Document | Failure:
    """Run the worker's pipeline on one input (see :func:`extract_one`)."""
    return extract_one(_PIPE, raw)


def _check_stages(config: dict) -> None:
    """Fail fast (E103) on an unknown stage name instead of in every worker."""
    from ..registry import stages

    for name in (config.get("pipeline") or {}).get("stages") or []:
        stages.get(name)


# --- writer side ------------------------------------------------------------------------


class Writer:
    """The single writer's bookkeeping, shared by every engine.

    Starts the run, skips inputs whose raw hash is already stored (before
    extraction), stores each finished document in its own transaction
    (:meth:`Store.save_document`, which skips a known content hash), records
    failures as rows, keeps the counters of :class:`IngestReport` and
    finishes the run.  Engines decide only where extraction runs and in
    which order results come back to :meth:`write`.
    """

    def __init__(self, store: Store, specs: list[str], workers: int,
                 advance: Callable[[int], None] | None = None) -> None:
        self.store = store
        self.advance = advance or (lambda n=1: None)
        self.run_id = store.start_run(specs, workers)
        self.report = IngestReport(run_id=self.run_id)
        self.known = store.known_raw_hashes()

    def fail(self, f: Failure) -> None:
        """Count ``f`` and record it in ``failures``."""
        self.report.failed += 1
        self.report.failures.append(f)
        self.store.record_failure(f, self.run_id)

    def write(self, rh: str, raw: RawInput, result: Document | Failure) -> None:
        """Store one extraction result (one transaction), then advance the progress."""
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
        """``(raw hash, input)`` still to extract, read lazily; failures and inputs
        already stored (or repeated in this run) are counted here and not yielded."""
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
        """Write the run's counts and ``status`` (``done``/``interrupted``)."""
        r = self.report
        self.store.finish_run(self.run_id, seen=r.seen, stored=r.stored, skipped=r.skipped,
                              failed=r.failed, status=status)
        return r


def ingest(specs: list[str], store: Store, config: dict, *, workers: int = 1,
           advance: Callable[[int], None] | None = None,
           inputs: Iterable[RawInput | Failure] | None = None) -> IngestReport:
    """Ingest inputs into ``store`` (see the module docstring)."""
    workers = max(1, int(workers))
    _check_stages(config)
    writer = Writer(store, specs, workers, advance)
    source = inputs if inputs is not None else iter_all_inputs(specs, config)
    status = "done"
    try:
        if workers == 1:
            _init_worker(config)
            for rh, raw in writer.todo(source):
                writer.write(rh, raw, _extract(raw))
        else:
            _run_pool(writer.todo(source), config, workers, writer.write)
    except BaseException:  # Ctrl-C or a crash: the run did not finish (same as the Dask engine)
        status = "interrupted"
        raise
    finally:
        writer.finish(status)
    return writer.report


def _run_pool(items: Iterator[tuple[str, RawInput]], config: dict, workers: int,
              write: Callable[[str, RawInput, Document | Failure], None]) -> None:
    """Keep ``workers * 2`` inputs in flight; write results as they finish."""
    import multiprocessing as mp

    ctx = mp.get_context("forkserver" if os.name == "posix" else "spawn")
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker,
                               initargs=(config,))
    pending: dict[Future, tuple[str, RawInput]] = {}
    limit = workers * 2
    exhausted = False
    try:
        while True:
            while not exhausted and len(pending) < limit:
                nxt = next(items, None)
                if nxt is None:
                    exhausted = True
                    break
                try:
                    pending[pool.submit(_extract, nxt[1])] = nxt
                except BrokenProcessPool:
                    pool = _restart(pool, ctx, workers, config)
                    pending[pool.submit(_extract, nxt[1])] = nxt
            if not pending:
                break
            done, _ = wait(list(pending), return_when=FIRST_COMPLETED)
            for fut in done:
                rh, raw = pending.pop(fut)
                try:
                    result = fut.result()
                except BrokenProcessPool as exc:
                    err = ConflictLensError("E610", path=raw.name, detail=str(exc) or "worker died")
                    result = Failure(input=raw.name, code=err.code, message=err.message)
                write(rh, raw, result)  # advances the progress
            if any(isinstance(f.exception(), BrokenProcessPool) for f in done if f.done()):
                # every other in-flight input is lost with the pool: resubmit them
                lost = list(pending.values())
                pending.clear()
                pool = _restart(pool, ctx, workers, config)
                for rh, raw in lost:
                    pending[pool.submit(_extract, raw)] = (rh, raw)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _restart(pool: ProcessPoolExecutor, ctx, workers: int, config: dict) -> ProcessPoolExecutor:
    pool.shutdown(wait=False, cancel_futures=True)
    return ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker,
                               initargs=(config,))
