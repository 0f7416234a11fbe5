"""Second blind held-out measurement of the extractor (``tests/extract/heldout2/``).

20 team-written articles (plain text, plain-text pages with web debris, HTML
pages, two event-free analysis/opinion pieces) coded by hand from the ACLED
coding reference without looking at the extractor's code or output; see
``tests/extract/heldout2/README.md`` for the protocol and the measured numbers.

This file is a *measurement*, not a gate.  It asserts only that the gold is
well-formed and that the scorer ran over every record; the per-field accuracy
table is printed (run with ``-s``)::

    .venv/bin/python -m pytest tests/extract/test_heldout2.py -q -s
    .venv/bin/python tests/extract/test_heldout2.py [-v]    # same table as a script (-v: every mismatch)

Loading, the gold checks and scoring are shared with the other held-out sets
(``heldout_checks.py``, on top of the helpers of ``test_gold_articles.py``), so
the numbers are comparable with the development set and the first held-out set.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

if str(Path(__file__).resolve().parent) not in sys.path:  # running this file as a script
    sys.path.insert(0, str(Path(__file__).resolve().parent))

import heldout_checks as hc  # noqa: E402 - needs the sys.path entry above
from heldout_checks import *  # noqa: E402,F401,F403 - the tests every set runs, with their fixtures

#: ``<country>-h2-<nn>-<slug>``
ID_PATTERN = re.compile(r"^[a-z]{2}-h2-\d{2}-[a-z0-9-]+$")

SET = hc.HeldoutSet(
    folder="heldout2", title="held-out set 2", words=(80, 260), size=20, id_pattern=ID_PATTERN,
    all_event_types=True,
    # the brief: 5+ Pakistan/Afghanistan, 3+ HTML pages, 2+ text pages with debris, 2+ event-free pieces,
    # 6+ multi-event articles, 30+ events, a tally and 3+ distractor sentences
    minimums=dict(pk_af=5, html=3, debris_txt=2, event_free=2, multi_event=6, events=30, aggregates=1,
                  distractors=3),
)

if __name__ == "__main__":  # pragma: no cover
    hc.main(SET, sys.argv[1:])
