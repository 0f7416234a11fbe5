"""Rule-based event detection, typing, merging and aggregates.

Per sentence (text inside quotation marks is masked out: speech is not
narration), in clauses:

1. find the highest-priority trigger family (``data/event_lexicon.json``);
2. drop metaphors, trends/habitual statements, irrealis (modal or intention
   before the trigger) and period tallies (those become aggregates);
3. find actors, fatalities, date and country;
4. refine the type with context rules (two armed sides → Battles; a
   one-sided attack on civilians → Violence against civilians; protest with
   intervention or excessive force ...);
5. merge with an earlier event when the clause refers back to it
   ("The strikes killed eight people") or repeats it, unless it says it is a
   separate incident.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources

from ..doc import Sentence, WorkDoc
from ..lexicons import actor_by_name, country_by_iso3, country_name_index, country_regex
from ..schema import Aggregate, Event, Evidence, disorder_type_for, interaction_code
from .actors import ARMED, ActorMention, find_actor_mentions
from .dates import DateWindow, default_window, find_date
from .fatalities import Count, find_counts, summarise, to_int


@dataclass
class Family:
    name: str
    event_type: str
    sub_event_type: str
    weight: float
    patterns: list[re.Pattern]


@dataclass
class Lexicon:
    families: list[Family]
    metaphor: re.Pattern
    irrealis: re.Pattern
    trend: re.Pattern
    aggregate_period: re.Pattern
    separate: re.Pattern
    anaphor: re.Pattern


def _alt(pats: list[str]) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in pats), re.I)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    data = json.loads(resources.files("conflictlens").joinpath("data/event_lexicon.json").read_text("utf-8"))
    fams = [Family(f["name"], f["event_type"], f["sub_event_type"], float(f.get("weight", 0.8)),
                   [re.compile(p, re.I) for p in f["patterns"]]) for f in data["families"]]
    return Lexicon(fams, _alt(data["metaphor"]), _alt(data["irrealis"]), _alt(data["trend"]),
                   _alt(data["aggregate_period"]), _alt(data["separate"]), _alt(data["anaphor"]))


# --- helpers -----------------------------------------------------------------------

_QUOTE_PAIRS = re.compile(r"“[^”]*”?|\"[^\"]*\"?|‘[^’]{12,}’")


def mask_quotes(text: str) -> str:
    """Replace quoted speech by spaces (offsets preserved)."""
    return _QUOTE_PAIRS.sub(lambda m: " " * len(m.group(0)), text)


_CLAUSE_SPLIT = re.compile(
    r"(?:,?\s+(?:less than |more than |just |only |about |some )?(?:an? |one |two |three |\d+ )?(?:days?|weeks?|hours?|months?)?\s*(?:after|before)\s+)"
    r"|(?:;\s+)|(?:,\s+(?:while|whereas|but)\s+)|(?:,\s+and\s+(?=[A-Z]|(?:the|a|an|in|on)\s))|(?:\.\s+)"
    r"|(?:\s+and\s+(?:prompted|triggered|sparked|led|forced|caused)\s+)",
)


def split_clauses(text: str) -> list[tuple[int, int, str]]:
    """Clause spans within a sentence, each with the separator that opened it.

    Splits only where a new finite event may start; the separator tells how
    the clause relates to the one before ("a week after", "and prompted").
    """
    spans = []
    last, sep = 0, ""
    for m in _CLAUSE_SPLIT.finditer(text):
        if m.start() - last >= 5:
            spans.append((last, m.start(), sep))
            last, sep = m.end(), m.group(0)
    spans.append((last, len(text), sep))
    return [(a, b, sp) for a, b, sp in spans if b - a > 3]


_DEF_NOUN = re.compile(r"(?:attacks?|blasts?|strikes?|bombings?|explosions?|assaults?|clash(?:es)?|raids?|ambush(?:es)?|"
                       r"fighting|shelling|protests?|demonstrations?|riots?|operations?|grenades?|missiles?|rockets?|"
                       r"air ?strikes?|drone strikes?|massacres?|killings?|abductions?|kidnappings?|arrests?|exchange of fire|gunfights?|encounters?|"
                       r"bombs?|ieds?|suicide bombings?|violence)", re.I)


_PLACE_AFTER_PREP = re.compile(r"\b(?:in|at|near|outside|inside|through|across)\s+(?:the\s+)?(?-i:[a-z]+\s+){0,2}"
                               r"(?:(?:city|town|village|district|province|state|region) of\s+)?"
                               r"((?-i:[A-Z][\w'-]+)(?:\s+(?-i:[A-Z][\w'-]+)){0,2})")
_NOT_PLACES = {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}


def _places_of(d: "Draft") -> set[str]:
    out = set()
    for m in _PLACE_AFTER_PREP.finditer(d.extra.get("clause", "")):
        name = m.group(1)
        if name.split()[0] not in _NOT_PLACES:
            out.add(name.split()[0].lower())
    return out


def _different_places(a: "Draft", b: "Draft") -> bool:
    """Both clauses name where they happened, and the places differ: two incidents."""
    if not ({a.event_type, b.event_type} & {"Protests", "Riots"}):
        return False  # a follow-up report often names a finer place ("the village of X" in "Y state")
    pa, pb = _places_of(a), _places_of(b)
    return bool(pa) and bool(pb) and not (pa & pb)


def _same_window(a: DateWindow | None, b: DateWindow | None) -> bool:
    if a is None or b is None:
        return a is b
    return (a.start, a.end) == (b.start, b.end) or (a.start <= b.start <= a.end and a.precision > 1)


def _definite_reference(cmask: str, trig: re.Match) -> bool:
    """'condemned the attack', 'in the blast': a definite noun refers back to a known incident."""
    if not _DEF_NOUN.fullmatch(trig.group(0).strip()):
        return False
    before = cmask[: trig.start()]
    return bool(re.search(r"\b(?:the|this|that|its|their|[A-Z]\w+day's|yesterday's|last week's)\s+(?:[\w-]+\s+){0,2}$", before))


def _family_match(fam: Family, text: str) -> re.Match | None:
    """The earliest match of any of the family's patterns in ``text``."""
    return min((m for m in (p.search(text) for p in fam.patterns) if m), key=lambda m: m.start(), default=None)


def _first_family(text: str) -> tuple[Family, re.Match] | None:
    for fam in lexicon().families:
        m = _family_match(fam, text)
        if m is not None:
            return fam, m
    return None


_PAST = re.compile(
    r"\b(?:\w+ed|was|were|had|has been|have been|did|killed|struck|hit|shot|blew|went|broke|began|fell|took|"
    r"overran|fought|threw|set|led|left|came|caught|stole|seized|held|lost|ran|fled|told|said|burnt|"
    r"overthrew|rode|drove|sent|got|found|saw|made|gave|kept|brought|beat|bit|tore|stormed|won)\b",
    re.I,
)


def _is_realis(doc: WorkDoc, abs_start: int, abs_end: int, clause_mask: str, trig_pos: int) -> bool:
    lex = lexicon()
    before = clause_mask[max(0, trig_pos - 80):trig_pos]
    # an irrealis cue must be close to the trigger and in the same clause
    for m in lex.irrealis.finditer(before):
        between = before[m.end():]
        if len(between.split()) <= 6:
            return False
    sp = doc.spacy_doc
    if sp is not None and sp.has_annotation("TAG"):
        span = sp.char_span(abs_start, abs_end, alignment_mode="expand")
        if span is not None:
            return any(t.tag_ in ("VBD", "VBN") for t in span)
    return bool(_PAST.search(clause_mask))


_GENERIC_PLURAL = re.compile(
    r"^(?:attacks|bombings|explosions|blasts|clashes|strikes|airstrikes|protests|killings|abductions|kidnappings|raids)\b",
    re.I,
)


def _generic_mention(clause_mask: str, trig: re.Match) -> bool:
    """'attacks targeting X prompted ...' (bare plural, no determiner or number) is generic."""
    word = trig.group(0)
    if not _GENERIC_PLURAL.match(word):
        return False
    before = clause_mask[: trig.start()].rstrip().lower().split()
    det = before[-1] if before else ""
    return det not in ("the", "two", "three", "four", "five", "several", "multiple", "twin", "rare", "new",
                       "coordinated", "separate", "deadly", "fresh", "retaliatory", "suicide", "drone", "air")


# --- aggregates --------------------------------------------------------------------

_ARRESTS = re.compile(r"\b(?:arrested|detained|apprehended)\s+(?:(?:at least|more than|over|some)\s+)?(?P<n>\d[\d,]*)\b|\b(?P<n2>\d[\d,]*)\s+(?:(?!and\b)\w+\s+){0,2}(?:were\s+)?(?:arrested|detained)\b", re.I)
_ATTACKS = re.compile(r"\b(?P<n>\d[\d,]*)\s+(?:\w+[- ]){0,2}(?P<what>attacks|incidents|operations|raids|strikes|airstrikes|bombings)\b", re.I)
_SUBJECT = re.compile(r"\b(?:\d[\d,]*|[a-z]+)\s+(?P<subj>soldiers|officers|policemen|police officers|civilians|militants|terrorists|people|troops|personnel|security personnel|fighters|insurgents)\b", re.I)


def _aggregate_period(text: str, published: date | None) -> tuple[date | None, date | None]:
    if published is None:
        return None, None
    t = text.lower()
    if re.search(r"so far this year|this year|since (?:the (?:start|beginning) of the year|january|jan\b)", t):
        return date(published.year, 1, 1), published
    m = re.search(r"\b(?:in|during|since) ((?:19|20)\d\d)\b", t)
    if m:
        y = int(m.group(1))
        return date(y, 1, 1), (published if y == published.year or "since" in m.group(0) else date(y, 12, 31))
    if re.search(r"\blast year\b", t):
        return date(published.year - 1, 1, 1), date(published.year - 1, 12, 31)
    m = re.search(r"\b(?:past|last) (\w+) (days|weeks|months|years)\b", t)
    if m:
        n = to_int(m.group(1)) or 1
        days = {"days": 1, "weeks": 7, "months": 30, "years": 365}[m.group(2)] * n
        return published - timedelta(days=days), published
    return None, None


def extract_aggregates(text: str, base: int, published: date | None,
                       inherit: tuple[date | None, date | None]) -> list[Aggregate]:
    ps, pe = _aggregate_period(text, published)
    if ps is None:
        ps, pe = inherit
    ev = [Evidence(start=base, end=base + len(text), text=text)]
    out: list[Aggregate] = []
    for c in find_counts(text):
        if c.kind == "killed" and c.qualifier != "none":
            rel = c.start
            sm = _SUBJECT.search(text, max(0, rel - 5))
            subj = sm.group("subj").lower() if sm and sm.start() < rel + 60 else None
            out.append(Aggregate(kind="fatalities", value=c.value, subject=subj, period_start=ps,
                                 period_end=pe, evidence=ev))
        elif c.kind == "injured":
            out.append(Aggregate(kind="injuries", value=c.value, period_start=ps, period_end=pe, evidence=ev))
    # "it killed 249 and arrested 396 terrorists": a bare number before "and arrested"
    if not any(a.kind == "fatalities" for a in out):
        m = re.search(r"\bkilled\s+(?:more than |at least |over )?(\d[\d,]*)\b", text, re.I)
        if m:
            out.append(Aggregate(kind="fatalities", value=int(m.group(1).replace(",", "")), subject=None,
                                 period_start=ps, period_end=pe, evidence=ev))
    for m in _ARRESTS.finditer(text):
        n = m.group("n") or m.group("n2")
        sm = _SUBJECT.search(text, m.start())
        out.append(Aggregate(kind="arrests", value=int(n.replace(",", "")),
                             subject=sm.group("subj").lower() if sm else None,
                             period_start=ps, period_end=pe, evidence=ev))
    for m in _ATTACKS.finditer(text):
        kind = "operations" if m.group("what").lower() in ("operations", "raids") else "attacks"
        if any(a.kind == kind and a.value == int(m.group("n").replace(",", "")) for a in out):
            continue
        out.append(Aggregate(kind=kind, value=int(m.group("n").replace(",", "")), subject=m.group("what").lower(),
                             period_start=ps, period_end=pe, evidence=ev))
    return out


def _is_aggregate(clause: str) -> bool:
    if not lexicon().aggregate_period.search(clause):
        return False
    return bool(re.search(r"\d", clause)) or bool(find_counts(clause))


# --- the event builder -----------------------------------------------------------


@dataclass
class Draft:
    family: Family
    event_type: str
    sub_event_type: str
    sentences: list[Sentence]
    paragraph: int
    window: DateWindow | None
    explicit_date: bool
    perfect: bool
    counts: list[Count]
    actors: list[ActorMention]
    country: str | None
    country_explicit: bool
    trigger_abs: int
    confidence: float
    notes_verb: str = ""
    secondary: bool = False
    extra: dict = field(default_factory=dict)


_LOC_PREP = re.compile(r"(?:\b(?:in|inside|into|across|near|at|outside|on|from|of|within)\s+(?:the\s+)?(?:neighbo(?:u)?ring\s+|northern\s+|southern\s+|eastern\s+|western\s+|north-?western\s+|south-?western\s+|north-?eastern\s+|south-?eastern\s+|central\s+)?)$", re.I)


def _locative_country(mask: str) -> str | None:
    """A country named as the place of the clause ('inside Afghanistan')."""
    idx = country_name_index()
    for m in country_regex().finditer(mask):
        hit = idx.get(m.group(1).lower())
        if not hit or hit[1]:
            continue
        if _LOC_PREP.search(mask[: m.start()]):
            return hit[0].iso3
    return None


def _article_country(doc: WorkDoc) -> str | None:
    """Dateline capital → its country; else the most-mentioned country name."""
    src = doc.source
    counts: dict[str, float] = {}
    idx = country_name_index()
    if src and src.dateline:
        dl = src.dateline.strip().lower()
        for c in country_by_iso3().values():
            if c.capital and c.capital.lower() == dl:
                counts[c.iso3] = 1.5
        hit = idx.get(dl)
        if hit:
            counts[hit[0].iso3] = 1.5
    head = doc.body[:1500]
    lead = re.match(r"^\s*[A-Z][A-Z .'’-]+(?:,\s*[A-Z][\w .'’-]+?)?\s*(?:\([^)]{2,30}\))?\s*[—–-]{1,2}\s", doc.body)
    lead_end = lead.end() if lead else 0
    for m in country_regex().finditer(doc.body):
        hit = idx.get(m.group(1).lower())
        if hit:
            # the lede counts more, except the dateline itself ("BANGKOK, Thailand —")
            boost = 2.0 if m.start() < lead_end else (1.5 if m.start() < len(head) else 1.0)
            w = (1.0 if not hit[1] else 0.25) * boost
            counts[hit[0].iso3] = counts.get(hit[0].iso3, 0) + w
    if not counts:
        return None
    return max(counts.items(), key=lambda kv: kv[1])[0]


_CLAIM = re.compile(r"\bclaim(?:ed|s)? (?:responsibility|(?:the|that|this) (?:\w+ )?(?:attacks?|bombings?|killings?|assault|abduction|strikes?|blast|ambush))\b", re.I)
_NEG_CLAIM = re.compile(r"\b(?:no|not|nobody|no one|none|never|yet to|did not|has not|have not|denied)\b[^.]{0,40}$", re.I)
_PERFECT = re.compile(r"\b(?:has|have)\s+(?:\w+ly\s+)?\w+(?:ed|en|un|ht)\b", re.I)
_SPEAKER_AGENT = re.compile(r"^\W*(?:\w+\W+){0,3}?(?:said|says|claimed|announced|stated)\s+(?:on \w+\s+)?(?:that\s+)?(?:it|they|its\s+\w+|their\s+\w+)\b", re.I)
_SPEECH = re.compile(r"\b(?:said|says|told|according to|confirmed|reported|added|stated|announced that|claimed that)\b", re.I)
_CIVILIAN_PLACE = re.compile(r"\b(?:market|bazaar|mosque|church|temple|shrine|school|hospital|clinic|displaced|camp for|"
                             r"passenger|bus|wedding|funeral|homes?|houses?|shops?|store|restaurant|cafe|hotel|residential|"
                             r"neighbou?rhood|village|worshippers|shoppers|crowd)\b", re.I)
_SPEECH_AFTER = re.compile(r"^\W{0,3}(?:\w+\W+){0,2}(?:said|says|told|reported|confirmed|added|stated)\b", re.I)
_VICTIM_CIV = re.compile(r"\b(?:civilians?|villagers?|residents?|passengers?|worshippers?|students?|workers?|engineers?|children|women|pilgrims?|shoppers?|teachers?|journalists?|traders?|farmers?|labou?rers?|bystanders?|family|tourists?|nationals|citizens|convoy carrying|people)\b", re.I)


_VERB_PIVOT = re.compile(r"\b(?:killed|killing|attacked|shot|ambushed|abducted|kidnapped|arrested|detained|struck|bombed|shelled|"
                         r"raided|stormed|clashed|fired|opened fire|targeted|seized|captured|overran|hit|exploded|detonated|"
                         r"launched|carried out|blew)\b", re.I)


def _choose_actors(draft: Draft, clause_mask: str, clause_abs: int, trig_abs: int) -> tuple[ActorMention | None, ActorMention | None]:
    verb = _VERB_PIVOT.search(clause_mask)
    if verb is not None and clause_abs + verb.start() < trig_abs:
        trig_abs = clause_abs + verb.start()  # "soldiers killed five Maoists in a gunfight": split at "killed"
    body_mask = clause_mask
    # an actor followed by a speech verb before the trigger is a source, not the agent
    # ("the spokesman for the Kabul police said five passengers were killed")
    before = [a for a in draft.actors if a.start <= trig_abs
              and not _SPEECH.search(body_mask[max(0, a.end - clause_abs):max(0, trig_abs - clause_abs)])]
    after = [a for a in draft.actors if a.start > trig_abs
             and not _SPEECH_AFTER.match(body_mask[max(0, a.end - clause_abs):])]
    a1 = a2 = None
    # passive: "... were killed by militants"
    after_trig = clause_mask[trig_abs - clause_abs:]
    by = re.match(r"^\S+(?:\s+\S+){0,4}?\s+by\s+(?:suspected\s+|unidentified\s+|armed\s+)?", after_trig)
    passive = re.search(r"\b(?:was|were|been|being|is|are|got)\s+(?:\w+ly\s+)?$", clause_mask[:trig_abs - clause_abs]) \
        or re.match(r"^\S+\s+(?:fired|launched|carried out|planted|dropped|triggered)\s+by\b", after_trig) \
        or re.match(r"^(?:\w+\s+){0,3}(?:fired|launched|carried out|planted|dropped|triggered)\s+by\b", after_trig) \
        or re.match(r"^(?:attacks?|assaults?|raids?|strikes?|ambush(?:es)?|offensive|bombings?|shelling|incursion)\s+by\b",
                    after_trig, re.I)  # "an attack by jihadist fighters"
    if by and passive:
        by_abs = clause_abs + (trig_abs - clause_abs) + by.end()
        agents = [a for a in after if abs(a.start - by_abs) <= 25 and a.inter in ARMED]
        if agents:
            a1 = agents[0]
            rest = [a for a in draft.actors if a is not a1]
            a2 = rest[0] if rest else None
            return a1, a2
    if not before or all(a.inter == 7 for a in before):
        # "the Arakan Army said it had captured ...", "the army said its aircraft struck ...":
        # the speaker is the agent of "it"
        for a in draft.actors:
            if a.start <= trig_abs and _SPEAKER_AGENT.match(body_mask[max(0, a.end - clause_abs):max(0, trig_abs - clause_abs) + 20]):
                before = [a]
                break
    armed_before = [a for a in before if a.inter in ARMED or a.inter in (5, 6)]
    if armed_before:
        a1 = armed_before[-1] if len(armed_before) > 1 and armed_before[-1].subject else armed_before[0]
    elif before:
        a1 = before[0] if before[0].inter != 7 else None
    pool = [a for a in after if a is not a1] or [a for a in before if a is not a1 and a.inter == 7]
    if not pool and a1 is not None:
        # "Indian soldiers killed two suspected militants in a gunfight": both sides precede the noun trigger
        pool = [a for a in before if a.start > a1.start and a.name != a1.name]
    if pool:
        # a named group beats a generic word for the same side ("a militant hideout ... Pakistani Taliban fighters")
        a2 = next((a for a in pool if a.generic is None and a.inter in ARMED and pool[0].generic is not None
                   and pool[0].inter == a.inter), pool[0])
    return a1, a2


class EventBuilder:
    def __init__(self, doc: WorkDoc, min_confidence: float = 0.3):
        self.doc = doc
        self.published = doc.source.published if doc.source else None
        self.article_iso3 = _article_country(doc)
        self.drafts: list[Draft] = []
        # event id -> actor fields whose name was rendered from the event's country (not the actor's own)
        self.country_bound: dict[str, list[str]] = {}
        self.aggregates: list[Aggregate] = []
        self.min_confidence = min_confidence
        self._last_agg_period: tuple[date | None, date | None] = (None, None)
        self._last_agg_sentence = -10

    # -- per sentence
    def process(self) -> tuple[list[Event], list[Aggregate]]:
        lex = lexicon()
        for si, sent in enumerate(self.doc.sentences):
            mask = mask_quotes(sent.text)
            if not mask.strip():
                continue
            if lex.metaphor.search(mask) and not find_counts(mask):
                mask = lex.metaphor.sub(lambda m: " " * len(m.group(0)), mask)
            clauses = split_clauses(mask)
            sentence_drafts: list[Draft] = []
            for cs, ce, sep in clauses:
                cmask = mask[cs:ce]
                if not cmask.strip():
                    continue
                if _is_aggregate(cmask):
                    self._add_aggregates(sent, si)
                    break
                # a sentence right after a tally that repeats its kind of numbers is part of it
                if si - self._last_agg_sentence == 1 and re.search(r"\b(?:it|they)\s+(?:said\s+)?(?:it\s+)?killed\s+\d", cmask, re.I) and re.search(r"\barrested\b|\boperations\b", cmask, re.I):
                    self._add_aggregates(sent, si)
                    break
                d = self._draft(sent, si, cs, ce, cmask, sentence_drafts, sep)
                if d is not None:
                    sentence_drafts.append(d)
                elif sentence_drafts and _first_family(cmask) is None:
                    # a trigger-less clause completes the event before it:
                    # "..., police said, but there were no casualties", "... after fighting with the army"
                    self._complete(sentence_drafts[-1], sent.start + cs, sent.start + ce, cmask)
            for d in sentence_drafts:
                self._merge_or_add(d)
            if not sentence_drafts and self.drafts and si - self._last_agg_sentence > 0:
                counts = find_counts(mask, base=sent.start)
                prev = self.drafts[-1]
                if counts and abs(prev.paragraph - sent.paragraph) <= 2 and not lex.separate.search(mask) \
                        and not _is_aggregate(mask) and _first_family(mask) is None:
                    prev.counts.extend(counts)
                    if sent not in prev.sentences:
                        prev.sentences.append(sent)
        return self._finalise(), self.aggregates

    def _complete(self, d: Draft, abs_start: int, abs_end: int, cmask: str) -> None:
        d.counts.extend(find_counts(cmask, base=abs_start))
        extra = find_actor_mentions(self.doc.body, abs_start, abs_end, self.doc.entities, mask=cmask)
        extra = [a for a in extra if not _SPEECH_AFTER.match(cmask[a.end - abs_start:])]
        d.actors.extend(extra)
        a1 = d.extra.get("a1")
        if d.extra.get("a2") is None and d.event_type not in ("Protests", "Riots"):
            other = next((a for a in extra if a1 is None or a.name != a1.name), None)
            if other is not None:
                d.extra["a2"] = other

    def _historical(self, cmask: str, trig: re.Match) -> bool:
        """'the 2014 school massacre', 'since a 2017 bombing': background, not a new event."""
        if self.published is None:
            return False
        before = cmask[max(0, trig.start() - 40):trig.start()]
        m = re.search(r"\b((?:19|20)\d\d)\b(?:\s+[\w-]+){0,3}\s*$", before)
        if m and int(m.group(1)) < self.published.year:
            return True
        # "the 2006 military operation in which ... was killed": an old year anywhere before the trigger
        years = [int(y) for y in re.findall(r"\b((?:19|20)\d\d)\b", cmask[:trig.start()])]
        return bool(years) and max(years) < self.published.year - 1

    def _too_old(self, window: DateWindow | None, strategic: bool) -> bool:
        if self.published is None or window is None:
            return False
        limit = timedelta(days=3 * 366 if strategic else 183)
        return window.end < self.published - limit

    def _add_aggregates(self, sent: Sentence, si: int) -> None:
        if si == self._last_agg_sentence:
            return
        aggs = extract_aggregates(sent.text, sent.start, self.published,
                                  self._last_agg_period if si - self._last_agg_sentence <= 1 else (None, None))
        for a in aggs:
            self.aggregates.append(a)
            if a.period_start:
                self._last_agg_period = (a.period_start, a.period_end)
        self._last_agg_sentence = si

    def _draft(self, sent: Sentence, si: int, cs: int, ce: int, cmask: str,
               sentence_drafts: list[Draft], sep: str = "") -> Draft | None:
        lex = lexicon()
        found = _first_family(cmask)
        if found is None:
            return None
        fam, trig = found
        clause_counts = find_counts(cmask)  # offsets relative to the clause
        if _definite_reference(cmask, trig) and fam.name in ("attack", "clash"):
            # "... suspended two radio stations over the attack": the reference is not the event
            for other in lex.families:
                if other is fam or other.name in ("attack", "clash"):
                    continue
                om = _family_match(other, cmask)
                if om is not None and not _definite_reference(cmask, om):
                    fam, trig = other, om
                    break
        if fam.name != "arrests":
            arrest_fam = next(f for f in lex.families if f.name == "arrests")
            am = _family_match(arrest_fam, cmask)
            noun_trig = re.fullmatch(r"(?:raids?|attacks?|operations?|bombings?|blasts?|explosions?|assaults?|killings?)", trig.group(0), re.I)
            raid = re.fullmatch(r"raid(?:ed|s|ing)?", trig.group(0), re.I)
            if am is not None and noun_trig and am.start() < trig.start():
                fam, trig = arrest_fam, am
            elif am is not None and raid and not [c for c in clause_counts if c.kind == "killed" and c.value]:
                fam, trig = arrest_fam, am  # "raided a house and detained three suspects": an arrest
            elif am is not None and re.search(r"\b(?:for|over|in connection with|linked to|behind|suspected of|involved in|after|planning|plotting)\s+(?:the\s+|a\s+|an\s+|last\s+\w+'s\s+|\w+'s\s+)?(?:\w+\s+)?$",
                                            cmask[:trig.start()]):
                fam, trig = arrest_fam, am
        if lex.trend.search(cmask) and fam.name != "operation":
            return None
        abs_start = sent.start + cs
        trig_abs = abs_start + trig.start()
        caused = bool(re.search(r"\b(?:prompted|triggered|sparked|led|forced|caused)\b", sep))
        if not caused and not _is_realis(self.doc, abs_start, sent.start + ce, cmask, trig.start()):
            return None
        if _generic_mention(cmask, trig):
            if clause_counts:
                # "Militant attacks killed 97 people across Pakistan in November": a tally
                self._add_aggregates(sent, si)
            return None
        if self._historical(cmask, trig):
            return None
        window = find_date(cmask, self.published)
        explicit = window is not None and not window.relative
        if window is None or window.relative:
            window_s = find_date(mask_quotes(sent.text), self.published)
            if window_s is not None and not window_s.relative:
                window, explicit = window_s, True
        if window is None:
            # a date set earlier in the paragraph carries over ("On Tuesday, ... . Police fired ...")
            for prev_s in reversed(self.doc.sentences[max(0, si - 2):si]):
                if prev_s.paragraph != sent.paragraph:
                    break
                w = find_date(mask_quotes(prev_s.text), self.published)
                if w is not None and not w.relative:
                    window, explicit = w, True
                    break
        if explicit and self._too_old(window, fam.event_type == "Strategic developments"):
            return None
        nationwide = re.search(r"\b(?:in|across)\s+((?-i:[A-Z][\w'-]+)(?:\s+(?-i:[A-Z][\w'-]+))?)\s+(?:in|during|since|so far)\b", cmask)
        if explicit and window.precision == 3 and fam.event_type != "Strategic developments" and nationwide \
                and nationwide.group(1).lower() in country_name_index() and clause_counts:
            self._add_aggregates(sent, si)
            return None
        counts = [replace(c, start=c.start + abs_start, end=c.end + abs_start) for c in clause_counts]
        actors = find_actor_mentions(self.doc.body, abs_start, sent.start + ce, self.doc.entities, mask=cmask)
        loc = _locative_country(cmask)
        d = Draft(
            family=fam, event_type=fam.event_type, sub_event_type=fam.sub_event_type,
            sentences=[sent], paragraph=sent.paragraph, window=window if explicit else None,
            explicit_date=explicit, perfect=bool(_PERFECT.search(cmask)), counts=counts, actors=actors,
            country=loc, country_explicit=loc is not None, trigger_abs=trig_abs, confidence=fam.weight,
        )
        definite = _definite_reference(cmask, trig)
        d.extra["claim"] = bool(_CLAIM.search(cmask))
        d.extra["anaphoric"] = bool(lex.anaphor.search(cmask.lstrip(" ,;").removeprefix("But ").removeprefix("And "))) \
            or definite or d.extra["claim"]
        # "the blast", "a bomb": explosion nouns that any explosive event may be called
        d.extra["loose"] = bool(re.fullmatch(r"(?:bombs?|bombings?|blasts?|explosions?)", trig.group(0), re.I))
        victim_first = any(c.kind == "killed" and c.start < trig_abs for c in counts)  # "One person was killed when ..."
        d.extra["casualty_only"] = fam.name == "attack" and bool(
            re.fullmatch(r"(?:killed|killing|died|dead|shot dead)", trig.group(0), re.I)) \
            and (victim_first or not [a for a in actors if a.inter != 7]) \
            and (bool(counts) or bool(re.search(r"\bhow many\b|\bnot (?:clear|known)\b|\bunclear\b", cmask, re.I)))
        d.extra["definite"] = definite and not counts and \
            not lex.anaphor.search(cmask.lstrip(" ,;"))
        d.extra["separate"] = bool(lex.separate.search(cmask))
        d.extra["relative"] = (window is not None and window.relative) or bool(
            re.search(r"\b(?:after|before)\b", sep) and re.search(r"\b(?:days?|weeks?|hours?|months?)\b", sep))
        if d.extra["relative"] and not explicit:
            d.extra["anaphoric"] = False
        d.extra["clause"] = cmask
        d.extra["clause_abs"] = abs_start
        d.secondary = bool(sentence_drafts) and caused
        self._type(d, cmask, abs_start)
        return d

    # -- typing refinements (reference §1 guidance)
    def _type(self, d: Draft, cmask: str, abs_start: int) -> None:
        a1, a2 = _choose_actors(d, cmask, abs_start, d.trigger_abs)
        d.extra["a1"], d.extra["a2"] = a1, a2
        fam = d.family.name
        low = cmask.lower()
        if fam in ("attack", "clash"):
            both_armed = a1 is not None and a2 is not None and a1.inter in ARMED and a2.inter in ARMED
            target_civ = (a2 is not None and a2.inter == 7) or (
                a2 is None and bool(_VICTIM_CIV.search(cmask[d.trigger_abs - abs_start:])) and fam == "attack")
            if both_armed and a1.name != a2.name:
                d.event_type, d.sub_event_type = "Battles", "Armed clash"
            elif fam == "attack" and re.search(r"\b(?:militants|insurgents|terrorists|separatists|fighters|rebels|attackers|gunmen)\b", low) \
                    and re.search(r"\b(?:security forces|soldiers|troops|police|army|military|forces)\b", low) and not target_civ:
                d.event_type, d.sub_event_type = "Battles", "Armed clash"
            elif fam == "clash" and not both_armed and target_civ and "return" not in low:
                d.event_type, d.sub_event_type = "Violence against civilians", "Attack"
        if fam == "protest":
            if re.search(r"\b(?:opened fire on|shot|killed|fired live)\b", low) and find_counts(cmask):
                d.event_type, d.sub_event_type = "Protests", "Excessive force against protesters"
            elif re.search(r"\b(?:tear ?gas|water cannons?|rubber bullets|batons?|baton-charged|dispersed?|arrested|detained|lathi|"
                           r"fired (?:into the air|warning shots|in the air))\b", low):
                d.event_type, d.sub_event_type = "Protests", "Protest with intervention"
        if fam == "protest" and re.search(r"\b(?:looted|looting|set fire|torched|burn(?:ed|t)|stormed|ransacked|vandali[sz]ed|"
                                          r"pelted|threw stones|hurled stones|broke into|clashed with police)\b", low):
            d.event_type, d.sub_event_type = "Riots", "Violent demonstration"
        if fam == "riot" and re.search(r"\bmobs?\b|\blynch", low) and not re.search(r"\bprotest|demonstrat", low):
            d.sub_event_type = "Mob violence"
        if fam == "arrests" and find_counts(cmask) and re.search(r"\bkilled\b", low):
            # "killed two and arrested three": the killing types the event
            d.event_type, d.sub_event_type = "Battles", "Armed clash"

    # -- merging
    def _compatible(self, a: Draft, b: Draft) -> bool:
        if {a.event_type, b.event_type} <= {"Protests", "Riots"} or (
                a.event_type in ("Protests", "Riots") and b.family.name == "looting"):
            return True
        generic = {"attack", "clash"}
        if b.extra.get("casualty_only"):
            return True  # "No one was killed." belongs to whatever came before
        if (a.event_type in ("Protests", "Riots")) != (b.event_type in ("Protests", "Riots")) \
                and b.sub_event_type != "Arrests":
            return False  # a march after a massacre is a new event, not a report of it
        if a.family.name not in generic and b.family.name not in generic and a.sub_event_type != b.sub_event_type \
                and not a.extra.get("loose") and not b.extra.get("loose") \
                and a.event_type != "Strategic developments" and b.event_type != "Strategic developments":
            return False  # a drone strike and an artillery barrage are two events
        if a.event_type in ("Protests", "Riots") and b.sub_event_type == "Arrests":
            return True  # arrests at a protest are the intervention, not a new event
        if a.event_type == "Battles" and b.family.name in ("transfer",):
            return True
        if a.event_type not in ("Strategic developments", "Protests", "Riots") and b.family.name in ("looting", "disrupted") \
                and not b.explicit_date:
            return True  # weapons seized or shops looted in the course of an attack belong to it
        if a.sub_event_type == "Arrests" and b.family.name == "attack" and b.extra.get("anaphoric"):
            return True  # "seized in the raid": the raid of the arrests
        if a.sub_event_type == "Arrests" or b.sub_event_type == "Arrests":
            return a.sub_event_type == b.sub_event_type
        if a.event_type == b.event_type:
            return True
        generic = {"attack", "clash"}
        return a.family.name in generic or b.family.name in generic

    def _merge_or_add(self, d: Draft) -> None:
        target = None
        if d.extra["anaphoric"] and not d.extra["separate"] and not d.secondary and self.drafts:
            for prev in reversed(self.drafts[-3:]):
                if abs(prev.paragraph - d.paragraph) <= 5 and self._compatible(prev, d) and not prev.secondary:
                    if d.explicit_date and prev.explicit_date and prev.window and d.window and \
                            (d.window.start > prev.window.end or d.window.end < prev.window.start):
                        continue
                    target = prev
                    break
        if target is None and not d.extra["separate"] and not d.secondary and not d.extra.get("relative") \
                and (d.event_type != "Strategic developments" or d.family.name in ("looting", "transfer", "disrupted")
                     or (d.sub_event_type == "Arrests" and not d.explicit_date)) and self.drafts:
            # a follow-up report ("police said five passengers were killed") of the last incident:
            # compatible type, no other date, no other country, close by
            prev = next((p for p in reversed(self.drafts) if not p.secondary), None)
            if prev is not None and abs(prev.paragraph - d.paragraph) <= 3 and self._compatible(prev, d) \
                    and not _different_places(prev, d) \
                    and (prev.event_type != "Strategic developments") \
                    and not (d.explicit_date and prev.explicit_date and not _same_window(prev.window, d.window)) \
                    and not (d.country_explicit and prev.country_explicit and d.country != prev.country):
                target = prev
        if target is None and d.event_type == "Strategic developments" and not d.extra["separate"]:
            for prev in self.drafts:
                if prev.sub_event_type == d.sub_event_type and prev.family.name == d.family.name \
                        and (not d.explicit_date or not prev.explicit_date or _same_window(prev.window, d.window)):
                    target = prev
                    break
        if target is not None:
            self._merge(target, d)
            d.extra["merged_into"] = target
            return
        if d.extra.get("claim") or (d.extra.get("casualty_only") and not d.counts):
            return  # a claim or "it was not clear how many died" refers to an incident; it is not one itself
        # secondary event in the same sentence ("... and prompted Afghan forces to return fire"):
        # it inherits the place and date of the event it is tied to
        if d.secondary:
            parent = self._parent_of(d)
            if parent is not None:
                d.extra["parent"] = parent
                # "X's strikes prompted Afghan forces to return fire": the other side is X
                if d.extra.get("a2") is None and parent.extra.get("a1") is not None \
                        and parent.extra["a1"] is not d.extra.get("a1"):
                    d.extra["a2"] = parent.extra["a1"]
        if d.extra.get("relative") or (not d.explicit_date and not d.secondary):
            # "It came less than a week after ...": same period as the previous event
            if self.drafts and d.extra.get("relative"):
                d.extra["parent_date"] = self.drafts[-1]
        self.drafts.append(d)

    def _parent_of(self, d: Draft) -> Draft | None:
        for prev in reversed(self.drafts):
            if d.sentences[0] in prev.sentences:
                return prev
        return None

    def _merge(self, into: Draft, d: Draft) -> None:
        for s in d.sentences:
            if s not in into.sentences:
                into.sentences.append(s)
        # the fatalities of a referring sentence are reports of the same event
        into.counts.extend(d.counts)
        if not into.explicit_date and d.explicit_date:
            into.window, into.explicit_date = d.window, True
        if not into.country_explicit and d.country_explicit:
            into.country, into.country_explicit = d.country, True
        if d.extra.get("definite"):
            into.confidence = min(0.95, into.confidence + 0.02)
            return  # "the minister condemned the attack": a reaction, not a new source of actors or figures
        known = {(a.name, a.country) for a in into.actors}
        into.actors.extend(a for a in d.actors if (a.name, a.country) not in known)
        if into.extra.get("a1") is None and d.extra.get("a1") is not None:
            into.extra["a1"] = d.extra["a1"]
        if into.extra.get("a2") is None and d.extra.get("a2") is not None:
            into.extra["a2"] = d.extra["a2"]
        # a protest that turns to looting, arson or stone-throwing is a riot
        if into.event_type == "Protests" and (d.event_type == "Riots" or d.family.name == "looting"):
            into.event_type, into.sub_event_type = "Riots", "Violent demonstration"
            into.extra["a1"] = None
        elif into.event_type == "Protests" and any(c.kind == "killed" and c.value > 0 for c in d.counts):
            into.sub_event_type = "Excessive force against protesters"  # protesters killed by the forces
        elif into.event_type == "Protests" and d.sub_event_type == "Arrests" and into.sub_event_type == "Peaceful protest":
            into.sub_event_type = "Protest with intervention"
        elif into.event_type == "Protests" and d.event_type == "Protests" and \
                d.sub_event_type != "Peaceful protest" and into.sub_event_type == "Peaceful protest":
            into.sub_event_type = d.sub_event_type
        # a more specific type from the referring sentence wins over a generic one
        if into.family.name in ("attack",) and d.family.name not in ("attack", "clash", "arrests"):
            into.family, into.event_type, into.sub_event_type = d.family, d.event_type, d.sub_event_type
        into.confidence = min(0.95, into.confidence + 0.05)

    # -- finalisation
    def _window_for(self, d: Draft) -> DateWindow | None:
        if d.explicit_date and d.window:
            return d.window
        for key in ("parent", "parent_date"):
            p = d.extra.get(key)
            if p is not None:
                w = self._window_for(p)
                if w is not None:
                    return w
        if self.published is None:
            return None
        return default_window(self.published, d.perfect)

    def _country_for(self, d: Draft) -> str | None:
        if d.country_explicit and d.country:
            return d.country
        p = d.extra.get("parent")
        if p is not None:
            c = self._country_for(p)
            if c:
                return c
        return self.article_iso3 or next((a.country for a in d.actors if a.country and a.inter in ARMED), None)

    def _apply_claims(self) -> None:
        """'X claimed responsibility': X is actor1 of the closest earlier unattributed event."""
        by_name = actor_by_name()
        for sent in self.doc.sentences:
            cm = _CLAIM.search(sent.text)
            if not cm or _NEG_CLAIM.search(sent.text[:cm.start()]):
                continue
            ents = [e for e in self.doc.entities if e.label == "ACTOR" and sent.start <= e.start < sent.end
                    and e.kb_id in by_name]
            if not ents:
                continue
            a = by_name[ents[0].kb_id]
            mention = ActorMention(ents[0].start, ents[0].end, a.name, a.inter, a.country)
            prior = [d for d in self.drafts if d.sentences[0].start <= sent.start and d.event_type != "Strategic developments"]
            for d in reversed(prior):
                a1 = d.extra.get("a1")
                if a1 is None or (a1.generic or "").startswith("Unidentified"):
                    d.extra["a1"] = mention
                    break

    def _finalise(self) -> list[Event]:
        self._apply_claims()
        events = []
        body = self.doc.body
        src_id = self.doc.source.id if self.doc.source else ""
        for d in self.drafts:
            iso3 = self._country_for(d)
            c = country_by_iso3().get(iso3) if iso3 else None
            a1, a2 = d.extra.get("a1"), d.extra.get("a2")
            name1 = a1.render(iso3) if a1 else None
            name2 = a2.render(iso3) if a2 else None
            inter1 = a1.inter if a1 else None
            inter2 = a2.inter if a2 else None
            assoc2 = None
            et, sub = d.event_type, d.sub_event_type
            if et == "Strategic developments" and sub != "Arrests" and (a1 is None or a1.generic):
                clause_abs = d.extra.get("clause_abs", 0)
                in_clause = [a for a in d.actors if a.generic is None
                             and clause_abs <= a.start < clause_abs + len(d.extra.get("clause", ""))]
                named = next((a for a in in_clause if a.start < d.trigger_abs), None) or next(iter(in_clause), None)
                if named is not None:
                    a1, name1, inter1 = named, named.render(iso3), named.inter
                    if a2 is named:
                        name2 = inter2 = None
            # demonstrators are coded by country; the forces that intervene are actor2
            if et in ("Protests", "Riots"):
                name1, inter1 = _render_generic(
                    "Protesters ({country})" if et == "Protests" else "Rioters ({country})", c), 6 if et == "Protests" else 5
                force = next((a for a in d.actors if a.inter == 1 and not a.subject), None)
                intervened = sub in ("Protest with intervention", "Excessive force against protesters") or et == "Riots"
                if force is not None and intervened:
                    name2, inter2 = force.render(iso3), 1
                else:
                    name2, inter2 = None, None
            if et in ("Violence against civilians", "Explosions/Remote violence") and name1 is None:
                name1, inter1 = _render_generic("Unidentified Armed Group ({country})", c), 2
            if et == "Violence against civilians" and name2 is None:
                name2, inter2 = _render_generic("Civilians ({country})", c), 7
            if et in ("Explosions/Remote violence", "Violence against civilians") and name2 is None and \
                    _CIVILIAN_PLACE.search(" ".join(s.text for s in d.sentences)):
                name2, inter2 = _render_generic("Civilians ({country})", c), 7
            if et in ("Explosions/Remote violence", "Violence against civilians") and inter2 in (5, 6):
                name2, inter2 = _render_generic("Civilians ({country})", c), 7
            if a2 is not None and a2.inter == 7 and a2.demonym_of and a2.demonym_of != iso3:
                dem = country_by_iso3().get(a2.demonym_of)
                if dem and dem.demonyms and c:
                    assoc2 = f"{dem.demonyms[0]} Group ({c.name})"
            if name1 is not None and name1 == name2:
                name2, inter2 = None, None
            fat = summarise(d.counts)
            w = self._window_for(d)
            sents = sorted(d.sentences, key=lambda s: s.start)
            evidence = [Evidence(start=s.start, end=s.end, text=body[s.start:s.end]) for s in sents]
            conf = d.confidence
            if d.explicit_date:
                conf += 0.03
            if name1:
                conf += 0.02
            conf = round(max(0.0, min(0.99, conf)), 2)
            if conf < self.min_confidence:
                continue
            eid = hashlib.sha1(f"{src_id}|{sents[0].start}|{sub}|{d.trigger_abs}".encode()).hexdigest()[:16]
            civ = et in ("Violence against civilians", "Explosions/Remote violence") and inter2 == 7
            ev = Event(
                id=eid,
                event_date=w.midpoint if w else None,
                event_date_start=w.start if w else None,
                event_date_end=w.end if w else None,
                time_precision=w.precision if w else None,
                disorder_type=disorder_type_for(et, sub),
                event_type=et,
                sub_event_type=sub,
                actor1=name1, assoc_actor_1=None, inter1=inter1,
                actor2=name2, assoc_actor_2=assoc2, inter2=inter2,
                interaction=interaction_code(inter1, inter2),
                civilian_targeting=civ,
                country=c.name if c else None,
                iso3=iso3,
                fatalities=fat.best,
                    fatalities_low=fat.low if fat.known else 0,
                fatalities_high=fat.high if fat.known else 0,
                fatalities_known=fat.known,
                injuries=fat.injuries,
                evidence=evidence,
                confidence=conf,
                notes="",
            )
            ev.notes = make_notes(ev, body[sents[0].start:sents[0].end])
            events.append(ev)
            bound = []
            for field_name, mention in (("actor1", a1), ("actor2", a2)):
                value = getattr(ev, field_name)
                if value and (mention is None or mention.generic is not None and mention.country is None) \
                        and value != (mention.name if mention is not None and mention.generic is None else None):
                    bound.append(field_name)
            if assoc2:
                bound.append("assoc_actor_2")
            self.country_bound[ev.id] = bound
        return events


def _render_generic(pattern: str, c) -> str:
    from ..lexicons import generic_actors

    for g in generic_actors():
        if g.pattern == pattern:
            return g.render(c)
    return pattern.format(country=c.name if c else "Unknown")


_VERBS = {
    "Armed clash": "clashed with", "Government regains territory": "regained territory from",
    "Non-state actor overtakes territory": "took territory from", "Air/drone strike": "carried out air/drone strikes",
    "Suicide bomb": "carried out a suicide bombing", "Shelling/artillery/missile attack": "shelled",
    "Remote explosive/landmine/IED": "detonated an explosive device", "Grenade": "threw a grenade",
    "Chemical weapon": "used chemical weapons", "Attack": "attacked", "Abduction/forced disappearance": "abducted",
    "Sexual violence": "committed sexual violence against", "Arrests": "arrested",
    "Peaceful protest": "protested", "Protest with intervention": "protested; intervention by",
    "Excessive force against protesters": "protested; excessive force by", "Violent demonstration": "rioted",
    "Mob violence": "engaged in mob violence", "Agreement": "reached an agreement with",
    "Change to group/activity": "changed its activity", "Other": "strategic development",
    "Looting/property destruction": "looted or destroyed property", "Disrupted weapons use": "disrupted weapons use",
    "Headquarters or base established": "established a base", "Non-violent transfer of territory": "transferred territory",
}


def make_notes(ev: Event, first_sentence: str) -> str:
    """One-line ACLED-style summary: date, actors, what, where, fatalities."""
    when = ev.event_date.isoformat() if ev.event_date else "an unknown date"
    if ev.time_precision == 3 and ev.event_date_start:
        when = ev.event_date_start.strftime("%B %Y")
    elif ev.time_precision == 2 and ev.event_date_start and ev.event_date_end:
        when = f"{ev.event_date_start.isoformat()}/{ev.event_date_end.isoformat()}"
    who = ev.actor1 or "Unknown actor"
    verb = _VERBS.get(ev.sub_event_type, ev.sub_event_type.lower())
    target = f" {ev.actor2}" if ev.actor2 and verb.endswith(("with", "from", "against", "by", "attacked", "abducted", "arrested", "shelled")) else ""
    where = f" in {ev.country}" if ev.country else ""
    fat = f" {ev.fatalities} reported fatalities." if ev.fatalities_known else " Fatalities unknown."
    return f"On {when}, {who} {verb}{target}{where}.{fat}".replace("..", ".")
