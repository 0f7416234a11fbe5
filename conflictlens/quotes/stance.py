"""Stance of a quote toward the article's main subject (lexicon + rules).

The *stance target* is taken from the headline and lede: a named operation
("Operation Azm-e-Istehkam", "named the new operation Azm-e-Istehkam") when
there is one, otherwise the noun phrase of the headline built on a subject
word such as operation, ceasefire, deal, curfew or law.

The *stance* of a quote is the sign of a weighted sum of cue words from
``data/quotes/stance_cues.tsv`` found in the quote and in its reporting verb
("opposed", "welcomed").  A negation word up to four words before a cue flips
it.  Every cue that counted is returned, e.g. ``"+ensure stability"`` or
``"-not +work"``, so that a label can always be checked by a reader.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from .lexicon import Lexicon

TARGET_HEADS = (
    "operation", "campaign", "offensive", "ceasefire", "cease-fire", "truce", "deal", "agreement",
    "accord", "talks", "negotiations", "law", "bill", "ban", "curfew", "sanctions", "deployment",
    "crackdown", "election", "elections", "plan", "withdrawal", "blockade", "mission", "strikes",
    "airstrikes", "raids", "evacuation", "amnesty", "referendum", "reform", "reforms", "policy",
    "lockdown", "mobilisation", "mobilization", "pact", "peace", "corridor", "dam", "tax",
    "budget", "emergency", "restrictions", "inquiry", "investigation", "deportations", "order",
    "rule", "decision", "treaty", "exercise", "exercises", "operations", "decree", "ruling",
    "closure", "strike", "boycott", "delay", "postponement", "disarmament", "mandate", "renewal",
    "escort", "release", "offensives",
)
NEGATIONS = {"not", "never", "no", "n't", "without", "hardly", "cannot", "nor", "neither", "nobody",
             "nothing", "less", "none"}
# words that stand for the article's subject inside a quote ("this operation", "the deal", "it")
SUBJECT_SYNONYMS = {
    "operation": {"operation", "operations", "campaign", "offensive", "mission"},
    "campaign": {"operation", "campaign", "offensive"},
    "offensive": {"operation", "campaign", "offensive", "assault"},
    "ceasefire": {"ceasefire", "cease-fire", "truce", "deal", "agreement"},
    "cease-fire": {"ceasefire", "cease-fire", "truce", "deal", "agreement"},
    "truce": {"ceasefire", "truce", "deal"},
    "deal": {"deal", "agreement", "accord", "pact"},
    "agreement": {"deal", "agreement", "accord", "pact"},
    "talks": {"talks", "negotiations", "dialogue", "process"},
    "law": {"law", "bill", "legislation"},
    "sanctions": {"sanctions", "measures"},
}
CONTRAST = {"but", "however", "yet", "although", "though"}
# a question asked to make a point: "Who will pay me for this?", "Where were they ...?"
RHETORICAL = re.compile(r"(?:^|[.!?:]\s+)(?:who|where|why|how|what|will|can|could|would|is|are)\b[^.!?]*\?", re.I)
_WORD = re.compile(r"[a-z]+(?:[-'][a-z]+)*|n't")
_NAMED_OP = [
    re.compile(r"\bOperation\s+((?:[A-Z][\w'-]*)(?:\s+[A-Z][\w'-]*){0,3})"),
    re.compile(r"\b(?:operation|campaign|offensive)\s+(?:named|called|dubbed|code-?named)\s+"
               r"['\"“‘]?((?:[A-Z][\w'-]*)(?:\s+[A-Z][\w'-]*){0,3})"),
    re.compile(r"\b(?:named|called|dubbed|code-?named)\s+the\s+(?:new\s+|latest\s+)?(?:military\s+)?"
               r"(?:operation|campaign|offensive)\s+['\"“‘]?((?:[A-Z][\w'-]*)(?:\s+[A-Z][\w'-]*){0,3})"),
]
_STOP_BEFORE = {"can", "will", "could", "would", "should", "may", "might", "does", "do", "did", "is",
                "are", "was", "were", "why", "how", "what", "as", "after", "before", "amid", "over",
                "to", "on", "in", "of", "for", "with", "against", "and", "but", "or", "new:", "has",
                "have", "end", "ends", "begin", "begins", "starts", "start", "faces", "face", "hits",
                "backs", "rejects", "opposes", "welcomes", "slams", "says", "say", "said", "the", "a",
                "an", "into", "at", "by", "sign", "agree", "impose", "launch", "announce", "extend", "pass",
                "approve", "resume", "collapse", "back", "reject", "oppose", "welcome", "defend", "lift",
                "after", "from", "under", "amid", "despite", "about", "worries", "why", "new:", "during",
                "ahead", "citing", "since", "until"}


def _modifier(tok: str) -> bool:
    """Can ``tok`` modify a following subject word in a headline ("new", "Pakistan's", "anti-terror")?"""
    low = tok.lower()
    if not tok or low in _STOP_BEFORE:
        return False
    if re.search(r"['’]s$", tok):
        return True
    if tok[:1].isupper() and not tok.isupper():
        return False
    return not (low.endswith("s") and not low.endswith(("ss", "us"))) and not low.endswith("ed")


def stance_target(title: Optional[str], lede: str) -> Optional[str]:
    """The article's main subject, from its headline and first paragraphs."""
    for text in (title or "", lede):
        for pat in _NAMED_OP:
            m = pat.search(text)
            if m:
                name = m.group(1).strip()
                if name.lower() not in {"the", "a"}:
                    return f"Operation {name}"
    for text in (title or "", lede):
        toks = [t.strip(",.;'\"“”‘’") for t in text.replace("?", " ").replace(":", " ").split()]
        for i, tok in enumerate(toks):
            if tok.lower() not in TARGET_HEADS:
                continue
            end = i
            while end + 1 < len(toks) and toks[end + 1].lower() in TARGET_HEADS:
                end += 1  # "ceasefire deal", "peace talks"
            j = i
            while j > 0 and i - j < 3 and _modifier(toks[j - 1]):
                j -= 1
            phrase = " ".join(toks[j:end + 1])
            if phrase:
                return phrase
    if title:
        return title.strip().rstrip("?.!")
    return None


@dataclass
class StanceResult:
    label: str  # support | oppose | neutral
    score: float
    cues: list[str]


@dataclass
class StanceInput:
    """What the stance labellers see of one quote."""

    text: str
    kind: str = "direct"
    verb: str = ""
    verb_polarity: int = 0  # from stance_verbs.txt: "opposed" -1, "welcomed" +1
    context: str = ""  # the framing sentence before the quote, if any
    speaker_words: str = ""  # role, organisation and (unnamed sources) description words
    speaker_kind: str = "person"  # person | anon | org | group
    anonymous: bool = False
    speaker: str = ""  # equal for quotes by the same speaker
    title: str = ""  # the article's headline
    relations: list[str] = field(default_factory=list)  # see stance_model.quote_relations


def explicit_stance(inp: StanceInput, terms: set[str], lex: Lexicon) -> tuple[int, str]:
    """A position stated outright: +1/-1 and the verb, else (0, "").

    Either the reporting verb is a stance verb ("Khan opposed the operation",
    ``stance_verbs.txt``), or the quote itself says so with the subject right
    after the verb ("he opposed any new military operation"), not negated.
    """
    if inp.verb_polarity:
        return inp.verb_polarity, inp.verb
    words = _WORD.findall(inp.text.lower().replace("’", "'").replace("n't", " n't"))
    for i, w in enumerate(words):
        pol = lex.stance_verbs.get(w, 0)
        if pol and terms and any(x in terms for x in words[i + 1:i + 6]):
            if any(x in NEGATIONS for x in words[max(0, i - 3):i]):
                pol = -pol
            return pol, w
    return 0, ""


def stance_evidence(inputs: list[StanceInput], terms: set[str], lex: Lexicon,
                    threshold: float = 0.5) -> tuple[list[StanceResult], list[float]]:
    """Cue sums of every quote, and of the same speaker's *other* quotes."""
    lexical = [score_stance(i.text, lex, i.verb_polarity, i.verb, threshold, terms, i.context)
               for i in inputs]
    totals: dict[str, float] = {}
    for inp, st in zip(inputs, lexical):
        totals[inp.speaker] = totals.get(inp.speaker, 0.0) + st.score
    return lexical, [totals[inp.speaker] - st.score for inp, st in zip(inputs, lexical)]


def label_stances(inputs: list[StanceInput], terms: set[str], lex: Lexicon, *,
                  method: str = "model", threshold: float = 0.5, role_prior: bool = False,
                  role_words: list[tuple[float, str]] | None = None) -> list[StanceResult]:
    """Label every quote of one article.

    ``method="lexicon"``: cue sums (:func:`score_stance`); a quote
    with no decisive cues takes the sign of the same speaker's other quotes
    when their sum is at least ``2 * threshold`` (``speaker:+2.0``), else,
    with ``role_prior``, the prior of its speaker's role.  ``method="model"``:
    the trained linear model of :mod:`.stance_model`, which sees the cue sums,
    the words of the quote, its framing sentence and its speaker; a position
    stated outright (:func:`explicit_stance`) is taken as it is
    (``explicit:-opposed``).  ``role_words`` (``(prior, word)`` per quote) is
    read only by the lexicon method with ``role_prior``.
    """
    lexical, others = stance_evidence(inputs, terms, lex, threshold)
    if method == "model":
        from .stance_model import load_stance_model

        model = load_stance_model()
        out = []
        for inp, lx, other in zip(inputs, lexical, others):
            sign, word = explicit_stance(inp, terms, lex)
            if sign:  # a stated position: the model is not asked
                out.append(StanceResult("support" if sign > 0 else "oppose", float(sign),
                                        [f"explicit:{'+' if sign > 0 else '-'}{word}"]
                                        + [f"lexicon:{c}" for c in lx.cues]))
            else:
                out.append(model.predict(inp, terms, lx, other))
        return out
    out = []
    for k, st in enumerate(lexical):
        label, cues = st.label, list(st.cues)
        if label == "neutral" and abs(st.score) < threshold:
            if abs(others[k]) >= threshold * 2:
                label = "support" if others[k] > 0 else "oppose"
                cues.append(f"speaker:{others[k]:+.1f}")
            elif role_prior and not st.cues and role_words:
                prior, word = role_words[k]
                if abs(prior) >= threshold:
                    label = "support" if prior > 0 else "oppose"
                    cues.append(f"role:{'+' if prior > 0 else '-'}{word}")
        out.append(StanceResult(label, st.score, cues))
    return out


def target_terms(target: Optional[str]) -> set[str]:
    """Words that refer to the stance target inside quotes."""
    if not target:
        return set()
    words = [w for w in _WORD.findall(target.lower()) if len(w) > 2]
    terms = set()
    for w in words:
        if w in TARGET_HEADS:
            terms.add(w)
            terms.update(SUBJECT_SYNONYMS.get(w, ()))
    if target.startswith("Operation "):
        terms.update(SUBJECT_SYNONYMS["operation"])
        terms.update(w for w in words if w != "operation")
    return terms


def score_stance(text: str, lex: Lexicon, verb_polarity: int = 0, verb: str = "",
                 threshold: float = 0.5, terms: set[str] | None = None,
                 context: str = "") -> StanceResult:
    """Label a quote by its cue words (see module docstring).

    A cue within six words of a word for the target (``terms``) counts double
    (shown as ``@target``); cues in ``context`` (the framing sentence before
    the quote, e.g. "Not everyone was convinced.") count at face value and are
    shown as ``ctx:``.
    """
    score = 0.0
    cues: list[str] = []
    if verb_polarity:
        score += 2.0 * verb_polarity
        cues.append(f"{'+' if verb_polarity > 0 else '-'}{verb} (verb)")
    s, c = _cue_sum(text, lex, terms or set(), "")
    score += s
    cues += c
    if context:
        s, c = _cue_sum(context, lex, set(), "ctx:")
        score += s
        cues += c
    if score >= threshold:
        lab = "support"
    elif score <= -threshold:
        lab = "oppose"
    else:
        lab = "neutral"
    return StanceResult(lab, round(score, 2), cues)


_INDEX: dict[int, dict[str, list]] = {}


def _cue_index(lex: Lexicon) -> dict[str, list]:
    """Cues by first word, longest first (built once per lexicon)."""
    key = id(lex.stance_cues)
    if key not in _INDEX:
        idx: dict[str, list] = {}
        for cue in lex.stance_cues:  # already sorted longest first
            idx.setdefault(cue.words[0], []).append(cue)
        _INDEX[key] = idx
    return _INDEX[key]


def _cue_sum(text: str, lex: Lexicon, terms: set[str], prefix: str) -> tuple[float, list[str]]:
    """Left-to-right, longest-match cue search with negation and target weighting."""
    words = _WORD.findall(text.lower().replace("’", "'").replace("n't", " n't"))
    index = _cue_index(lex)
    target_pos = [i for i, w in enumerate(words) if w in terms]
    # "We support peace, but not like this": what follows the last "but" carries the point
    but_at = max((i for i, w in enumerate(words) if w in CONTRAST), default=-1)
    score = 0.0
    cues: list[str] = []
    if prefix == "" and RHETORICAL.search(text):
        score -= 1.0
        cues.append("-rhetorical question")
    i = 0
    while i < len(words):
        match = None
        for cue in index.get(words[i], ()):
            n = len(cue.words)
            if tuple(words[i : i + n]) == cue.words:
                match = cue
                break
        if match is None:
            i += 1
            continue
        sign = match.polarity
        negated = any(w in NEGATIONS for w in words[max(0, i - 4) : i])
        if negated:
            sign = -sign
        weight = match.weight
        near = any(abs(t - i) <= 6 for t in target_pos)
        if near:
            weight *= 2
        if i < but_at:
            weight *= 0.5
        score += sign * weight
        label = " ".join(match.words)
        cues.append(f"{prefix}{'+' if sign > 0 else '-'}{'not ' if negated else ''}{label}"
                    f"{'@target' if near else ''}{' (before but)' if i < but_at else ''}")
        i += len(match.words)
    return score, cues

