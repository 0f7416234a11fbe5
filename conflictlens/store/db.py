"""Database URLs, engines and schema migrations.

``resolve_url`` turns what a user types after ``--db`` into a SQLAlchemy URL:

* nothing                        -> ``$CONFLICTLENS_DB`` or ``sqlite:///conflictlens.db``
* a file path (``data/x.db``)    -> ``sqlite:///<absolute path>``
* ``postgresql://`` / ``postgres://`` -> ``postgresql+psycopg://`` (psycopg 3)
* any other SQLAlchemy URL       -> unchanged

SQLite engines run in WAL mode with foreign keys on and a busy timeout, so a
reader (datasette, ``conflictlens events``) never blocks the writer and a
killed writer loses at most its open transaction.
"""
from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from sqlalchemy import create_engine, event, inspect
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from ..errors import ConflictLensError

DEFAULT_DB = "sqlite:///conflictlens.db"
ENV_DB = "CONFLICTLENS_DB"


def resolve_url(db: str | None = None) -> str:
    """A SQLAlchemy URL for a ``--db`` value (see the module docstring)."""
    db = db or os.environ.get(ENV_DB) or DEFAULT_DB
    if "://" not in db:
        if db == ":memory:":
            return "sqlite://"
        return "sqlite:///" + str(Path(db).expanduser().resolve())
    scheme, rest = db.split("://", 1)
    if scheme in ("postgresql", "postgres"):
        return "postgresql+psycopg://" + rest
    try:
        make_url(db)
    except ArgumentError:
        raise ConflictLensError("E602", url=db) from None
    return db


def redact(url: str) -> str:
    """The URL with any password hidden (for messages)."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:  # pragma: no cover
        return url


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def make_engine(url: str) -> Engine:
    """An engine for a resolved URL; SQLite gets WAL and foreign keys."""
    try:
        u = make_url(url)
        if u.get_backend_name() == "sqlite":
            if u.database and u.database != ":memory:":
                Path(u.database).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, connect_args={"timeout": 30})
            event.listen(engine, "connect", _sqlite_pragmas)
        else:
            engine = create_engine(url, pool_pre_ping=True)
    except (ArgumentError, ImportError, SQLAlchemyError) as exc:
        raise ConflictLensError("E601", url=redact(url), detail=str(exc).splitlines()[0]) from None
    return engine


def alembic_config(engine: Engine):
    """An Alembic config pointing at the migrations shipped inside the package."""
    from alembic.config import Config

    script_dir = resources.files("conflictlens.store").joinpath("migrations")
    cfg = Config()
    cfg.set_main_option("script_location", str(script_dir))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database schema to ``revision`` (creates it on an empty database)."""
    from alembic import command

    cfg = alembic_config(engine)
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
    except SQLAlchemyError as exc:
        raise ConflictLensError("E601", url=redact(str(engine.url)),
                                detail=str(exc).splitlines()[0]) from None


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision(engine: Engine) -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def has_tables(engine: Engine) -> bool:
    return inspect(engine).has_table("events")
