"""Extraction engines: where ``conflictlens ingest`` runs the pipeline.

Both engines share one interface (:class:`~conflictlens.engines.base.Engine`):
``engine.ingest(specs, store, config) -> IngestReport``.  The database
always has a single writer, the calling process; engines differ only in
where extraction runs.

* ``local``: this machine, ``--workers N`` processes (``conflictlens.store.ingest``).
* ``dask``: a Dask cluster, a :class:`distributed.LocalCluster` when no
  scheduler address is given, otherwise an existing ``tcp://HOST:PORT``
  scheduler (see docs/scale.md).
"""
from __future__ import annotations

from ..errors import ConflictLensError
from .base import Engine
from .inputs import iter_corpus
from .local import LocalEngine

ENGINES = ("local", "dask")


def get_engine(name: str = "local", *, workers: int = 1, scheduler: str | None = None,
               **options) -> Engine:
    """Build the engine called ``name`` (``local`` or ``dask``)."""
    if name == "local":
        if scheduler:
            raise ConflictLensError("E802", engine="local with --scheduler",
                                    choices="--engine dask for a scheduler address")
        return LocalEngine(workers=workers)
    if name == "dask":
        from .dask import DaskEngine

        return DaskEngine(scheduler=scheduler, workers=workers, **options)
    raise ConflictLensError("E802", engine=name, choices=", ".join(ENGINES))


__all__ = ["ENGINES", "Engine", "LocalEngine", "get_engine", "iter_corpus"]
