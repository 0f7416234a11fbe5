"""The working document that flows through pipeline stages.

Stages read and write named fields of :class:`WorkDoc`; the registry checks
at build time that every field a stage reads is written by an earlier stage
(or is one of ``INITIAL_FIELDS``).  ``WorkDoc.to_document()`` turns the result
into the public :class:`conflictlens.schema.Document`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Optional

from .schema import Actor, Aggregate, Document, Event, Place, Quote, Source

INITIAL_FIELDS = ("raw",)


@dataclass
class RawInput:
    """What a reader hands to the pipeline: one article, not yet cleaned."""

    name: str  # path, URL or "-" (stdin); used in messages
    content: str
    kind: str = "text"  # "text" | "html"
    id: Optional[str] = None  # JSONL id, kept as source.id
    url: Optional[str] = None
    title: Optional[str] = None
    published: Optional[date] = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Sentence:
    start: int
    end: int
    text: str
    paragraph: int = 0


@dataclass
class Entity:
    start: int
    end: int
    label: str  # PERSON, ORG, GPE, LOC, NORP, DATE, ACTOR, PLACE ...
    text: str
    kb_id: str = ""  # e.g. the canonical actor name for ACTOR entities


@dataclass
class WorkDoc:
    raw: RawInput
    source: Optional[Source] = None
    body: str = ""
    paragraphs: list[tuple[int, int]] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    spacy_doc: Any = None
    events: list[Event] = field(default_factory=list)
    aggregates: list[Aggregate] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    # free-form notes from stages (removed debris, headline, stance target ...)
    meta: dict[str, Any] = field(default_factory=dict)

    def sentence_at(self, offset: int) -> Optional[Sentence]:
        for s in self.sentences:
            if s.start <= offset < s.end:
                return s
        return None

    def to_document(self) -> Document:
        assert self.source is not None, "ingest stage did not run"
        return Document(
            source=self.source,
            events=self.events,
            aggregates=self.aggregates,
            quotes=self.quotes,
            actors=self.actors,
            places=self.places,
        )
