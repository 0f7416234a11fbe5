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


def iter_all_inputs(specs: list[str], config: dict) -> Iterator[RawInput | Failure]:
    """Files, directories, URLs, JSONL corpora (``iter_inputs``) and RSS/Atom feeds."""
    from ..ingest.feeds import is_feed, iter_feed
    from ..ingest.readers import iter_inputs

    plain: list[str] = []
    for spec in specs:
        if is_feed(spec):
            if plain:
                yield from iter_inputs(plain, config)
                plain = []
            yield from iter_feed(spec, config)
        else:
            plain.append(spec)
    if plain:
        yield from iter_inputs(plain, config)


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


def _extract(raw: RawInput) -> Document | Failure:
    """Run the pipeline on one input; every error becomes a Failure."""
    try:
        return _PIPE.process(raw)
    except ConflictLensError as exc:
        return Failure(input=raw.name, code=exc.code, message=exc.message)
    except Exception as exc:  # a bug in a stage must not end the batch
        err = ConflictLensError("E610", path=raw.name, detail=f"{type(exc).__name__}: {exc}")
        return Failure(input=raw.name, code=err.code, message=err.message)


def _check_stages(config: dict) -> None:
    """Fail fast (E103) on an unknown stage name instead of in every worker."""
    from ..registry import stages

    for name in (config.get("pipeline") or {}).get("stages") or []:
        stages.get(name)


# --- writer side ------------------------------------------------------------------------


def ingest(specs: list[str], store: Store, config: dict, *, workers: int = 1,
           advance: Callable[[int], None] | None = None,
           inputs: Iterable[RawInput | Failure] | None = None) -> IngestReport:
    """Ingest inputs into ``store`` (see the module docstring)."""
    advance = advance or (lambda n=1: None)
    workers = max(1, int(workers))
    _check_stages(config)
    run_id = store.start_run(specs, workers)
    rep = IngestReport(run_id=run_id)
    known = store.known_raw_hashes()
    source = inputs if inputs is not None else iter_all_inputs(specs, config)

    def fail(f: Failure) -> None:
        rep.failed += 1
        rep.failures.append(f)
        store.record_failure(f, run_id)

    def write(rh: str, raw: RawInput, result: Document | Failure) -> None:
        if isinstance(result, Failure):
            fail(result)
            return
        try:
            res = store.save_document(result, raw_hash=rh, input_name=raw.name, run_id=run_id)
        except ConflictLensError as exc:
            fail(Failure(input=raw.name, code=exc.code, message=exc.message))
            return
        if res.stored:
            rep.stored += 1
            rep.new_events += res.new_events
            rep.mentions += len(res.event_ids)
        else:
            rep.skipped += 1
        known.add(rh)

    def todo() -> Iterator[tuple[str, RawInput]]:
        batch_seen: set[str] = set()
        for item in source:
            rep.seen += 1
            if isinstance(item, Failure):
                fail(item)
                advance(1)
                continue
            rh = raw_hash(item)
            if rh in known or rh in batch_seen:
                rep.skipped += 1
                advance(1)
                continue
            batch_seen.add(rh)
            yield rh, item

    status = "done"
    try:
        if workers == 1:
            _init_worker(config)
            for rh, raw in todo():
                write(rh, raw, _extract(raw))
                advance(1)
        else:
            _run_pool(todo(), config, workers, write, fail, advance)
    except KeyboardInterrupt:
        status = "interrupted"
        raise
    finally:
        store.finish_run(run_id, seen=rep.seen, stored=rep.stored, skipped=rep.skipped,
                         failed=rep.failed, status=status)
    return rep


def _run_pool(items: Iterator[tuple[str, RawInput]], config: dict, workers: int,
              write: Callable, fail: Callable[[Failure], None],
              advance: Callable[[int], None]) -> None:
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
                write(rh, raw, result)
                advance(1)
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
