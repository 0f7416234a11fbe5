"""Fixtures for the geo tests: one gazetteer per session (built on first use if missing)."""
from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO / ".." / "shared"
GOLD = Path(__file__).resolve().parent / "gold" / "geo_gold.jsonl"


@pytest.fixture(scope="session")
def gaz():
    from conflictlens.geo.gazetteer import get_gazetteer

    return get_gazetteer()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not available")
    return SHARED


@pytest.fixture(scope="session")
def sample_text(shared_dir) -> str:
    p = shared_dir / "samples" / "dw-2024-07-01-pakistan-azm-e-istehkam.txt"
    if not p.is_file():
        pytest.skip("sample article missing")
    return p.read_text("utf-8")


@pytest.fixture
def parse(gaz):
    """geoparse(text, **kw) bound to the shared gazetteer."""
    from conflictlens.geo.locate import geoparse

    return lambda text, **kw: geoparse(text, gaz, **kw)


def _mention_of(p, text: str, name: str, nth: int = 0):
    """The resolved-or-abstained mention that covers the nth occurrence of ``name``."""
    start = -1
    for _ in range(nth + 1):
        start = text.find(name, start + 1)
    assert start >= 0, name
    return next((m for m in p.mentions if m.start <= start < m.end), None)


@pytest.fixture
def mention_of():
    return _mention_of


@pytest.fixture(scope="session")
def gold_path() -> Path:
    return GOLD
