"""events full-text index: FTS5 table kept in sync by triggers (SQLite only)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 02:55:00

The API's free-text filter ``q`` (:func:`conflictlens.store.queries_api.filtered`) reads
``events_fts`` when it exists.  It is an *external-content* FTS5 table: it stores only the
index, and the text stays in ``events``.  Three triggers keep it in sync with every insert,
delete and update of a searched column, and the upgrade fills it for the rows already there.

It is keyed on ``events.rowid`` (``events`` has a text primary key, so the rowid is not an
alias of it).  Anything that may renumber rowids -- ``VACUUM``, or a SQLite "batch" migration
that copies ``events`` into a new table (which also drops these triggers) -- must rebuild the
index afterwards: ``INSERT INTO events_fts(events_fts) VALUES('rebuild')`` (and recreate the
triggers in the batch case).

PostgreSQL is left unchanged: there ``q`` keeps its ``LIKE`` scan.  SQLite builds without
FTS5 are left unchanged too (the scan is the fallback).
"""
from __future__ import annotations

from alembic import op


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

# The columns ``q`` searches, in the order of the scan it replaces.
FTS_COLUMNS = ("notes", "location", "admin1", "actor1", "actor2", "sub_event_type", "outlets")


def _fts5_available(bind) -> bool:
    if bind.dialect.name != "sqlite":
        return False
    row = bind.exec_driver_sql(
        "SELECT 1 FROM pragma_compile_options WHERE compile_options = 'ENABLE_FTS5'").first()
    return row is not None


def upgrade() -> None:
    bind = op.get_bind()
    if not _fts5_available(bind):
        return
    cols = ", ".join(FTS_COLUMNS)
    new = ", ".join(f"new.{c}" for c in FTS_COLUMNS)
    old = ", ".join(f"old.{c}" for c in FTS_COLUMNS)
    op.execute(f"CREATE VIRTUAL TABLE events_fts USING fts5({cols}, content='events', "
               f"content_rowid='rowid', tokenize='unicode61 remove_diacritics 2', prefix='2 3')")
    op.execute(f"CREATE TRIGGER events_fts_ai AFTER INSERT ON events BEGIN "
               f"INSERT INTO events_fts(rowid, {cols}) VALUES (new.rowid, {new}); END")
    op.execute(f"CREATE TRIGGER events_fts_ad AFTER DELETE ON events BEGIN "
               f"INSERT INTO events_fts(events_fts, rowid, {cols}) "
               f"VALUES ('delete', old.rowid, {old}); END")
    op.execute(f"CREATE TRIGGER events_fts_au AFTER UPDATE OF {cols} ON events BEGIN "
               f"INSERT INTO events_fts(events_fts, rowid, {cols}) "
               f"VALUES ('delete', old.rowid, {old}); "
               f"INSERT INTO events_fts(rowid, {cols}) VALUES (new.rowid, {new}); END")
    # index the rows that are already there
    op.execute("INSERT INTO events_fts(events_fts) VALUES ('rebuild')")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    for trigger in ("events_fts_au", "events_fts_ad", "events_fts_ai"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS events_fts")
