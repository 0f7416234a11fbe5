"""The FastAPI application: JSON endpoints under ``/api``, the dashboard at ``/``.

Endpoints (all GET unless noted; OpenAPI docs at ``/docs``):

``/api/events``          filtered, paginated events (``format=geojson`` for a FeatureCollection)
``/api/events/{id}``     one event with all its mentions, evidence offsets and sources
``/api/map``             compact located events for the map
``/api/articles``        stored articles; ``/api/articles/{id}`` with body, mentions, quotes
``/api/quotes``          quotes (filter by speaker, stance, article, text)
``/api/actors``          actors with event counts; ``/api/network`` who acts on whom
``/api/timeline``        events and fatalities per day/week/month; ``/api/stats`` totals
``/api/facets``          values for the filter bar; ``/api/config`` dashboard settings
``POST /api/extract``    text or HTML in, a schema ``Document`` out (nothing stored)
``POST /api/ingest``     extract and store (needs the token)
"""
from __future__ import annotations

import threading
from datetime import date
from pathlib import Path
from typing import Literal, Optional

from fastapi import Depends, FastAPI, Header, Query, Request
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import FileResponse, JSONResponse, Response
from pydantic import BaseModel, Field

from ..errors import ConflictLensError
from ..schema import Document
from ..store import Store
from ..store import queries_api as Q
from ..store.export import events_geojson, parse_bbox
from .security import (STATIC_TYPES, BodyLimitMiddleware, check_token, safe_fetch,
                       safe_static_path)
from .docs import install_docs
from .settings import ApiSettings

WEB_ROOT = Path(__file__).resolve().parent.parent / "web"

# HTTP status of each numbered error the API can raise (default 400).
_STATUS = {"E1001": 413, "E006": 413, "E1002": 403, "E1003": 401, "E1004": 403, "E1007": 404,
           "E605": 404, "E002": 422, "E004": 422, "E009": 422, "E005": 502, "E013": 502,
           "E601": 503, "E603": 503, "E604": 500}


class ExtractRequest(BaseModel):
    """An article for ``POST /api/extract`` and ``/api/ingest``: give ``text``, ``html`` or ``url``."""

    text: Optional[str] = Field(None, description="Plain text of the article")
    html: Optional[str] = Field(None, description="HTML page of the article")
    url: Optional[str] = Field(None, description="Kept as source.url; fetched only when no text/html "
                                                 "is given and the server allows fetching")
    title: Optional[str] = None
    published: Optional[date] = Field(None, description="Publication date (anchors relative dates)")
    id: Optional[str] = Field(None, description="Your id for the article (kept as source.id)")


class IngestResult(BaseModel):
    stored: bool
    source_id: str
    event_ids: list[str]
    new_events: int


def _filter(country: Optional[str] = Query(None, description="Country name or ISO3"),
            admin1: Optional[str] = Query(None, description="Province/state"),
            since: Optional[str] = Query(None, description="YYYY-MM-DD"),
            until: Optional[str] = Query(None, description="YYYY-MM-DD"),
            type: Optional[str] = Query(None, description="Disorder, event or sub-event type"),
            actor: Optional[str] = Query(None, description="Text in an actor name"),
            bbox: Optional[str] = Query(None, description="MIN_LON,MIN_LAT,MAX_LON,MAX_LAT"),
            min_fatalities: Optional[int] = Query(None, ge=0),
            q: Optional[str] = Query(None, description="Text in notes, place, actors, outlets",
                                     max_length=200)) -> Q.ApiFilter:
    """The ``conflictlens events`` filters as query parameters (plus ``q``)."""
    return Q.ApiFilter(country=country or None, admin1=admin1 or None, since=_date(since, "since"),
                       until=_date(until, "until"), type=type or None, actor=actor or None,
                       bbox=_bbox(bbox), min_fatalities=min_fatalities, q=q or None)


def _date(value: Optional[str], name: str) -> Optional[date]:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ConflictLensError("E1006", name=name, detail="use YYYY-MM-DD") from None


def _bbox(value: Optional[str]):
    try:
        return parse_bbox(value)
    except ConflictLensError:
        raise ConflictLensError("E1006", name="bbox",
                                detail="use MIN_LON,MIN_LAT,MAX_LON,MAX_LAT") from None


def create_app(settings: ApiSettings | None = None, *, store: Store | None = None) -> FastAPI:
    """Build the app for ``settings`` (or reuse an open ``store``, e.g. in tests)."""
    settings = settings or ApiSettings.from_env()
    if store is None:
        # read-only servers never migrate a database; a server with a token may create one
        store = Store(settings.db, create=bool(settings.token))
    engine, postgis = store.engine, store.postgis
    pipe_lock = threading.Lock()

    app = FastAPI(title="conflictlens API", version="1",
                  description="Conflict events with their evidence, sources, quotes and actors. "
                              "Read-only unless the server has a token. See docs/api.md.",
                  docs_url=None, redoc_url=None)
    install_docs(app)
    app.state.settings = settings
    app.state.store = store
    app.add_middleware(GZipMiddleware, minimum_size=1000)
    app.add_middleware(BodyLimitMiddleware, limit=settings.max_body)

    @app.exception_handler(ConflictLensError)
    async def _cl_error(_request: Request, exc: ConflictLensError) -> JSONResponse:
        return JSONResponse({"error": {"code": exc.code, "message": exc.message}},
                            status_code=_STATUS.get(exc.code, 400))

    @app.middleware("http")
    async def _headers(request: Request, call_next):
        resp = await call_next(request)
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("Referrer-Policy", "no-referrer")
        if resp.headers.get("content-type", "").startswith("text/html") and request.url.path == "/":
            img = "'self' data:" + (f" {_origin(settings.tile_url)}" if settings.tile_url else "")
            resp.headers["Content-Security-Policy"] = (
                f"default-src 'self'; img-src {img}; style-src 'self' 'unsafe-inline'; "
                "script-src 'self'; connect-src 'self'; frame-ancestors 'none'")
        return resp

    def page(limit: int = Query(50, ge=1, description="Page size"),
             offset: int = Query(0, ge=0, le=10_000_000)) -> tuple[int, int]:
        if limit > settings.max_page:
            raise ConflictLensError("E1006", name="limit", detail=f"at most {settings.max_page}")
        return limit, offset

    # --- events ------------------------------------------------------------------------

    @app.get("/api/events", tags=["events"])
    def events(flt: Q.ApiFilter = Depends(_filter), pg: tuple[int, int] = Depends(page),
               format: Literal["json", "geojson"] = "json",
               order: Literal["newest", "oldest"] = "newest",
               count: bool = Query(False, description="Also count every match (slower on big "
                                                      "databases); else total is null")):
        """Events matching the filters, one page at a time (newest first).

        ``has_more`` says whether another page follows (``offset + limit``).
        """
        limit, offset = pg
        total, more, items = Q.list_events(engine, flt, limit=limit, offset=offset,
                                           postgis=postgis, newest_first=order == "newest",
                                           count=count)
        meta = {"total": total, "limit": limit, "offset": offset, "has_more": more,
                "next_offset": offset + limit if more else None}
        if format == "geojson":
            fc = events_geojson(items)
            fc.update(meta)
            return JSONResponse(fc, media_type="application/geo+json")
        return JSONResponse(dict(meta, items=items))

    @app.get("/api/events/{event_id}", tags=["events"])
    def event(event_id: str):
        """One event, all its mentions (evidence offsets into each article) and its sources."""
        d = Q.event_detail(engine, event_id)
        if d is None:
            raise ConflictLensError("E1007", what=f"event {event_id!r}")
        return d

    @app.get("/api/map", tags=["events"])
    def map_points(flt: Q.ApiFilter = Depends(_filter),
                   limit: int = Query(5000, ge=1, description="Most points returned")):
        """Located events with only the fields a map marker needs (newest first)."""
        return JSONResponse(Q.map_points(engine, flt, limit=min(limit, settings.max_points),
                                         postgis=postgis))

    @app.get("/api/timeline", tags=["stats"])
    def timeline(flt: Q.ApiFilter = Depends(_filter),
                 interval: Literal["day", "week", "month"] = "day"):
        """Events and fatalities per interval, split by event type."""
        return {"interval": interval,
                "buckets": Q.timeline(engine, flt, interval=interval, postgis=postgis)}

    @app.get("/api/stats", tags=["stats"])
    def stats(flt: Q.ApiFilter = Depends(_filter)):
        """Totals for the filtered events."""
        return Q.summary(engine, flt, postgis=postgis)

    @app.get("/api/actors", tags=["actors"])
    def actors(flt: Q.ApiFilter = Depends(_filter), limit: int = Query(100, ge=1, le=1000)):
        """Actors of the filtered events with their counts (as actor1, as actor2)."""
        return {"items": Q.actor_counts(engine, flt, limit=limit, postgis=postgis)}

    @app.get("/api/network", tags=["actors"])
    def network(flt: Q.ApiFilter = Depends(_filter), limit: int = Query(100, ge=1, le=1000)):
        """Directed actor1 -> actor2 edges with event counts: who acts on whom."""
        return Q.actor_network(engine, flt, limit=limit, postgis=postgis)

    @app.get("/api/facets", tags=["stats"])
    def facets():
        """Countries and event types present (for the filter bar)."""
        return Q.facets(engine)

    # --- articles and quotes -----------------------------------------------------------

    @app.get("/api/articles", tags=["articles"])
    def articles(pg: tuple[int, int] = Depends(page), q: Optional[str] = Query(None, max_length=200),
                 outlet: Optional[str] = None):
        """Stored articles (without their bodies)."""
        total, items = Q.list_articles(engine, q=q, outlet=outlet, limit=pg[0], offset=pg[1])
        return {"total": total, "limit": pg[0], "offset": pg[1], "items": items}

    @app.get("/api/articles/{source_id}", tags=["articles"])
    def article(source_id: str):
        """One article: body, event mentions (evidence offsets into the body) and quotes."""
        d = Q.article_detail(engine, source_id)
        if d is None:
            raise ConflictLensError("E1007", what=f"article {source_id!r}")
        return d

    @app.get("/api/quotes", tags=["quotes"])
    def quotes(pg: tuple[int, int] = Depends(page),
               speaker: Optional[str] = Query(None, max_length=200),
               stance: Optional[Literal["support", "oppose", "neutral"]] = None,
               article: Optional[str] = None, q: Optional[str] = Query(None, max_length=200)):
        """Quotes with speaker, stance and the article they come from."""
        total, items = Q.list_quotes(engine, speaker=speaker, stance=stance, source_id=article,
                                     q=q, limit=pg[0], offset=pg[1])
        return {"total": total, "limit": pg[0], "offset": pg[1], "items": items}

    # --- extraction ----------------------------------------------------------------------

    async def read_article(request: Request) -> ExtractRequest:
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        body = await request.body()
        if ctype in ("text/plain", "text/html"):
            text = body.decode("utf-8", "replace")
            return ExtractRequest(html=text) if ctype == "text/html" else ExtractRequest(text=text)
        try:
            return ExtractRequest.model_validate_json(body or b"{}")
        except ValueError as exc:
            raise ConflictLensError("E1006", name="body",
                                    detail=str(exc).splitlines()[0][:200]) from None

    def run_pipeline(req: ExtractRequest):
        """(the RawInput, its Document) for a request; fetches only when allowed."""
        from ..doc import RawInput
        from ..pipeline import get_pipeline

        if req.text:
            content, kind = req.text, "text"
        elif req.html:
            content, kind = req.html, "html"
        elif req.url:
            if not settings.allow_fetch:
                raise ConflictLensError("E1004")
            data, ctype, final = safe_fetch(req.url, allow_private=settings.allow_private,
                                            timeout=settings.fetch_timeout,
                                            max_bytes=settings.fetch_max_bytes)
            content, kind = data.decode("utf-8", "replace"), ("html" if "html" in ctype else "text")
        else:
            raise ConflictLensError("E1008")
        raw = RawInput(name=req.url or "<api>", content=content, kind=kind, id=req.id, url=req.url,
                       title=req.title, published=req.published)
        with pipe_lock:  # one extraction at a time: the pipeline is shared
            return raw, get_pipeline().process(raw)

    _body_doc = {"requestBody": {"content": {
        "application/json": {"schema": ExtractRequest.model_json_schema()},
        "text/plain": {"schema": {"type": "string"}},
        "text/html": {"schema": {"type": "string"}}}}}

    @app.post("/api/extract", tags=["extraction"], response_model=Document,
              openapi_extra=_body_doc)
    async def extract(request: Request):
        """Text or HTML in (JSON, text/plain or text/html body), the schema Document out.

        Nothing is stored.  Bodies over the size limit get 413.
        """
        from starlette.concurrency import run_in_threadpool

        req = await read_article(request)
        _raw, doc = await run_in_threadpool(run_pipeline, req)
        return JSONResponse(doc.model_dump(mode="json"))

    @app.post("/api/ingest", tags=["extraction"], response_model=IngestResult,
              openapi_extra=_body_doc)
    async def ingest(request: Request, authorization: Optional[str] = Header(None)):
        """Extract an article and store it (deduplicated).  Needs ``Authorization: Bearer TOKEN``."""
        from starlette.concurrency import run_in_threadpool

        check_token(settings.token, authorization)
        req = await read_article(request)

        def work() -> IngestResult:
            from ..store.ingest import raw_hash

            raw, doc = run_pipeline(req)
            res = store.save_document(doc, raw_hash=raw_hash(raw), input_name=req.url or "api")
            return IngestResult(stored=res.stored, source_id=res.source_id,
                                event_ids=res.event_ids, new_events=res.new_events)

        return await run_in_threadpool(work)

    # --- dashboard --------------------------------------------------------------------------

    @app.get("/api/config", tags=["dashboard"])
    def config():
        """What the dashboard needs to know about this server."""
        return {"tile_url": settings.tile_url, "tile_attribution": settings.tile_attribution,
                "writable": bool(settings.token), "max_points": settings.max_points}

    @app.get("/", include_in_schema=False)
    def index():
        return FileResponse(WEB_ROOT / "index.html", media_type=STATIC_TYPES[".html"],
                            headers={"Cache-Control": "no-cache"})

    @app.get("/static/{rel:path}", include_in_schema=False)
    def static(rel: str):
        path = safe_static_path(WEB_ROOT, rel)
        if path is None:
            raise ConflictLensError("E1007", what="static file")
        cache = "no-cache" if path.suffix in (".html", ".js", ".css") and "vendor" not in path.parts \
            else "public, max-age=86400"
        return FileResponse(path, media_type=STATIC_TYPES[path.suffix.lower()],
                            headers={"Cache-Control": cache})

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon():
        return Response(status_code=204)

    @app.get("/healthz", include_in_schema=False)
    def healthz():
        return Response("ok", media_type="text/plain")

    return app


def _origin(url: str) -> str:
    from urllib.parse import urlparse

    p = urlparse(url.replace("{s}", "a"))
    return f"{p.scheme}://{p.netloc}" if p.scheme and p.netloc else ""
