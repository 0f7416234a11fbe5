"""Blind held-out measurement of the extractor (``tests/extract/heldout/``).

The held-out articles and their gold values were written from the ACLED
coding reference without looking at the extractor's code or output (see
``tests/extract/heldout/README.md``).  Unlike ``test_gold_articles.py`` this
file is a *measurement*, not a gate: it checks that the held-out gold is
well-formed and that the scorer ran over every record, and prints the
per-field accuracy table (run with ``-s``)::

    .venv/bin/python -m pytest tests/extract/test_heldout.py -q -s
    .venv/bin/python tests/extract/test_heldout.py [-v]      # same table as a script (-v: every mismatch)

The loading, checks and scoring shared by all held-out sets live in
``heldout_checks.py``; scoring reuses the helpers of ``test_gold_articles.py``
unchanged, so the numbers are comparable with the development gold set.
"""
from __future__ import annotations

import sys
from pathlib import Path

if str(Path(__file__).resolve().parent) not in sys.path:  # allow running this file as a script
    sys.path.insert(0, str(Path(__file__).resolve().parent))

import heldout_checks as hc  # noqa: E402 - after the sys.path fix above
from heldout_checks import *  # noqa: E402,F401,F403 - the tests every set runs, with their fixtures


def _has_events(r: dict) -> list[str]:
    """Every article of this set reports an event, unless it is expected to be rejected."""
    return [] if r["events"] or r.get("expect_error") else [f"{r['id']}: no events"]


SET = hc.HeldoutSet(
    folder="heldout",
    title="held-out set",
    words=(80, 250),
    minimums={"articles": 15, "pk_af": 5, "aggregates": 1, "distractors": 3},
    errors_allowed=True,    # the first set may hold articles the pipeline must reject
    unique_evidence=True,   # evidence occurs exactly once in the article, alternatives included
    record_checks=(_has_events,),
)


if __name__ == "__main__":  # pragma: no cover
    hc.main(SET, sys.argv[1:])
