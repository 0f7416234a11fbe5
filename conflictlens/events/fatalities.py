"""Fatality and injury counts from one clause (reference §5).

* numbers in digits or words, "a"/"an" + singular noun = 1;
* vague counts (ACLED convention): several/many/some → 10, dozens → 12,
  scores → 20, hundreds → 100, "a dozen" → 12;
* "at least five Chinese workers and a Pakistani" → 5 + 1;
* "no casualties", "no one was killed" → 0, known;
* injuries ("wounded", "injured", "hurt") are kept apart.

Returns every figure found; the caller combines figures from several
sentences (conservative best, low/high range).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "a dozen": 12, "dozen": 12,
    "a hundred": 100, "a single": 1,
}
VAGUE = {"several": 10, "many": 10, "some": 10, "dozens": 12, "scores": 20, "hundreds": 100, "numerous": 10,
         "a number of": 10, "a few": 3, "multiple": 10}

_NUMWORD = r"(?:\d[\d,]*|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|a dozen|a hundred|a single)"
_VAGUE = r"(?:several|many|dozens|scores|hundreds|numerous|a number of|a few|multiple|some)"
_QUAL = r"(?:at least|at most|up to|as many as|more than|over|nearly|almost|about|around|some|roughly|an estimated|approximately|a total of)"
_PEOPLE = r"(?:\w+[- ])?(?:\w+ )?(?:people|persons|civilians|soldiers|troops|officers|policemen|police(?:men)? officers|personnel|militants|fighters|insurgents|rebels|separatists|terrorists|attackers|assailants|gunmen|workers|engineers|villagers|residents|students|children|women|men|worshippers|passengers|protesters|demonstrators|members|guards|pilgrims|farmers|miners|nationals|citizens|tourists|migrants|refugees|others|family members|relatives|bystanders|shoppers|labourers|laborers|teachers|doctors|journalists|Pakistanis|Afghans|Indians|Chinese|[A-Z]\w+s)"
_SING = r"(?:an?|one|a single|another|the|the suicide|their|his|her|its)\s+(?:\w+[- ])?(?:\w+ )?(?:soldier|officer|policeman|police officer|civilian|man|woman|child|boy|girl|worker|engineer|villager|resident|student|militant|fighter|insurgent|guard|passenger|driver|teacher|journalist|doctor|person|member|Pakistani|Afghan|Indian|Chinese|national|citizen|bystander|farmer|pilgrim|commander|official|leader|bomber|attacker|assailant|gunman|worshipper|shopkeeper|trader|protester|demonstrator|mother|father|son|daughter|wife|husband|brother|sister|uncle|cousin|imam|priest|cleric|judge|lawyer|politician|councillor|mayor|governor|chief|constable|trooper|jawan|militiaman|rebel|herder|shepherd|refugee|migrant|tourist|nurse|activist|prisoner|hostage|pilot|sergeant|captain|major|colonel|lieutenant)"

_KILL = r"(?:killed|killing|kills|dead|died|die|bury|buried|burying|lost their lives|lost his life|lost her life|slain|perished|massacred|shot dead|gunned down|executed|beheaded|claimed the lives of|claiming the lives of|left dead|leaving dead|death toll|bodies|lives)"
_HURT = r"(?:injured|injuring|wounded|wounding|hurt|injuries|wounds)"


def to_int(token: str) -> int | None:
    t = token.lower().strip().replace(",", "")
    if t.isdigit():
        return int(t)
    if t in WORDS:
        return WORDS[t]
    if t in VAGUE:
        return VAGUE[t]
    m = re.fullmatch(r"(twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[- ](\w+)", t)
    if m and m.group(2) in WORDS:
        return WORDS[m.group(1)] + WORDS[m.group(2)]
    return None


@dataclass
class Count:
    kind: str  # "killed" | "injured"
    value: int
    qualifier: str = ""
    vague: bool = False
    start: int = 0
    end: int = 0
    additive: bool = False  # "four soldiers were also killed": adds to, not conflicts with, other figures
    text: str = ""
    includes_attacker: bool = False  # "five people dead, including the bomber"


_OF = r"(?:of\s+(?:the|its|their|his|her|them|those)\s+)?"
_GROUP = rf"(?:(?P<qual>{_QUAL})\s+)?(?P<num>{_NUMWORD}|{_VAGUE})\s+(?:of\s+)?{_OF}{_PEOPLE}(?:\s*,?\s*(?:and|plus)\s+(?:(?:{_QUAL})\s+)?(?P<num2>{_NUMWORD})\s+{_OF}{_PEOPLE}|\s+and\s+(?P<sing2>{_SING}))?"
_SINGLE = rf"(?P<sing>{_SING})(?:\s+and\s+(?P<snum2>{_NUMWORD})\s+{_OF}{_PEOPLE})?"

# "killed at least 5 people", "killing eight", "claimed the lives of 62 soldiers"
_AFTER_VERB = re.compile(rf"\b(?P<verb>{_KILL}|{_HURT})\s+(?:(?:at least|up to|some|about|nearly|more than)\s+)?(?:(?:{_GROUP})|(?:{_SINGLE})|(?P<bare>(?:{_QUAL}\s+)?{_NUMWORD})\b(?!\s*(?:%|per ?cent|km|kilomet|miles|metres|meters|years?|days?|hours?|minutes?|months?|weeks?|[ap]\.?m\b|o'clock|rounds|shells|rockets|missiles|vehicles|houses|homes|shops)))", re.I)
# "five people were killed", "8 dead", "three soldiers died", "a policeman was killed"
_BEFORE_VERB = re.compile(rf"(?:(?:{_GROUP})|(?:{_SINGLE})|(?P<bare>(?:{_QUAL}\s+)?{_NUMWORD}))(?:\s*,[^,]{{1,60}},|\s+(?:who|that)\s+(?:\w+\s+){{1,5}}?(?:inside|there|home|trapped)?)?\s+(?:(?:were|was|have been|had been|are|is|got|lay|had|have|has)\s+)?(?:(?:reportedly|also|later|all|subsequently|since)\s+)?(?P<verb>{_KILL}|{_HURT})\b", re.I)
_TOLL = re.compile(rf"\b(?:(?:death toll|toll)\s+(?:\w+\s+){{0,3}}(?:rose|climbed|reached|jumped|increased|stood|stands|is|was|has risen)\s+(?:to|at)|(?:put|puts|putting|gave|gives|giving|placed|raised) the (?:death )?toll (?:at|to))\s+(?:(?:{_QUAL})\s+)?(?P<num>{_NUMWORD})\b", re.I)
_ZERO = re.compile(r"\b(?:no (?:one|body) (?:was|were|had been) (?:killed|hurt|injured|harmed|wounded)|no one died|no (?:casualties|deaths|fatalities|loss of life|injuries)|nobody was (?:killed|hurt|injured)|without (?:casualties|loss of life)|no (?:one|body) (?:died|was harmed))\b", re.I)
_ALL = re.compile(rf"\ball\s+(?P<num>{_NUMWORD})\s+(?:\w+\s+)?(?:attackers|assailants|militants|gunmen|bombers|hostage-?takers)\s+(?:were|had been)\s+(?:killed|shot dead|neutrali[sz]ed)\b", re.I)


def _value(m: re.Match) -> tuple[int | None, str, bool]:
    g = m.groupdict()
    qual = (g.get("qual") or "").lower()
    if g.get("sing"):
        v = 1 + (to_int(g["snum2"]) or 0 if g.get("snum2") else 0)
        return v, qual, False
    raw = g.get("num") or g.get("bare")
    if raw is None:
        return None, qual, False
    raw_l = raw.lower()
    for q in ("at least", "at most", "up to", "as many as", "more than", "over", "nearly", "almost", "about",
              "around", "some", "roughly", "an estimated", "approximately", "a total of"):
        if raw_l.startswith(q + " "):
            qual = qual or q
            raw_l = raw_l[len(q) + 1:]
    v = to_int(raw_l)
    if v is None:
        return None, qual, False
    vague = raw_l in VAGUE
    if g.get("num2"):
        v += to_int(g["num2"]) or 0
    if g.get("sing2"):
        v += 1
    return v, qual, vague


_INCLUDING_ATTACKER = re.compile(r"^[\s,]*(?:\w+\s+){0,3}including (?:the|a|one|two|three|both|all) (?:suicide )?(?:bombers?|attackers?|assailants?|gunmen|gunman)\b", re.I)
_ATTACKER_WORD = re.compile(r"\b(?:bombers?|attackers?|assailants?|gunm[ae]n)\b", re.I)
_SELF = re.compile(r"(?<=\s)(?:as well as|along with|besides|and) (?:himself|herself)\b", re.I)
_EXTRA_HURT = re.compile(r"\b(?:wounding|injuring|wounded|injured)\s+(?:a|one)\s+(?:third|fourth|fifth|other|another)\b", re.I)
_TREATED = re.compile(rf"\btreated\s+(?:(?:at least|more than|some|about)\s+)?(?P<num>{_NUMWORD})\s+(?:people|patients|persons|victims|others)\s+for\s+(?:wounds|injuries|burns|gunshot wounds)\b", re.I)
_DEATHS = re.compile(rf"\b(?:confirmed|reported|recorded)\s+(?P<num>{_NUMWORD}|one|a single)\s+deaths?\b", re.I)
_ADDITIVE = re.compile(r"\b(?:also|other|another|as well|in addition|additional|further)\b", re.I)


def find_counts(text: str, base: int = 0) -> list[Count]:
    """All killed/injured figures in ``text`` (offsets shifted by ``base``)."""
    out: list[Count] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, v: int, qual: str, vague: bool, s: int, e: int) -> None:
        if any(a < e and s < b for a, b in taken):
            return
        if vague and re.search(r"\b(?:how|not say|not known|unclear)\s*$", text[max(0, s - 12):s], re.I):
            return  # "did not say how many people had been killed"
        if 1900 <= v <= 2100 and re.search(r"\b(?:in|since|of|during|by|from|until|before|after)\s+(?:\w+\s+)?$",
                                           text[max(0, s - 20):s] + text[s:e].split()[0] + " ", re.I):
            return  # "fighting in 2007 killed hundreds": a year, not a count
        taken.append((s, e))
        additive = bool(_ADDITIVE.search(text[max(0, s - 12):e]))
        incl = bool(_INCLUDING_ATTACKER.match(text[e:e + 60]))
        out.append(Count(kind, v, qual, vague, base + s, base + e, additive, text[s:e], incl))

    for m in _EXTRA_HURT.finditer(text):
        add("injured", 1, "", False, m.start(), m.end())
        out[-1].additive = True
    for m in _TREATED.finditer(text):
        v = to_int(m.group("num"))
        if v is not None:
            add("injured", v, "", False, m.start(), m.end())
    for m in _DEATHS.finditer(text):
        v = to_int(m.group("num"))
        if v is not None:
            add("killed", v, "", False, m.start(), m.end())
    for m in _ZERO.finditer(text):
        add("killed", 0, "none", False, m.start(), m.end())
    for m in _SELF.finditer(text):
        if not re.search(r"\b(?:kill(?:ed|ing)|dead|died)\b", text[max(0, m.start() - 80):m.start()], re.I):
            continue
        add("killed", 1, "", False, m.start(), m.end())
        out[-1].additive = True
        out[-1].text = "attacker himself"
    for m in _TOLL.finditer(text):
        v = to_int(m.group("num"))
        if v is not None:
            update = re.search(r"\b(?:rose|climbed|jumped|increased|risen)\b", m.group(0), re.I)
            add("killed", v, "toll" if update else "", False, m.start(), m.end())
    for m in _ALL.finditer(text):
        v = to_int(m.group("num"))
        if v is not None:
            add("killed", v, "", False, m.start(), m.end())
    for rx in (_BEFORE_VERB, _AFTER_VERB):
        for m in rx.finditer(text):
            verb = m.group("verb").lower()
            if verb in ("lives",) and "claimed the lives" not in text[max(0, m.start() - 20):m.end()].lower():
                continue
            v, qual, vague = _value(m)
            if v is None:
                continue
            kind = "injured" if re.fullmatch(_HURT, verb, re.I) else "killed"
            add(kind, v, qual, vague, m.start(), m.end())
    return out


@dataclass
class FatalitySummary:
    best: int = 0
    low: int | None = None
    high: int | None = None
    known: bool = False
    injuries: int | None = None


def summarise(counts: list[Count]) -> FatalitySummary:
    """Conservative best with the low/high range over the figures reported (reference §5)."""
    killed = [c for c in counts if c.kind == "killed"]
    hurt = [c for c in counts if c.kind == "injured"]
    out = FatalitySummary()
    if killed:
        extra = sum(c.value for c in killed if c.additive)
        # "five dead, including the bomber": the attacker is inside that total already
        attacker_extra = sum(c.value for c in killed if c.additive and _ATTACKER_WORD.search(c.text))
        reports = [c for c in killed if not c.additive]
        tolls = [c.value for c in reports if c.qualifier == "toll"]
        values = [c.value - (attacker_extra if c.includes_attacker else 0) for c in reports] or [0]
        out.low, out.high = min(values) + extra, max(values) + extra
        out.best = (max(tolls) if tolls else min(values)) + extra
        out.known = True
    if hurt:
        extra = sum(c.value for c in hurt if c.additive)
        reports = [c.value for c in hurt if not c.additive] or [0]
        out.injuries = min(reports) + extra
    return out
