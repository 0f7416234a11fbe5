"""The ``geo.gazetteer`` pipeline stage: places of a document and locations of its events."""
from __future__ import annotations

from typing import Callable

from ..doc import WorkDoc
from ..errors import ConflictLensError
from ..registry import stages
from .gazetteer import get_gazetteer
from .locate import geoparse, locate_event, to_places

DEFAULTS = {"min_score": 0.5, "min_margin": 0.05, "gazetteer": "", "use_entities": True}


@stages.register("geo.gazetteer", reads=["body", "sentences", "entities", "events"], writes=["places", "events"])
def make_geo(config: dict) -> Callable[[WorkDoc], WorkDoc]:
    """Offline geoparser: resolve toponyms with a packaged GeoNames gazetteer and place each event."""
    opts = {**DEFAULTS, **{k: v for k, v in (config or {}).items() if not k.startswith("_")}}
    unknown = set(opts) - set(DEFAULTS)
    if unknown:
        raise ConflictLensError("E105", name="geo.gazetteer", detail=f"unknown option(s) {sorted(unknown)}")
    try:
        min_score, min_margin = float(opts["min_score"]), float(opts["min_margin"])
    except (TypeError, ValueError):
        raise ConflictLensError("E105", name="geo.gazetteer", detail="min_score and min_margin must be numbers") from None
    state: dict = {}

    def run(doc: WorkDoc) -> WorkDoc:
        gaz = state.get("gaz")
        if gaz is None:  # lazily, once per process (shared cache in get_gazetteer)
            gaz = state["gaz"] = get_gazetteer(opts["gazetteer"] or None)
        dateline = doc.source.dateline if doc.source else None
        hints = []
        for ev in doc.events:
            if ev.iso3 and ev.iso3 in gaz.by_iso3:
                hints.append(gaz.by_iso3[ev.iso3].cc)
        parse = geoparse(doc.body, gaz, entities=doc.entities if opts["use_entities"] else (),
                         dateline=dateline, hints=hints, min_score=min_score, min_margin=min_margin)
        doc.places = to_places(parse, gaz)
        new_events = []
        reasons = {}
        for ev in doc.events:
            fields, reason = locate_event(ev, parse, gaz)
            reasons[ev.id] = reason
            if fields and ev.country and ev.iso3 == fields.get("iso3"):
                fields.pop("country")  # consistent: keep the events stage's (ACLED) spelling
            new_events.append(ev.model_copy(update=fields) if fields else ev)
        # model_copy skips validation; re-validate so a bad value fails here, not downstream
        doc.events = [type(e).model_validate(e.model_dump()) for e in new_events]
        doc.meta["geo"] = {"event_location_reasons": reasons,
                           "rejected_toponyms": [(m.text, m.start, m.reason) for m in parse.rejected],
                           "dateline_mentions": [(m.start, m.end) for m in parse.mentions if m.is_dateline]}
        return doc

    return run
