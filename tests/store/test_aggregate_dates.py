"""Aggregates with a period (dates) are stored and read back on both databases (regression)."""
from datetime import date

from sqlalchemy import select

from conflictlens.doc import RawInput
from conflictlens.pipeline import Pipeline, load_config
from conflictlens.store import Store
from conflictlens.store import models as M

TEXT = ("PESHAWAR, Pakistan — Gunmen killed two policemen at a checkpoint on Monday, officials said. "
        "So far this year, at least 40 police officers have been killed in the province, according to police records.")


def test_aggregate_period_is_stored(db_url):
    pipe = Pipeline.from_config(load_config(overrides={"pipeline": {"stages": ["ingest.clean", "nlp.spacy", "events.rules"]}}))
    doc = pipe.process(RawInput(name="t", content=TEXT, published=date(2024, 5, 20)))
    assert [(a.kind, a.value, a.period_start) for a in doc.aggregates] == [("fatalities", 40, date(2024, 1, 1))]
    store = Store(db_url)
    try:
        store.save_document(doc)
        with store.engine.connect() as conn:
            rows = conn.execute(select(M.aggregates.c.value, M.aggregates.c.period_start,
                                       M.aggregates.c.period_end)).all()
    finally:
        store.close()
    assert [(r.value, r.period_start, r.period_end) for r in rows] == [(40, date(2024, 1, 1), date(2024, 5, 20))]
