"""Fixtures for the validation tests of the shipped data files (conflictlens/data)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
DATA_DIR = REPO / "conflictlens" / "data"


def _load(name: str) -> dict[str, Any]:
    with (DATA_DIR / name).open(encoding="utf-8") as fh:
        return json.load(fh)


@pytest.fixture(scope="session")
def actors_doc() -> dict[str, Any]:
    """The parsed actors.json."""
    return _load("actors.json")


@pytest.fixture(scope="session")
def countries_doc() -> dict[str, Any]:
    """The parsed countries.json."""
    return _load("countries.json")


@pytest.fixture(scope="session")
def countries(countries_doc) -> dict[str, dict[str, Any]]:
    """countries.json entries by ISO3."""
    return {c["iso3"]: c for c in countries_doc["countries"]}


def norm(text: str) -> str:
    """Lookup key: case-folded, whitespace collapsed."""
    return " ".join(text.casefold().split())


@pytest.fixture(scope="session")
def actor_index(actors_doc) -> dict[str, dict[str, Any]]:
    """Named actors by normalised name and alias (the lookup an extractor would build)."""
    index: dict[str, dict[str, Any]] = {}
    for actor in actors_doc["actors"]:
        for key in [actor["name"], *actor["aliases"]]:
            index.setdefault(norm(key), actor)
    return index
