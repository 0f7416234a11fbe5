"""The database layer on SQLite and PostgreSQL: schema, idempotency, dedup in the store, merge policy."""
from __future__ import annotations

import warnings
from collections import Counter, defaultdict

import pytest
from sqlalchemy import inspect, select, text

from conflictlens.errors import ConflictLensError
from conflictlens.schema import ACLED_CSV_COLUMNS, Failure
from conflictlens.store import Store, content_hash
from conflictlens.store import models as M
from conflictlens.store.dedup import Clusterer, DedupConfig, Mention
from conflictlens.store.merge import merge_mentions


def test_schema_matches_models_and_views_exist(store):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with store.engine.connect() as conn, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Did not recognize type 'geometry'"
        diffs = compare_metadata(MigrationContext.configure(conn), M.metadata)
    # PostGIS adds a geometry column (and its own spatial_ref_sys table) that the
    # models do not know about on purpose.
    diffs = [d for d in diffs if not (d[0] == "remove_column" and d[3].name == "geom")
             and not (d[0] == "remove_index" and d[1].name == "ix_events_geom")
             and not (d[0] == "remove_table" and d[1].name == "spatial_ref_sys")
             # SQLite: the FTS5 index of migration 0002 and its shadow tables
             and not (d[0] == "remove_table" and d[1].name.startswith("events_fts"))]
    assert diffs == []
    views = set(inspect(store.engine).get_view_names())
    assert {"acled_events", "mentions_by_source"} <= views
    with store.engine.connect() as conn:
        cols = list(conn.execute(text("SELECT * FROM acled_events")).keys())
    shared = [c for c in ACLED_CSV_COLUMNS if c in cols]
    assert shared == ACLED_CSV_COLUMNS, "the view carries every ACLED column, in ACLED order"


def test_reopen_needs_no_migration(db_url):
    Store(db_url).close()
    s = Store(db_url, create=False)
    assert s.counts()["events"] == 0
    s.close()


def test_unmigrated_database_is_a_numbered_error(db_url):
    with pytest.raises(ConflictLensError) as e:
        Store(db_url, create=False)
    assert e.value.code == "E603"


def test_save_is_idempotent(store, gold_docs):
    rec, doc = gold_docs[0]
    first = store.save_document(doc)
    assert first.stored and first.new_events == 1
    before = store.counts()
    again = store.save_document(doc)
    assert not again.stored and again.source_id == first.source_id
    assert store.counts() == before
    assert store.has_content(doc.source.body)


def test_same_id_different_content_keeps_both(store, gold_docs):
    _, a = gold_docs[0]
    _, b = gold_docs[1]
    b2 = b.model_copy(update={"source": b.source.model_copy(update={"id": a.source.id})})
    ra, rb = store.save_document(a), store.save_document(b2)
    assert ra.stored and rb.stored and ra.source_id != rb.source_id
    assert rb.source_id.startswith(a.source.id + "~")


def test_store_dedup_equals_in_memory_clustering(store, gold_docs):
    """The DB path (SQL candidates) and the in-memory Clusterer give the same partition."""
    mem = Clusterer(DedupConfig())
    mem_ids = {}
    for rec, doc in gold_docs:
        res = store.save_document(doc)
        assert res.stored and len(res.event_ids) == 1
        m = Mention.from_event(doc.events[0], doc.source.id)
        mem_ids[doc.source.id] = (mem.add(m), res.event_ids[0])
    pairs = set(mem_ids.values())
    assert len({a for a, _ in pairs}) == len({b for _, b in pairs}) == len(pairs)
    counts = store.counts()
    assert counts["sources"] == counts["event_mentions"] == len(gold_docs)
    assert counts["events"] == len(mem.clusters)


def test_merged_events_carry_sources_and_policy(store, gold_docs):
    for _, doc in gold_docs:
        store.save_document(doc)
    by_event = defaultdict(list)
    with store.engine.connect() as conn:
        for r in conn.execute(select(M.event_mentions.c.event_id, M.event_mentions.c.source_id)):
            by_event[r[0]].append(r[1])
        events = {r["id"]: dict(r) for r in conn.execute(select(M.events)).mappings()}
    for eid, srcs in by_event.items():
        ev = events[eid]
        assert ev["n_mentions"] == len(srcs)
        assert sorted(s["id"] for s in ev["sources"]) == sorted(srcs)
        assert set(ev["source_ids"].split("; ")) == set(srcs)
    gold = {r["source_id"]: r for r, _ in gold_docs}
    # Quetta station bombing (I17): five reports, 24-32 dead -> conservative 24, range 24-32
    quetta = [e for e in events.values() if "i17a" in e["source_ids"]][0]
    reported = [gold[s]["fatalities"] for s in quetta["source_ids"].split("; ")]
    assert quetta["fatalities"] == min(reported)
    assert quetta["fatalities_low"] == min(reported) and quetta["fatalities_high"] == max(reported)
    assert quetta["n_mentions"] >= 4


def test_merge_policy_unit():
    from datetime import date

    base = dict(event_type="Battles", sub_event_type="Armed clash", disorder_type="Political violence",
                country="Pakistan", iso3="PAK", confidence=0.5, fatalities_known=True)
    ms = [
        dict(base, mention_id=1, source_id="a", event_date=date(2024, 3, 17), time_precision=2,
             location="North Waziristan", geo_precision=3, latitude=33.0, longitude=70.0,
             fatalities=9, actor1="Unidentified Armed Group (Pakistan)", outlet="A",
             published=date(2024, 3, 18)),
        dict(base, mention_id=2, source_id="b", event_date=date(2024, 3, 16), time_precision=1,
             location="Mir Ali", geo_precision=1, latitude=33.02, longitude=70.07, fatalities=7,
             fatalities_low=6, fatalities_high=8, actor1="TTP: Tehreek-i-Taliban Pakistan",
             outlet="B", published=date(2024, 3, 16)),
        dict(base, mention_id=3, source_id="c", event_date=date(2024, 3, 16), time_precision=1,
             location="Mir Ali", geo_precision=1, latitude=33.02, longitude=70.07, fatalities=0,
             fatalities_known=False, sub_event_type="Suicide bomb",
             event_type="Explosions/Remote violence", outlet="C", published=date(2024, 3, 17)),
    ]
    out = merge_mentions(ms)
    assert out["event_date"] == date(2024, 3, 16) and out["time_precision"] == 1
    assert out["location"] == "Mir Ali" and out["geo_precision"] == 1
    assert out["fatalities"] == 7 and out["fatalities_low"] == 6 and out["fatalities_high"] == 9
    assert out["fatalities_known"] is True
    assert out["sub_event_type"] == "Armed clash" and out["event_type"] == "Battles"
    assert out["actor1"] == "TTP: Tehreek-i-Taliban Pakistan"
    assert [s["id"] for s in out["sources"]] == ["b", "c", "a"]  # oldest report first
    assert out["n_mentions"] == 3 and out["outlets"] == "B; C; A"
    assert 0.5 < out["confidence"] <= 0.99
    none_known = merge_mentions([dict(ms[2])])
    assert none_known["fatalities"] == 0 and none_known["fatalities_known"] is False


def test_explain_records_why_each_mention_joined(store, gold_docs):
    from conflictlens.store.explain import explain

    for _, doc in gold_docs:
        store.save_document(doc)
    ev_id = next(e for e in store.iter_events(select(M.events)) if e["n_mentions"] >= 3)["id"]
    info = explain(store, ev_id)
    reasons = [m["reason"] for m in info["mentions"]]
    assert reasons[0].startswith("new incident")
    assert all(r.startswith("joined: score") for r in reasons[1:])
    for m in info["mentions"][1:]:
        assert m["match_score"] >= DedupConfig().threshold
        assert set(m["components"]) == {"type", "date", "place", "actors", "fatalities", "text"}
    assert info["merge"]["policy"] == "conflictlens-merge-1"
    with pytest.raises(ConflictLensError) as e:
        explain(store, "NOPE-1")
    assert e.value.code == "E605"


def test_failures_and_runs_are_recorded(store):
    run = store.start_run(["x.jsonl"], workers=2)
    store.record_failure(Failure(input="x.jsonl:3", code="E010", message="bad line"), run)
    store.finish_run(run, seen=3, stored=2, skipped=0, failed=1)
    f = store.failures(run)
    assert [(x["input"], x["code"]) for x in f] == [("x.jsonl:3", "E010")]
    with store.engine.connect() as conn:
        row = conn.execute(select(M.ingest_runs)).mappings().one()
    assert row["status"] == "done" and row["n_failed"] == 1 and row["finished_at"] is not None


def test_content_hash_is_of_the_body():
    assert content_hash("abc") == content_hash("abc") != content_hash("abd")
    assert len(content_hash("x")) == 64


def test_every_mention_row_is_unique(store, gold_docs):
    for _, doc in gold_docs[:20]:
        store.save_document(doc)
        store.save_document(doc)
    with store.engine.connect() as conn:
        hashes = [r[0] for r in conn.execute(select(M.sources.c.content_hash))]
        keys = [tuple(r) for r in conn.execute(select(M.event_mentions.c.source_id,
                                                      M.event_mentions.c.event_key))]
    assert len(hashes) == 20 and not [h for h, n in Counter(hashes).items() if n > 1]
    assert len(keys) == len(set(keys)) == 20


def test_migrations_downgrade_and_upgrade_again(db_url):
    from alembic import command
    from sqlalchemy import inspect as sa_inspect

    from conflictlens.store.db import alembic_config, make_engine, upgrade

    engine = make_engine(db_url)
    upgrade(engine)
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "base")
    assert not sa_inspect(engine).has_table("events")
    upgrade(engine)
    assert sa_inspect(engine).has_table("events")
    engine.dispose()


def test_resolve_url(tmp_path, monkeypatch):
    from conflictlens.store.db import resolve_url

    monkeypatch.delenv("CONFLICTLENS_DB", raising=False)
    assert resolve_url(None) == "sqlite:///conflictlens.db"
    assert resolve_url(str(tmp_path / "x.db")) == f"sqlite:///{tmp_path / 'x.db'}"
    assert resolve_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert resolve_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert resolve_url("sqlite:///a.db") == "sqlite:///a.db"
    monkeypatch.setenv("CONFLICTLENS_DB", "sqlite:///env.db")
    assert resolve_url(None) == "sqlite:///env.db"
    with pytest.raises(ConflictLensError) as e:
        resolve_url("not a url://x")
    assert e.value.code == "E602"
