"""Loaders for the quote lexicons in ``conflictlens/data/quotes/``.

The files are plain text (one entry a line, ``#`` comments) so that analysts
can extend them without touching code.  Each loader is cached per process.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..errors import ConflictLensError

_DIR = "data/quotes"


def _lines(name: str) -> list[str]:
    path = f"conflictlens/{_DIR}/{name}"
    try:
        text = resources.files("conflictlens").joinpath(f"{_DIR}/{name}").read_text("utf-8")
    except FileNotFoundError:
        raise ConflictLensError("E106", path=path, detail="file is missing") from None
    except UnicodeDecodeError as exc:
        raise ConflictLensError("E106", path=path, detail=str(exc)) from None
    out = []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].rstrip() if not raw.lstrip().startswith("#") else ""
        if line.strip():
            out.append(line.strip())
    return out


@dataclass(frozen=True)
class StanceCue:
    words: tuple[str, ...]
    polarity: int  # +1 support, -1 oppose
    weight: float


@dataclass(frozen=True)
class Lexicon:
    speech_verbs: frozenset[str]
    stance_verbs: dict[str, int]
    anonymity: tuple[str, ...]
    role_nouns: frozenset[str]
    titles: frozenset[str]
    stance_cues: tuple[StanceCue, ...]
    role_priors: dict[str, float]

    @property
    def all_verbs(self) -> frozenset[str]:
        return self.speech_verbs | frozenset(self.stance_verbs)


def _parse_cues(lines: list[str]) -> tuple[StanceCue, ...]:
    cues = []
    for i, line in enumerate(lines, 1):
        parts = line.split("\t")
        if len(parts) != 3 or parts[1] not in {"+", "-"}:
            raise ConflictLensError("E106", path=f"conflictlens/{_DIR}/stance_cues.tsv",
                                    detail=f"entry {i} {line!r} is not 'cue<TAB>+|-<TAB>weight'")
        try:
            weight = float(parts[2])
        except ValueError:
            raise ConflictLensError("E106", path=f"conflictlens/{_DIR}/stance_cues.tsv",
                                    detail=f"entry {i}: weight {parts[2]!r} is not a number") from None
        cues.append(StanceCue(tuple(parts[0].lower().split()), 1 if parts[1] == "+" else -1, weight))
    # longest cues first so that "will not hesitate" wins over "hesitate"
    cues.sort(key=lambda c: -len(c.words))
    return tuple(cues)


def _parse_stance_verbs(lines: list[str]) -> dict[str, int]:
    out = {}
    for i, line in enumerate(lines, 1):
        parts = line.split("\t")
        if len(parts) != 2 or parts[1] not in {"+", "-", "0"}:
            raise ConflictLensError("E106", path=f"conflictlens/{_DIR}/stance_verbs.txt",
                                    detail=f"entry {i} {line!r} is not 'verb<TAB>+|-|0'")
        out[parts[0].lower()] = {"+": 1, "-": -1, "0": 0}[parts[1]]
    return out


def _parse_priors(lines: list[str]) -> dict[str, float]:
    out = {}
    for i, line in enumerate(lines, 1):
        parts = line.split("\t")
        try:
            if len(parts) != 3 or parts[1] not in {"+", "-"}:
                raise ValueError
            out[parts[0].lower()] = float(parts[2]) * (1 if parts[1] == "+" else -1)
        except ValueError:
            raise ConflictLensError("E106", path=f"conflictlens/{_DIR}/role_priors.tsv",
                                    detail=f"entry {i} {line!r} is not 'word<TAB>+|-<TAB>weight'") from None
    return out


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """All quote lexicons (cached)."""
    return Lexicon(
        speech_verbs=frozenset(w.lower() for w in _lines("speech_verbs.txt")),
        stance_verbs=_parse_stance_verbs(_lines("stance_verbs.txt")),
        anonymity=tuple(w.lower() for w in _lines("anonymity.txt")),
        role_nouns=frozenset(w.lower() for w in _lines("role_nouns.txt")),
        titles=frozenset(w.lower() for w in _lines("titles.txt")),
        stance_cues=_parse_cues(_lines("stance_cues.tsv")),
        role_priors=_parse_priors(_lines("role_priors.tsv")),
    )
