"""Toponym recognition (gazetteer matching + entity-aware filter) and resolution.

Recognition scans capitalised word n-grams (longest match first) against the
gazetteer, then drops matches that are part of a person's name, an
organisation ("Baluchistan Liberation Army"), a demonym or a common word.
Resolution scores every candidate entry of every mention with the article's
context - countries and provinces co-mentioned, demonyms, the dateline,
population and feature class, cue words ("X district", "province of Y"),
containment ("X district of Y province") and distance to the other resolved
places - and records the reason.  A mention whose best reading is weak or
not clearly better than a reading in another country is left unresolved
(abstention with a reason) instead of guessed.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Optional, Sequence

from .build import KIND_CURATED, KIND_PRIMARY, KIND_UNIT
from .gazetteer import MAX_NGRAM, Entry, Gazetteer
from .names import key

_TOKEN = re.compile(r"[^\W_]+")
_DATELINE_PREFIX = re.compile(r"(?m)^[A-Z][A-Z .'-]{2,40}(?:,\s*[A-Z][A-Za-z .'-]{2,40})?\s*(?:\([^)\n]{1,40}\)\s*)?[—–-]{1,2}\s")
_GAP_OK = re.compile(r"^[ \u00a0\u2009\u202f.\-'’]{0,3}$")  # spaces (incl. no-break), dots, hyphens

# words that name the kind of place right after (or before, with "of") a toponym
UNIT_CUES = {
    "province": "ADM1", "provinces": "ADM1", "state": "ADM1", "governorate": "ADM1", "oblast": "ADM1",
    "region": "ADM1",
    "district": "ADM2", "districts": "ADM2", "agency": "ADM2", "tehsil": "ADM2", "county": "ADM2",
    "subdistrict": "ADM2",
    "city": "PPL", "town": "PPL", "village": "PPL", "villages": "PPL", "port": "PPL", "bazaar": "PPL",
    "market": "PPL", "airport": "PPL", "neighbourhood": "PPL", "neighborhood": "PPL", "area": "PPL",
    "suburb": "PPL", "outskirts": "PPL", "valley": None, "border": None, "crossing": None,
}
IN_PREPS = {"in", "at", "inside", "into", "within", "across", "throughout", "on", "hit", "struck"}
NEAR_WORDS = {"near", "outside", "nearby", "outskirts", "close", "around", "off", "vicinity",
              "north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest",
              "northern", "southern", "eastern", "western", "km", "kilometres", "kilometers", "miles",
              "border", "bordering", "edge", "suburbs"}
# words that put a place "near" X when they come right before it ("near X", "outside X", "close to X");
# directions only do with "of" ("north of X"); "western Kabul" is still in Kabul
NEAR_BEFORE = {"near", "outside", "nearby", "outskirts", "close", "around", "off", "vicinity", "border",
               "bordering", "edge", "suburbs"}
TITLES = {"mr", "mrs", "ms", "dr", "gen", "general", "minister", "president", "prime", "chief", "imam", "mullah",
          "maulana", "sheikh", "shaikh", "col", "colonel", "maj", "major", "capt", "captain", "lt", "sen", "senator",
          "rep", "judge", "justice", "commander", "governor", "mayor", "king", "prince", "saint", "st", "lord",
          "sir", "haji", "hafiz", "qari", "mufti", "syed", "sayed", "pir", "khawaja", "malik", "sardar", "nawab",
          "mian", "chaudhry", "begum", "bibi", "spokesman", "spokesperson", "analyst", "leader", "inspector",
          "superintendent", "officer", "constable", "sergeant", "brigadier", "marshal", "admiral", "ambassador",
          "envoy", "secretary", "director", "professor", "prof"}
ORG_SUFFIX = {"army", "liberation", "front", "party", "movement", "taliban", "corps", "police", "rangers",
              "university", "institute", "institution", "times", "news", "tribune", "post", "daily", "airlines",
              "airways", "league", "council", "assembly", "government", "ministry", "bank", "fc", "united",
              "brigade", "brigades", "forces", "force", "guard", "guards", "frontier", "scouts", "levies",
              "economic", "corridor", "tehreek", "jamaat", "lashkar", "sipah", "jaish", "federation",
              "group", "company", "cricket", "club", "stadium", "hospital", "college", "school", "committee",
              "commission", "authority", "media", "agency's", "insaf"}
# Capitalised English words that GeoNames also lists as places; never a toponym on their own.
STOPWORDS = set("""
a an the and or but of in on at to for by with from as is it its this that these those he she they we you i
his her their our my your who whom which what when where why how all any some no not nor so than too very
can will just should now also only more most other such same own both each few many much over under again
further then once here there about against between into through during before after above below up down out
off then monday tuesday wednesday thursday friday saturday sunday january february march april may june july
august september october november december mon tue wed thu fri sat sun jan feb mar apr jun jul aug sep sept oct
nov dec police army security military state islamic government president prime minister officials official
people forces force soldiers troops attack attacks operation operations nothing everything apparently however
meanwhile moreover but yet while although though since because if unless until whether said says told
according reported report reports news image images photo photos video read more see also related edited
new old north south east west central upper lower greater great little big small saint
taliban nato un eu isis daesh al qaeda
chinese afghan pakistani american british russian iranian indian arab arabic islam islamist muslim
christian hindu sikh jewish kurdish pashtun baloch baluch punjabi sindhi
union independence victory freedom liberty unity justice peace hope progress paradise eden
university hospital market bazaar mosque church school college airport border bridge station road
street ring highway avenue square gate reading park centre center hall court palace tower house
china town city village camp base valley river lake mountain hill island port bay gulf sea ocean
today tomorrow yesterday week month year day night morning evening afternoon
one two three four five six seven eight nine ten first second third last next
""".split())
# Common given names / surnames that GeoNames also lists as places ("Imran Khan", "Asim Munir").
NAME_WORDS = set("""
khan ali shah hassan hussain ahmed ahmad mohammad muhammad omar umar abdul haji malik mir sultan afzal sharif
asif imran janjua munir gandapur hamid usman bilal amin aziz nawaz zardari bhutto akbar ghani karzai asim
mohammed rahman raza baig butt chaudhry gul jan zaman wali hakim noor nur din uddin ullah allah maria
""".split())
NON_PLACE_LABELS = {"PERSON", "ORG", "NORP", "ACTOR", "WORK_OF_ART", "EVENT", "LAW", "PRODUCT", "LANGUAGE",
                    "DATE", "TIME", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL", "PERCENT"}
PLACE_LABELS = {"GPE", "LOC", "FAC", "PLACE"}


@dataclass
class Mention:
    """A toponym found in text, with its candidate readings and (after resolution) its reading."""

    start: int
    end: int
    text: str
    candidates: tuple[Entry, ...]
    cue: Optional[str] = None  # ADM1 / ADM2 / PPL from a cue word ("X district", "province of X")
    cue_word: Optional[str] = None
    locative: Optional[str] = None  # "in" / "near" / None: how the text places something at it
    prep: Optional[str] = None  # the word that made it locative ("inside", "near", "of" ...)
    entity_label: Optional[str] = None
    is_dateline: bool = False
    resolved: Optional[Entry] = None
    score: float = 0.0
    reason: str = ""
    scores: dict = field(default_factory=dict)

    @property
    def abstained(self) -> bool:
        return self.resolved is None


@dataclass
class _Tok:
    start: int
    end: int
    text: str

    @property
    def cap(self) -> bool:
        return self.text[:1].isupper()

    @property
    def low(self) -> str:
        return self.text.lower()


def _tokens(text: str) -> list[_Tok]:
    return [_Tok(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]


def _joinable(text: str, a: _Tok, b: _Tok) -> bool:
    gap = text[a.end:b.start]
    if not _GAP_OK.match(gap):
        return False
    # "Lahore. Karachi" is a sentence break, "D.I. Khan" is not
    if "." in gap and any(c.isspace() for c in gap) and len(a.text) > 2:
        return False
    return True


def _overlapping(entities: Sequence, start: int, end: int):
    for e in entities:
        if e.start < end and start < e.end:
            yield e


def find_mentions(text: str, gaz: Gazetteer, entities: Sequence = ()) -> tuple[list[Mention], list[Mention]]:
    """Find toponyms in ``text``.  Returns (accepted, rejected); rejected ones carry the reason."""
    toks = _tokens(text)
    # words of the people named in this article ("Maria Sultan" ... "Sultan, the analyst")
    person_words = frozenset(key(w) for e in entities if e.label == "PERSON" for w in e.text.split()
                             if w[:1].isupper())
    accepted: list[Mention] = []
    rejected: list[Mention] = []
    i, n = 0, len(toks)
    while i < n:
        t = toks[i]
        if not t.cap:
            i += 1
            continue
        found = None
        for size in range(min(MAX_NGRAM, n - i), 0, -1):
            j = i + size - 1
            if any(not _joinable(text, toks[k], toks[k + 1]) for k in range(i, j)):
                continue
            last = toks[j]
            mids = toks[i + 1:j]
            if any(not m.cap and len(m.text) > 3 for m in mids):
                continue
            if j > i and not last.cap and last.low not in UNIT_CUES and last.low not in ("strip", "bank"):
                continue
            entries = gaz.lookup_key(key(text[t.start:last.end]))
            if j > i and not last.cap:
                # "Kurram district", "Gaza strip": only curated / unit names end in a lower-case word
                entries = tuple(e for e in entries if e.kind in (KIND_CURATED, KIND_UNIT))
            if entries:
                found = (j, entries)
                break
        if not found:
            i += 1
            continue
        j, entries = found
        m = Mention(t.start, toks[j].end, text[t.start:toks[j].end], entries)
        _annotate(m, text, toks, i, j, gaz)
        why = _reject_reason(m, text, toks, i, j, entities, gaz, person_words)
        if why:
            m.reason = why
            rejected.append(m)
        else:
            accepted.append(m)
        i = j + 1
    return accepted, rejected


def _annotate(m: Mention, text: str, toks: list[_Tok], i: int, j: int, gaz: Gazetteer) -> None:
    """Cue words after/before the mention and the locative preposition before it."""
    # "Kurram district", "Balochistan province"
    if j + 1 < len(toks) and _joinable(text, toks[j], toks[j + 1]) and toks[j + 1].low in UNIT_CUES:
        m.cue_word = toks[j + 1].low
        m.cue = UNIT_CUES[m.cue_word]
    # a cue already inside the matched name ("Kurram district")
    last = m.text.split()[-1].lower()
    if len(m.text.split()) > 1 and last in UNIT_CUES:
        m.cue_word, m.cue = last, UNIT_CUES[last]
    # "province of Helmand", "the town of Besham", "20 km north of Quetta"
    k = i - 1
    if k >= 1 and toks[k].low == "of":
        before = toks[k - 1].low
        if before in UNIT_CUES and m.cue is None:
            m.cue_word, m.cue = before, UNIT_CUES[before]
            m.locative, m.prep = "in", "of"
        elif before in NEAR_WORDS:
            m.locative, m.prep = "near", before
    if m.locative is None:
        # skip up to 4 lower-case modifiers ("in the volatile southwestern Baluchistan")
        steps = 0
        while k >= 0 and steps < 5:
            tk = toks[k]
            gap = text[tk.end:toks[k + 1].start] if k + 1 < len(toks) else " "
            if any(c in gap for c in ",;:()\"\n") or "." in gap:
                break
            w = tk.low
            if w in ("neighboring", "neighbouring", "neighbour", "neighbor"):
                break  # "tensions with the rulers in neighbouring X" describes X, it does not place anything
            if w in NEAR_BEFORE:
                m.locative, m.prep = "near", w
                break
            if w in IN_PREPS:
                m.locative, m.prep = "in", w
                break
            if w == "s" and k >= 1 and text[toks[k - 1].end:tk.start] in ("'", "’") and toks[k - 1].cap:
                k -= 2  # "in Pakistan's Kurram district": the possessive place is transparent
                steps += 1
                continue
            if (tk.cap and w not in gaz.demonyms) or (w.isdigit() and steps > 1):
                break
            k -= 1
            steps += 1


def _significant(gaz: Gazetteer, k: str) -> bool:
    """Whether a word is by itself a well-known place (country, province, town of 100,000+)."""
    return any(e.feature in ("PCLI", "ADM1") or e.pop >= 100000 or e.kind == KIND_CURATED
               for e in gaz.lookup_key(k))


def top_level(m: Mention) -> bool:
    """Whether a mention can be a country or a curated name (never vetoed by name heuristics)."""
    return any(e.feature == "PCLI" or e.kind == KIND_CURATED for e in m.candidates)


def _reject_reason(m: Mention, text: str, toks, i: int, j: int, entities: Sequence, gaz: Gazetteer,
                   person_words: frozenset = frozenset()) -> str:
    strong = any(e.feature in ("PCLI", "ADM1") or e.kind == KIND_CURATED for e in m.candidates)
    single = i == j
    k = key(m.text)
    placed = bool(m.cue or m.locative)  # the text itself says it is a place ("in X", "X province")
    if single and not top_level(m) and k in person_words and not m.cue and not _significant(gaz, k):
        return "a person's name in this article"
    for ent in _overlapping(entities, m.start, m.end):
        if ent.label in PLACE_LABELS:
            extra = (text[ent.start:m.start] + " " + text[m.end:ent.end]).split()
            if ent.start <= m.start and m.end <= ent.end and not strong and any(
                    w[:1].isupper() and w.lower() not in UNIT_CUES and w.lower() != "the" for w in extra):
                # "Mall" of "Mall Road", "Dasht" of "Dasht-e-Barchi": a longer place the gazetteer lacks
                return f"part of {ent.label} '{ent.text}'"
            m.entity_label = ent.label
            return ""
        if ent.label not in NON_PLACE_LABELS:
            continue
        inside = ent.start <= m.start and m.end <= ent.end
        exact = ent.start == m.start and ent.end == m.end
        if inside and not exact:
            # "Baluchistan Liberation Army", "China-Pakistan Economic Corridor", "Imran Khan"
            return f"part of {ent.label} '{ent.text}'"
        if not inside:
            # the match extends past the entity ("Gwadar port" over a mislabelled "Gwadar"):
            # a small model's label on a cue-marked toponym is not trusted
            if placed or strong:
                m.entity_label = ent.label
                continue
            return f"overlaps {ent.label} '{ent.text}'"
        if ent.label in ("DATE", "TIME", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL", "PERCENT", "LANGUAGE"):
            return f"is a {ent.label}"
        if ent.label == "NORP" and gaz.demonym_country(m.text):
            return "demonym"
        # spaCy sometimes calls a province an ORG or PERSON: keep country / province names and
        # places the text introduces as places; drop the rest
        if strong or placed:
            m.entity_label = ent.label
            continue
        return f"tagged {ent.label} '{ent.text}'"
    if gaz.demonym_country(m.text) and not strong:
        return "demonym"
    top = any(e.feature == "PCLI" or e.kind == KIND_CURATED for e in m.candidates)
    if single and (k in STOPWORDS or k in NAME_WORDS) and not top:
        return "common word"
    if single and m.text.isupper() and len(m.text) <= 5 and not top:
        return "acronym"
    prev = toks[i - 1] if i > 0 and _joinable(text, toks[i - 1], toks[i]) else None
    nxt = toks[j + 1] if j + 1 < len(toks) and _joinable(text, toks[j], toks[j + 1]) else None
    if prev is not None and prev.low in TITLES and prev.cap:
        return f"after title '{prev.text}'"
    if nxt is not None and nxt.low in ORG_SUFFIX and nxt.cap:
        return f"part of a name ('{m.text} {nxt.text}')"
    if not strong and single:
        # "Imran Khan", "Ali Amin Gandapur": a capitalised neighbour that is not itself a place
        for nb in (prev, nxt):
            if nb is not None and nb.cap and (nb.low in NAME_WORDS or (nb.low not in STOPWORDS
                                                                      and not _significant(gaz, nb.low))):
                return f"next to name word '{nb.text}'"
        if prev is not None and prev.cap and prev.low not in STOPWORDS:
            pe = gaz.lookup_key(prev.low)
            if pe and all(e.feature in ("PPL", "PPLC") and e.pop < 100000 for e in pe):
                return f"next to name word '{prev.text}'"
    return ""


# --- resolution ---------------------------------------------------------------------------------


@dataclass
class Context:
    countries: Counter
    admin1: set  # {(cc, admin1)}
    dateline_cc: Optional[str] = None


def _haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dphi, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


haversine_km = _haversine_km


def build_context(mentions: Sequence[Mention], text: str, gaz: Gazetteer, dateline: Optional[str] = None,
                  hints: Iterable[str] = ()) -> Context:
    """Country / admin1 context of a document from its unambiguous mentions, demonyms, dateline and hints."""
    ctx = Context(Counter(), set())
    for m in mentions:
        if len({e.cc for e in m.candidates}) > 1:
            continue  # an ambiguous name must not vote for its own reading
        pcli = [e for e in m.candidates if e.feature == "PCLI"]
        if pcli and len({e.cc for e in pcli}) == 1:
            ctx.countries[pcli[0].cc] += 1.0
        adm1 = [e for e in m.candidates if e.feature == "ADM1"]
        if adm1 and len({e.cc for e in adm1}) == 1 and m.cue in (None, "ADM1"):
            ctx.admin1.add((adm1[0].cc, adm1[0].admin1))
            ctx.countries[adm1[0].cc] += 0.5
    for t in _tokens(text):
        if t.cap:
            cc = gaz.demonyms.get(t.low)
            if cc:
                ctx.countries[cc] += 0.5
    if dateline:
        ents = [e for e in gaz.lookup(dateline) if e.feature in ("PPL", "PPLC", "PCLI", "ADM1")]
        if ents:
            best = max(ents, key=lambda e: (e.kind in (KIND_PRIMARY, KIND_CURATED), e.feature == "PPLC", e.pop))
            ctx.dateline_cc = best.cc
            ctx.countries[best.cc] += 1.0
    for cc in hints:
        if cc:
            ctx.countries[cc] += 1.0
    return ctx


def _containers(mentions: Sequence[Mention], text: str) -> dict[int, Mention]:
    """Map mention index -> the mention that contains it ("X district of Y province", "X, Y")."""
    out = {}
    for a in range(len(mentions) - 1):
        m, nx = mentions[a], mentions[a + 1]
        between = text[m.end:nx.start]
        if len(between) > 45 or "." in between.replace("D.I.", "") or "\n" in between:
            continue
        b = " " + between.lower() + " "
        if "," in b or " of " in b or " in " in b:
            out[a] = nx
    return out


def _score(e: Entry, m: Mention, ctx: Context, same_name_ppl: bool, container: Optional[Mention],
           near: list[tuple[float, float]]) -> tuple[float, list[str]]:
    why = []
    s = min(math.log10(e.pop + 1), 7.5) / 7.5
    s += {"PCLI": 1.2, "ADM1": 0.3, "RGN": 0.4, "ADM2": 0.2, "PPLC": 0.3}.get(e.feature, 0.0)
    s += {KIND_PRIMARY: 0.5, KIND_CURATED: 0.7, KIND_UNIT: 0.4}.get(e.kind, 0.4 if e.pop >= 50000 else 0.0)
    if ctx.countries:
        top = max(ctx.countries.values())
        share = ctx.countries.get(e.cc, 0.0) / top
        if share:
            s += 1.5 * share
            why.append(f"country context {e.cc}")
    if ctx.dateline_cc == e.cc:
        s += 0.3
        why.append("dateline country")
    if e.feature not in ("PCLI", "ADM1") and (e.cc, e.admin1) in ctx.admin1:
        s += 0.8
        why.append(f"province co-mentioned ({e.admin1})")
    if m.cue:
        want = m.cue
        got = "PPL" if e.feature == "PPLC" else e.feature
        if want == got or (want == "ADM2" and got == "RGN"):
            s += 1.5
            why.append(f"'{m.cue_word}' cue")
        elif want in ("ADM1", "ADM2") and got in ("PPL",):
            s -= 0.5
    elif e.feature in ("ADM1", "ADM2") and same_name_ppl:
        s -= 0.6  # a bare "Kandahar" / "Peshawar" is the town, not the unit named after it
    if container is not None and container.candidates:
        cands = container.candidates if container.resolved is None else (container.resolved,)
        if any(c.feature in ("ADM1", "ADM2", "RGN") and c.cc == e.cc and c.admin1 == e.admin1 and c.pid != e.pid
               for c in cands):
            s += 1.5
            why.append(f"inside {container.text}")
        elif any(c.feature == "PCLI" and c.cc == e.cc for c in cands):
            s += 1.0
            why.append(f"in {container.text}")
    if near and e.feature != "PCLI":
        d = min(_haversine_km(e.lat, e.lon, la, lo) for la, lo in near)
        if d < 100:
            s += 0.8
            why.append(f"{d:.0f} km from other places")
        elif d < 300:
            s += 0.5
            why.append(f"{d:.0f} km from other places")
        elif d < 1000:
            s += 0.2
    if e.pop >= 100000:
        why.append("population")
    return s, why


def resolve(mentions: list[Mention], text: str, gaz: Gazetteer, *, dateline: Optional[str] = None,
            hints: Iterable[str] = (), min_score: float = 1.0, min_margin: float = 0.15) -> Context:
    """Resolve mentions in place (two passes: context, then distance).  Returns the context used."""
    ctx = build_context(mentions, text, gaz, dateline, hints)
    containers = _containers(mentions, text)
    picks: dict[int, Entry] = {}
    keys = [key(m.text) for m in mentions]
    for rnd in range(2):
        # distinct first-round places (by entry), with the names they were read from
        points: dict[int, tuple[float, float, set]] = {}
        if rnd == 1:
            for k, e in picks.items():
                if e.feature not in ("PCLI", "ADM1"):
                    points.setdefault(e.pid, (e.lat, e.lon, set()))[2].add(keys[k])
        for idx, m in enumerate(mentions):
            # other places of the article; a name never supports its own reading
            near = [(la, lo) for la, lo, names in points.values() if names != {keys[idx]}]
            ppl_keys = {(e.cc, e.admin1) for e in m.candidates if e.feature in ("PPL", "PPLC") and e.pop >= 1000}
            scored = []
            for e in m.candidates:
                same = e.feature in ("ADM1", "ADM2") and (e.cc, e.admin1) in ppl_keys
                s, why = _score(e, m, ctx, same, containers.get(idx), near)
                scored.append((s, -e.rank, e.pop, -e.pid, e, why))
            scored.sort(key=lambda x: x[:4], reverse=True)
            best = scored[0]
            m.scores = {f"{x[4].name} ({x[4].feature} {x[4].cc})": round(x[0], 3) for x in scored[:5]}
            rival = next((x for x in scored[1:] if x[4].cc != best[4].cc), None)
            margin = best[0] - rival[0] if rival else float("inf")
            # firm country context (a country/province named or the dateline, not just a demonym)
            firm = bool(ctx.countries) and max(ctx.countries.values()) >= 1
            foreign = (firm and best[4].cc not in ctx.countries and best[4].feature != "PCLI"
                       and best[4].pop < 100000)
            if foreign:
                m.resolved, m.score = None, 0.0
                m.reason = (f"abstain: only readings outside the article's countries "
                            f"(best {best[4].name}, {best[4].cc})")
            elif best[0] < min_score:
                m.resolved, m.score = None, round(best[0] / 3, 3)
                m.reason = f"abstain: weak evidence for any reading (best {best[4].name}, {best[4].cc}, {best[0]:.2f})"
            elif margin < min_margin:
                m.resolved, m.score = None, 0.0
                m.reason = (f"abstain: ambiguous between {best[4].name} ({best[4].cc}) and "
                            f"{rival[4].name} ({rival[4].cc})")
            else:
                m.resolved = best[4]
                second = scored[1][0] if len(scored) > 1 else 0.0
                m.score = round(min(1.0, best[0] / 3.0) * (best[0] / (best[0] + max(second, 0.0))), 3)
                reasons = best[5] or ["best-known reading"]
                if len(m.candidates) == 1:
                    reasons = ["only reading"] + reasons
                m.reason = "; ".join(reasons)
                picks[idx] = best[4]
            if m.resolved is None:
                picks.pop(idx, None)
    return ctx


def mark_dateline(mentions: Sequence[Mention], text: str, dateline: Optional[str]) -> None:
    """Flag mentions of the dateline place in the byline / dateline part of the article."""
    if not dateline:
        return
    dk = key(dateline)
    # "KABUL, Afghanistan —" / "QUETTA (Reuters) -" at the start of a line: the dateline prefix
    prefix = _DATELINE_PREFIX.search(text[:1500])
    prefix_span = (prefix.start(), prefix.end()) if prefix else None
    for m in mentions:
        if prefix_span and prefix_span[0] <= m.start < prefix_span[1]:
            m.is_dateline = True
        elif key(m.text) == dk and m.start < 1500:
            # a byline ("Haroon Janjua in Islamabad") or a dateline on its own short line
            line_start = text.rfind("\n", 0, m.start) + 1
            line_end = text.find("\n", m.end)
            line = text[line_start:len(text) if line_end < 0 else line_end]
            if len(line) < 90 and not line.rstrip().endswith("."):
                m.is_dateline = True
        if m.is_dateline:
            m.reason = (m.reason + "; " if m.reason else "") + "dateline"
    # "BANGKOK, Thailand —": the country after a dateline place belongs to the dateline
    for a, b in zip(mentions, mentions[1:]):
        if a.is_dateline and not b.is_dateline and text[a.end:b.start].strip() == "," and b.start - a.end <= 3:
            after = text[b.end:b.end + 4].lstrip()
            if after[:1] in ("—", "–", "-", "(", ":") or after[:1] == "":
                b.is_dateline = True
                b.reason = (b.reason + "; " if b.reason else "") + "dateline"
