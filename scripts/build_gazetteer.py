#!/usr/bin/env python
"""Build conflictlens' offline gazetteer from packaged GeoNames/pycountry data.

    python scripts/build_gazetteer.py [--out PATH]

Without --out it writes conflictlens/data/geo/gazetteer.sqlite (the file the
geo stage opens; it is also built automatically on first use).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from conflictlens.errors import ConflictLensError  # noqa: E402
from conflictlens.geo.build import build  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=None, help="output SQLite file")
    args = ap.parse_args()
    try:
        stats = build(args.out, verbose=True)
    except ConflictLensError as exc:
        print(exc.line(), file=sys.stderr)
        return 1
    print(json.dumps(stats, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
