"""The engine interface.

The single writer that every engine stores through is
:class:`conflictlens.store.ingest.Writer`, re-exported here as ``Writer``.
"""
from __future__ import annotations

import abc
from typing import Callable, Iterable

from ..doc import RawInput
from ..schema import Failure
from ..store.ingest import IngestReport, Writer
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


__all__ = ["Engine", "Writer"]
