"""The free-text filter ``q`` on SQLite: the FTS5 index of migration 0002, its triggers, the
upgrade of an existing database, the fallback scan, and injection-shaped input."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import delete, func, insert, select, update

from conflictlens.store import models as M
from conflictlens.store import queries_api as Q
from conflictlens.store.db import make_engine, upgrade

NOW = datetime(2025, 1, 1)


def _event(i: int, notes: str, **kw) -> dict:
    row = dict(id=f"EV-{i}", event_date=date(2024, 1, 1 + i), disorder_type="Political violence",
               event_type="Battles", sub_event_type="Armed clash", actor1="Military Forces",
               actor2=None, country="Somalia", iso3="SOM", admin1="Hiiraan", location="Town",
               notes=notes, outlets="Wire", n_mentions=1, n_sources=1, created_at=NOW,
               updated_at=NOW)
    row.update(kw)
    return row


ROWS = [
    _event(1, "Clashes near Beledweyne killed 3.", location="Beledweyne"),
    _event(2, "Police arrested protesters in Mogadishu.", actor1="Police Forces",
           location="Mogadishu", admin1="Banadir"),
    _event(3, "An airstrike hit Jilib or nearby villages.", sub_event_type="Air/drone strike",
           location="Jilib"),
    _event(4, "Militia attacked Town 42 and Town 420.", location="Town 42"),
    _event(5, "Café bombing in Kismayo.", location="Kismayo", outlets="Radio Kulmiye; Wire"),
]


def _ids(engine, q: str) -> set[str]:
    _total, _more, items = Q.list_events(engine, Q.ApiFilter(q=q), limit=100, count=True)
    return {i["id"] for i in items}


@pytest.fixture
def old_db(tmp_path):
    """A SQLite database at revision 0001 (before the index) holding ROWS."""
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "0001")
    with engine.begin() as conn:
        conn.execute(insert(M.events), ROWS)
    Q._FTS_CACHE.clear()
    yield engine
    Q._FTS_CACHE.clear()
    engine.dispose()


def _has_fts_table(engine) -> bool:
    with engine.connect() as conn:
        return conn.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE name = 'events_fts'").first() is not None


def test_match_expression_quotes_every_term():
    assert Q.fts_match("town 42") == '"town" "42"*'
    assert Q.fts_match("  Beledweyne ") == '"Beledweyne"*'
    # FTS5 operators and syntax in the input become plain quoted words
    assert Q.fts_match('a OR b NOT c') == '"a" "OR" "b" "NOT" "c"*'
    assert Q.fts_match('notes:x NEAR(y z) "w"* ^v') == '"notes" "x" "NEAR" "y" "z" "w" "v"*'
    assert Q.fts_match("Pakistan' OR '1'='1") == '"Pakistan" "OR" "1" "1"*'
    assert Q.fts_match("town\t42\n") == '"town" "42"*'
    for nothing in ("%", "_", "\\", "'\"*()", "\x00", "  ", "Pakistan\x00", "a\x1bb"):
        assert Q.fts_match(nothing) is None
    assert len(Q.fts_match(" ".join(["w"] * 100)).split()) == Q._MAX_TERMS


def test_upgrade_indexes_existing_rows(old_db):
    assert not _has_fts_table(old_db)
    scan = {q: _ids(old_db, q) for q in ("beledweyne", "police", "town 42", "kismayo")}
    assert scan["beledweyne"] == {"EV-1"} and scan["town 42"] == {"EV-4"}
    upgrade(old_db)  # 0001 -> head, as Store does on open
    Q._FTS_CACHE.clear()
    assert _has_fts_table(old_db) and Q._has_fts(old_db)
    with old_db.connect() as conn:
        n = conn.exec_driver_sql("SELECT count(*) FROM events_fts WHERE events_fts MATCH "
                                 "'\"wire\"'").scalar_one()
    assert n == len(ROWS)
    for q, ids in scan.items():  # the same answers through the index
        assert _ids(old_db, q) == ids, q


def test_fulltext_semantics(old_db):
    upgrade(old_db)
    Q._FTS_CACHE.clear()
    assert _ids(old_db, "BELEDWEYNE") == {"EV-1"}           # case-insensitive
    assert _ids(old_db, "beledw") == {"EV-1"}               # the last term is a prefix
    assert _ids(old_db, "mogadishu police") == {"EV-2"}     # every term, in any order/column
    assert _ids(old_db, "mogadishu jilib") == set()
    assert _ids(old_db, "town 42") == {"EV-4"}
    assert _ids(old_db, "cafe") == {"EV-5"}                 # diacritics are folded
    assert _ids(old_db, "kulmiye") == {"EV-5"}              # outlets are searched
    assert _ids(old_db, "air drone") == {"EV-3"}            # sub-event type is searched
    assert _ids(old_db, "banadir") == {"EV-2"}              # admin1 is searched
    assert _ids(old_db, "jilib OR") == {"EV-3"}             # operators are words
    assert _ids(old_db, "jilib NOT nearby") == set()
    assert _ids(old_db, "%") == set()                       # no term: the scan, literal %


def test_triggers_keep_the_index_in_sync(old_db):
    upgrade(old_db)
    Q._FTS_CACHE.clear()
    with old_db.begin() as conn:
        conn.execute(insert(M.events), [_event(6, "Fighting in Baidoa.", location="Baidoa")])
    assert _ids(old_db, "baidoa") == {"EV-6"}
    with old_db.begin() as conn:
        conn.execute(update(M.events).where(M.events.c.id == "EV-6")
                     .values(notes="Fighting in Dhusamareb.", location="Dhusamareb"))
    assert _ids(old_db, "baidoa") == set()
    assert _ids(old_db, "dhusamareb") == {"EV-6"}
    with old_db.begin() as conn:  # an update of other columns leaves the index alone
        conn.execute(update(M.events).where(M.events.c.id == "EV-6").values(n_mentions=2))
    assert _ids(old_db, "dhusamareb") == {"EV-6"}
    with old_db.begin() as conn:
        conn.execute(delete(M.events).where(M.events.c.id == "EV-6"))
    assert _ids(old_db, "dhusamareb") == set()
    with old_db.connect() as conn:  # FTS5's own consistency check against events
        conn.exec_driver_sql("INSERT INTO events_fts(events_fts) VALUES ('integrity-check')")


def test_downgrade_falls_back_to_the_scan(old_db):
    upgrade(old_db)
    from alembic import command

    from conflictlens.store.db import alembic_config

    cfg = alembic_config(old_db)
    with old_db.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001")
    Q._FTS_CACHE.clear()
    assert not _has_fts_table(old_db) and not Q._has_fts(old_db)
    assert _ids(old_db, "beledweyne") == {"EV-1"}
    assert _ids(old_db, "town 42") == {"EV-4"}


INJECTIONS = ["Pakistan' OR '1'='1", "PAK\"; DROP TABLE events; --", "1) OR 1=1 --",
              "%", "_", "\\", "' UNION SELECT id, body FROM sources --", "Pakistan\x00",
              'x" OR "1', "events_fts MATCH '*'", "NEAR(a b)", "notes:*", "*", "^", '"']


@pytest.mark.parametrize("value", INJECTIONS)
def test_injection_shaped_q_is_plain_text(old_db, value):
    upgrade(old_db)
    Q._FTS_CACHE.clear()
    total, _more, _items = Q.list_events(old_db, Q.ApiFilter(q=value), limit=10, count=True)
    assert total == 0, value
    with old_db.connect() as conn:
        assert conn.execute(select(func.count()).select_from(M.events)).scalar_one() == len(ROWS)
    assert _has_fts_table(old_db)


def test_api_uses_the_index_on_the_sample_db(client, engine):
    assert Q._has_fts(engine)
    r = client.get("/api/events", params={"q": "beledweyne", "count": True}).json()
    assert r["total"] >= 1
    scan = Q.list_events(engine, Q.ApiFilter(q="beledweyne"), limit=500, count=True)
    # engine=None in filtered() means no index: compare with the plain scan
    plain = select(func.count()).select_from(
        Q.filtered(Q.ApiFilter(q="beledweyne")).with_only_columns(M.events.c.id).subquery())
    with engine.connect() as conn:
        assert conn.execute(plain).scalar_one() == r["total"] == scan[0]
