"""Read labelled data into :class:`GoldItem` objects for the body/events scorers.

Three formats are understood (``docs/evaluation.md`` has the details):

* **conflictlens gold** (JSONL, or a JSON object / list): one article per
  record, as written in ``docs/gold.md`` -- ``id``, the article as ``file``
  (relative to the gold file), ``shared_file`` (relative to a ``shared/``
  folder next to the repository) or inline ``text``/``html``, ``published``,
  ``events`` (gold events), ``no_event_from``, ``body_must_contain`` ...
* **ACLED CSV export**: one row per event; the ``notes`` column is the input
  text, the coded columns are the gold event.
* **GTD-style CSV** (Global Terrorism Database column names): one row per
  incident; ``summary`` is the input text, date/place/fatality columns are the
  gold, and the attack type is mapped to the nearest ACLED type (approximate;
  see :data:`GTD_ATTACK_TYPES`).

Every loader raises a numbered :class:`ConflictLensError` (E70x) on bad input.
"""
from __future__ import annotations

import csv
import json
import os
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterable, Optional

from ..errors import ConflictLensError
from ..ingest.readers import parse_date
from ..schema import EVENT_TYPES, INTER_CODES, SUB_EVENT_TO_TYPE

# Keys a gold event may carry (docs/gold.md plus coordinates and admin1 for CSV adapters).
GOLD_EVENT_KEYS = {
    "evidence_contains", "label", "event_type", "sub_event_type", "event_date", "event_date_start",
    "event_date_end", "event_date_between", "time_precision", "country", "iso3", "admin1", "admin2",
    "location", "latitude", "longitude", "fatalities", "fatalities_low", "fatalities_high",
    "fatalities_known", "injuries", "civilian_targeting", "actor1", "actor2", "assoc_actor_1",
    "assoc_actor_2", "actors_include", "inter1", "inter2",
}


@dataclass
class GoldItem:
    """One labelled article: where its text is, and what a coder says about it."""

    id: str
    origin: str  # "file:line", for messages
    path: Optional[Path] = None  # article file, read with ingest.readers.read_path
    text: Optional[str] = None  # or inline text / HTML
    html: bool = False
    published: Optional[date] = None
    published_in_article: bool = False  # True: do not pass `published`; check source.published
    expect_error: Optional[str] = None
    source: dict[str, Any] = field(default_factory=dict)
    body_must_contain: list[str] = field(default_factory=list)
    body_must_not_contain: list[str] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    aggregates: list[dict[str, Any]] = field(default_factory=list)
    no_event_from: list[str] = field(default_factory=list)
    skipped: Optional[str] = None  # why the item cannot be run (e.g. shared file absent)


@dataclass
class ArticleResult:
    """What the pipeline made of one gold item."""

    item: GoldItem
    document: Any = None  # conflictlens.schema.Document
    error_code: Optional[str] = None
    error_message: Optional[str] = None
    skipped: Optional[str] = None


# --- helpers -----------------------------------------------------------------------------


def _date(value: Any, where: str, path: Path, line: int) -> Optional[date]:
    try:
        return parse_date(value, where)  # None, a date, or ISO YYYY-MM-DD[...]
    except ConflictLensError:
        text = str(value).strip()
    # ACLED's "01 March 2024" and GTD's numeric forms
    for fmt in ("%d %B %Y", "%d-%B-%Y", "%d %b %Y", "%d-%b-%Y", "%m/%d/%Y", "%d/%m/%Y", "%B %d, %Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ConflictLensError("E703", path=str(path), line=line, detail=f"{where}: unreadable date {text!r}")


def _find_shared(gold_file: Path, rel: str) -> Optional[Path]:
    """``rel`` under a ``shared/`` folder: $CONFLICTLENS_SHARED, or next to any parent of the gold file."""
    env = os.environ.get("CONFLICTLENS_SHARED")
    roots = [Path(env)] if env else []
    roots += [p / "shared" for p in gold_file.resolve().parents]
    for root in roots:
        cand = root / rel
        if cand.is_file():
            return cand.resolve()
    return None


def _strings(value: Any, what: str, path: Path, line: int) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    raise ConflictLensError("E703", path=str(path), line=line, detail=f"'{what}' must be a string or a list of strings")


def _check_event(ev: Any, path: Path, line: int, n: int) -> dict[str, Any]:
    where = f"event {n}"
    if not isinstance(ev, dict):
        raise ConflictLensError("E703", path=str(path), line=line, detail=f"{where} is not an object")
    unknown = set(ev) - GOLD_EVENT_KEYS
    if unknown:
        raise ConflictLensError("E703", path=str(path), line=line, detail=f"{where}: unknown keys {sorted(unknown)}")
    et, sub = ev.get("event_type"), ev.get("sub_event_type")
    if et is not None and et not in EVENT_TYPES:
        raise ConflictLensError("E703", path=str(path), line=line, detail=f"{where}: unknown event_type {et!r}")
    if sub is not None:
        if sub not in SUB_EVENT_TO_TYPE:
            raise ConflictLensError("E703", path=str(path), line=line, detail=f"{where}: unknown sub_event_type {sub!r}")
        if et is not None and SUB_EVENT_TO_TYPE[sub] != et:
            raise ConflictLensError("E703", path=str(path), line=line, detail=f"{where}: {sub!r} is not a kind of {et!r}")
    out = dict(ev)
    for k in ("event_date", "event_date_start", "event_date_end"):
        if k in out and out[k] is not None:
            out[k] = _date(out[k], f"{where} {k}", path, line).isoformat()
    if "event_date_between" in out:
        b = out["event_date_between"]
        if not (isinstance(b, list) and len(b) == 2):
            raise ConflictLensError("E703", path=str(path), line=line, detail=f"{where}: event_date_between must be [lo, hi]")
        out["event_date_between"] = [_date(x, f"{where} event_date_between", path, line).isoformat() for x in b]
    if "evidence_contains" in out:
        out["evidence_contains"] = _strings(out["evidence_contains"], "evidence_contains", path, line)
    return out


# --- conflictlens gold (JSONL / JSON) ------------------------------------------------------


def _item_from_record(rec: Any, path: Path, line: int) -> GoldItem:
    if not isinstance(rec, dict):
        raise ConflictLensError("E703", path=str(path), line=line, detail="not a JSON object")
    if not rec.get("id"):
        raise ConflictLensError("E703", path=str(path), line=line, detail="missing 'id'")
    events = rec.get("events", [])
    if not isinstance(events, list):
        raise ConflictLensError("E703", path=str(path), line=line, detail="'events' must be a list")
    item = GoldItem(
        id=str(rec["id"]),
        origin=f"{path}:{line}",
        published=_date(rec.get("published"), "published", path, line),
        published_in_article=bool(rec.get("published_in_article", False)),
        expect_error=rec.get("expect_error") or None,
        source=dict(rec.get("source") or {}),
        body_must_contain=_strings(rec.get("body_must_contain"), "body_must_contain", path, line),
        body_must_not_contain=_strings(rec.get("body_must_not_contain"), "body_must_not_contain", path, line),
        events=[_check_event(e, path, line, n) for n, e in enumerate(events, 1)],
        aggregates=list(rec.get("aggregates") or []),
        no_event_from=_strings(rec.get("no_event_from"), "no_event_from", path, line),
    )
    if rec.get("file"):
        item.path = (path.parent / rec["file"]).resolve()
        if not item.path.is_file():
            raise ConflictLensError("E703", path=str(path), line=line, detail=f"article file {rec['file']} not found")
    elif rec.get("shared_file"):
        found = _find_shared(path, rec["shared_file"])
        if found is None:
            item.skipped = f"shared file {rec['shared_file']} is not present (no shared/ folder found)"
        item.path = found
    elif isinstance(rec.get("html"), str) or isinstance(rec.get("text"), str):
        item.html = isinstance(rec.get("html"), str)
        item.text = rec["html"] if item.html else rec["text"]
    else:
        raise ConflictLensError("E703", path=str(path), line=line,
                                detail="needs 'file', 'shared_file', 'text' or 'html'")
    return item


def load_conflictlens_gold(path: str | Path) -> list[GoldItem]:
    """Our gold format: JSONL (one article per line) or a .json file holding one object or a list."""
    path = Path(path)
    if not path.is_file():
        raise ConflictLensError("E701", path=str(path))
    text = path.read_text("utf-8")
    items: list[GoldItem] = []
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ConflictLensError("E703", path=str(path), line=exc.lineno, detail=exc.msg) from None
        records = data if isinstance(data, list) else [data]
        for n, rec in enumerate(records, 1):
            items.append(_item_from_record(rec, path, n))
    else:
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ConflictLensError("E703", path=str(path), line=n, detail=exc.msg) from None
            items.append(_item_from_record(rec, path, n))
    ids = [i.id for i in items]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        raise ConflictLensError("E703", path=str(path), line=0, detail=f"duplicate ids {dup[:5]}")
    return items


# --- CSV exports ---------------------------------------------------------------------------

ACLED_REQUIRED = ("event_date", "event_type", "notes")
GTD_REQUIRED = ("eventid", "iyear", "imonth", "iday", "summary")

# inter codes by name, plural (INTER_CODES) and singular ("Rebel group", as newer ACLED exports write them)
_INTER_BY_NAME = {v.casefold().rstrip("s"): k for k, v in INTER_CODES.items()}


def read_json_object(path: Path, code: str, key: str, kind: type) -> dict:
    """A JSON file holding an object with ``key`` of type ``kind`` (E701 missing, ``code`` malformed)."""
    if not path.is_file():
        raise ConflictLensError("E701", path=str(path))
    try:
        doc = json.loads(path.read_text("utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ConflictLensError(code, path=str(path), detail=str(exc)[:120]) from None
    if not isinstance(doc, dict) or not isinstance(doc.get(key), kind):
        raise ConflictLensError(code, path=str(path),
                                detail=f"needs a '{key}' {'list' if kind is list else 'object'}")
    return doc


def _read_csv(path: Path, required: Iterable[str] = (), what: str = "") -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows of a CSV file; E706 when unreadable or lacking a ``required`` column."""
    if not path.is_file():
        raise ConflictLensError("E701", path=str(path))
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            rows = list(reader)
            header = [h.strip() for h in (reader.fieldnames or [])]
    except (UnicodeDecodeError, csv.Error) as exc:
        raise ConflictLensError("E706", path=str(path), detail=str(exc)[:120]) from None
    rows = [{(k or "").strip(): (v or "").strip() for k, v in r.items()} for r in rows]
    missing = [c for c in required if c not in header]
    if missing:
        raise ConflictLensError("E706", path=str(path), detail=f"missing {what} columns {missing}")
    return header, rows


def csv_kind(path: str | Path) -> str:
    """``"acled"`` or ``"gtd"`` from a CSV header (E706 otherwise)."""
    header, _ = _read_csv(Path(path))
    cols = set(header)
    if all(c in cols for c in ACLED_REQUIRED):
        return "acled"
    if all(c in cols for c in GTD_REQUIRED):
        return "gtd"
    raise ConflictLensError("E706", path=str(path),
                            detail=f"needs ACLED columns {list(ACLED_REQUIRED)} or GTD columns {list(GTD_REQUIRED)}")


def _int(value: str) -> Optional[int]:
    if value in ("", None):
        return None
    try:
        return int(float(value))
    except ValueError:
        return None


def _float(value: str) -> Optional[float]:
    if value in ("", None):
        return None
    try:
        return float(value)
    except ValueError:
        return None


def _inter(value: str) -> Optional[int]:
    if value == "":
        return None
    code = _int(value)
    return code if code is not None else _INTER_BY_NAME.get(value.casefold().rstrip("s"))


def _iso3_from_numeric(value: str) -> Optional[str]:
    code = _int(value)
    if code is None:
        return None
    import pycountry

    c = pycountry.countries.get(numeric=f"{code:03d}")
    return c.alpha_3 if c else None


def load_acled_csv(path: str | Path, *, published_from_event_date: bool = True) -> list[GoldItem]:
    """An ACLED export: each row's ``notes`` is the article, the coded columns are its one gold event.

    ``published`` is the event date by default (ACLED notes state the date,
    and relative dates need an anchor); pass ``published_from_event_date=False``
    to give the pipeline no date at all.
    """
    path = Path(path)
    header, rows = _read_csv(path, ACLED_REQUIRED, "ACLED")
    items = []
    for n, row in enumerate(rows, 2):  # line 1 is the header
        notes = row.get("notes", "")
        rid = row.get("event_id_cnty") or f"row{n}"
        if not notes:
            raise ConflictLensError("E703", path=str(path), line=n, detail="empty 'notes'")
        et = row["event_type"]
        if et not in EVENT_TYPES:
            raise ConflictLensError("E703", path=str(path), line=n, detail=f"unknown event_type {et!r}")
        ev: dict[str, Any] = {"event_type": et}
        sub = row.get("sub_event_type")
        if sub:
            if SUB_EVENT_TO_TYPE.get(sub) != et:
                raise ConflictLensError("E703", path=str(path), line=n, detail=f"sub_event_type {sub!r} is not a kind of {et!r}")
            ev["sub_event_type"] = sub
        day = _date(row["event_date"], "event_date", path, n)
        if day is None:
            raise ConflictLensError("E703", path=str(path), line=n, detail="empty event_date")
        ev["event_date"] = day.isoformat()
        tp = _int(row.get("time_precision", ""))
        if tp in (1, 2, 3):
            ev["time_precision"] = tp
        for col in ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2", "country", "admin1", "admin2", "location"):
            if row.get(col):
                ev[col] = row[col]
        for col in ("inter1", "inter2"):
            code = _inter(row.get(col, ""))
            if code is not None:
                ev[col] = code
        iso3 = _iso3_from_numeric(row.get("iso", ""))
        if iso3:
            ev["iso3"] = iso3
        lat, lon = _float(row.get("latitude", "")), _float(row.get("longitude", ""))
        if lat is not None and lon is not None:
            ev["latitude"], ev["longitude"] = lat, lon
        fat = _int(row.get("fatalities", ""))
        if fat is not None:
            ev["fatalities"] = fat
        if "civilian_targeting" in row:
            ev["civilian_targeting"] = bool(row["civilian_targeting"])
        items.append(GoldItem(id=rid, origin=f"{path}:{n}", text=notes,
                              published=day if published_from_event_date else None, events=[ev]))
    return items


# GTD attack type -> (event_type, sub_event_type) in ACLED terms.  Approximate by
# nature: GTD codes terrorism incidents, ACLED codes political violence.  Types
# depending on the target are resolved in :func:`_gtd_type`.
GTD_ATTACK_TYPES: dict[str, tuple[Optional[str], Optional[str]]] = {
    "Bombing/Explosion": ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
    "Hostage Taking (Kidnapping)": ("Violence against civilians", "Abduction/forced disappearance"),
    "Hostage Taking (Barricade Incident)": ("Violence against civilians", "Abduction/forced disappearance"),
    "Hijacking": ("Violence against civilians", "Abduction/forced disappearance"),
    "Facility/Infrastructure Attack": ("Strategic developments", "Looting/property destruction"),
    "Armed Assault": (None, None),  # by target
    "Assassination": (None, None),  # by target
    "Unarmed Assault": ("Violence against civilians", "Attack"),
    "Unknown": (None, None),
}
GTD_ARMED_TARGETS = {"Military", "Police", "Terrorists/Non-State Militia"}


def _gtd_type(row: dict[str, str]) -> tuple[Optional[str], Optional[str]]:
    attack = row.get("attacktype1_txt", "")
    et, sub = GTD_ATTACK_TYPES.get(attack, (None, None))
    if attack == "Bombing/Explosion":
        if row.get("suicide") == "1":
            sub = "Suicide bomb"
        elif "grenade" in row.get("weapsubtype1_txt", "").casefold():
            sub = "Grenade"
    if attack in ("Armed Assault", "Assassination"):
        target = row.get("targtype1_txt", "")
        if target in GTD_ARMED_TARGETS:
            et, sub = "Battles", "Armed clash"
        elif target:
            et, sub = "Violence against civilians", "Attack"
    return et, sub


def load_gtd_csv(path: str | Path) -> list[GoldItem]:
    """A GTD-style CSV: ``summary`` is the article, one gold event per row.

    Scored: date (``iday``/``imonth`` 0 = unknown gives a month or year window),
    ``country_txt``, ``provstate`` (admin1), ``city`` (location), coordinates,
    ``nkill`` (fatalities; blank = not scored) and the ACLED type mapped from
    ``attacktype1_txt`` (:data:`GTD_ATTACK_TYPES`).  GTD group names
    (``gname``) are not ACLED actor names and are not scored.
    """
    path = Path(path)
    header, rows = _read_csv(path, GTD_REQUIRED, "GTD")
    items = []
    for n, row in enumerate(rows, 2):
        summary = row.get("summary", "")
        if not summary:
            raise ConflictLensError("E703", path=str(path), line=n, detail="empty 'summary'")
        y, m, d = _int(row["iyear"]), _int(row["imonth"]) or 0, _int(row["iday"]) or 0
        if y is None or not 0 <= m <= 12:
            raise ConflictLensError("E703", path=str(path), line=n, detail="bad iyear/imonth")
        ev: dict[str, Any] = {}
        published: Optional[date] = None
        try:
            if m and d:
                published = date(y, m, d)
                ev["event_date"] = published.isoformat()
                ev["time_precision"] = 1
            elif m:
                nxt = date(y + (m == 12), m % 12 + 1, 1)
                ev["event_date_between"] = [date(y, m, 1).isoformat(), date.fromordinal(nxt.toordinal() - 1).isoformat()]
                ev["time_precision"] = 3
            else:
                ev["event_date_between"] = [date(y, 1, 1).isoformat(), date(y, 12, 31).isoformat()]
                ev["time_precision"] = 3
        except ValueError as exc:
            raise ConflictLensError("E703", path=str(path), line=n, detail=f"bad date: {exc}") from None
        et, sub = _gtd_type(row)
        if et:
            ev["event_type"] = et
        if sub:
            ev["sub_event_type"] = sub
        if row.get("country_txt"):
            ev["country"] = row["country_txt"]
        if row.get("provstate") and row["provstate"].casefold() != "unknown":
            ev["admin1"] = row["provstate"]
        if row.get("city") and row["city"].casefold() != "unknown":
            ev["location"] = row["city"]
        lat, lon = _float(row.get("latitude", "")), _float(row.get("longitude", ""))
        if lat is not None and lon is not None:
            ev["latitude"], ev["longitude"] = lat, lon
        nkill = _float(row.get("nkill", ""))
        if nkill is not None and nkill >= 0:
            ev["fatalities"] = int(nkill)
        items.append(GoldItem(id=row["eventid"], origin=f"{path}:{n}", text=summary, published=published,
                              events=[ev]))
    return items


def load_items(path: str | Path, fmt: Optional[str] = None) -> list[GoldItem]:
    """Gold items from any supported file; ``fmt`` is ``conflictlens``, ``acled`` or ``gtd`` (default: guessed)."""
    path = Path(path)
    if not path.is_file():
        raise ConflictLensError("E701", path=str(path))
    if fmt is None:
        fmt = csv_kind(path) if path.suffix.lower() == ".csv" else "conflictlens"
    if fmt == "acled":
        return load_acled_csv(path)
    if fmt == "gtd":
        return load_gtd_csv(path)
    if fmt == "conflictlens":
        return load_conflictlens_gold(path)
    raise ConflictLensError("E709", option="--format", detail=f"unknown gold format {fmt!r}")

