"""Actor mentions in a clause and their ACLED names (actor dictionary + generic patterns)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..doc import Entity
from ..lexicons import (
    Country,
    actor_by_name,
    country_by_iso3,
    country_name_index,
    generic_actors,
)

ARMED = {1, 2, 3, 4, 8}


@dataclass
class ActorMention:
    start: int  # absolute offsets into body
    end: int
    name: str  # ACLED-style name (country filled in later for generic ones)
    inter: int
    country: str | None  # iso3 the actor belongs to (demonym/dictionary), if known
    generic: str | None = None  # generic pattern if not a named actor
    demonym_of: str | None = None  # iso3 of a demonym qualifying a civilian group ("Chinese workers")
    subject: bool = False  # a country name used as the agent ("Pakistan launched ...")

    def render(self, event_iso3: str | None) -> str:
        if self.generic is None:
            # ACLED names Islamic State by the country of the event: "Islamic State (Afghanistan)"
            if re.fullmatch(r"Islamic State(?: \([^)]*\))?", self.name) and event_iso3:
                c = country_by_iso3().get(event_iso3)
                if c:
                    return f"Islamic State ({c.name})"
            return self.name
        iso = self.country or event_iso3
        c = country_by_iso3().get(iso) if iso else None
        for g in generic_actors():
            if g.pattern == self.generic:
                return g.render(c)
        return self.name


@lru_cache(maxsize=1)
def _generic_regex() -> list[tuple[re.Pattern, str, int]]:
    out = []
    for g in generic_actors():
        trig = sorted(g.triggers, key=len, reverse=True)
        if not trig:
            continue
        rx = re.compile(r"\b(?:" + "|".join(re.escape(t) for t in trig) + r")\b", re.I)
        out.append((rx, g.pattern, g.inter))
    return out


@lru_cache(maxsize=1)
def _demonym_regex() -> re.Pattern:
    from ..lexicons import countries

    forms = {n for c in countries() for n in (c.name, *c.aliases, *c.demonyms) if n}
    names = sorted(forms, key=len, reverse=True)
    # "Pakistani security forces", "Russian attack drones": up to two lower-case words in between
    return re.compile(r"(?:(?<=\s)|^)(" + "|".join(re.escape(n) for n in names) + r")(?:'s)?\s+(?:[a-z][\w-]*\s+){0,2}$")


def _qualifier_country(text_before: str) -> tuple[str | None, bool]:
    """Country (iso3) named or implied right before a generic noun: 'Pakistani security forces'."""
    tail = text_before[-40:]
    m = _demonym_regex().search(tail)
    if not m:
        return None, False
    hit = country_name_index().get(m.group(1).lower())
    if not hit:
        return None, False
    country, is_dem = hit
    return country.iso3, is_dem


# a demonym before these words names that country's military ("Afghan forces", "a Russian missile strike")
_FACILITY = re.compile(r"\bgovernment (?:artillery|aircraft|warplanes|jets|drones|tanks|gunboats|helicopters)\b|"
                       r"\b(?:security|army|military|paramilitary|frontier corps|border) (?:check ?posts?|checkpoints?|posts?|camps?|bases?|"
                       r"convoys?|patrols?|vehicles?|bunkers?|outposts?|installations?|headquarters)\b", re.I)
_FORCES = re.compile(r"\b(forces|troops|fighters|missiles?(?: strikes?)?|drones?(?: strikes?)?|warplanes?|fighter jets?|jets|"
                     r"air ?strikes?|artillery|shelling|military(?: airstrikes?)?|army|navy|air force)\b", re.I)
_AGENT_VERB = re.compile(
    r"^\s*(?:has |have |had )?(?:\w+ly )?(?:launched|carried out|conducted|struck|bombed|shelled|attacked|fired|"
    r"killed|arrested|detained|deployed|announced|ended|signed|began|started|raided|retaliated|hit|pounded|targeted)\b",
    re.I,
)


def find_actor_mentions(body: str, start: int, end: int, entities: list[Entity],
                        mask: str | None = None) -> list[ActorMention]:
    """Named (dictionary) and generic actor mentions within body[start:end]."""
    text = mask if mask is not None else body[start:end]
    out: list[ActorMention] = []
    taken: list[tuple[int, int]] = []
    by_name = actor_by_name()
    for e in entities:
        if e.label == "ACTOR" and start <= e.start and e.end <= end and e.kb_id in by_name:
            if mask is not None and not mask[e.start - start:e.end - start].strip():
                continue  # inside a quotation
            a = by_name[e.kb_id]
            out.append(ActorMention(e.start, e.end, a.name, a.inter, a.country))
            taken.append((e.start, e.end))
    for rx, pattern, inter in _generic_regex():
        for m in rx.finditer(text):
            s, t = start + m.start(), start + m.end()
            if any(a < t and s < b for a, b in taken):
                continue
            if m.group(0)[0].isupper() and re.search(r"[A-Z][\w'-]*\s+$", text[max(0, m.start() - 30):m.start()]):
                continue  # "Army" in "National Liberation Army" is part of a name
            iso, is_dem = _qualifier_country(text[: m.start()])
            am = ActorMention(s, t, pattern, inter, iso if inter != 7 else None, generic=pattern)
            if inter == 7 and iso:
                am.demonym_of = iso
            out.append(am)
            taken.append((s, t))
    # "a security checkpost", "an army camp": the forces that hold it (country from a qualifier, if any);
    # "Afghan forces", "a Russian drone": a demonym + forces/weapon is that country's military
    for rx, needs_country in ((_FACILITY, False), (_FORCES, True)):
        for m in rx.finditer(text):
            s, t = start + m.start(), start + m.end()
            if any(a < t and s < b for a, b in taken):
                continue
            iso, _ = _qualifier_country(text[: m.start()])
            if needs_country and not iso:
                continue
            out.append(ActorMention(s, t, "Military Forces of {country}", 1, iso, generic="Military Forces of {country}"))
            taken.append((s, t))
    # a country name as the agent of a violent/strategic verb: "Pakistan launched airstrikes"
    idx = country_name_index()
    for m in re.finditer(r"\b([A-Z][\w'-]*(?:\s+[A-Z][\w'-]*){0,3})", text):
        name = m.group(1)
        name_l = name.lower()
        hit = idx.get(name_l) or idx.get(name_l.removesuffix("'s"))
        if not hit or hit[1]:
            continue
        s, t = start + m.start(), start + m.end()
        if any(a < t and s < b for a, b in taken):
            continue
        if _AGENT_VERB.match(text[m.end():]):
            out.append(ActorMention(s, t, "Military Forces of {country}", 1, hit[0].iso3,
                                    generic="Military Forces of {country}", subject=True))
            taken.append((s, t))
    out.sort(key=lambda a: a.start)
    # "paramilitary Rapid Support Forces", "militants of the TTP": the named actor wins over the generic word
    named = [a for a in out if a.generic is None]
    out = [a for a in out if a.generic is None or not any(
        (0 <= n.start - a.end <= 40 and re.fullmatch(r"[\s,]*(?:(?:of|from|belonging to|linked to|loyal to)\s+(?:the\s+)?"
                                                   r"(?:[\w'-]+\s+){0,3}?|(?:the\s+)?)",
                                                   body[a.end:n.start]))
        or (0 <= a.start - n.end <= 2 and not body[n.end:a.start].strip())  # "M23 rebels", "BLA separatists"
        for n in named)]
    return out


def country_for(iso3: str | None) -> Country | None:
    return country_by_iso3().get(iso3) if iso3 else None
