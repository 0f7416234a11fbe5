"""Alembic migrations for the conflictlens database (shipped inside the package)."""
