"""A registry of named pipeline stages (after spaCy's factories).

A stage is registered with the fields of :class:`conflictlens.doc.WorkDoc` it
reads and writes::

    @stages.register("events.rules", reads=["body", "sentences"], writes=["events"])
    def make_rule_events(config: dict) -> Callable[[WorkDoc], WorkDoc]:
        ...

The factory is called once per pipeline with the stage's options from the
config file and returns a callable that takes and returns a ``WorkDoc``.
Stage modules are imported lazily (see ``STAGE_MODULES``) so that a pipeline
only pays for the stages it uses.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Callable

from .errors import ConflictLensError

# Modules that register stages when imported.  Third-party packages can add
# stages through the ``conflictlens.stages`` entry point group.
STAGE_MODULES = (
    "conflictlens.ingest.stage",
    "conflictlens.nlp.stage",
    "conflictlens.events.stage",
    "conflictlens.geo.stage",
    "conflictlens.quotes.stage",
    "conflictlens.llm.stage",
)


@dataclass(frozen=True)
class StageSpec:
    name: str
    factory: Callable[[dict], Callable]
    reads: tuple[str, ...] = ()
    writes: tuple[str, ...] = ()
    doc: str = ""


@dataclass
class Registry:
    _stages: dict[str, StageSpec] = field(default_factory=dict)
    _loaded: bool = False

    def register(self, name: str, *, reads: list[str] | tuple = (), writes: list[str] | tuple = ()):
        def deco(factory):
            self._stages[name] = StageSpec(
                name=name,
                factory=factory,
                reads=tuple(reads),
                writes=tuple(writes),
                doc=(factory.__doc__ or "").strip().splitlines()[0] if factory.__doc__ else "",
            )
            return factory

        return deco

    def _load_all(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        for mod in STAGE_MODULES:
            try:
                importlib.import_module(mod)
            except ModuleNotFoundError as exc:  # a stage package not present in this build
                if exc.name and exc.name.startswith("conflictlens"):
                    continue
                raise
        try:
            from importlib.metadata import entry_points

            for ep in entry_points(group="conflictlens.stages"):
                ep.load()
        except Exception:  # pragma: no cover - broken third-party plugin must not kill us
            pass

    def get(self, name: str) -> StageSpec:
        self._load_all()
        if name not in self._stages:
            raise ConflictLensError("E103", name=name, available=", ".join(sorted(self._stages)))
        return self._stages[name]

    def names(self) -> list[str]:
        self._load_all()
        return sorted(self._stages)

    def all(self) -> list[StageSpec]:
        self._load_all()
        return [self._stages[n] for n in sorted(self._stages)]


stages = Registry()
