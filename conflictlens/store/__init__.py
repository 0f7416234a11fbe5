"""conflictlens.store: SQLAlchemy storage, dedup, export."""
