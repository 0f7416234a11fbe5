"""Request guards: body size limit, write token, SSRF-safe fetching, safe static paths."""
from __future__ import annotations

import hmac
import ipaddress
import json
import socket
from pathlib import Path
from typing import Callable
from urllib.parse import urljoin, urlparse

from ..errors import ConflictLensError

_BODY_METHODS = {"POST", "PUT", "PATCH"}


def error_body(code: str, message: str) -> bytes:
    return json.dumps({"error": {"code": code, "message": message}}).encode()


class BodyLimitMiddleware:
    """ASGI middleware: a request body over ``limit`` bytes gets 413 before any handler runs.

    A declared ``Content-Length`` over the limit is refused at once; otherwise the
    body is read (at most ``limit + 1`` bytes) and replayed to the app, so chunked
    uploads cannot get around the limit either.
    """

    def __init__(self, app, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope.get("method") not in _BODY_METHODS:
            await self.app(scope, receive, send)
            return
        declared = None
        for k, v in scope.get("headers", []):
            if k == b"content-length":
                try:
                    declared = int(v)
                except ValueError:
                    declared = None
        if declared is not None and declared > self.limit:
            await self._reject(send, declared)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            msg = await receive()
            if msg["type"] == "http.disconnect":
                return
            chunk = msg.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await self._reject(send, size)
                return
            chunks.append(chunk)
            more = msg.get("more_body", False)
        body = b"".join(chunks)
        sent = False

        async def replay():
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _reject(self, send, size: int) -> None:
        err = ConflictLensError("E1001", size=size, limit=self.limit)
        payload = error_body(err.code, err.message)
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(payload)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": payload})


def check_token(configured: str | None, authorization: str | None) -> None:
    """Raise E1002 (no token configured: writes off) or E1003 (missing/wrong token)."""
    if not configured:
        raise ConflictLensError("E1002")
    given = ""
    if authorization and authorization.lower().startswith("bearer "):
        given = authorization[7:].strip()
    if not given or not hmac.compare_digest(given.encode(), configured.encode()):
        raise ConflictLensError("E1003")


def _blocked_ip(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast or ip.is_reserved


def check_fetch_target(url: str, *, allow_private: bool,
                       resolve: Callable[[str], list[str]] | None = None) -> None:
    """Raise E1005 unless ``url`` is http(s) and every address its host resolves to is public."""
    p = urlparse(url)
    if p.scheme not in ("http", "https") or not p.hostname:
        raise ConflictLensError("E1005", url=url, detail="only http(s) URLs with a host are allowed")
    if p.username or p.password:
        raise ConflictLensError("E1005", url=url, detail="credentials in URLs are not allowed")
    if allow_private:
        return
    host = p.hostname
    try:
        addrs = [host] if _is_ip(host) else (resolve or _resolve)(host)
    except OSError as exc:
        raise ConflictLensError("E1005", url=url, detail=f"cannot resolve {host}: {exc}") from None
    if not addrs:
        raise ConflictLensError("E1005", url=url, detail=f"{host} has no address")
    for a in addrs:
        if _blocked_ip(ipaddress.ip_address(a.split("%", 1)[0])):
            raise ConflictLensError("E1005", url=url,
                                    detail=f"{host} resolves to the private or reserved address {a}")


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return False


def _resolve(host: str) -> list[str]:
    return sorted({ai[4][0] for ai in socket.getaddrinfo(host, None)})


def safe_fetch(url: str, *, allow_private: bool, timeout: float, max_bytes: int,
               max_redirects: int = 5) -> tuple[bytes, str, str]:
    """GET ``url`` checking the target (and every redirect) with :func:`check_fetch_target`.

    Returns (body, content type, final URL).  The check and the connection resolve
    the host separately, so a DNS server that answers differently the second time
    (rebinding) is not fully excluded; run with ``--allow-fetch`` only where that
    matters less, or behind an egress proxy.
    """
    import httpx

    from ..ingest.fetch import ACCEPTED_TYPES, USER_AGENT

    current = url
    with httpx.Client(timeout=timeout, follow_redirects=False,
                      headers={"User-Agent": USER_AGENT}, trust_env=False) as client:
        for _ in range(max_redirects + 1):
            check_fetch_target(current, allow_private=allow_private)
            try:
                with client.stream("GET", current) as resp:
                    if resp.is_redirect and resp.headers.get("location"):
                        current = urljoin(current, resp.headers["location"])
                        continue
                    if resp.status_code >= 400:
                        raise ConflictLensError("E013", status=resp.status_code, url=current)
                    ctype = resp.headers.get("content-type", "").split(";")[0].strip().lower()
                    if ctype and not ctype.startswith(ACCEPTED_TYPES):
                        raise ConflictLensError("E007", ctype=ctype, url=current)
                    chunks, size = [], 0
                    for chunk in resp.iter_bytes():
                        size += len(chunk)
                        if size > max_bytes:
                            raise ConflictLensError("E006", path=current, size=size, limit=max_bytes)
                        chunks.append(chunk)
                    return b"".join(chunks), ctype or "text/html", current
            except httpx.HTTPError as exc:
                raise ConflictLensError("E005", url=current, detail=type(exc).__name__) from None
    raise ConflictLensError("E1005", url=url, detail=f"more than {max_redirects} redirects")


# Files the dashboard may serve, by suffix, with their media types.
STATIC_TYPES = {
    ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8", ".json": "application/json", ".png": "image/png",
    ".svg": "image/svg+xml", ".txt": "text/plain; charset=utf-8", ".ico": "image/x-icon",
}


def safe_static_path(root: Path, rel: str) -> Path | None:
    """The file under ``root`` that ``rel`` names, or None (traversal, hidden, odd suffix, missing)."""
    if not rel or "\\" in rel or "\x00" in rel:
        return None
    parts = rel.split("/")
    if any(p in ("", ".", "..") or p.startswith(".") for p in parts):
        return None
    root = root.resolve()
    path = (root / rel).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    if path.suffix.lower() not in STATIC_TYPES:
        return None
    return path
