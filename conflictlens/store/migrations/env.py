"""Alembic environment for conflictlens.

Used in two ways: programmatically by :func:`conflictlens.store.db.upgrade`
(which passes an open connection in ``config.attributes["connection"]``), and
from the command line with ``alembic -x db=URL upgrade head`` using a config
whose ``script_location`` is ``conflictlens/store/migrations``.
"""
from __future__ import annotations

from alembic import context
from sqlalchemy import engine_from_config, pool

from conflictlens.store.db import resolve_url
from conflictlens.store.models import metadata

config = context.config
target_metadata = metadata


def _url() -> str:
    x = context.get_x_argument(as_dictionary=True)
    return resolve_url(x.get("db") or config.get_main_option("sqlalchemy.url"))


def run_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True,
                      render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = engine_from_config({"sqlalchemy.url": _url()}, prefix="sqlalchemy.",
                                poolclass=pool.NullPool)
    with engine.connect() as conn:
        _run(conn)
        conn.commit()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
