"""Find quotes in an article body and attribute them to speakers.

The extractor works on plain text and character offsets, so it runs with or
without spaCy (entities only sharpen the name/organisation decision):

1. **Direct spans**: quotation marks (straight, curly, guillemets; single
   quotes when a paragraph has no double ones) are paired per paragraph; a
   quote whose paragraph ends open and whose next paragraph opens with a quote
   mark continues there (news style for multi-paragraph quotes).
2. **Sentences** are cut at sentence ends and paragraph breaks, never inside a
   quote, so a quote and its attribution share a sentence.
3. For every sentence with quotes, the text *before* the first quote and
   *after* each quote is parsed for an attribution: ``SPEAKER VERB`` /
   ``VERB SPEAKER`` after the quote, ``SPEAKER VERB:`` before it (direct),
   ``SPEAKER VERB that ... "..."`` (mixed).  ``"A," X said, "B"`` is one
   interrupted quote.  A quote that fills its own sentence takes the speaker
   of its paragraph (or of the quote that ended the previous paragraph); a
   short quoted phrase with no attribution (a title, a scare quote, a
   headline) is not a quote.
4. Sentences without quotes are searched for indirect speech: ``X said (that)
   ...``, ``X told DW ...``, ``according to X, ...``, ``..., X said.`` and
   stance verbs (``X opposed ...``).
5. Speakers are resolved with :class:`~conflictlens.quotes.speakers.SpeakerBook`
   (full names, pronouns, "the minister", anonymous sources) and every quote
   gets a stance toward the article's subject.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable, Optional

from ..schema import Quote
from .lexicon import Lexicon, load_lexicon
from .speakers import (CONJ_PREFIX, GENERIC_MODIFIERS, MASK, Entry, SpeakerBook, SpeakerRef, looks_like_name,
                       parse_description, parse_speaker_phrase, split_title)
from .stance import StanceInput, label_stances, stance_target, target_terms

OPEN_DOUBLE = "“„«"
CLOSE_DOUBLE = "”»"
ALL_DOUBLE = '"“”„«»'
ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "gen", "lt", "col", "maj", "capt", "sgt", "st", "jr", "sr",
                 "prof", "rev", "gov", "sen", "rep", "no", "vs", "etc", "jan", "feb", "mar", "apr",
                 "aug", "sept", "sep", "oct", "nov", "dec", "u.s", "u.n", "u.k", "e.g", "i.e", "inc",
                 "co", "corp", "ltd", "brig", "cmdr", "adm", "pvt", "cpl"}
# "X accused the forces of "settling old scores"": speech only with quoted words (see indirect)
ACCUSE_VERBS = {"accused", "accuses"}
ASK_VERBS = {"asked", "asks", "wondered"}
NO_THAT_VERBS = {"said", "says", "say", "told", "tells", "added", "adds", "claimed", "claims",
                 "believes", "thinks", "argued", "argues", "insisted", "insists", "warned", "warns",
                 "wrote", "writes", "noted", "stressed", "maintained", "predicted", "suggested",
                 "admitted", "conceded", "acknowledged", "stated", "asserted", "reiterated",
                 "confirmed", "alleged"}
QUOTED_AS = re.compile(
    r"(?:\bquot(?:es|ed|ing)\s+(?P<who>[^\"“”]{2,120}?)|(?P<subj>[^\"“”.,;]{2,80}?)\s+(?:was|is|has\s+been)\s+"
    r"quoted)\s+as\s+say(?:ing|s)\b")
# verbs that report speech only when a quoted phrase follows: called the curfew "an attack"
MIXED_ONLY = {"called", "described", "branded", "labelled", "labeled", "termed"}
# a relative pronoun right before the verb ("a group which said"); lower case, so "The WHO said" passes
_LOWER_WORD = re.compile(r"(?<![\w'’\-])[a-z][\w'’\-]*")
# a participle that reports the speech of the sentence's subject: "X voted against, saying ..."
PARTICIPLE = re.compile(
    r",\s+(?:saying|adding|arguing|insisting|warning|noting|claiming|stating|ruling|"
    r"telling\s+(?:the\s+\w+|[A-Z]\w*|reporters|journalists|lawmakers|parliament|supporters))"
    r"(?:\s+(?:only|also|instead|repeatedly))?\s+(?:that\s+)?(?=\S)")
REL_END = re.compile(r"\b(?:who|which|that)\s*$")
REL_END_WHO = re.compile(r"\b(?:who|which)\s*$")
OBJECT_VERBS = {"told", "tells", "assured", "warned", "warns", "informed", "reminded", "promised"}
LEAD_ADVERBIAL = re.compile(
    r"^(?:(?:on|last|this|next|early|late)\s+\w+(?:\s+\d{1,2})?|earlier|later|yesterday|today|"
    r"in\s+an?\s+(?:statement|interview|speech|address|post|televised\s+address|video|message|"
    r"letter|report)(?:\s+\w+){0,4}?|at\s+an?\s+(?:news|press)\s+conference|on\s+(?:social\s+media|"
    r"television|x|twitter|state\s+tv|state\s+television)|in\s+\w+|on\s+condition\s+of\s+anonymity|"
    r"publicly|privately|repeatedly|again)\s*,?\s+",
    re.I,
)
TOLD_OBJECT = re.compile(
    r"^(?:DW|reporters|journalists|the\s+media|the\s+press|lawmakers|parliament|supporters|"
    r"crowds?|him|her|them|us|me|the\s+[A-Z][\w]*(?:\s+[A-Z][\w]*)*|[A-Z][\w]*(?:\s+[A-Z][\w]*){0,3}|"
    r"a\s+\w+(?:\s+\w+){0,3}?\s+(?:outlet|conference|audience|gathering|rally|briefing|newspaper|channel|"
    r"agency|crowd|meeting|committee|session|station|programme|program|website|paper))\b",
)


# a wire dateline opening the article: "KIRKUK, Iraq (AP) — ", "OSTROGARD, March 4 (Reuters) - "
DATELINE = re.compile(
    r"^[A-Z][A-Z'’.\-]+(?:\s+[A-Z][A-Z'’.\-]+)*(?:,\s*[A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,2})?"
    r"(?:,\s*[A-Z][a-z]{2,4}\.?\s+\d{1,2})?\s*(?:\([A-Za-z .]+\))?\s*[—–-]{1,2}\s+")


@dataclass
class DirectSpan:
    open: int  # index of the opening mark
    close: int  # index of the closing mark (== cend when unterminated)
    cstart: int  # content start
    cend: int  # content end (exclusive)
    para: int


@dataclass
class Found:
    start: int
    end: int
    kind: str
    entry: Entry
    verb: str = ""
    attribution: str = ""


# --- layout --------------------------------------------------------------------------


def paragraphs(body: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank paragraph; paragraphs are separated by blank lines."""
    out = []
    for m in re.finditer(r"(?:[^\n]|\n(?![ \t]*\n))+", body):
        a, b = m.start(), m.end()
        while a < b and body[a].isspace():
            a += 1
        while b > a and body[b - 1].isspace():
            b -= 1
        if a < b:
            out.append((a, b))
    return out


def _is_open_single(text: str, i: int) -> bool:
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    return (prev.isspace() or prev in "([—–-:") and (nxt.isalnum() or nxt in "…")


def _is_close_single(text: str, i: int) -> bool:
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    return (prev.isalnum() or prev in ".,!?…") and not nxt.isalnum()


def direct_spans(body: str, paras: list[tuple[int, int]]) -> list[DirectSpan]:
    """Pair quotation marks (see module docstring)."""
    spans: list[DirectSpan] = []
    open_at: Optional[int] = None
    open_para = 0
    for pi, (a, b) in enumerate(paras):
        seg = body[a:b]
        has_double = any(c in ALL_DOUBLE for c in seg)
        marks: list[tuple[int, str]] = []
        if has_double or open_at is not None:
            for i, c in enumerate(seg):
                if c in ALL_DOUBLE:
                    marks.append((a + i, c))
        else:
            for i, c in enumerate(seg):
                if c in "‘’'":
                    if c in "‘'" and _is_open_single(seg, i):
                        marks.append((a + i, "open"))
                    elif c in "’'" and _is_close_single(seg, i):
                        marks.append((a + i, "close"))
        skip_first_open = open_at is not None and bool(marks) and marks[0][0] == a
        for k, (pos, c) in enumerate(marks):
            if k == 0 and skip_first_open:
                continue  # the re-opening mark of a continued quote
            is_open = c == "open" or c in OPEN_DOUBLE or (c == '"' and open_at is None)
            is_close = c == "close" or c in CLOSE_DOUBLE or (c == '"' and open_at is not None)
            if open_at is None and is_open:
                open_at, open_para = pos, pi
            elif open_at is not None and is_close:
                spans.append(DirectSpan(open_at, pos, open_at + 1, pos, open_para))
                open_at = None
        if open_at is not None:
            nxt = paras[pi + 1] if pi + 1 < len(paras) else None
            if nxt is not None and body[nxt[0]] in "\"“„«‘'":
                continue  # multi-paragraph quote
            spans.append(DirectSpan(open_at, b, open_at + 1, b, open_para))
            open_at = None
    return spans


_SENT_END = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])")


def sentence_cuts(body: str, paras: list[tuple[int, int]], spans: list[DirectSpan]) -> list[tuple[int, int, int]]:
    """(start, end, paragraph) of sentences; never cut inside a quote."""
    opens = [s.open for s in spans]  # spans are sorted and do not overlap

    def in_quote(pos: int) -> bool:
        k = bisect_left(opens, pos) - 1  # the last span opening before pos
        return k >= 0 and pos <= spans[k].close

    out = []
    pi = 0
    starts = [paras[0][0]] if paras else []
    for m in _SENT_END.finditer(body):
        nxt = m.end()
        if in_quote(nxt):
            continue  # a sentence end inside a quote
        word = re.search(r"([\w.]+)\.$", body[max(0, m.start() - 12):m.start()])
        if word and (word.group(1).lower().rstrip(".") in ABBREVIATIONS or len(word.group(1)) == 1):
            continue
        starts.append(nxt)
    # paragraph breaks
    for a, b in paras:
        if not in_quote(a):
            starts.append(a)
    starts = sorted(set(starts))
    para_bounds = paras
    for i, st in enumerate(starts):
        en = starts[i + 1] if i + 1 < len(starts) else len(body)
        # trim to paragraph end unless a quote continues across
        while pi + 1 < len(para_bounds) and para_bounds[pi + 1][0] <= st:
            pi += 1
        seg = body[st:en]
        e = st + len(seg.rstrip())
        if pi < 3 and st == para_bounds[pi][0] and (dm := DATELINE.match(seg)):
            st += dm.end()  # the dateline is no part of the first sentence
        if e > st:
            out.append((st, e, pi))
    return out


# --- attribution parsing ------------------------------------------------------------------


@lru_cache(maxsize=4)
def _verb_regex(verbs: frozenset[str]) -> re.Pattern:
    ordered = sorted(verbs, key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(v) for v in ordered) + r")\b", re.I)


class Attributor:
    """Parses attribution phrases against one lexicon and one article's entities."""

    def __init__(self, lex: Lexicon, entity_label: Callable[[str], Optional[str]] | None = None) -> None:
        self.lex = lex
        self.entity_label = entity_label
        self.verb_re = _verb_regex(lex.all_verbs)

    def speaker(self, seg: str) -> Optional[SpeakerRef]:
        return parse_speaker_phrase(seg, self.lex, self.entity_label)

    def after(self, suffix: str) -> Optional[tuple[SpeakerRef, str, int]]:
        """Attribution right after a quote: ``, she said`` / ``, said Malik`` -> (ref, verb, end)."""
        s = suffix
        lead = re.match(r"^\s*[,:]?\s*", s).end()
        body = s[lead:]
        if not body:
            return None
        m = self.verb_re.match(body)
        if m and m.group(1).lower() in self.lex.speech_verbs:
            rest = body[m.end():]
            seg_m = re.match(r"\s*([^.;!?]*)", rest)
            seg = seg_m.group(1) if seg_m else ""
            # "said French ambassador X after the vote" -> drop the trailing adverbial
            seg = re.sub(r"\s+(?:after|before|on|in|at|during|when|while|as|by|from|outside|to)\s+[^,]*$", "", seg)
            ref = self.speaker(seg)
            if ref is not None:
                return ref, m.group(1).lower(), lead + m.end() + seg_m.end()
        for m in self.verb_re.finditer(body):
            verb = m.group(1).lower()
            if verb not in self.lex.speech_verbs:
                continue
            seg = body[: m.start()]
            if len(seg.split()) > 25 or re.search(r"[.!?]\s", seg):
                break
            if REL_END.search(seg.strip()):
                continue
            ref = self.speaker(seg)
            if ref is not None:
                return ref, verb, lead + m.end()
        return None

    def before(self, prefix: str) -> Optional[tuple[SpeakerRef, str, int, bool]]:
        """Attribution before a quote: ``X said: "`` (direct) or ``X said that "...`` (mixed).

        Returns (ref, verb, clause_start, is_direct); clause_start is relative to prefix.
        """
        qm = QUOTED_AS.search(prefix)
        if qm:
            # "The Telegraph quotes Yushchenko as saying to deputies: "..."" / "X was quoted as saying"
            ref = self.speaker(qm.group("who") or qm.group("subj") or "")
            if ref is not None:
                rest = prefix[qm.end():]
                if re.match(r"^\s*(?:to\s+[^:,\"“]{1,60})?[:,]?\s*$", rest):
                    return ref, "said", len(prefix), True
                tm = re.match(r"^\s*(?:that\s+)?", rest)
                return ref, "said", qm.end() + tm.end(), False
        for m in self.verb_re.finditer(prefix):
            verb = m.group(1).lower()
            if verb not in self.lex.speech_verbs and verb not in self.lex.stance_verbs:
                continue
            seg = prefix[: m.start()]
            if REL_END_WHO.search(seg.strip()):
                continue
            ref = self.speaker(seg)
            if ref is None:
                continue
            rest = prefix[m.end():]
            short = re.match(r"^\s*(?:\S+\s*){0,4}?[:,]?\s*$", rest) and " that " not in f" {rest} "
            # direct: "X said: "", "X told reporters, ""; but "X said the plan was "..."" is mixed
            if short and (not rest.strip() or rest.strip().endswith((":", ",")) or verb in OBJECT_VERBS):
                return ref, verb, len(prefix), True
            tm = re.search(r"\bthat\s+", rest)
            if tm and len(rest[: tm.start()].split()) <= 7:
                return ref, verb, m.end() + tm.end(), False
            clause = self._skip_object(verb, rest)
            return ref, verb, m.end() + (len(rest) - len(clause)), False
        return None

    def _reports_before(self, text: str, end: int) -> bool:
        """Whether a reporting verb occurs in ``text[:end]``."""
        return any(m.group(1).lower() in self.lex.all_verbs for m in self.verb_re.finditer(text, 0, end))

    def _skip_object(self, verb: str, rest: str) -> str:
        r = rest.lstrip()
        for _ in range(2):
            r2 = LEAD_ADVERBIAL.sub("", r, count=1)
            if verb in OBJECT_VERBS:
                om = TOLD_OBJECT.match(r2)
                if om:
                    r2 = r2[om.end():].lstrip()
                    r2 = re.sub(r"^(?:on\s+\w+|last\s+\w+|in\s+\w+)\s*,?\s*", "", r2)
            r2 = re.sub(r"^that\s+", "", r2)
            if r2 == r:
                break
            r = r2
        return r

    def subject(self, text: str, book: SpeakerBook) -> Optional[tuple[SpeakerRef, int]]:
        """The speaker-like subject of a sentence and its offset, or None.

        The subject is the shortest opening that parses as a speaker phrase and is
        followed by a lower-case word; a single capitalised word counts only as a
        person already known to ``book``; institutions and "it"/"they" do not count.
        """
        lead = CONJ_PREFIX.match(text)
        off = lead.end() if lead else 0
        for m in _LOWER_WORD.finditer(text, off):
            cand = text[off:m.start()].rstrip().rstrip(",")
            if len(cand.split()) > 30:
                break
            if not cand:
                continue
            if m.group(0) in self.lex.role_nouns or m.group(0) in GENERIC_MODIFIERS:
                continue  # the noun phrase goes on: "A senior finance ministry | official"
            ref = self.speaker(cand)
            if ref is None:
                continue
            if ref.kind == "name" and len(ref.text.split()) < 2 and book.find_person(ref.text) is None:
                continue
            if ref.kind == "org" or (ref.kind == "pronoun" and ref.text not in {"he", "she"}):
                return None
            return ref, off
        return None

    def indirect(self, text: str) -> Optional[tuple[SpeakerRef, str, int, int, int]]:
        """Indirect speech in a sentence without quotes.

        Returns (ref, verb, clause_start, clause_end, speaker_pos) relative to ``text``.
        """
        end = len(text.rstrip().rstrip(".!?").rstrip())
        trailing = self._trailing(text)
        if trailing is not None and not self._reports_before(text, trailing[3]):
            return trailing  # "CLAUSE, Justice Minister X said after the vote."
        # according to X, ...   /   ..., according to X.
        m = re.search(r"\baccording to\s+([^,.;]+?)(?=[,.;]|$)", text, re.I)
        if m:
            ref = self.speaker(m.group(1))
            if ref is not None:
                before = text[: m.start()].rstrip().rstrip(",").rstrip()
                if len(before.split()) >= 3:
                    st = len(text) - len(text.lstrip())
                    st += len(CONJ_PREFIX.match(text[st:]).group(0)) if CONJ_PREFIX.match(text[st:]) else 0
                    return ref, "according to", st, len(before), m.start(1)
                after_start = m.end()
                after = text[after_start:]
                lead = re.match(r"^\s*,?\s*", after).end()
                if len(text[after_start + lead:end].split()) >= 3:
                    return ref, "according to", after_start + lead, end, m.start(1)
        for m in self.verb_re.finditer(text):
            verb = m.group(1).lower()
            if trailing is not None and m.start() > trailing[3]:
                return trailing  # this verb belongs to the closing "..., X said after the vote."
            seg = text[: m.start()]
            if REL_END.search(seg.strip()):
                continue
            if len(seg.split()) > 30:
                break
            ref = self.speaker(seg)
            if ref is None:
                continue
            rest = text[m.end():end]
            if not rest.strip() or rest.lstrip()[:1] in ",.;:":
                continue
            if re.match(r"\s+by\b", rest) or verb in ACCUSE_VERBS:
                # a passive participle: "soldiers backed by gunships"; an accusation without quoted
                # words ("X accused the army of attacking") is reported, not speech (the gold sets)
                continue
            if verb in ASK_VERBS:
                wh = re.match(r"\s+(?=(?:why|whether|how|if|what|when|who)\s)", rest)
                if wh and len(rest.split()) >= 4:
                    return ref, verb, m.end() + wh.end(), end, len(seg) - len(seg.lstrip())
                continue
            stance_verb = verb in self.lex.stance_verbs and verb not in self.lex.speech_verbs
            if stance_verb and ref.kind not in {"name", "pronoun", "desc"}:
                continue
            if verb in MIXED_ONLY:
                continue
            tm = re.search(r"\bthat\s+", rest)
            if tm and not stance_verb and len(rest[: tm.start()].split()) <= 7 and "," not in rest[: tm.start()] \
                    and _before_that(verb, rest[: tm.start()]):
                cs = m.end() + tm.end()
            elif verb in OBJECT_VERBS and not TOLD_OBJECT.match(LEAD_ADVERBIAL.sub("", rest.lstrip(), count=1)):
                continue  # "told a different story": no reported clause
            elif stance_verb or verb in NO_THAT_VERBS:
                clause = self._skip_object(verb, rest)
                cs = m.end() + (len(rest) - len(clause))
            else:
                continue
            if len(text[cs:end].split()) < (2 if stance_verb else 3):
                continue
            sp = len(seg) - len(seg.lstrip())
            return ref, verb, cs, end, sp
        return trailing

    def _trailing(self, text: str) -> Optional[tuple[SpeakerRef, str, int, int, int]]:
        """``"..., the minister said (on Monday)."`` / ``"..., said the minister."``."""
        verbs = self.verb_re.pattern[3:-3]
        m = re.search(r",\s+([^,\"“”]{1,80}?)\s+(" + verbs + r")" + _TRAIL_OBJ + _TRAIL_ADV + r"\s*[.!?]?\s*$",
                      text, re.I)
        if m and m.group(2).lower() in self.lex.speech_verbs:
            ref = self.speaker(m.group(1))
            if ref is not None and len(text[: m.start()].split()) >= 3:
                st = len(CONJ_PREFIX.match(text).group(0)) if CONJ_PREFIX.match(text) else 0
                return ref, m.group(2).lower(), st, m.start(), m.start(1)
        m = re.search(r",\s+(" + verbs + r")\s+([^,\"“”]{1,80}?)\s*[.!?]?\s*$", text, re.I)
        if m and m.group(1).lower() in self.lex.speech_verbs and m.group(1).lower() not in OBJECT_VERBS:
            ref = self.speaker(m.group(2))
            if ref is not None and ref.kind != "pronoun" and len(text[: m.start()].split()) >= 3:
                return ref, m.group(1).lower(), 0, m.start(), m.start(2)
        return None


# the listener after a closing "X told": "..., the minister told parliament on Tuesday."
_TRAIL_OBJ = (r"(?:\s+(?:DW|AFP|AP|Reuters|reporters|journalists|parliament|lawmakers|the\s+(?:court|council|"
              r"assembly|media|press|AP|BBC)|(?:state|local)\s+(?:television|radio|media)))?")
# what may follow a closing "X said": a time ("on Monday", "Monday") or a place or time phrase,
# then a loose clause (", as shops reopened ...")
_TRAIL_ADV = (r"(?:\s+(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|today|"
              r"tonight)|\s+(?:in|on|at|during|after|late|early|last|this|by|from|via|through|before|when)"
              r"\b[^,.]{0,80})?(?:,\s+(?:as|in|after|when|while|before|with|amid)\b[^\"“”]{0,200}?)?")


_BEFORE_THAT = re.compile(
    r"^\s*(?:\w+ly\s+)?(?:in|on|at|during|after|before|by|from|to|via|through|over|last|this|earlier|later|"
    r"again|also|then|once|yesterday|today|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")


def _before_that(verb: str, pre: str) -> bool:
    """Whether the words between a reporting verb and "that" are an adverbial or a listener
    ("said in its latest report that", "told parliament on Tuesday that") rather than the start
    of the reported clause ("said soldiers fired at anything that moved")."""
    return len(pre.split()) <= 1 or bool(_BEFORE_THAT.match(pre)) or verb in OBJECT_VERBS


# --- the extractor ------------------------------------------------------------------------


def _strip_span(body: str, a: int, b: int) -> tuple[int, int]:
    """Trim whitespace, a trailing comma and the sentence-final period outside quotes."""
    while a < b and body[a].isspace():
        a += 1
    while b > a and (body[b - 1].isspace() or body[b - 1] in ",;:"):
        b -= 1
    return a, b


def _words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def extract_quotes(
    body: str,
    title: Optional[str] = None,
    entities: Iterable = (),
    *,
    lexicon: Optional[Lexicon] = None,
    min_standalone_words: int = 4,
    stance_threshold: float = 0.5,
    indirect: bool = True,
    role_prior: bool = False,
    stance_method: str = "model",
    with_inputs: bool = False,
    spacy_doc=None,
):
    """All quotes of ``body`` as :class:`conflictlens.schema.Quote` objects, in text order.

    ``stance_method`` is ``"model"`` (the trained linear model of
    :mod:`.stance_model`) or ``"lexicon"`` (cue sums only).  ``spacy_doc``
    (parsed ``body``) lets the model see who harms whom in a quote.  With
    ``with_inputs`` the result is ``([(quote, StanceInput)], target_terms)``,
    which is what :mod:`conflictlens.eval.stance_training` learns from.
    """
    lex = lexicon or load_lexicon()
    ents = [e for e in entities if getattr(e, "label", None)]
    by_text: dict[str, str] = {}
    for e in ents:
        by_text.setdefault(e.text.strip().lower(), e.label)

    def entity_label(text: str) -> Optional[str]:
        t = re.sub(r"^(?:the)\s+", "", text.strip().lower())
        t = re.sub(r"['’]s$", "", t)
        return by_text.get(t)

    att = Attributor(lex, entity_label if ents else None)
    original = body
    body = mask_abbreviations(body)  # same length: offsets stay valid
    paras = paragraphs(body)
    spans = direct_spans(body, paras)
    sents = sentence_cuts(body, paras, spans)
    book = SpeakerBook(lex)
    _prescan_people(body, sents, spans, ents, att, book)

    found: list[Found] = []
    para_speaker: dict[int, Entry] = {}
    last_quote_speaker: dict[int, Entry] = {}  # paragraph -> speaker of its last quote

    def record(f: Found, para: int) -> None:
        found.append(f)
        para_speaker[para] = f.entry
        last_quote_speaker[para] = f.entry

    span_opens = [sp.open for sp in spans]
    for (s_start, s_end, pi) in sents:
        in_sent = spans[bisect_left(span_opens, s_start):bisect_left(span_opens, s_end)]
        if not in_sent:
            if not indirect:
                continue
            pm = PARTICIPLE.search(body, s_start, s_end)
            main_end = pm.start() if pm else s_end
            entry = None
            for c_start, c_end in _clauses(body, s_start, main_end):
                text = body[c_start:c_end]
                r = att.indirect(text)
                if r is None:
                    continue
                ref, verb, cs, ce, spos = r
                entry = book.resolve(ref, c_start + spos)
                if entry is None:
                    continue
                a, b = _strip_span(body, c_start + cs, c_start + ce)
                if b - a > 0:
                    record(Found(a, b, "indirect", entry, verb, text), pi)
            if pm is not None:
                _participle_quote(body, s_start, pm, s_end, entry, att, book, pi, record)
            continue
        k = 0
        prev_end = s_start
        while k < len(in_sent):
            sp = in_sent[k]
            prefix = body[prev_end:sp.open]
            nxt = in_sent[k + 1] if k + 1 < len(in_sent) else None
            suffix_end = nxt.open if nxt else s_end
            suffix = body[sp.close + 1: suffix_end] if sp.close < len(body) else ""
            prefix_words = _words(CONJ_PREFIX.sub("", prefix.strip()))
            content_words = _words(body[sp.cstart:sp.cend])
            if prefix_words:
                pre = att.before(prefix) if k == 0 or prev_end > s_start else None
                if pre is not None:
                    ref, verb, cstart, is_direct = pre
                    entry = None
                    if not (is_direct and content_words < 2):  # "Police say "calm" ..." is no quote
                        entry = book.resolve(ref, prev_end + _first_word(prefix))
                    if entry is not None:
                        if is_direct:
                            a, b = _strip_span(body, sp.cstart, sp.cend)
                            # "X said: "A" ... "B"" -> one direct quote
                            record(Found(a, b, "direct", entry, verb, prefix), pi)
                            prev_end = sp.close + 1
                            k += 1
                            continue
                        a = prev_end + cstart
                        b = s_end
                        while b > a and body[b - 1] in ". \n":
                            b -= 1
                        a, b = _strip_span(body, a, b)
                        record(Found(a, b, "mixed", entry, verb, prefix), pi)
                        break
                # embedded phrase; attributed only when the sentence ends with an attribution
                post = att.after(suffix) if nxt is None else None
                if post is not None and content_words >= 2:
                    ref, verb, _ = post
                    entry = book.resolve(ref, sp.close + 1)
                    if entry is not None:
                        st = prev_end + len(CONJ_PREFIX.match(prefix).group(0) if CONJ_PREFIX.match(prefix) else "")
                        a, b = _strip_span(body, st, sp.close + 1)
                        record(Found(a, b, "mixed", entry, verb, suffix), pi)
                prev_end = sp.close + 1
                k += 1
                continue
            post = att.after(suffix)
            if post is not None:
                ref, verb, used = post
                entry = book.resolve(ref, sp.close + 1 + _first_word(suffix))
                if entry is None:
                    prev_end = sp.close + 1
                    k += 1
                    continue
                end_sp = sp
                rest = suffix[used:]
                # interrupted quote: "A," X said, "B"
                if nxt is not None and re.match(r"^[^.!?]*,\s*$", rest) and not re.search(r"[.!?]", rest):
                    end_sp = nxt
                    k += 1
                a, b = _strip_span(body, sp.cstart, end_sp.cend)
                record(Found(a, b, "direct", entry, verb, suffix), pi)
                prev_end = end_sp.close + 1
                k += 1
                continue
            # a quote with no attribution of its own
            tail = _words(suffix)
            entry = None
            if content_words >= min_standalone_words and tail <= 1:
                entry = para_speaker.get(pi)
                if entry is None and _para_starts_with(body, paras, pi, sp.open):
                    entry = last_quote_speaker.get(pi - 1)
                if entry is None:
                    # the sentence before introduces the speaker: "X, a farmer, was bitter. "...""
                    entry = book.subject_between(paras[pi][0], sp.open) \
                        or _intro_subject(body, sents, paras[pi][0], sp.open, att, book)
            if entry is not None:
                a, b = _strip_span(body, sp.cstart, sp.cend)
                book.mention(sp.open, entry)
                record(Found(a, b, "direct", entry, "", ""), pi)
            prev_end = sp.close + 1
            k += 1

    lede = " ".join(body[a:b] for a, b in paras[:3])
    target = _unmask(stance_target(title, lede))
    terms = target_terms(target)
    # framing sentences: a sentence without quotes right before a quote, same paragraph
    sent_starts = [x[0] for x in sents]
    marks = sorted([f.start for f in found] + [sp.open for sp in spans])
    framing: dict[int, str] = {}
    for i, f in enumerate(found):
        k = bisect_right(sent_starts, f.start) - 1  # the sentence holding the quote's start
        if k < 1 or sents[k - 1][2] != sents[k][2]:
            continue
        a, b, _p = sents[k - 1]
        j = bisect_left(marks, a)
        if j < len(marks) and marks[j] < b:
            continue  # that sentence has a quote of its own
        framing[i] = body[a:b]
    inputs = [
        StanceInput(text=body[f.start:f.end], kind=f.kind, verb=f.verb,
                    verb_polarity=lex.stance_verbs.get(f.verb, 0), context=framing.get(i, ""),
                    speaker_words=" ".join(sorted(f.entry.describe_words())),
                    speaker_kind=f.entry.kind, anonymous=f.entry.anonymous, speaker=f.entry.speaker,
                    title=title or "")
        for i, f in enumerate(found)
    ]
    # who harms whom: a model feature, so only for the model (or for training it)
    if (stance_method == "model" or with_inputs) and spacy_doc is not None and spacy_doc.has_annotation("DEP"):
        from .stance_model import quote_relations

        for f, inp in zip(found, inputs):
            span = spacy_doc.char_span(f.start, f.end, alignment_mode="expand")
            if span is not None:
                inp.relations = quote_relations(span, terms)
    scored = label_stances(inputs, terms, lex, method=stance_method,
                           threshold=stance_threshold, role_prior=role_prior,
                           role_words=[_role_prior(f.entry, lex) for f in found]
                           if role_prior and stance_method == "lexicon" else None)
    quotes = []
    for f, inp, st in zip(found, inputs, scored):
        e = f.entry
        q = Quote(
            text=original[f.start:f.end], start=f.start, end=f.end, kind=f.kind,
            speaker=_unmask(e.speaker), speaker_role=_unmask(e.role) if e.kind != "org" else None,
            speaker_org=_unmask(e.org), anonymous=e.anonymous,
            stance=st.label, stance_target=target, stance_cues=st.cues,
        )
        quotes.append((q, inp))
    quotes.sort(key=lambda x: x[0].start)
    if with_inputs:
        return quotes, terms
    return [q for q, _ in quotes]


def _role_prior(entry: Entry, lex: Lexicon) -> tuple[float, str]:
    """The strongest role prior among the words of the speaker's role/description."""
    text = " ".join(x for x in (entry.role, entry.speaker if entry.kind != "person" else None) if x)
    best, word = 0.0, ""
    for w in re.findall(r"[a-z]+", text.lower()):
        v = lex.role_priors.get(w, 0.0)
        if abs(v) > abs(best):
            best, word = v, w
    return best, word


_MASKED = ("mr", "mrs", "ms", "dr", "gen", "lt", "col", "maj", "capt", "sgt", "brig", "adm", "cmdr",
           "pvt", "cpl", "rev", "prof", "sen", "rep", "gov", "supt", "insp", "hon", "amb", "jr", "sr",
           "st", "u.s", "u.n", "u.k", "e.g", "i.e")
_ABBREV_DOT = re.compile(
    r"\b(?:" + "|".join(re.escape(a) for a in sorted(_MASKED, key=len, reverse=True))
    + r"|[A-Z])\.(?=\s*[A-Za-z])", re.I)


def mask_abbreviations(text: str) -> str:
    """Replace the period of "Lt.", "Dr.", "U.S." or an initial by MASK (same length)."""
    return _ABBREV_DOT.sub(lambda m: m.group(0)[:-1] + MASK, text)


def _unmask(text: Optional[str]) -> Optional[str]:
    return text.replace(MASK, ".") if text else text


_CLAUSE_SPLIT = re.compile(r",\s+(?=(?:while|whereas)\s)|;\s+")


def _clauses(body: str, a: int, b: int) -> list[tuple[int, int]]:
    """Split "X said A, while Y said B" into its two reported clauses."""
    out, last = [], a
    for m in _CLAUSE_SPLIT.finditer(body, a, b):
        out.append((last, m.start()))
        last = m.end()
        w = re.match(r"(?:while|whereas)\s+", body[last:b])
        if w:
            last += w.end()
    out.append((last, b))
    return out


def _first_word(text: str) -> int:
    m = re.search(r"\w", text)
    return m.start() if m else 0


def _participle_quote(body: str, s_start: int, pm: re.Match, s_end: int, entry: Optional[Entry],
                      att: Attributor, book: SpeakerBook, pi: int, record) -> None:
    """``"X voted against the bill, saying it was rushed."``: the clause after the participle is
    the subject's (or the main clause's speaker's) indirect quote."""
    a, b = pm.end(), s_end
    while b > a and body[b - 1] in ".!? \n":
        b -= 1
    if _words(body[a:b]) < 3:
        return
    if entry is None:
        found = att.subject(body[s_start:pm.start()], book)
        if found is None:
            return
        ref, off = found
        entry = book.resolve(ref, s_start + off)
    if entry is not None:
        a, b = _strip_span(body, a, b)
        record(Found(a, b, "indirect", entry, pm.group(0).split()[1].lower(), body[s_start:s_end]), pi)


def _intro_subject(body: str, sents, para_start: int, pos: int, att: Attributor,
                   book: SpeakerBook) -> Optional[Entry]:
    """The subject of the sentence right before ``pos`` when it introduces a speaker.

    ``"Kyrylo Danyliuk, whose father was taken, was bitter."``, ``"A senior official, who
    asked not to be named, put it differently."``, ``"But he has seen soldiers come before."``
    (see :meth:`Attributor.subject`).
    """
    k = bisect_left([x[0] for x in sents], pos) - 1
    if k < 0 or sents[k][0] < para_start or sents[k][1] > pos:
        return None
    found = att.subject(body[sents[k][0]:sents[k][1]], book)
    if found is None:
        return None
    ref, off = found
    return book.resolve(ref, sents[k][0] + off)


def _para_starts_with(body: str, paras: list[tuple[int, int]], pi: int, pos: int) -> bool:
    return pi < len(paras) and paras[pi][0] == pos


def _prescan_people(body, sents, spans, ents, att: Attributor, book: SpeakerBook) -> None:
    """Register people introduced outside quotes ("Osama Malik, a commentator, ...").

    Only subject-position mentions (the first words of a sentence) become
    antecedents for pronouns; every PERSON mention with an apposition or a
    title gives its role.
    """
    cstarts = [sp.cstart for sp in spans]
    opens = [sp.open for sp in spans]

    def in_quote(pos: int) -> bool:
        k = bisect_right(cstarts, pos) - 1
        return k >= 0 and pos < spans[k].cend

    def opens_between(a: int, b: int) -> bool:
        j = bisect_left(opens, a)
        return j < len(opens) and opens[j] < b

    persons = sorted((e for e in ents if e.label == "PERSON" and not in_quote(e.start)),
                     key=lambda e: e.start)
    person_starts = [p.start for p in persons]
    for p in persons:
        # title in front ("Defense Minister Khawaja Asif") and apposition after ("X, a fellow at Y,")
        before = body[max(0, p.start - 100):p.start]
        tm = re.search(r"((?:[A-Z][\w.\-]*\s+){1,4})$", before)
        role = None
        if tm:
            r, _ = split_title(tm.group(1) + "X", att.lex)
            role = r
        org = None
        bm = re.search(r"(?:^|[.!?]\s+|\n)(?:But\s+|And\s+)?((?:The|A|An|Her|His|Their|Its|[A-Z][\w\-]*['’]s)\s+[^,.;\"“”]{2,80}?),\s*$", before)
        if role is None and bm:
            d = parse_description(bm.group(1), att.lex)
            if d is not None:
                role = d[1]
        am = re.match(r",\s*((?:a|an|the|[A-Z][\w\-]*['’]s)\s+[^,.;\"“”]{2,100}?)\s*[,.;]", body[p.end:p.end + 140])
        if am:
            d = parse_description(am.group(1), att.lex)
            if d is not None:
                role = d[1]
                org = d[2]
        name = re.sub(r"['’]s$", "", p.text.strip())
        if looks_like_name(name):
            book.add_person(name, role, org, p.start, mention=False)
    for (s, e, _pi) in sents:
        text = body[s:e]
        lead = CONJ_PREFIX.match(text)
        off = lead.end() if lead else 0
        if in_quote(s + off):
            continue
        # the first PERSON in the first ten words, before any quote, is the sentence's subject
        k = bisect_left(person_starts, s + off)
        first = persons[k] if k < len(persons) and persons[k].start < e else None
        if first is not None and len(body[s + off:first.start].split()) <= 9 \
                and not opens_between(s, first.start):
            name = re.sub(r"['’]s$", "", first.text.strip())
            if looks_like_name(name):
                book.add_person(name, None, None, first.start)
                continue
        vm = att.verb_re.search(text, off)
        if vm and not opens_between(s, s + vm.start()):
            # "Army spokesman Rana Tufail said ..." introduces a person even without NER
            ref = att.speaker(text[off:vm.start()])
            if ref is not None and ref.kind == "name" and (len(ref.text.split()) > 1 or ref.role):
                # (a single capitalised word before "continued" is no name: "Fighting continued")
                book.add_person(ref.text, ref.role, ref.org, s + off)
                continue
        m = re.match(r"((?:[A-Z][\w'’.\-]*\s+){0,5}?[A-Z][\w'’\-]*)"
                     r"(?:,\s*((?:a|an|the|[A-Z][\w\-]*['’]s)\s[^,]{2,120}?),)?\s+[a-z]", text[off:])
        if not m:
            continue
        head = m.group(1)
        ref = parse_speaker_phrase(head + ("," + m.group(2) if m.group(2) else ""), att.lex, att.entity_label)
        if ref is None or ref.kind != "name":
            continue
        known = book.find_person(ref.text)
        k = bisect_left(person_starts, s + off)
        is_person = k < len(persons) and persons[k].start < s + off + len(head) + 1
        if known is not None or is_person or (not persons and ref.role):
            book.add_person(ref.text, ref.role, ref.org, s + off)
