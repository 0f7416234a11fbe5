"""Geoparsing a document and placing each event (reference §4).

:func:`geoparse` finds and resolves the toponyms of a text.  :func:`locate_event`
chooses, for one event, the most specific resolved place that its evidence
ties to it: a place introduced by a locative ("in", "at", "inside", "near",
"outside ... of") wins over a place that is only named (an actor such as
"Pakistan launched ...", or a capital used for its government, "Islamabad
accused Kabul"); the dateline never locates an event.  geo_precision is 1 for
a named town, 2 for "near/outside X" or a named region, 3 for a district,
province or country (coded to its representative point).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Optional, Sequence

from ..schema import Event, Place, Span
from .build import KIND_ALT
from .gazetteer import Entry, Gazetteer
from .toponyms import PLACE_LABELS, Context, Mention, find_mentions, mark_dateline, resolve


# prepositions that put an event inside a country even against the events stage's guess
STRONG_IN = {"inside", "into", "across", "within", "throughout"}


@dataclass
class GeoParse:
    mentions: list[Mention]
    rejected: list[Mention]
    context: Context
    notes: list[str] = field(default_factory=list)


def geoparse(text: str, gaz: Gazetteer, *, entities: Sequence = (), dateline: Optional[str] = None,
             hints: Iterable[str] = (), min_score: float = 0.5, min_margin: float = 0.05) -> GeoParse:
    """Recognise and resolve the toponyms of ``text``."""
    accepted, rejected = find_mentions(text, gaz, entities)
    mark_dateline(accepted, text, dateline)
    ctx = resolve(accepted, text, gaz, dateline=dateline, hints=hints, min_score=min_score, min_margin=min_margin)
    # a weak match that only reaches obscure alternate names is noise, not an abstention
    keep = []
    for m in accepted:
        if m.resolved is None and m.reason.startswith("abstain: weak") and m.entity_label not in PLACE_LABELS \
                and all(e.kind == KIND_ALT and e.pop < 50000 for e in m.candidates):
            m.reason = "only obscure alternate names match"
            rejected.append(m)
        else:
            keep.append(m)
    return GeoParse(keep, rejected, ctx)


def place_fields(e: Entry, gaz: Gazetteer) -> dict:
    """country, iso3, admin1, admin2, location, latitude, longitude of a gazetteer entry."""
    c = gaz.country(e.cc)
    admin1 = None if e.feature == "PCLI" else (e.admin1 or (e.name if e.feature == "ADM1" else None))
    admin2 = e.admin2 if e.feature not in ("PCLI", "ADM1") else None
    return {
        "country": c.name if c else None,
        "iso3": c.iso3 if c else None,
        "admin1": admin1,
        "admin2": admin2,
        "location": e.name,
        "latitude": round(e.lat, 5),
        "longitude": round(e.lon, 5),
    }


def to_places(parse: GeoParse, gaz: Gazetteer) -> list[Place]:
    """One :class:`Place` per resolved gazetteer entry (mentions merged) and one per abstention."""
    out: dict[object, Place] = {}
    for m in parse.mentions:
        span = Span(start=m.start, end=m.end)
        if m.resolved is None:
            k = ("abstain", m.text)
            if k not in out:
                out[k] = Place(name=m.text, score=m.score, reason=m.reason, mentions=[])
            out[k].mentions.append(span)
            continue
        e = m.resolved
        if e.pid not in out:
            f = place_fields(e, gaz)
            out[e.pid] = Place(name=e.name, iso3=f["iso3"], country=f["country"], admin1=f["admin1"],
                               admin2=f["admin2"], latitude=f["latitude"], longitude=f["longitude"],
                               geonames_id=e.gid, feature=e.feature, score=m.score, reason=m.reason, mentions=[])
        p = out[e.pid]
        p.mentions.append(span)
        if m.score > (p.score or 0):
            p.score, p.reason = m.score, m.reason
    return list(out.values())


def _precision(m: Mention) -> int:
    e = m.resolved
    if e.feature in ("PPL", "PPLC"):
        if m.cue in ("ADM1", "ADM2"):
            return 3  # "the Guzara district": only the district is known, coded to its seat
        return 2 if m.locative == "near" or m.cue_word in ("outskirts", "area", "border") else 1
    if e.feature == "RGN":
        return 2 if e.pop == 0 and e.feature == "RGN" and m.cue_word == "valley" else 3
    return 3


def locate_event(event: Event, parse: GeoParse, gaz: Gazetteer) -> tuple[dict, str]:
    """Location fields for one event and the reason; ({}, reason) to abstain."""
    spans = [(ev.start, ev.end) for ev in event.evidence]
    inside = [m for m in parse.mentions
              if m.resolved is not None and not m.is_dateline and any(s <= m.start and m.end <= e for s, e in spans)]
    event_cc = None
    if event.iso3:
        c = gaz.by_iso3.get(event.iso3)
        event_cc = c.cc if c else None
    elif event.country:
        for e in gaz.lookup(event.country):
            if e.feature == "PCLI":
                event_cc = e.cc
                break

    def usable(m: Mention) -> bool:
        e = m.resolved
        if m.locative is None and e.feature in ("PCLI", "PPLC"):
            return False  # an actor ("Pakistan launched") or a government ("Islamabad said")
        if event_cc and e.cc != event_cc:
            if e.feature == "PCLI":
                # "tensions with the rulers in Afghanistan" does not move a Pakistani event;
                # "airstrikes inside Afghanistan" does
                return m.prep in STRONG_IN
            # a town / province abroad overrides the events stage's country only when the article is
            # about that country or the name has no reading elsewhere ("in the Sagaing region")
            unique = len({c.cc for c in m.candidates}) == 1
            return parse.context.countries.get(e.cc, 0) >= 1 or (unique and m.locative is not None)
        return True

    tied = [m for m in inside if m.locative and usable(m)]
    how = "locative"
    if not tied:
        tied = [m for m in inside if usable(m) and (event_cc is None or m.resolved.cc == event_cc)]
        how = "named in evidence"
    if event_cc and how == "named in evidence":
        tied = [m for m in tied if m.resolved.cc == event_cc] or tied
    if tied:
        # most specific first, then the one the text places the event "in" rather than "near", then the first
        best = min(tied, key=lambda m: (-m.resolved.rank, 0 if m.locative == "in" else 1, m.start))
        fields = place_fields(best.resolved, gaz)
        fields["geo_precision"] = _precision(best)
        # a province / country event gets admin1 from a co-mentioned province when the text gives one
        if best.resolved.feature == "PCLI":
            fields["location"] = fields["country"]
            adm = [m for m in tied if m.resolved.feature == "ADM1" and m.resolved.cc == best.resolved.cc]
            if adm:
                fields["admin1"] = adm[0].resolved.admin1
        reason = f"{how}: '{best.text}' ({best.resolved.feature}; {best.reason})"
        if event_cc and best.resolved.cc != event_cc:
            reason += f"; country corrected from {event.iso3 or event.country}"
        return fields, reason
    if event_cc:
        ce = gaz.country_entry(event_cc)
        if ce is not None:
            fields = place_fields(ce, gaz)
            fields["location"] = fields["country"]
            fields["geo_precision"] = 3
            return fields, "only the country is known (from the events stage)"
    return {}, "no place tied to the event"
