"""Compose registered stages into a pipeline, driven by a TOML config.

``load_config`` merges a user file over ``conflictlens/default.toml``;
``Pipeline.from_config`` looks up every stage by name in the registry, checks
that each stage's inputs are produced upstream, and builds it with its
options (``[stages."NAME"]``).
"""
from __future__ import annotations

import copy
import sys
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from .doc import INITIAL_FIELDS, RawInput, WorkDoc
from .errors import ConflictLensError
from .registry import StageSpec, stages
from .schema import Document, Failure


def default_config() -> dict:
    text = resources.files("conflictlens").joinpath("default.toml").read_text("utf-8")
    return tomllib.loads(text)


def _deep_merge(base: dict, over: dict) -> dict:
    out = copy.deepcopy(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = _deep_merge(out[k], v)
        else:
            out[k] = v
    return out


def load_config(path: str | Path | None = None, overrides: dict | None = None) -> dict:
    cfg = default_config()
    if path is not None:
        p = Path(path)
        if not p.is_file():
            raise ConflictLensError("E101", path=str(p))
        try:
            user = tomllib.loads(p.read_text("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConflictLensError("E102", path=str(p), detail=str(exc)) from None
        cfg = _deep_merge(cfg, user)
    if overrides:
        cfg = _deep_merge(cfg, overrides)
    stages_list = cfg.get("pipeline", {}).get("stages")
    if not isinstance(stages_list, list) or not all(isinstance(s, str) for s in stages_list):
        raise ConflictLensError("E102", path=str(path or "default.toml"), detail="[pipeline] stages must be a list of names")
    return cfg


@dataclass
class BuiltStage:
    spec: StageSpec
    fn: Callable[[WorkDoc], WorkDoc]


class Pipeline:
    def __init__(self, built: list[BuiltStage], config: dict) -> None:
        self.stages = built
        self.config = config

    @classmethod
    def from_config(cls, config: dict | None = None) -> "Pipeline":
        config = config if config is not None else load_config()
        names = config["pipeline"]["stages"]
        available = set(INITIAL_FIELDS)
        built: list[BuiltStage] = []
        for name in names:
            spec = stages.get(name)
            for f in spec.reads:
                if f not in available:
                    raise ConflictLensError("E104", name=name, field=f)
            opts = dict(config.get("stages", {}).get(name, {}) or {})
            # every stage sees the global [input] section too
            opts.setdefault("_input", config.get("input", {}))
            built.append(BuiltStage(spec, spec.factory(opts)))
            available.update(spec.writes)
        return cls(built, config)

    @property
    def names(self) -> list[str]:
        return [b.spec.name for b in self.stages]

    def run(self, raw: RawInput) -> WorkDoc:
        doc = WorkDoc(raw=raw)
        for b in self.stages:
            doc = b.fn(doc)
        return doc

    def process(self, raw: RawInput) -> Document:
        return self.run(raw).to_document()

    def process_many(
        self, raws: Iterable[RawInput | Failure]
    ) -> Iterator[Document | Failure]:
        """Process a stream; a failing document yields a :class:`Failure` and the batch goes on."""
        for raw in raws:
            if isinstance(raw, Failure):
                yield raw
                continue
            try:
                yield self.process(raw)
            except ConflictLensError as exc:
                yield Failure(input=raw.name, code=exc.code, message=exc.message)


_CACHE: dict[str, Pipeline] = {}


def get_pipeline(config_path: str | None = None, overrides: dict | None = None) -> Pipeline:
    """A cached pipeline for a config (models load once per process)."""
    key = f"{config_path}|{overrides!r}"
    if key not in _CACHE:
        _CACHE[key] = Pipeline.from_config(load_config(config_path, overrides))
    return _CACHE[key]


def extract_text(text: str, *, published: date | None = None, title: str | None = None,
                 url: str | None = None, html: bool = False, config: dict | None = None,
                 doc_id: str | None = None) -> Document:
    """Convenience API: one article in, one :class:`Document` out."""
    pipe = Pipeline.from_config(config) if config is not None else get_pipeline()
    raw = RawInput(name=url or "<text>", content=text, kind="html" if html else "text",
                   id=doc_id, url=url, title=title, published=published)
    return pipe.process(raw)


def config_value(config: dict, *keys: str, default: Any = None) -> Any:
    cur: Any = config
    for k in keys:
        if not isinstance(cur, dict) or k not in cur:
            return default
        cur = cur[k]
    return cur
