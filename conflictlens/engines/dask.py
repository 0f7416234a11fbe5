"""The Dask engine: extraction on a Dask cluster, one writer here.

* **Cluster.** ``scheduler=None`` starts a :class:`distributed.LocalCluster`
  with ``workers`` single-threaded worker processes (``processes=False``:
  threads in this process, for tests).  ``scheduler="tcp://HOST:PORT"``
  connects to an existing cluster (``dask scheduler`` / ``dask worker``,
  dask-kubernetes, dask-yarn, dask-jobqueue ...); every worker needs
  conflictlens installed (docs/scale.md).
* **Workers** build the pipeline once per worker thread (spaCy loads once)
  and cache it by config.
* **Backpressure.** Inputs are read lazily, grouped in tasks of ``batch``
  articles (default 4: fewer scheduler round trips), and at most ``window``
  tasks are in flight (default: 2 per worker thread); results are written and
  released as they arrive, so neither side ever holds the corpus.
* **Same rows as the local engine.** Results are written *in input order*
  (a reorder buffer of at most ``window`` x ``batch`` documents), so dedup, which depends
  on arrival order, sees the same sequence as ``--engine local --workers 1``.
* **Retries.** An exception inside the pipeline is already a ``Failure`` row
  (as in the local engine).  A task lost with its worker (killed, OOM,
  machine gone) is rescheduled by Dask on another worker; the task is also
  submitted with ``retries``.  If it still cannot finish (``KilledWorker``),
  the input is recorded as a failure (E804) and the run goes on.
"""
from __future__ import annotations

import hashlib
import json
import threading
from collections import deque
from typing import Callable, Iterable

from ..doc import RawInput
from ..errors import ConflictLensError
from ..schema import Document, Failure
from ..store.ingest import IngestReport, _check_stages, extract_one
from ..store.store import Store
from .base import Engine, Writer
from .inputs import iter_corpus

_LOCAL = threading.local()


def config_key(config: dict) -> str:
    """A stable key of a pipeline config (workers cache one pipeline per key)."""
    blob = json.dumps(config, sort_keys=True, default=str).encode("utf-8")
    return hashlib.sha1(blob).hexdigest()[:16]


def extract_task(key: str, config: dict, raw: RawInput) -> Document | Failure:
    """Run on a worker: extract one input; every pipeline error becomes a Failure
    (:func:`conflictlens.store.ingest.extract_one`)."""
    cache = getattr(_LOCAL, "pipes", None)
    if cache is None:
        cache = _LOCAL.pipes = {}
    pipe = cache.get(key)
    if pipe is None:
        from ..pipeline import Pipeline

        pipe = cache[key] = Pipeline.from_config(config)
    return extract_one(pipe, raw)


def extract_batch(key: str, config: dict, raws: list[RawInput]) -> list[Document | Failure]:
    """Run on a worker: extract a small batch (fewer scheduler round trips per article)."""
    return [extract_task(key, config, raw) for raw in raws]


def _import_distributed():
    try:
        import distributed
    except ImportError:
        raise ConflictLensError("E801", engine="dask", package="dask[distributed]") from None
    return distributed


class DaskEngine(Engine):
    """``--engine dask [--scheduler tcp://HOST:PORT]`` (see the module docstring)."""

    name = "dask"

    def __init__(self, scheduler: str | None = None, workers: int = 1, *,
                 processes: bool = True, threads_per_worker: int = 1,
                 window: int | None = None, batch: int = 4, retries: int = 2,
                 connect_timeout: float = 10.0, client=None) -> None:
        self.scheduler = scheduler
        self.workers = max(1, int(workers))
        self.processes = processes
        self.threads_per_worker = max(1, int(threads_per_worker))
        self.window = window
        self.batch = max(1, int(batch))
        self.retries = max(0, int(retries))
        self.connect_timeout = connect_timeout
        self._client = client
        self._own_client = client is None
        self._cluster = None

    # --- cluster ----------------------------------------------------------------------

    @property
    def client(self):
        """The ``distributed.Client`` (started on first use)."""
        if self._client is None:
            distributed = _import_distributed()
            if self.scheduler:
                try:
                    self._client = distributed.Client(self.scheduler, timeout=self.connect_timeout,
                                                      set_as_default=False)
                except (OSError, TimeoutError) as exc:
                    raise ConflictLensError("E803", address=self.scheduler,
                                            detail=str(exc).splitlines()[0][:200] or
                                            type(exc).__name__) from None
            else:
                self._cluster = distributed.LocalCluster(
                    n_workers=self.workers, threads_per_worker=self.threads_per_worker,
                    processes=self.processes, dashboard_address=":0", silence_logs=40)
                self._client = distributed.Client(self._cluster, set_as_default=False)
        return self._client

    def nthreads(self) -> int:
        """Worker threads in the cluster now (at least 1)."""
        return max(1, sum(self.client.nthreads().values()))

    def close(self) -> None:
        if self._client is not None and self._own_client:
            self._client.close()
        if self._cluster is not None:
            self._cluster.close()
        self._client = self._cluster = None

    # --- ingest -----------------------------------------------------------------------

    def ingest(self, specs: list[str], store: Store, config: dict, *,
               advance: Callable[[int], None] | None = None,
               inputs: Iterable[RawInput | Failure] | None = None) -> IngestReport:
        _check_stages(config)
        client = self.client
        writer = Writer(store, specs, self.workers, advance)
        source = inputs if inputs is not None else iter_corpus(specs, config)
        window = self.window or 2 * self.nthreads()  # batches in flight
        key = config_key(config)
        [cfg] = client.scatter([config], broadcast=True, hash=False)
        pending: deque = deque()
        chunk: list[tuple[str, RawInput]] = []
        status = "done"

        def submit() -> None:
            raws = [raw for _rh, raw in chunk]
            pending.append((list(chunk), client.submit(extract_batch, key, cfg, raws, pure=False,
                                                       retries=self.retries)))
            chunk.clear()

        try:
            for item in writer.todo(source):
                chunk.append(item)
                if len(chunk) >= self.batch:
                    submit()
                    if len(pending) >= window:
                        self._write_head(pending, writer)
            if chunk:
                submit()
            while pending:
                self._write_head(pending, writer)
        except BaseException:
            status = "interrupted"
            for _items, fut in pending:
                fut.cancel()
            raise
        finally:
            writer.finish(status)
            del cfg
        return writer.report

    def _write_head(self, pending: deque, writer: Writer) -> None:
        """Wait for the oldest batch and store its documents, in input order."""
        items, fut = pending.popleft()
        try:
            results = fut.result()
        except (KeyboardInterrupt, SystemExit):
            raise
        except Exception as exc:  # KilledWorker, CancelledError, a lost scheduler
            results = []
            for _rh, raw in items:
                err = ConflictLensError("E804", path=raw.name, retries=self.retries,
                                        detail=f"{type(exc).__name__}: {exc}"[:300])
                results.append(Failure(input=raw.name, code=err.code, message=err.message))
        finally:
            fut.release()
        for (rh, raw), result in zip(items, results):
            writer.write(rh, raw, result)
