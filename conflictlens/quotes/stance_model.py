"""A small, transparent stance model: multinomial logistic regression on sparse features.

The model scores a quote's stance toward the article's subject (support,
oppose, neutral) from features that a reader can check:

* ``lex`` / ``lex+`` / ``lex-``: the cue sum of the hand-written lexicon
  (:func:`.stance.score_stance`) and its sign;
* ``verb+`` / ``verb-``: a stance verb ("opposed", "welcomed"); ``v:VERB``: the
  reporting verb itself (warn, insist, complain, promise ...);
* ``spk``: the cue sum of the same speaker's other quotes;
* ``w:WORD`` and ``b:WORD_WORD``: the quote's words and word pairs (lower
  case, crudely stemmed; a word up to three places after a negation is
  written ``not_WORD``);
* ``c:WORD``: words of the framing sentence before the quote;
* ``r:WORD``: words of the speaker's role, organisation or description;
* ``g:GROUP``: the speaker's role group (official, security, critic,
  affected, expert, armed, diplomat, aid; ``data/quotes/role_groups.tsv``),
  and ``g:GROUP*harm`` / ``g:GROUP*good`` / ``g:GROUP*enemy``: the group
  combined with the quote's valence words (``data/quotes/valence.tsv``:
  harm such as killed, fled, hungry; relief such as safe, reopened, freed;
  the armed groups a measure is aimed at); ``harm``, ``good``, ``enemy``
  alone; ``own``: the speaker shares a word with the headline (the army
  spokesman in "Army launches offensive");
* ``kind=…``, ``anon``, ``sk=…`` (person, anon, org, group), ``tgt`` (the
  quote names the subject), ``q?`` (a question), ``we`` (first person
  plural), ``cond`` (if, unless, as long as), ``num`` (a figure), ``len<5`` …
  ``len>=25`` (words in the quote).

Weights live in ``data/quotes/stance_model.tsv`` (one feature a line, one
column per class), trained by :mod:`conflictlens.eval.stance_training` on the team-written articles in
``data/quotes/stance_train/``.  Every label comes with the features that
pushed it most (``stance_cues``), e.g. ``["p=0.81", "w:displac +0.74",
"r:resident +0.41", "lexicon -2.0"]``.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..errors import ConflictLensError
from .lexicon import _lines
from .stance import NEGATIONS, TARGET_HEADS, StanceInput, StanceResult

CLASSES = ("support", "oppose", "neutral")
MODEL_FILE = "data/quotes/stance_model.tsv"
_TOK = re.compile(r"[a-z]+(?:[-'][a-z]+)*|n't|[0-9]+")
_STOP = frozenset("the a an of to in and on for at by with from as is was be been are were it its".split())
_WE = frozenset({"we", "our", "us", "ours"})
_DIGIT = re.compile(r"\d")
_COND = re.compile(r"\b(?:if|unless|as long as|provided that|so long as)\b", re.I)
FIXED_FEATURES = ("bias", "lex", "lex+", "lex-", "verb+", "verb-", "spk", "tgt", "q?", "we", "cond", "anon")
GROUPS = ("official", "security", "critic", "affected", "expert", "armed", "diplomat", "aid")
VALENCES = ("harm", "good", "enemy", "civilian", "forces")
_FIRST = frozenset({"we", "us", "our", "i", "me", "my"})
_THIRD = frozenset({"they", "them", "their"})


def _table(name: str, allowed: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for i, line in enumerate(_lines(name), 1):
        parts = line.split("\t")
        if len(parts) != 2 or parts[1] not in allowed:
            raise ConflictLensError("E106", path=f"conflictlens/data/quotes/{name}",
                                    detail=f"entry {i} {line!r} is not 'word<TAB>{'|'.join(allowed)}'")
        out[parts[0].lower()] = parts[1]
    return out


@lru_cache(maxsize=1)
def role_groups() -> dict[str, str]:
    return _table("role_groups.tsv", GROUPS)


@lru_cache(maxsize=1)
def valence_words() -> dict[str, str]:
    return _table("valence.tsv", VALENCES)


@lru_cache(maxsize=65536)
def valence(token: str) -> str | None:
    """harm / good / enemy for a word, by the word, its stem or its longest listed start."""
    table = valence_words()
    for w in (token, stem(token)):
        if w in table:
            return table[w]
    for k in range(len(token) - 1, 4, -1):
        v = table.get(token[:k])
        if v is not None:
            return v
    return None


def stem(word: str) -> str:
    """A crude suffix stripper: killed, kills, killing -> kill."""
    for suf in ("ing", "ed", "es", "s", "ly"):
        if word.endswith(suf) and len(word) - len(suf) >= 3 and not word.endswith(("ss", "us", "is", "eed")):
            return word[: -len(suf)]
    return word


_HEAD_STEMS = frozenset(stem(h) for h in TARGET_HEADS)  # subject words do not make a speaker an "own"er


def _tokens(text: str) -> list[str]:
    return _TOK.findall(text.lower().replace("’", "'").replace("n't", " n't"))


def _word_feats(toks: list[str], prefix: str) -> list[str]:
    """Stemmed words of a token list; a word up to three places after a negation is ``not_WORD``."""
    out = []
    scope = 0
    for t in toks:
        if t in NEGATIONS:
            scope = 3
            out.append(f"{prefix}NEG")
            continue
        w = stem(t)
        if scope > 0:
            w = "not_" + w
            scope -= 1
        if t not in _STOP:
            out.append(prefix + w)
    return out


def _who(tok, terms: set[str]) -> str:
    """Class of a noun phrase: target, enemy, civilian, forces, we, they or other."""
    low = tok.lower_
    if low in _FIRST:
        return "we"
    if low in _THIRD:
        return "they"
    words = [w.lower_ for w in tok.subtree][:10]
    if any(w in terms for w in words):
        return "target"
    for w in [low] + words:
        v = valence(w)
        if v in ("enemy", "civilian", "forces"):
            return v
    if any(w in _FIRST for w in words):
        return "we"
    return "other"


def quote_relations(span, terms: set[str]) -> list[str]:
    """Who does harm or good to whom in a quote, from spaCy's dependency parse.

    ``span`` is a spaCy ``Span``.  For each harm/relief verb (or adjective
    after "be") the result names its agent and patient classes (see
    :func:`_who`): "the strike killed two commanders" gives
    ``rel:harm:A=target`` and ``rel:harm:P=enemy``; "we are not safe" gives
    ``rel:not_good:P=we``.
    """
    out: list[str] = []
    for t in span:
        v = valence(t.lower_)
        if v not in ("harm", "good"):
            continue
        if t.pos_ in ("VERB", "AUX"):
            head = t
        elif t.pos_ == "ADJ" and t.dep_ in ("acomp", "attr") and t.head.i != t.i:
            head = t.head
        else:
            continue
        neg = any(c.dep_ == "neg" for c in head.children) or any(c.dep_ == "neg" for c in t.children)
        agent = patient = None
        for c in head.children:
            if c.dep_ == "nsubj":
                if head is t:
                    agent = c
                else:
                    patient = c  # "X is safe": X undergoes the state
            elif c.dep_ in ("nsubjpass", "dobj"):
                patient = c
            elif c.dep_ == "agent":
                agent = next((g for g in c.children if g.dep_ == "pobj"), None)
        name = ("not_" if neg else "") + v
        if agent is not None:
            out.append(f"rel:{name}:A={_who(agent, terms)}")
        if patient is not None:
            out.append(f"rel:{name}:P={_who(patient, terms)}")
    return out


def _clip(x: float, lim: float = 4.0) -> float:
    return max(-lim, min(lim, x)) / 2.0


def features(inp: StanceInput, terms: set[str], lexical: StanceResult, other: float) -> dict[str, float]:
    """The sparse feature vector of one quote (see the module docstring)."""
    f: dict[str, float] = {"bias": 1.0}
    if lexical.score:
        f["lex"] = _clip(lexical.score)
    if lexical.label == "support":
        f["lex+"] = 1.0
    elif lexical.label == "oppose":
        f["lex-"] = 1.0
    if inp.verb_polarity > 0:
        f["verb+"] = 1.0
    elif inp.verb_polarity < 0:
        f["verb-"] = 1.0
    if inp.verb:
        f["v:" + stem(inp.verb.lower().split()[0])] = 1.0  # warned, insisted, complained ...
    if other:
        f["spk"] = _clip(other)
    f[f"kind={inp.kind}"] = 1.0
    f[f"sk={inp.speaker_kind}"] = 1.0
    if inp.anonymous:
        f["anon"] = 1.0
    for r in inp.relations:
        f[r] = 1.0
    text_toks = _tokens(inp.text)
    toks = set(text_toks)
    for w in _word_feats(text_toks, "w:"):
        f[w] = 1.0
    for w in _word_feats(_tokens(inp.context), "c:"):
        f[w] = 0.5
    spk = [w for w in _tokens(inp.speaker_words) if w not in _STOP]
    for w in spk:
        f["r:" + stem(w)] = 1.0
    table = role_groups()
    groups = sorted({table[w] for w in spk if w in table}) or ["none"]
    counts = dict.fromkeys(VALENCES, 0)
    scope = 0
    for t in text_toks:
        if t in NEGATIONS:
            scope = 3
            continue
        v = valence(t)
        if v is not None and not (scope > 0 and v != "enemy"):  # "not safe" is no relief
            counts[v] += 1
        scope = max(0, scope - 1)
    for v, n in counts.items():
        if n:
            x = min(n, 3) / 3
            f[v] = x
            for g in groups:
                f[f"g:{g}*{v}"] = x
    for g in groups:
        f[f"g:{g}"] = 1.0
    # who the harm or relief is about: "killed ... militants" reads unlike "killed ... our children"
    about = [k for k in ("enemy", "civilian", "forces") if counts[k]]
    if toks & _FIRST:
        about.append("we")
    if terms and toks & terms:
        about.append("target")
    for v in ("harm", "good"):
        if counts[v]:
            for a in about:
                f[f"{v}*{a}"] = 1.0
    title_words = {stem(w) for w in _tokens(inp.title)} - _STOP - _HEAD_STEMS
    if title_words & {stem(w) for w in spk}:
        f["own"] = 1.0
    if terms and toks & terms:
        f["tgt"] = 1.0
    if "?" in inp.text:
        f["q?"] = 1.0
    if _DIGIT.search(inp.text):
        f["num"] = 1.0  # figures: "23 vessels", "11 people" (often plain reporting)
    n = len(inp.text.split())
    f["len<5" if n < 5 else "len<12" if n < 12 else "len<25" if n < 25 else "len>=25"] = 1.0
    if toks & _WE:
        f["we"] = 1.0
    if _COND.search(inp.text):
        f["cond"] = 1.0
    return f


def _argmax(p: list[float]) -> int:
    return max(range(len(p)), key=lambda c: p[c])


@dataclass
class StanceModel:
    weights: dict[str, tuple[float, float, float]]
    header: list[str]

    def probabilities(self, feats: dict[str, float]) -> list[float]:
        z = [0.0, 0.0, 0.0]
        for name, x in feats.items():
            w = self.weights.get(name)
            if w is not None:
                for c in range(3):
                    z[c] += x * w[c]
        m = max(z)
        e = [math.exp(v - m) for v in z]
        s = sum(e)
        return [v / s for v in e]

    def label_of(self, feats: dict[str, float]) -> str:
        """The most probable class for a feature vector."""
        return CLASSES[_argmax(self.probabilities(feats))]

    def predict(self, inp: StanceInput, terms: set[str], lexical: StanceResult, other: float,
                n_cues: int = 4) -> StanceResult:
        feats = features(inp, terms, lexical, other)
        p = self.probabilities(feats)
        k = _argmax(p)
        contrib = []
        for name, x in feats.items():
            w = self.weights.get(name)
            if w is None or name == "bias":
                continue
            v = x * (w[k] - (sum(w) - w[k]) / 2)
            if v > 0.05:
                contrib.append((v, name))
        contrib.sort(reverse=True)
        cues = [f"p={p[k]:.2f}"] + [f"{name}{'' if feats[name] == 1.0 else f'={feats[name]:g}'} +{v:.2f}"
                                    for v, name in contrib[:n_cues]]
        cues += [f"lexicon:{c}" for c in lexical.cues]
        return StanceResult(CLASSES[k], round(p[0] - p[1], 3), cues)


def parse_model(text: str, path: str = MODEL_FILE) -> StanceModel:
    weights: dict[str, tuple[float, float, float]] = {}
    header = []
    for i, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        if line.startswith("#"):
            header.append(line[1:].strip())
            continue
        parts = line.split("\t")
        try:
            if len(parts) != 4:
                raise ValueError
            weights[parts[0]] = (float(parts[1]), float(parts[2]), float(parts[3]))
        except ValueError:
            raise ConflictLensError("E106", path=f"conflictlens/{path}",
                                    detail=f"line {i} is not 'feature<TAB>w_support<TAB>w_oppose<TAB>w_neutral'") \
                from None
    if "bias" not in weights:
        raise ConflictLensError("E106", path=f"conflictlens/{path}", detail="no 'bias' row: not a stance model")
    return StanceModel(weights, header)


@lru_cache(maxsize=1)
def load_stance_model() -> StanceModel:
    """The shipped model (cached); E106 when the file is missing or broken."""
    try:
        text = resources.files("conflictlens").joinpath(MODEL_FILE).read_text("utf-8")
    except FileNotFoundError:
        raise ConflictLensError("E106", path=f"conflictlens/{MODEL_FILE}",
                                detail="file is missing (train it: python -m conflictlens.eval.stance_training)") from None
    return parse_model(text)
