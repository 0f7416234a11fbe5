"""Shared data files (bottom layer): actor dictionary and countries.

Stages must not import each other, so the loaders for data that several
stages use live here.  The data themselves are JSON files under
``conflictlens/data/`` with their provenance and licence.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from .errors import ConflictLensError


def _load(name: str) -> dict:
    try:
        text = resources.files("conflictlens").joinpath(f"data/{name}").read_text("utf-8")
        return json.loads(text)
    except FileNotFoundError:
        return {}
    except json.JSONDecodeError as exc:
        raise ConflictLensError("E106", path=f"conflictlens/data/{name}", detail=str(exc)) from None


@dataclass(frozen=True)
class Country:
    iso3: str
    name: str
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    capital: str | None = None
    military_period: str | None = None
    of_name: str | None = None  # "the Philippines" in "Military Forces of the Philippines"


@dataclass(frozen=True)
class ActorEntry:
    name: str
    aliases: tuple[str, ...]
    inter: int
    country: str | None
    kind: str


@dataclass
class GenericActor:
    pattern: str
    inter: int
    triggers: tuple[str, ...] = field(default_factory=tuple)

    def render(self, country: Country | None) -> str:
        cname = country.name if country else "Unknown"
        if country and country.of_name and "of {country}" in self.pattern:
            cname = country.of_name
        out = self.pattern.format(country=cname)
        if country and country.military_period and self.pattern.startswith(("Military Forces", "Police Forces")):
            out = f"{out} {country.military_period}"
        return out


@lru_cache(maxsize=1)
def countries() -> list[Country]:
    data = _load("countries.json")
    out = []
    for c in data.get("countries", []):
        out.append(Country(
            iso3=c["iso3"], name=c["name"], aliases=tuple(c.get("aliases", [])),
            demonyms=tuple(c.get("demonyms", [])), capital=c.get("capital"),
            military_period=c.get("military_period"), of_name=c.get("of_name"),
        ))
    if not out:  # data file missing: fall back on pycountry names
        import pycountry

        out = [Country(iso3=c.alpha_3, name=getattr(c, "common_name", None) or c.name)
               for c in pycountry.countries]
    return out


@lru_cache(maxsize=1)
def country_by_iso3() -> dict[str, Country]:
    return {c.iso3: c for c in countries()}


@lru_cache(maxsize=1)
def country_name_index() -> dict[str, tuple[Country, bool]]:
    """Lower-cased name/alias/demonym → (country, is_demonym)."""
    idx: dict[str, tuple[Country, bool]] = {}
    for c in countries():
        for n in (c.name, *c.aliases):
            idx.setdefault(n.lower(), (c, False))
    for c in countries():
        for n in c.demonyms:
            idx.setdefault(n.lower(), (c, True))
    return idx


@lru_cache(maxsize=1)
def country_regex() -> re.Pattern:
    # case-sensitive on the names as written: country names are proper nouns, and this keeps
    # "US"/"IS" from matching the words "us"/"is"
    forms = set()
    for c in countries():
        forms.update(n for n in (c.name, *c.aliases, *c.demonyms) if n)
    names = sorted(forms, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(" + "|".join(re.escape(n) for n in names) + r")(?![\w-])")


@lru_cache(maxsize=1)
def actors() -> list[ActorEntry]:
    data = _load("actors.json")
    return [ActorEntry(name=a["name"], aliases=tuple(a.get("aliases", [])), inter=int(a.get("inter", 0)),
                       country=a.get("country"), kind=a.get("kind", "other"))
            for a in data.get("actors", [])]


@lru_cache(maxsize=1)
def actor_by_name() -> dict[str, ActorEntry]:
    return {a.name: a for a in actors()}


@lru_cache(maxsize=1)
def generic_actors() -> list[GenericActor]:
    data = _load("actors.json")
    return [GenericActor(g["pattern"], int(g["inter"]), tuple(t.lower() for t in g.get("triggers", [])))
            for g in data.get("generic", [])]


def actor_patterns() -> list[dict]:
    """EntityRuler patterns (label ACTOR, id = canonical name) for every actor alias."""
    pats = []
    seen = set()
    for a in actors():
        for alias in (a.name, *a.aliases):
            key = (alias, a.name)
            if key in seen or not alias.strip():
                continue
            seen.add(key)
            pats.append({"label": "ACTOR", "pattern": alias, "id": a.name})
            if not alias.lower().startswith("the ") and len(alias) > 4:
                pats.append({"label": "ACTOR", "pattern": f"the {alias}", "id": a.name})
    return pats
