"""Third blind held-out measurement of the extractor (``tests/extract/heldout3/``).

20 team-written articles (plain text, plain-text pages with web debris, HTML
pages, two event-free pieces) coded by hand from the ACLED coding reference
without opening the extractor's code or lexicon and without running it; see
``tests/extract/heldout3/README.md`` for the protocol, the freeze checksums and
the measured numbers.

This file is a *measurement*, not a gate.  It asserts only that the gold is
well-formed (and unchanged since it was frozen), that a document coded exactly
as the gold scores perfectly, and that the scorer ran over every record; the
per-field accuracy table is printed (run with ``-s``)::

    .venv/bin/python -m pytest tests/extract/test_heldout3.py -q -s
    .venv/bin/python tests/extract/test_heldout3.py [-v]    # same table as a script (-v: every mismatch)

Loading, the gold checks common to all held-out sets and scoring live in
``heldout_checks.py`` (on top of the helpers of ``test_gold_articles.py``), so
the numbers are comparable with the development set and the earlier held-out
sets; the checks below are the ones only this set makes.
"""
from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path
from typing import Any

if str(Path(__file__).resolve().parent) not in sys.path:  # running this file as a script
    sys.path.insert(0, str(Path(__file__).resolve().parent))

import heldout_checks as hc  # noqa: E402 - needs the sys.path entry above
from heldout_checks import *  # noqa: E402,F401,F403 - the tests every set runs, with their fixtures
from test_gold_articles import _alternatives, _perfect_document, check_article, find_spans, norm_text  # noqa: E402

SOURCE_KEYS = frozenset({"title", "published", "dateline", "outlet", "authors"})
#: ``<country>-h3-<nn>-<slug>``, also the article's file name.
ID_PATTERN = re.compile(r"^[a-z]{2}-h3-\d{2}-[a-z0-9-]+$")
#: ``<sha256>  <path relative to heldout3/>`` lines of the freeze record in the README.
FREEZE_LINE = re.compile(r"^([0-9a-f]{64})  (\S+)$", re.M)


def source_and_tally_problems(r: dict[str, Any]) -> list[str]:
    """Source keys as in the gold format, an in-article date checked, each tally also a distractor."""
    rid, out = r["id"], []
    if set(r["source"]) - SOURCE_KEYS:
        out.append(f"{rid}: unknown source keys {sorted(set(r['source']) - SOURCE_KEYS)}")
    if r["published_in_article"] and r["source"].get("published") != r["published"]:
        out.append(f"{rid}: a date carried by the article must be checked as source.published")
    for a in r["aggregates"]:
        if a["evidence_contains"] not in r["no_event_from"]:
            out.append(f"{rid}: tally {a['evidence_contains']!r} should also be a no_event_from distractor")
    return out


def evidence_clear_of_distractors(r: dict[str, Any], g: dict[str, Any], where: str) -> list[str]:
    """An event's evidence and the article's distractor sentences do not contain one another."""
    overlap = any(norm_text(n) in norm_text(d) or norm_text(d) in norm_text(n)
                  for n in _alternatives(g["evidence_contains"]) for d in r["no_event_from"])
    return [f"{where}: evidence overlaps a distractor"] if overlap else []


SET = hc.HeldoutSet(
    folder="heldout3", title="held-out set 3", words=(80, 260), size=20, id_pattern=ID_PATTERN,
    all_event_types=True, other_sets=("gold", "heldout", "heldout2"),
    # 7+ Pakistan/Afghanistan, 10+ countries, 3+ HTML pages, 2+ text pages with debris, 2+ event-free
    # pieces, 6+ multi-event articles, 33+ events, 3+ articles with a tally, 3+ distractor sentences
    minimums=dict(pk_af=7, countries=10, html=3, debris_txt=2, event_free=2, multi_event=6, events=33,
                  articles_with_aggregates=3, distractors=3),
    window_from_between=True,  # a precision 2-3 date may be a bounded range (event_date_between)
    record_checks=(source_and_tally_problems,),
    event_checks=(evidence_clear_of_distractors,),
)


def frozen_checksums() -> dict[str, str]:
    """``{relative path: sha256}`` from the freeze record in ``heldout3/README.md``."""
    readme = (SET.dir / "README.md").read_text(encoding="utf-8")
    return {path: digest for digest, path in FREEZE_LINE.findall(readme)}


# --- checks only this set makes (the shared ones come from heldout_checks) ---------------------------

def test_heldout3_files_are_named_by_id(records):
    """Each article file is named after its record's id (composition and size: ``test_set_composition``)."""
    assert all(Path(r["file"]).stem == r["id"] for r in records), "file name must be the id"


def test_heldout3_is_frozen():
    """Every gold file matches the SHA-256 taken when the set was frozen (README), and nothing was added."""
    frozen = frozen_checksums()
    on_disk = {"gold.jsonl"} | {f"articles/{p.name}" for p in (SET.dir / "articles").iterdir() if p.is_file()}
    assert set(frozen) == on_disk, f"freeze record and files differ: {sorted(set(frozen) ^ on_disk)}"
    changed = [p for p, digest in frozen.items() if hashlib.sha256((SET.dir / p).read_bytes()).hexdigest() != digest]
    assert not changed, f"frozen gold files changed after the freeze: {changed}"


def test_checker_flags_a_wrong_coding_of_heldout3(records):
    """The same checker is not silent on this set: one changed field and one extra event are both reported."""
    rec = next(r for r in records if len(r["events"]) >= 2 and r["no_event_from"])
    doc = _perfect_document(rec)
    doc.events[0].fatalities = rec["events"][0]["fatalities"] + 1
    s, e = find_spans(doc.source.body, rec["no_event_from"][0])[0]
    doc.events.append(doc.events[1].model_copy(update={"id": "extra", "evidence": [
        doc.events[1].evidence[0].model_copy(update={"start": s, "end": e, "text": doc.source.body[s:e]})]}))
    problems, fields = check_article(hc.result_of(rec, doc))
    text = "\n".join(problems)
    assert "fatalities: expected" in text and "distractor" in text
    assert f"expected {len(rec['events'])} events, got {len(rec['events']) + 1}" in text
    assert False in fields["fatalities"] and False in fields["no_event_from"]


if __name__ == "__main__":  # pragma: no cover
    hc.main(SET, sys.argv[1:])
