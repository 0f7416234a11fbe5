"""Scorer for the geoparser against a gold list of place mentions in context.

Gold format (JSON Lines, e.g. ``tests/geo/gold/geo_gold.jsonl``)::

    {"id": "pk-001", "text": "sentence ...", "mention": "Gwadar", "iso3": "PAK",
     "admin1": "Balochistan", "lat": 25.12, "lon": 62.32, "dateline": null}

Each record is geoparsed on its own; the mention is the first occurrence of
``mention`` in ``text``.  Accuracies are over the mentions the geoparser
answered (an abstention or a missed mention is not counted as wrong there but
in ``abstention_rate``); the ``*_all`` variants count abstentions as errors.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

from ..errors import ConflictLensError

REQUIRED = ("id", "text", "mention", "iso3", "lat", "lon")


def load_gold(path: str | Path) -> list[dict]:
    path = Path(path)
    if not path.is_file():
        raise ConflictLensError("E001", path=str(path))
    out = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ConflictLensError("E404", path=str(path), line=n, detail=str(exc)) from None
            missing = [k for k in REQUIRED if k not in rec]
            if missing:
                raise ConflictLensError("E404", path=str(path), line=n, detail=f"missing {missing}")
            if rec["mention"] not in rec["text"]:
                raise ConflictLensError("E404", path=str(path), line=n, detail="mention not in text")
            out.append(rec)
    return out


def score_geo(gold_path: str | Path, gaz=None, *, km: float = 161.0) -> dict:
    """Score the geoparser on a gold file; returns {"metrics": {...}, "errors": [...]}."""
    from ..geo.gazetteer import get_gazetteer
    from ..geo.locate import geoparse
    from ..geo.toponyms import haversine_km

    gaz = gaz or get_gazetteer()
    gold = load_gold(gold_path)
    n = len(gold)
    answered = country_ok = admin1_ok = dist_ok = 0
    errors = []
    for rec in gold:
        text, mention = rec["text"], rec["mention"]
        start = text.find(mention)
        parse = geoparse(text, gaz, dateline=rec.get("dateline"))
        m = next((x for x in parse.mentions if x.start <= start < x.end), None)
        expected = {"iso3": rec["iso3"], "admin1": rec.get("admin1"), "lat": rec["lat"], "lon": rec["lon"]}
        if m is None or m.resolved is None:
            rej = next((x for x in parse.rejected if x.start <= start < x.end), None)
            reason = m.reason if m is not None else (f"rejected: {rej.reason}" if rej else "not recognised")
            errors.append({"id": rec["id"], "mention": mention, "expected": expected, "got": None, "reason": reason})
            continue
        answered += 1
        e = m.resolved
        c = gaz.country(e.cc)
        got_iso3 = c.iso3 if c else None
        got_admin1: Optional[str] = None if e.feature == "PCLI" else e.admin1
        d = haversine_km(rec["lat"], rec["lon"], e.lat, e.lon)
        ok_c = got_iso3 == rec["iso3"]
        exp_a1 = rec.get("admin1")
        ok_a = ok_c and ((not exp_a1 and not got_admin1) or gaz.same_admin1(e.cc, exp_a1, got_admin1))
        ok_d = d <= km
        country_ok += ok_c
        admin1_ok += ok_a
        dist_ok += ok_d
        if not (ok_c and ok_a and ok_d):
            errors.append({"id": rec["id"], "mention": mention, "expected": expected,
                           "got": {"name": e.name, "feature": e.feature, "iso3": got_iso3, "admin1": got_admin1,
                                   "lat": round(e.lat, 3), "lon": round(e.lon, 3), "km": round(d, 1)},
                           "reason": m.reason})
    div = answered or 1
    metrics = {
        "n": n,
        "answered": answered,
        "country_acc": round(country_ok / div, 4),
        "admin1_acc": round(admin1_ok / div, 4),
        "acc_161km": round(dist_ok / div, 4),
        "abstention_rate": round((n - answered) / n, 4) if n else 0.0,
        "country_acc_all": round(country_ok / n, 4) if n else 0.0,
        "admin1_acc_all": round(admin1_ok / n, 4) if n else 0.0,
        "acc_161km_all": round(dist_ok / n, 4) if n else 0.0,
    }
    return {"metrics": metrics, "errors": errors}


def main(argv: list[str] | None = None) -> int:  # pragma: no cover - thin script entry
    import sys

    argv = argv if argv is not None else sys.argv[1:]
    path = argv[0] if argv else "tests/geo/gold/geo_gold.jsonl"
    res = score_geo(path)
    print(json.dumps(res["metrics"], indent=2))
    for err in res["errors"]:
        print(json.dumps(err, ensure_ascii=False))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
