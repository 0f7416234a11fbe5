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
        events, aggregates = EventBuilder(doc, min_conf).process()
        doc.events = events
        doc.aggregates = aggregates
        doc.actors = collect_actors(doc)
        return doc

    return events_stage


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
