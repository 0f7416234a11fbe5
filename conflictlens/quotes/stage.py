"""The ``quotes.rules`` pipeline stage: quotes, speakers and stance."""
from __future__ import annotations

from typing import Callable

from ..doc import WorkDoc
from ..errors import ConflictLensError
from ..registry import stages
from .extract import extract_quotes
from .lexicon import load_lexicon
from .stance_model import load_stance_model

_OPTIONS = {"indirect": bool, "min_standalone_words": int, "stance_threshold": (int, float),
            "role_prior": bool, "stance_method": str}
_METHODS = ("model", "lexicon")


def _title(doc: WorkDoc) -> str | None:
    if doc.source is not None and doc.source.title:
        return doc.source.title
    return doc.meta.get("headline") or doc.raw.title


@stages.register("quotes.rules", reads=["body", "sentences", "entities"], writes=["quotes"])
def make_quotes(config: dict) -> Callable[[WorkDoc], WorkDoc]:
    """Direct, indirect and mixed quotes with speakers and stance (rules + lexicons)."""
    opts = {k: v for k, v in config.items() if not k.startswith("_")}
    for key, value in opts.items():
        if key not in _OPTIONS:
            raise ConflictLensError("E105", name="quotes.rules",
                                    detail=f"unknown option '{key}' (known: {', '.join(sorted(_OPTIONS))})")
        if isinstance(value, bool) and _OPTIONS[key] is not bool or not isinstance(value, _OPTIONS[key]):
            raise ConflictLensError("E105", name="quotes.rules", detail=f"option '{key}' has the wrong type")
    if opts.get("stance_method", "model") not in _METHODS:
        raise ConflictLensError("E105", name="quotes.rules",
                                detail=f"stance_method must be one of {', '.join(_METHODS)}")
    lex = load_lexicon()  # fail at build time if a data file is broken
    if opts.get("stance_method", "model") == "model":
        load_stance_model()

    def run(doc: WorkDoc) -> WorkDoc:
        doc.quotes = extract_quotes(doc.body, _title(doc), doc.entities, lexicon=lex, spacy_doc=doc.spacy_doc,
                                    **opts)
        if doc.quotes:
            doc.meta["stance_target"] = doc.quotes[0].stance_target
        return doc

    return run
