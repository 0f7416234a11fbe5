"""Read access to the compiled gazetteer (``gazetteer.sqlite``).

The file is opened read-only; name lookups are memoised per process, so the
cost of a resolution is one indexed SQLite query the first time a name is
seen and a dictionary hit afterwards.  :func:`get_gazetteer` returns one
shared instance per process and builds the file on first use when it is
missing or was built from other package versions.
"""
from __future__ import annotations

import os
import sqlite3
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

from ..errors import ConflictLensError
from .build import DATA_DIR, KIND_PRIMARY, build, source_fingerprint
from .names import key

# Specificity of feature classes: lower is larger.
FEATURE_RANK = {"PCLI": 0, "ADM1": 1, "RGN": 2, "ADM2": 3, "PPLC": 4, "PPL": 4}
MAX_NGRAM = 6


@dataclass(frozen=True, slots=True)
class Entry:
    """One gazetteer record reachable under a looked-up name."""

    pid: int
    gid: Optional[int]
    name: str
    feature: str  # PCLI, ADM1, ADM2, RGN, PPL, PPLC
    cc: str
    admin1: Optional[str]
    admin2: Optional[str]
    lat: float
    lon: float
    pop: int
    kind: int = KIND_PRIMARY  # how the looked-up name relates to the entry (build.KIND_*)

    @property
    def rank(self) -> int:
        return FEATURE_RANK.get(self.feature, 4)


@dataclass(frozen=True, slots=True)
class Country:
    cc: str
    iso3: str
    name: str
    pid: int
    capital_pid: Optional[int]


def default_path() -> Path:
    """Where the gazetteer lives: $CONFLICTLENS_GAZETTEER, the package data dir, or the user cache."""
    env = os.environ.get("CONFLICTLENS_GAZETTEER")
    if env:
        return Path(env)
    pkg = DATA_DIR / "gazetteer.sqlite"
    if pkg.exists() or os.access(DATA_DIR, os.W_OK):
        return pkg
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "conflictlens" / "gazetteer.sqlite"
    return cache


class Gazetteer:
    """A read-only handle on a compiled gazetteer file."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        try:
            uri = f"file:{self.path}?mode=ro&immutable=1"
            self._con = sqlite3.connect(uri, uri=True, check_same_thread=False)
            meta = dict(self._con.execute("SELECT k, v FROM meta"))
            self.fingerprint = meta.get("fingerprint", "")
            self.countries: dict[str, Country] = {
                r[0]: Country(*r) for r in self._con.execute("SELECT cc, iso3, name, pid, capital_pid FROM countries")
            }
            self.demonyms: dict[str, str] = dict(self._con.execute("SELECT key, cc FROM demonyms"))
        except sqlite3.Error as exc:
            raise ConflictLensError("E402", path=str(self.path), detail=str(exc)) from None
        self.by_iso3 = {c.iso3: c for c in self.countries.values()}
        self._lock = threading.Lock()
        self.lookup_key = lru_cache(maxsize=200_000)(self._lookup_key)

    # --- lookups --------------------------------------------------------------------------------
    def _lookup_key(self, k: str) -> tuple[Entry, ...]:
        with self._lock:
            rows = self._con.execute(
                "SELECT p.id, p.gid, p.name, p.feature, p.cc, p.admin1, p.admin2, p.lat, p.lon, p.pop, n.kind "
                "FROM names n JOIN places p ON p.id = n.pid WHERE n.key = ?",
                (k,),
            ).fetchall()
        return tuple(Entry(*r) for r in rows)

    def lookup(self, name: str) -> tuple[Entry, ...]:
        """All entries a surface name may refer to (any country, any feature class)."""
        return self.lookup_key(key(name))

    def get(self, pid: int) -> Optional[Entry]:
        with self._lock:
            r = self._con.execute(
                "SELECT id, gid, name, feature, cc, admin1, admin2, lat, lon, pop FROM places WHERE id = ?", (pid,)
            ).fetchone()
        return Entry(*r) if r else None

    def country(self, cc: str) -> Optional[Country]:
        return self.countries.get(cc)

    def country_entry(self, cc: str) -> Optional[Entry]:
        c = self.countries.get(cc)
        return self.get(c.pid) if c else None

    def admin1_entry(self, cc: str, name: str) -> Optional[Entry]:
        """The ADM1 entry of country ``cc`` that ``name`` (any spelling) denotes."""
        for e in self.lookup(name):
            if e.cc == cc and e.feature == "ADM1":
                return e
        return None

    def same_admin1(self, cc: str, a: Optional[str], b: Optional[str]) -> bool:
        """Whether two admin1 spellings denote the same unit of ``cc``."""
        if not a or not b:
            return False
        if key(a) == key(b):
            return True
        ea, eb = self.admin1_entry(cc, a), self.admin1_entry(cc, b)
        return ea is not None and eb is not None and ea.pid == eb.pid

    def demonym_country(self, word: str) -> Optional[str]:
        return self.demonyms.get(key(word))

    def close(self) -> None:
        self._con.close()


_SHARED: dict[str, Gazetteer] = {}
_SHARED_LOCK = threading.Lock()


def ensure_built(path: Path | None = None) -> Path:
    """Build the gazetteer file if it is missing or stale; return its path."""
    path = Path(path) if path else default_path()
    fresh = False
    if path.exists():
        try:
            con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            fp = dict(con.execute("SELECT k, v FROM meta")).get("fingerprint")
            con.close()
            fresh = fp == source_fingerprint()
        except sqlite3.Error:
            fresh = False
    if not fresh:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError:
            raise ConflictLensError("E403", paths=str(path)) from None
        if not os.access(path.parent, os.W_OK):
            raise ConflictLensError("E403", paths=str(path))
        build(path)
    return path


def get_gazetteer(path: Path | str | None = None) -> Gazetteer:
    """The process-wide gazetteer (built on first use if needed, then cached)."""
    p = str(path or default_path())
    with _SHARED_LOCK:
        gaz = _SHARED.get(p)
        if gaz is None:
            gaz = Gazetteer(ensure_built(Path(p)))
            _SHARED[p] = gaz
    return gaz
