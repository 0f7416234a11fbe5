"""Speaker phrases: parse them, and resolve them to the people of the article.

A *speaker phrase* is the text around a reporting verb that names who spoke:
``"Madiha Afzal, a fellow at the Brookings Institution,"``, ``"she"``,
``"the PTI leader"``, ``"a senior security official, who asked not to be
named,"``.  :func:`parse_speaker_phrase` splits it into a head (name, pronoun
or description) and appositions (role, organisation, anonymity markers);
:class:`SpeakerBook` remembers every person and unnamed source seen so far and
resolves surnames, pronouns and definite descriptions ("the minister") to the
full entry.  Nothing here invents a name: an unresolved description stays a
description and is marked anonymous.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import Optional

from .lexicon import Lexicon

# a pronoun refers to someone mentioned at most this many characters earlier
ANTECEDENT_WINDOW = 4000
# "the minister" refers back to someone last mentioned at most this many characters earlier
DESCRIPTION_WINDOW = 20000
PRONOUNS = {"he": "sg", "she": "sg", "they": "pl", "i": "sg", "we": "pl", "it": "org"}
DETERMINERS = {"a", "an", "the", "one", "another", "some", "two", "three", "several", "many",
               "other", "this", "that", "these", "those", "his", "her", "their", "its", "both"}
INDEFINITE = {"a", "an", "one", "another", "some", "two", "three", "several", "many", "other", "both"}
NAME_PARTICLES = {"bin", "bint", "ibn", "al", "al-", "el", "ul", "ud", "de", "da", "del", "van",
                  "von", "der", "le", "la", "e", "abu", "du", "dos", "di"}
ORG_WORDS = {
    "ministry", "institution", "institute", "army", "police", "government", "party", "taliban",
    "office", "council", "committee", "agency", "authority", "commission", "forces", "front",
    "league", "movement", "organization", "organisation", "union", "court", "department", "bureau",
    "command", "service", "nations", "group", "coalition", "alliance", "administration", "military",
    "brigade", "brigades", "corps", "watch", "international", "foundation", "center", "centre",
    "university", "bank", "fund", "company", "network", "association", "federation", "assembly",
    "parliament", "cabinet", "embassy", "mission", "red", "crescent", "cross", "ispr", "un", "eu",
    "nato", "reuters", "afp", "ap", "dw", "bbc",
}
INSTITUTION_NOUNS = {"military", "army", "police", "government", "ministry", "office", "group",
                     "party", "movement", "coalition", "council", "committee", "agency",
                     "authority", "authorities", "administration", "statement", "forces",
                     "force", "department", "service", "staff", "headquarters", "directorate",
                     "command", "mission", "institute", "presidency", "secretariat", "prefecture",
                     "embassy", "union", "commission", "bloc", "cell", "syndicate", "television",
                     "radio", "media", "federation", "association", "regulator", "jirga", "navy",
                     "court", "tribunal", "panel", "faction", "militia", "unit", "importer",
                     "developer", "company", "firm", "network", "watchdog", "observatory",
                     "chamber", "society", "charity", "operator", "broadcaster", "station"}
# a description that names an organisation before its name: "the rights group Civic Watch"
ORG_HEADS = {"group", "charity", "network", "organisation", "organization", "party", "coalition",
             "alliance", "association", "union", "movement", "front", "militia", "federation",
             "watchdog", "company", "firm", "broadcaster", "carrier", "observatory", "monitor",
             "ngo", "body", "faction", "outlet", "agency", "daily", "newspaper"}
GENERIC_MODIFIERS = {"senior", "local", "former", "retired", "one", "some", "many", "several", "two",
                     "three", "political", "military", "security", "government", "rebel", "police",
                     "army", "top", "young", "elderly", "western", "foreign", "regional", "provincial",
                     "human", "rights", "humanitarian", "tribal", "opposition", "ruling", "host",
                     "neighbouring", "neighboring", "main", "aid", "community", "village", "union"}
LEADING_SKIP = re.compile(
    r"^(?:but|and|yet|so|still|however|meanwhile|separately|instead|also|later|earlier|now|then|"
    r"in|on|at|during|after|before|speaking|asked|when|while|as|for|from|with|according|"
    r"referring|talking|writing|addressing)\b",
    re.I,
)
CONJ_PREFIX = re.compile(r"^(?:but|and|yet|so|still|however|meanwhile|separately|instead|now|then)\b[,\s]*", re.I)
TRAILING_AUX = re.compile(
    r"(?:\s+(?:has|have|had|also|later|earlier|then|further|repeatedly|again|previously|once|"
    r"since|publicly|reportedly|recently|already|has since|had also|has also|would|will|"
    r"simply|flatly|firmly|strongly|sharply|angrily|quietly|openly|bluntly|only|even|too))+$",
    re.I,
)
TEMPORAL = re.compile(
    r",?\s+(?:on|last|this|early\s+on|late\s+on|earlier\s+on)\s+(?:Monday|Tuesday|Wednesday|Thursday|"
    r"Friday|Saturday|Sunday|week|month|year|night|morning|evening|weekend|afternoon)\b,?", re.I)
MASK = "\u2024"  # stands in for an abbreviation's period while parsing (see extract.mask_abbreviations)
_DEMONYM = re.compile(r"^[A-Z][a-z]+(?:ese|ian|an|ish|i|ch|ic)$")
_TOKEN = re.compile(r"[\w][\w'’.\-]*")


@dataclass
class SpeakerRef:
    """A parsed speaker phrase before resolution."""

    kind: str  # "name" | "pronoun" | "desc" | "org"
    text: str  # the name, pronoun or description (determiner removed)
    role: Optional[str] = None
    org: Optional[str] = None
    anonymous_marker: bool = False
    definite: bool = False
    plural: bool = False


@dataclass
class Entry:
    """A resolved speaker: a named person, an unnamed source or an institution."""

    speaker: str
    role: Optional[str] = None
    org: Optional[str] = None
    anonymous: bool = False
    kind: str = "person"  # "person" | "anon" | "org" | "group"
    positions: list[int] = field(default_factory=list)

    last: int = -1  # position of the latest mention
    _memo: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def tokens(self) -> list[str]:
        key = ("tokens", self.speaker)
        if key not in self._memo:
            self._memo[key] = [t.lower() for t in _TOKEN.findall(self.speaker)]
        return self._memo[key]

    def describe_words(self) -> set[str]:
        """Words of the role, organisation and (for unnamed sources) the description."""
        key = ("words", self.role, self.speaker, self.org)
        if key not in self._memo:
            words = set()
            for text in (self.role, self.speaker if self.kind != "person" else None, self.org):
                if text:
                    words.update(t.lower() for t in _TOKEN.findall(text))
            self._memo[key] = words
        return self._memo[key]


def _strip_possessive(word: str) -> str:
    return re.sub(r"['’]s?$", "", word)


def _words(text: str) -> list[str]:
    return _TOKEN.findall(text)


def split_parts(seg: str) -> list[str]:
    """Comma-separated parts of a speaker phrase (parentheses kept together)."""
    parts, depth, cur = [], 0, []
    for ch in seg:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        if ch in ",;" and depth == 0:
            parts.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur).strip())
    return [p for p in parts if p]


def _is_name_token(tok: str) -> bool:
    """A capitalised word, a particle ("bin", "van") or a particle joined to a name ("al-Nasr")."""
    if tok.lower() in NAME_PARTICLES:
        return True
    pre, dash, rest = tok.partition("-")
    if dash and pre.lower() in NAME_PARTICLES and rest[:1].isupper():
        return True
    return tok[:1].isupper()


def looks_like_name(text: str) -> bool:
    toks = _words(text)
    if not toks or len(toks) > 6:
        return False
    if not toks[0][:1].isupper() and not (toks[0].lower() in NAME_PARTICLES and len(toks) > 1):
        return False
    if not any(t[:1].isupper() for t in toks):
        return False
    return all(_is_name_token(t) for t in toks)


def looks_like_org(text: str, label: Optional[str] = None) -> bool:
    """An organisation or place rather than a person.

    spaCy's small model often labels unfamiliar personal names ORG or GPE, so
    an NER label alone only decides for dictionary actors (ACTOR) and
    multi-word GPE/NORP names; otherwise organisation words decide.
    """
    if label == "ACTOR" or (label in {"GPE", "NORP", "LOC", "FAC"} and len(text.split()) == 1
                            and label != "PERSON" and text[:1].isupper() and not text.endswith("s")):
        return True
    toks = _words(text)
    if any(_strip_possessive(t).lower() in ORG_WORDS for t in toks):
        return True
    # a bare acronym such as "ISPR" or "UNHCR"
    return len(toks) == 1 and toks[0].isupper() and len(toks[0]) >= 2


def split_title(name_text: str, lex: Lexicon) -> tuple[Optional[str], str]:
    """``"Defense Minister Khawaja Asif"`` -> ``("defense minister", "Khawaja Asif")``.

    The title ends at its last title word, so capitalised qualifiers before it stay in
    the role: ``"Infrastructure Minister Oleh Shvets"``, ``"Left Party MP Oskar Nyman"``.
    """
    toks = name_text.split()
    i = 0
    if len(toks) > 2 and _DEMONYM.match(toks[0]) and toks[1].lower() in lex.titles:
        i = 1  # "Japanese Prime Minister ..."
    while i < len(toks) - 1 and _title_word(toks[i]) in lex.titles:
        i += 1
    for j in range(len(toks) - 2, i - 1, -1):
        if any(t.endswith((".", "!", "?", ":", ";")) for t in toks[:j + 1]):
            break  # "Afghanistan. Defense Minister ...": a sentence end is no part of a title
        w = _title_word(toks[j])
        rest = toks[j + 1:]
        if (w in lex.titles or (w in lex.role_nouns and len(rest) >= 2)) and looks_like_name(" ".join(rest)):
            i = j + 1
            break
    if i == 0:
        return None, name_text.strip()
    return " ".join(toks[:i]).lower(), " ".join(toks[i:]).strip()


def _title_word(tok: str) -> str:
    return _strip_possessive(tok.lower().rstrip(",").replace(MASK, "."))


_ROLE_THEN_NAME = re.compile(
    r"^(?P<role>(?:[A-Za-z][\w'’\-]*\s+){0,4}?[a-z][\w'’\-]*)\s+(?P<name>(?:[A-Z][\w'’.\-]*|de|van|von|al|bin)(?:\s+[A-Z\w][\w'’.\-]*){0,4})$")
_NAME_OF_ORG = re.compile(r"^(.+?)\s+(?:of|from|at|with)\s+(?:the\s+|an?\s+)?(\S.*)$")
_THE_NAME = re.compile(r"^the\s+(?=[A-Z])", re.I)
# linking words inside an organisation's name ("Committee of the Red Cross", "Memory and Justice")
ORG_LINKS = {"of", "for", "on", "and", "the", "in", "against", "to", "&", "de", "des", "du", "et", "la", "le"}
_PP = re.compile(r"\s+(?:at|of|with|for|from|in)\s+(?:the\s+)?(?P<obj>.+)$")
_ROLE_CUT = re.compile(
    r"\s+(?:based|who|which|that|whose|\w+ing\s+(?:the|a|an|his|her|their|its|on|in|to|for|with|at|"
    r"from|several|some|many|two|three|\d+)|close\s+to|familiar\s+with|involved\s+in|briefed\s+on|"
    r"\w+ed\s+(?:by|on|in|with|to|from|at|near)|on\s+both\s+sides|at\s+the\s+scene)\b.*$", re.I)
# a place after an institution or source is not part of its name: "the UN mission in Afghanistan"
_PLACE_PP = re.compile(r"\s+in\s+(?:the\s+)?[A-Z][\w'’.\-]*(?:\s+[A-Z][\w'’.\-]*)*$")
# the document an institution speaks through: "an army statement said" -> "army"
DOCUMENT_NOUNS = {"statement", "report", "notification", "order", "communique", "communiqué", "letter",
                  "post", "message", "circular", "bulletin"}


def parse_description(text: str, lex: Lexicon) -> Optional[tuple[str, Optional[str], Optional[str], bool, bool]]:
    """A description such as ``"a fellow at the Brookings Institution"``.

    Returns ``(description_without_determiner, role, org, definite, plural)``
    or None when the phrase has no speaker-like head noun.
    """
    t = text.strip().strip(",").strip()
    t = _ROLE_CUT.sub("", t)
    toks = t.split()
    if not toks:
        return None
    definite = False
    first = toks[0].lower()
    if first in DETERMINERS:
        definite = first not in INDEFINITE
        toks = toks[1:]
    partitive = None
    if first in {"one", "another"} and len(toks) > 1 and toks[0].lower() == "of":
        # "one of the soldiers": the head is "soldiers", the description keeps "one of"
        partitive = " ".join([first] + toks)
        toks = toks[2:] if toks[1].lower() in DETERMINERS else toks[1:]
    org = None
    if toks and toks[0][:1].isupper() and not toks[0].isupper() and not re.search(r"['’]s?$", toks[0]) and (
            toks[0].lower() in lex.role_nouns or toks[0].lower() in GENERIC_MODIFIERS
            or (len(toks) > 1 and toks[1][:1].islower())):
        toks = [toks[0].lower()] + toks[1:]  # sentence-initial capital: "Business owners"
    desc = " ".join(toks)
    # possessive owner: "Pakistan's", "the province's"
    if toks and re.search(r"['’]s?$", toks[0]) and len(toks) > 1:
        owner = _strip_possessive(toks[0])
        if owner[:1].isupper():
            org = owner
        definite = True
        toks = toks[1:]
    if not toks:
        return None
    core = " ".join(toks)
    m = _PP.search(core)
    if m:
        obj = m.group("obj").strip()
        core = core[: m.start()].strip()
        if obj[:1].isupper() or any(w.lower() in ORG_WORDS for w in _words(obj)):
            org = obj
        desc = _PLACE_PP.sub("", desc)
    core_words = [w.lower() for w in _words(core)]
    if len(core_words) > 1 and core_words[-1] in DOCUMENT_NOUNS and core_words[-2] in lex.role_nouns:
        core = core.rsplit(None, 1)[0]
        desc = core if not m else desc
        core_words = core_words[:-1]
    if not core_words:
        return None
    head = core_words[-1]
    two = " ".join(core_words[-2:])
    if head not in lex.role_nouns and two not in lex.role_nouns:
        # "a political commentator and constitutional expert": check each conjunct's head
        heads = [c.split()[-1].lower() for c in re.split(r"\s+and\s+", core) if c.split()]
        if not any(h in lex.role_nouns for h in heads):
            return None
    if len(core_words) > 8:
        return None
    plural = head.endswith("s") and head not in {"analysis", "boss", "press"} or head == "people"
    role = core.lower() if not core[:1].isupper() or not looks_like_name(core) else core.lower()
    # keep acronyms such as PTI upper case in the role
    role = " ".join(w if w.isupper() and len(w) > 1 else w.lower() for w in core.split())
    if partitive:
        desc, plural = partitive, False
    return desc, role, org, definite, plural


# "It's estimated that ...", "There's talk that ...": no one is speaking
IMPERSONAL = re.compile(r"^(?:it|that|this|there|here|what)['’]s\b", re.I)


def parse_speaker_phrase(seg: str, lex: Lexicon, entity_label=None) -> Optional[SpeakerRef]:
    """Parse the phrase that names a speaker; None when it is not one.

    ``entity_label(text) -> label or None`` gives the NER label of a part when
    spaCy entities are available.
    """
    s = CONJ_PREFIX.sub("", seg.strip()).strip().strip(",").strip()
    s = TEMPORAL.sub("", s)
    s = TRAILING_AUX.sub("", s).strip().strip(",").strip()
    if not s or any(c in s for c in '"“”:') or IMPERSONAL.match(s):
        return None
    anonymous_marker = any(a in s.lower() for a in lex.anonymity)
    parts = split_parts(s)
    # drop leading adverbials: "In a statement, the ministry ...", "On Monday, ..."
    while len(parts) > 1 and LEADING_SKIP.match(parts[0]):
        parts = parts[1:]
    if not parts:
        return None
    # drop leading adverbial parts the list above does not know ("Stranded at the airport, X said")
    ref: Optional[SpeakerRef] = None
    for i in range(min(3, len(parts))):
        ref = _parse_head(parts[i], lex, entity_label)
        if ref is not None:
            parts = parts[i:]
            break
    if ref is None:
        return None
    # appositions: a name after a description ("the former prime minister, Imran Khan,")
    for part in parts[1:]:
        pl = part.lower()
        if pl.startswith(("known as ", "named ", "identified as ")):
            name = part.split(" ", 2)[-1] if not pl.startswith("identified") else part[len("identified as "):]
            if looks_like_name(name):
                ref = SpeakerRef("name", name.strip(), role=ref.role, org=ref.org)
            continue
        if ref.kind == "desc" and looks_like_name(part) and not looks_like_org(part):
            ref = SpeakerRef("name", part, role=ref.role, org=ref.org)
            continue
        if pl.startswith(("who ", "which ", "speaking", "asking", "when ", "after ", "before ",
                          "referring", "according", "adding", "in ", "on ", "at ")):
            continue
        d = parse_description(part, lex)
        if d is not None and ref.kind in {"name", "org"} and ref.role is None:
            _, role, org, _, _ = d
            ref.role = role
            ref.org = ref.org or org
        elif d is not None and ref.kind == "desc" and ref.org is None:
            ref.org = d[2]
    ref.anonymous_marker = anonymous_marker
    return ref


def _parse_head(part: str, lex: Lexicon, entity_label=None) -> Optional[SpeakerRef]:
    """The head of a speaker phrase (its first comma part): pronoun, name, organisation or description."""
    part = CONJ_PREFIX.sub("", part)  # "..., and the city's health directorate"
    head = re.sub(r"\s+(?:who|whose|which|that)\s.*$", "", part)  # "a resident who asked ..."
    if len(_words(head)) > 9:
        return None
    label = entity_label(head) if entity_label else None
    low = head.lower()
    if low in PRONOUNS:
        return SpeakerRef("pronoun", low, plural=PRONOUNS[low] == "pl")
    if all(w.lower() in lex.role_nouns or w.lower() in GENERIC_MODIFIERS for w in _words(head)) \
            and len(_words(head)) <= 3 and label != "PERSON":
        # "Residents", "Officials", "Senior officials": a description, not a name
        return _description_ref(head, lex)
    pm = _NAME_OF_ORG.match(head)
    if pm and looks_like_name(pm.group(1)) and not looks_like_org(pm.group(1)) and (
            pm.group(2)[:1].isupper() or pm.group(2)[:1].isdigit()
            or (len(_words(pm.group(1))) >= 2
                and any(w.lower() in ORG_WORDS or w.lower() in lex.role_nouns for w in _words(pm.group(2))))):
        # "Lt. Col. Erik Kurilla of the 24th Infantry Regiment", "Astrid Vik of the campaign group X"
        role, name = split_title(pm.group(1), lex)
        return SpeakerRef("name", name, role=role, org=pm.group(2))
    if label == "PERSON" or (looks_like_name(head) and not _THE_NAME.match(head) and (
            not looks_like_org(head, label) or _titled_person(head, lex))):
        role, name = split_title(head, lex)
        if not name or not looks_like_name(name):
            return None
        return SpeakerRef("name", _strip_possessive(name) if name.endswith(("'s", "’s")) else name, role=role)
    bare = _THE_NAME.sub("", head)
    if looks_like_org_name(bare, label) or (looks_like_name(bare) and looks_like_org(bare, label)):
        # "the International Committee of the Red Cross", "the United Nations", "The WHO"
        return SpeakerRef("org", bare, definite=True)
    for role, name in _role_name_splits(head):
        ref = _role_then_name(role, name, lex, entity_label)
        if ref is not None:
            return ref
    return _description_ref(head, lex)


def _role_name_splits(head: str):
    """(role, name) cuts of ``"military spokesman Colonel Rashid Mir"`` or ``"State Minister for
    Interior Naveed Chaudhry"``: the longest name first, the role ending in a lower-case word or title."""
    rm = _ROLE_THEN_NAME.match(head)
    if rm and (looks_like_name(rm.group("name")) or _name_with_links(rm.group("name"))):
        yield rm.group("role").strip(), rm.group("name")
    toks = head.split()
    for k in range(1, len(toks)):
        name = " ".join(toks[k:])
        if len(toks) - k <= 5 and looks_like_name(name) and not (rm and name == rm.group("name")):
            yield " ".join(toks[:k]), name


def _titled_person(head: str, lex: Lexicon) -> bool:
    """A title whose words look like an organisation before a personal name: "Left Party MP Oskar Nyman"."""
    role, name = split_title(head, lex)
    return role is not None and len(name.split()) >= 2 and looks_like_name(name) and not looks_like_org(name)


def _description_ref(head: str, lex: Lexicon) -> Optional[SpeakerRef]:
    d = parse_description(head, lex)
    if d is None:
        return None
    desc, role, org, definite, plural = d
    return SpeakerRef("desc", desc, role=role, org=org, definite=definite, plural=plural)


def _role_then_name(role: str, name_text: str, lex: Lexicon, entity_label=None) -> Optional[SpeakerRef]:
    """``"military spokesman Colonel Rashid Mir"`` (a person) or ``"the rights group Civic Watch"``
    (an organisation named after its description); None when the role is no speaker noun."""
    last = role.split()[-1].lower()
    if last not in lex.role_nouns and last not in lex.titles:
        return None
    if last in ORG_HEADS or (entity_label and entity_label(name_text) == "ORG" and last in INSTITUTION_NOUNS):
        # "Environmental group Delta Watch", "State grid operator Velenergo" (an ORG entity)
        if _name_with_links(name_text):
            return SpeakerRef("org", name_text, definite=True)
        return None
    role2, name = split_title(name_text, lex)
    if not looks_like_name(name) or looks_like_org(name):
        return None
    if role.split()[0].lower() in DETERMINERS:
        role = " ".join(role.split()[1:])
    role = " ".join(w if w.isupper() and len(w) > 1 else w.lower() for w in (role + " " + (role2 or "")).split())
    return SpeakerRef("name", name, role=role or None)


def _name_with_links(text: str) -> bool:
    """Capitalised words, possibly joined by linking words: ``"Memory and Justice"``."""
    toks = _words(text)
    return bool(toks) and len(toks) <= 10 and toks[0][:1].isupper() and toks[-1][:1].isupper() \
        and all(_is_name_token(t) or t.lower() in ORG_LINKS for t in toks)


def looks_like_org_name(text: str, label: Optional[str] = None) -> bool:
    """A proper name of an organisation, possibly with linking words.

    ``"International Committee of the Red Cross"``, ``"Kenya National Commission on
    Human Rights"``, ``"United Nations"``, ``"WHO"``: capitalised words (linking words
    between them) with an organisation word, an acronym or an ORG label.
    """
    if not _name_with_links(text):
        return False
    toks = _words(text)
    if label in {"ORG", "ACTOR"} or (len(toks) == 1 and toks[0].isupper() and len(toks[0]) >= 2):
        return True
    return any(_strip_possessive(t).lower() in ORG_WORDS for t in toks)


def _acronym_org(text: str) -> Optional[str]:
    for w in text.split():
        if w.isupper() and len(w) >= 2 and w.isalpha():
            return w
    return None


class SpeakerBook:
    """People and sources of one article, for resolving later mentions."""

    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex
        self.entries: list[Entry] = []
        # (position, entry) of subject mentions and attributions, kept in text order
        self.mentions: list[tuple[int, Entry]] = []
        self._mention_pos: list[int] = []

    # --- registration ---------------------------------------------------------------

    def find_person(self, name: str) -> Optional[Entry]:
        """The person whose name contains ``name`` (surname or first name), most recent first."""
        toks = [t.lower() for t in _TOKEN.findall(name)]
        if not toks:
            return None
        for e in reversed(self.entries):
            if e.kind != "person":
                continue
            et = e.tokens
            if et == toks:
                return e
            if len(toks) < len(et) and (et[-len(toks):] == toks or et[: len(toks)] == toks):
                return e
        return None

    def add_person(self, name: str, role: Optional[str], org: Optional[str], pos: int,
                   mention: bool = True) -> Entry:
        e = self.find_person(name)
        if e is not None:
            if len(_TOKEN.findall(name)) > len(e.tokens):
                e.speaker = name  # a fuller form of the name
            e.role = e.role or role
            e.org = e.org or org
        else:
            e = Entry(name, role, org, False, "person")
            self.entries.append(e)
        e.positions.append(pos)
        if mention:
            self.mention(pos, e)
        return e

    # --- resolution -------------------------------------------------------------------

    def mention(self, pos: int, entry: Entry) -> None:
        """Record that ``entry`` is mentioned (as subject or speaker) at ``pos``."""
        k = bisect_right(self._mention_pos, pos)
        self._mention_pos.insert(k, pos)
        self.mentions.insert(k, (pos, entry))
        entry.last = max(entry.last, pos)

    def subject_between(self, a: int, b: int) -> Optional[Entry]:
        """The latest person mentioned as a subject in ``[a, b)``: who a following quote is from
        ("Samira Khoury, a mother of five, laughed. "Four hours?"")."""
        k = bisect_left(self._mention_pos, b)
        while k > 0:
            k -= 1
            p, e = self.mentions[k]
            if p < a:
                break
            if e.kind == "person":
                return e
        return None

    def _antecedent(self, pos: int, plural: bool, org: bool = False) -> Optional[Entry]:
        """The latest fitting mention before ``pos``, within ANTECEDENT_WINDOW characters.

        ``org`` ("it") takes the latest institution only."""
        k = bisect_left(self._mention_pos, pos)
        while k > 0:
            k -= 1
            p, e = self.mentions[k]
            if pos - p > ANTECEDENT_WINDOW:
                break
            if org:
                if e.kind == "org":
                    return e
                continue
            if plural and e.kind == "person":
                continue
            if not plural and e.kind in {"org", "group"}:
                continue
            return e
        return None

    def _match_description(self, ref: SpeakerRef, pos: int) -> Optional[Entry]:
        """The latest entry mentioned within DESCRIPTION_WINDOW characters whose role fits."""
        words = set(w.lower() for w in _TOKEN.findall(ref.role or ref.text))
        if not words:
            return None
        head = (ref.role or ref.text).split()[-1].lower()
        best = None
        for e in self.entries:
            if max(e.last, max(e.positions, default=-1)) < pos - DESCRIPTION_WINDOW:
                continue
            ew = e.describe_words()
            if head in ew and words <= ew | {head}:
                best = e
        return best

    def resolve(self, ref: SpeakerRef, pos: int) -> Optional[Entry]:
        """The entry a parsed phrase at ``pos`` refers to (registering new ones)."""
        if ref.kind == "pronoun":
            e = self._antecedent(pos, ref.plural, org=ref.text == "it")
            if e is not None:
                self.mention(pos, e)
            return e
        if ref.kind == "name":
            e = self.add_person(ref.text, ref.role, ref.org or _acronym_org(ref.role or ""), pos)
            return e
        if ref.kind == "org" and self.find_person(ref.text) is not None:
            return self.add_person(ref.text, ref.role, None, pos)
        if ref.kind == "org":
            for e in self.entries:
                if e.kind == "org" and e.speaker.lower() == ref.text.lower():
                    self.mention(pos, e)
                    return e
            e = Entry(ref.text, None, ref.text, False, "org", [pos])
            self.entries.append(e)
            self.mention(pos, e)
            return e
        # description
        if ref.definite or ref.kind == "desc":
            m = self._match_description(ref, pos) if ref.definite else None
            if m is not None:
                self.mention(pos, m)
                return m
        head = (ref.role or ref.text).split()[-1].lower()
        institution = head in INSTITUTION_NOUNS and not ref.anonymous_marker
        kind = "org" if institution else ("group" if ref.plural else "anon")
        org = ref.org or _acronym_org(ref.text)
        e = Entry(ref.text, ref.role, org, not institution, kind, [pos])
        self.entries.append(e)
        self.mention(pos, e)
        return e
