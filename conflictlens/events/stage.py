"""The ``events.rules`` stage: deterministic, rule-based ACLED coding."""
from __future__ import annotations

from ..doc import WorkDoc
from ..registry import stages
from .extract import EventBuilder


@stages.register("events.rules", reads=["body", "source", "sentences", "entities"], writes=["events", "aggregates", "actors"])
def make_rule_events(config: dict):
    """Rule-based events, actors, dates, fatalities; period tallies as aggregates."""
    min_conf = float(config.get("min_confidence", 0.3))

    def events_stage(doc: WorkDoc) -> WorkDoc:
        builder = EventBuilder(doc, min_conf)
        events, aggregates = builder.process()
        doc.meta["country_bound"] = builder.country_bound
        doc.events = events
        doc.aggregates = aggregates
        doc.actors = collect_actors(doc)
        doc.meta["coded_iso3"] = {e.id: e.iso3 for e in events}
        return doc

    return events_stage


@stages.register("events.finalise", reads=["events"], writes=["events", "actors"])
def make_finalise(config: dict):
    """Re-render country-bound actor names and notes after a later stage moved an event's country."""
    from ..lexicons import country_by_iso3, generic_actors
    from .extract import make_notes

    def finalise(doc: WorkDoc) -> WorkDoc:
        coded = doc.meta.get("coded_iso3", {})
        changed = False
        out = []
        for ev in doc.events:
            old_iso = coded.get(ev.id)
            if ev.iso3 is None or old_iso == ev.iso3:
                out.append(ev)
                continue
            # old_c is None when the events stage knew no country ("... (Unknown)")
            old_c, new_c = country_by_iso3().get(old_iso) if old_iso else None, country_by_iso3().get(ev.iso3)
            if new_c is None:
                out.append(ev)
                continue
            renames = {g.render(old_c): g.render(new_c) for g in generic_actors()}
            update = {}
            for f in doc.meta.get("country_bound", {}).get(ev.id, []):
                v = getattr(ev, f)
                if v in renames:
                    update[f] = renames[v]
                elif v and " Group " in v and v.endswith(f"({old_c.name if old_c else 'Unknown'})"):
                    update[f] = v[: v.rindex("(")] + f"({new_c.name})"
            if update:
                ev = ev.model_copy(update=update)
                ev = ev.model_copy(update={"notes": make_notes(ev, ev.evidence[0].text if ev.evidence else "")})
                changed = True
            out.append(ev)
        doc.events = out
        if changed:
            doc.actors = collect_actors(doc)
        return doc

    return finalise


def collect_actors(doc: WorkDoc):
    """Actors named in the article (dictionary matches), with their mentions."""
    from ..lexicons import actor_by_name
    from ..schema import Actor, Span

    by_name = actor_by_name()
    found: dict[str, Actor] = {}
    for e in doc.entities:
        if e.label != "ACTOR" or e.kb_id not in by_name:
            continue
        a = by_name[e.kb_id]
        if a.name not in found:
            found[a.name] = Actor(name=a.name, aliases=list(a.aliases), inter=a.inter, mentions=[])
        found[a.name].mentions.append(Span(start=e.start, end=e.end))
    for ev in doc.events:
        for name, inter in ((ev.actor1, ev.inter1), (ev.actor2, ev.inter2)):
            if name and name not in found:
                found[name] = Actor(name=name, aliases=[], inter=inter, mentions=[])
    return list(found.values())
