"""The local engine: worker processes on this machine (``conflictlens.store.ingest``)."""
from __future__ import annotations

from typing import Callable, Iterable

from ..doc import RawInput
from ..schema import Failure
from ..store.ingest import IngestReport, ingest
from ..store.store import Store
from .base import Engine
from .inputs import iter_corpus


class LocalEngine(Engine):
    """``--engine local``: ``workers`` processes (1 = in this process)."""

    name = "local"

    def __init__(self, workers: int = 1) -> None:
        self.workers = max(1, int(workers))

    def ingest(self, specs: list[str], store: Store, config: dict, *,
               advance: Callable[[int], None] | None = None,
               inputs: Iterable[RawInput | Failure] | None = None) -> IngestReport:
        source = inputs if inputs is not None else iter_corpus(specs, config)
        return ingest(specs, store, config, workers=self.workers, advance=advance, inputs=source)
