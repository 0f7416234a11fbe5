"""Offline OpenAPI docs at ``/docs``: Swagger UI from the ``swagger-ui-bundle`` Python package.

FastAPI's own ``/docs`` loads Swagger UI from a CDN; this one serves the files shipped in
the ``swagger-ui-bundle`` wheel (Swagger UI 4, Apache-2.0), so the docs work offline.
Swagger UI 4 reads OpenAPI 3.0, so it gets ``/openapi-3.0.json``: the app's OpenAPI 3.1
document with the 3.1-only spellings rewritten (``anyOf [X, {type: null}]`` becomes
``X`` + ``nullable``).  ``/openapi.json`` stays the authoritative 3.1 document.
Without the package, ``/docs`` is a short page linking ``/openapi.json``.
"""
from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse

from ..errors import ConflictLensError
from .security import STATIC_TYPES, safe_static_path

_ASSETS = ("swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png")


def downgrade_openapi(spec: dict) -> dict:
    """An OpenAPI 3.0.3 rendering of a 3.1 document (nullable types, no ``const``/``examples``)."""

    null = {"type": "null"}

    def fix(node: Any) -> Any:
        if isinstance(node, list):
            return [fix(x) for x in node]
        if not isinstance(node, dict):
            return node
        node = dict(node)
        for key in ("anyOf", "oneOf"):  # before recursing, while {"type": "null"} is intact
            alts = node.get(key)
            if isinstance(alts, list) and null in alts:
                rest = [a for a in alts if a != null]
                node.pop(key)
                if len(rest) == 1:
                    node.update({k: v for k, v in rest[0].items() if k not in node})
                    if "$ref" in node:  # $ref siblings are ignored in 3.0: wrap it
                        node = {"allOf": [{"$ref": node.pop("$ref")}], **node}
                else:
                    node[key] = rest
                node["nullable"] = True
        node = {k: fix(v) for k, v in node.items()}
        if "const" in node:
            node["enum"] = [node.pop("const")]
        if isinstance(node.get("examples"), list) and "example" not in node:
            ex = node.pop("examples")
            if ex:
                node["example"] = ex[0]
        if node.get("type") == "null":
            node.pop("type")
            node["nullable"] = True
        return node

    out = fix(copy.deepcopy(spec))
    out["openapi"] = "3.0.3"
    return out


def install_docs(app: FastAPI) -> None:
    """Add ``/docs``, its assets and ``/openapi-3.0.json`` to an app built with ``docs_url=None``."""
    try:
        import swagger_ui_bundle

        root: Path | None = Path(swagger_ui_bundle.swagger_ui_path)
    except ImportError:  # pragma: no cover - optional package
        root = None

    @app.get("/openapi-3.0.json", include_in_schema=False)
    def openapi30():
        return JSONResponse(downgrade_openapi(app.openapi()))

    @app.get("/docs", include_in_schema=False)
    def docs():
        if root is None:  # pragma: no cover
            return HTMLResponse("<!doctype html><title>conflictlens API</title><p>Interactive docs "
                                "need <code>pip install swagger-ui-bundle</code>. The OpenAPI "
                                "document: <a href='/openapi.json'>/openapi.json</a></p>")
        return HTMLResponse(_PAGE)

    @app.get("/docs-assets/{name}", include_in_schema=False)
    def docs_asset(name: str):
        path = safe_static_path(root, name) if root is not None and name in _ASSETS else None
        if path is None:
            raise ConflictLensError("E1007", what="docs asset")
        return FileResponse(path, media_type=STATIC_TYPES[path.suffix],
                            headers={"Cache-Control": "public, max-age=86400"})

    @app.get("/docs-init.js", include_in_schema=False)
    def docs_init():
        return HTMLResponse(_INIT, media_type=STATIC_TYPES[".js"])


_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>conflictlens API</title>
<link rel="icon" href="/docs-assets/favicon-32x32.png">
<link rel="stylesheet" href="/docs-assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs-assets/swagger-ui-bundle.js"></script>
<script src="/docs-init.js"></script></body></html>
"""

_INIT = """window.ui = SwaggerUIBundle({url: "/openapi-3.0.json", dom_id: "#swagger-ui",
  deepLinking: true, presets: [SwaggerUIBundle.presets.apis], layout: "BaseLayout"});
"""
