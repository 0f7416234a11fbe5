"""Fixtures for the quote tests (conflictlens/quotes, the quotes CLI and scorer)."""
from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO / ".." / "shared"
SAMPLE = SHARED / "samples" / "dw-2024-07-01-pakistan-azm-e-istehkam.txt"
GOLD = Path(__file__).resolve().parent / "gold" / "quotes_gold.jsonl"
HELDOUT = Path(__file__).resolve().parent / "gold" / "quotes_heldout.jsonl"
QUOTE_STAGES = ["ingest.clean", "nlp.spacy", "quotes.rules"]


@pytest.fixture(scope="session")
def lexicon():
    from conflictlens.quotes.lexicon import load_lexicon

    return load_lexicon()


@pytest.fixture(scope="session")
def sample_text() -> str:
    """The shared DW sample article (skips when ../shared is absent)."""
    if not SAMPLE.is_file():
        pytest.skip("shared sample article not available")
    return SAMPLE.read_text("utf-8")


def _pipeline(blank: bool):
    from conflictlens.pipeline import Pipeline, load_config
    from conflictlens.registry import stages

    try:
        for name in QUOTE_STAGES:
            stages.get(name)
    except Exception as exc:  # the lead's stages are not in this build
        pytest.xfail(f"pipeline stages missing: {exc}")
    overrides = {"pipeline": {"stages": QUOTE_STAGES}, "stages": {"nlp.spacy": {"blank": blank}}}
    return Pipeline.from_config(load_config(overrides=overrides))


@pytest.fixture(scope="session")
def quote_pipeline():
    """ingest.clean -> nlp.spacy -> quotes.rules, with the spaCy model when installed."""
    return _pipeline(blank=False)


@pytest.fixture(scope="session")
def blank_pipeline():
    """The same pipeline on spaCy's blank fallback (no NER)."""
    return _pipeline(blank=True)


@pytest.fixture(scope="session")
def sample_doc(quote_pipeline, sample_text):
    from conflictlens.doc import RawInput

    return quote_pipeline.process(RawInput(name="dw-sample", content=sample_text))


@pytest.fixture
def extract():
    """``extract(text, title=None)`` -> quotes, without spaCy (plain-text rules only)."""
    from conflictlens.quotes.extract import extract_quotes

    def run(text: str, title: str | None = None):
        return extract_quotes(text, title)

    return run


@pytest.fixture(scope="session")
def gold_path() -> Path:
    return GOLD
