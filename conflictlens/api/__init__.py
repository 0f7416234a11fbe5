"""REST API and web dashboard (``conflictlens serve``): FastAPI over a conflictlens database.

See docs/api.md.  :func:`create_app` builds the ASGI app from
:class:`ApiSettings`; it is read-only unless a token is configured.
"""
from __future__ import annotations

from .settings import ApiSettings

__all__ = ["ApiSettings", "create_app"]


def create_app(settings: ApiSettings | None = None, **kwargs):
    """The FastAPI application (imported lazily so ``import conflictlens.api`` stays cheap)."""
    from .app import create_app as _create

    return _create(settings, **kwargs)
