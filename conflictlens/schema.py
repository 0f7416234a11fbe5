"""The typed output contract (schema_version 1).

This module is the single source of truth for JSON output, CSV columns, the
database rows and the API.  See ``../shared/reference/acled-coding.md`` §6 and
``docs/schema.md``.  Everything here is plain pydantic; no stage logic.
"""
from __future__ import annotations

from datetime import date
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1"

# --- ACLED taxonomy (reference §1) -------------------------------------------------

EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": (
        "Government regains territory",
        "Non-state actor overtakes territory",
        "Armed clash",
    ),
    "Protests": (
        "Excessive force against protesters",
        "Protest with intervention",
        "Peaceful protest",
    ),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Explosions/Remote violence": (
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    ),
    "Violence against civilians": (
        "Sexual violence",
        "Attack",
        "Abduction/forced disappearance",
    ),
    "Strategic developments": (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
}

SUB_EVENT_TO_TYPE: dict[str, str] = {
    sub: et for et, subs in EVENT_TYPES.items() for sub in subs
}

DISORDER_TYPES = ("Political violence", "Demonstrations", "Strategic developments")

INTER_CODES = {
    0: "None",
    1: "State forces",
    2: "Rebel groups",
    3: "Political militias",
    4: "Identity militias",
    5: "Rioters",
    6: "Protesters",
    7: "Civilians",
    8: "External/Other forces",
}


def disorder_type_for(event_type: str, sub_event_type: str | None = None) -> str:
    """ACLED disorder type of an event type (reference §1)."""
    if event_type == "Protests":
        return "Demonstrations"
    if event_type == "Riots":
        # Violent demonstrations are demonstrations; mob violence is political violence.
        return "Demonstrations" if sub_event_type == "Violent demonstration" else "Political violence"
    if event_type == "Strategic developments":
        return "Strategic developments"
    return "Political violence"


def interaction_code(inter1: int | None, inter2: int | None) -> int | None:
    """Two-digit interaction code, smaller code first (12, 17, 10 ...)."""
    if inter1 is None:
        return None
    a, b = inter1, inter2 or 0
    if b == 0:
        return a * 10
    lo, hi = sorted((a, b))
    return lo * 10 + hi


# --- building blocks ----------------------------------------------------------------


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Span(_Model):
    """A character span into ``source.body``."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)


class Evidence(Span):
    """A span of ``source.body`` that supports a field, with its text."""

    text: str


class Source(_Model):
    id: str = Field(description="JSONL id if given, else a stable hash of the clean body")
    url: Optional[str] = None
    title: Optional[str] = None
    outlet: Optional[str] = None
    authors: list[str] = Field(default_factory=list)
    published: Optional[date] = None
    dateline: Optional[str] = None
    language: Optional[str] = None
    body: str = ""


class Event(_Model):
    id: str
    event_date: Optional[date] = None
    event_date_start: Optional[date] = None
    event_date_end: Optional[date] = None
    time_precision: Optional[Literal[1, 2, 3]] = None
    disorder_type: str
    event_type: str
    sub_event_type: str
    actor1: Optional[str] = None
    assoc_actor_1: Optional[str] = None
    inter1: Optional[int] = Field(default=None, ge=0, le=8)
    actor2: Optional[str] = None
    assoc_actor_2: Optional[str] = None
    inter2: Optional[int] = Field(default=None, ge=0, le=8)
    interaction: Optional[int] = None
    civilian_targeting: bool = False
    country: Optional[str] = None
    iso3: Optional[str] = None
    admin1: Optional[str] = None
    admin2: Optional[str] = None
    location: Optional[str] = None
    latitude: Optional[float] = Field(default=None, ge=-90, le=90)
    longitude: Optional[float] = Field(default=None, ge=-180, le=180)
    geo_precision: Optional[Literal[1, 2, 3]] = None
    fatalities: int = Field(default=0, ge=0)
    fatalities_low: Optional[int] = Field(default=None, ge=0)
    fatalities_high: Optional[int] = Field(default=None, ge=0)
    fatalities_known: bool = False
    injuries: Optional[int] = Field(default=None, ge=0)
    evidence: list[Evidence] = Field(default_factory=list)
    confidence: float = Field(default=0.0, ge=0.0, le=1.0)
    notes: str = ""


class Aggregate(_Model):
    kind: Literal["fatalities", "arrests", "injuries", "attacks", "operations", "other"]
    value: int = Field(ge=0)
    subject: Optional[str] = None
    period_start: Optional[date] = None
    period_end: Optional[date] = None
    evidence: list[Evidence] = Field(default_factory=list)


class Quote(_Model):
    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    kind: Literal["direct", "indirect", "mixed"]
    speaker: Optional[str] = None
    speaker_role: Optional[str] = None
    speaker_org: Optional[str] = None
    anonymous: bool = False
    stance: Optional[Literal["support", "oppose", "neutral"]] = None
    stance_target: Optional[str] = None
    stance_cues: list[str] = Field(default_factory=list)


class Actor(_Model):
    name: str
    aliases: list[str] = Field(default_factory=list)
    inter: Optional[int] = Field(default=None, ge=0, le=8)
    mentions: list[Span] = Field(default_factory=list)


class Place(_Model):
    name: str
    iso3: Optional[str] = None
    country: Optional[str] = None
    admin1: Optional[str] = None
    admin2: Optional[str] = None
    latitude: Optional[float] = None
    longitude: Optional[float] = None
    geonames_id: Optional[int] = None
    feature: Optional[str] = None
    score: Optional[float] = None
    reason: Optional[str] = None
    mentions: list[Span] = Field(default_factory=list)


class Document(_Model):
    """One processed article: the JSON object ``conflictlens extract`` prints."""

    schema_version: Literal["1"] = SCHEMA_VERSION
    source: Source
    events: list[Event] = Field(default_factory=list)
    aggregates: list[Aggregate] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    actors: list[Actor] = Field(default_factory=list)
    places: list[Place] = Field(default_factory=list)


class Failure(_Model):
    """A document that could not be processed (batch mode keeps going)."""

    input: str
    code: str
    message: str


# CSV columns: ACLED's names and order for the columns we share, then ours.
ACLED_CSV_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
]
EXTRA_CSV_COLUMNS = [
    "iso3", "event_date_start", "event_date_end", "fatalities_low", "fatalities_high",
    "fatalities_known", "injuries", "confidence", "source_id", "source_url", "evidence",
]


def event_csv_row(event: Event, source: Source) -> dict:
    """One CSV row for an event, ACLED column names first (reference §6)."""
    row = {c: None for c in ACLED_CSV_COLUMNS + EXTRA_CSV_COLUMNS}
    data = event.model_dump(mode="json")
    row.update({k: v for k, v in data.items() if k in row})
    row["event_id_cnty"] = event.id
    row["year"] = event.event_date.year if event.event_date else None
    row["iso"] = None  # ACLED's numeric ISO code; we carry iso3 in its own column
    row["civilian_targeting"] = "Civilian targeting" if event.civilian_targeting else ""
    row["source"] = source.outlet
    row["source_id"] = source.id
    row["source_url"] = source.url
    row["evidence"] = " | ".join(e.text for e in event.evidence)
    return row


def json_schema() -> dict:
    """JSON Schema of :class:`Document` (``conflictlens schema``)."""
    schema = Document.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "conflictlens document (schema_version 1)"
    return schema
