"""Settings of the API server (``conflictlens serve`` options and environment)."""
from __future__ import annotations

import os
from dataclasses import dataclass

ENV_TOKEN = "CONFLICTLENS_API_TOKEN"


@dataclass
class ApiSettings:
    """What the server may do.  The defaults are the safe ones: read-only, no URL fetching."""

    db: str | None = None
    # Bearer token that unlocks the write endpoints (POST /api/ingest); None = read-only.
    token: str | None = None
    # Largest request body accepted (bytes); larger bodies get 413.
    max_body: int = 2_000_000
    # Let POST /api/extract and /api/ingest fetch a URL given in the request.
    allow_fetch: bool = False
    # With allow_fetch: also allow private, loopback and link-local targets (SSRF guard off).
    allow_private: bool = False
    # Optional tile URL template for the dashboard map (e.g. a local tile server); None =
    # the bundled country outlines only.
    tile_url: str | None = None
    tile_attribution: str = ""
    # Largest page of the list endpoints, and the most points the map endpoint returns.
    max_page: int = 500
    max_points: int = 20_000
    # Seconds and bytes for a fetch (when allowed).
    fetch_timeout: float = 15.0
    fetch_max_bytes: int = 5_000_000

    @classmethod
    def from_env(cls, **overrides) -> "ApiSettings":
        """Settings with the token taken from ``$CONFLICTLENS_API_TOKEN`` unless given."""
        s = cls(**overrides)
        if s.token is None:
            s.token = os.environ.get(ENV_TOKEN) or None
        return s
