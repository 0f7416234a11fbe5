"""Security: body size limit, write token, injection-shaped filters, static path traversal, SSRF."""
from __future__ import annotations

import http.server
import threading
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import func, inspect, select

from conflictlens.api.security import check_fetch_target, safe_static_path
from conflictlens.errors import ConflictLensError
from conflictlens.store import models as M

ARTICLE = (Path(__file__).resolve().parents[2] / "samples" / "pakistan-karachi-grenade.txt")


# --- size limit ---------------------------------------------------------------------------

def test_oversized_post_is_413(write_client):
    big = "x" * 300_000  # over the fixture's 200 kB limit
    r = write_client.post("/api/extract", json={"text": big})
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "E1001"


def test_oversized_chunked_post_is_413(write_client):
    def chunks():  # no Content-Length: the limit must hold while streaming
        for _ in range(40):
            yield b"y" * 10_000

    r = write_client.post("/api/extract", content=chunks(), headers={"Content-Type": "text/plain"})
    assert r.status_code == 413


def test_default_limit_rejects_a_large_body(client):
    r = client.post("/api/extract", content=b"z" * 2_000_001, headers={"Content-Type": "text/plain"})
    assert r.status_code == 413


# --- write token ------------------------------------------------------------------------------

def test_ingest_without_token_is_401(write_client):
    text = ARTICLE.read_text("utf-8")
    assert write_client.post("/api/ingest", json={"text": text}).status_code == 401
    bad = write_client.post("/api/ingest", json={"text": text},
                            headers={"Authorization": "Bearer wrong"})
    assert bad.status_code == 401 and bad.json()["error"]["code"] == "E1003"


def test_ingest_on_read_only_server_is_403(client, token):
    r = client.post("/api/ingest", json={"text": "anything"},
                    headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 403 and r.json()["error"]["code"] == "E1002"


def test_ingest_with_token_stores_once(write_client, token):
    text = ("NAIROBI, Kenya — Police fired tear gas at several hundred traders who blocked a road "
            "in the Gikomba market on Tuesday to protest against new stall fees, a city official said. "
            "No one was hurt, but police arrested 12 people, the official said.")
    hdr = {"Authorization": f"Bearer {token}"}
    before = write_client.get("/api/articles").json()["total"]
    r = write_client.post("/api/ingest", json={"text": text, "published": "2024-05-08"}, headers=hdr)
    assert r.status_code == 200, r.text
    assert r.json()["stored"] is True
    assert write_client.get("/api/articles").json()["total"] == before + 1
    again = write_client.post("/api/ingest", json={"text": text, "published": "2024-05-08"},
                              headers=hdr)
    assert again.status_code == 200 and again.json()["stored"] is False
    assert write_client.get("/api/articles").json()["total"] == before + 1


# --- injection-shaped filter values ---------------------------------------------------------

INJECTIONS = ["Pakistan' OR '1'='1", "PAK\"; DROP TABLE events; --", "1) OR 1=1 --",
              "%", "_", "\\", "' UNION SELECT id, body FROM sources --", "Pakistan\x00"]


@pytest.mark.parametrize("value", INJECTIONS)
def test_injection_shaped_values_are_plain_values(client, engine, value):
    for param in ("country", "type", "admin1", "q"):
        r = client.get("/api/events", params={param: value, "count": True})
        assert r.status_code == 200, (param, r.text)
        assert r.json()["total"] == 0, (param, value)
    for path, param in (("/api/quotes", "speaker"), ("/api/quotes", "q"), ("/api/articles", "q")):
        r = client.get(path, params={param: value})
        assert r.status_code == 200
        assert r.json()["total"] == 0, (path, param, value)
    assert client.get(f"/api/events/{quote(value, safe='')}").status_code == 404
    assert inspect(engine).has_table("events")
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(M.events)).scalar_one() > 0


def test_injection_shaped_bbox_is_rejected(client):
    r = client.get("/api/events", params={"bbox": "0,0,1,1) OR (1=1"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "E1006"


# --- static files ------------------------------------------------------------------------------

@pytest.mark.parametrize("path", [
    "/static/../api/app.py", "/static/%2e%2e/api/app.py", "/static/vendor/../../api/app.py",
    "/static/..%2f..%2fpyproject.toml", "/static/%2e%2e%2f%2e%2e%2fpyproject.toml",
    "/static/vendor/leaflet/..%5c..%5capp.js", "/static//etc/passwd", "/static/.hidden",
    "/static/vendor.sh", "/static/%00app.js",
])
def test_static_path_traversal_is_rejected(client, path):
    r = client.get(path)
    assert r.status_code == 404
    assert b"def create_app" not in r.content and b"[project]" not in r.content


def test_safe_static_path_unit(tmp_path):
    root = tmp_path / "web"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "a.js").write_text("ok")
    (tmp_path / "secret.txt").write_text("no")
    (root / "link.txt").symlink_to(tmp_path / "secret.txt")
    assert safe_static_path(root, "sub/a.js") == (root / "sub" / "a.js").resolve()
    for rel in ("../secret.txt", "sub/../../secret.txt", "/etc/passwd", "link.txt", "sub\\a.js",
                "sub/./a.js", ""):
        assert safe_static_path(root, rel) is None, rel


# --- SSRF --------------------------------------------------------------------------------------

@pytest.mark.parametrize("url", [
    "http://127.0.0.1/", "http://localhost:8000/admin", "http://10.1.2.3/", "http://192.168.0.1/",
    "http://169.254.169.254/latest/meta-data/", "http://[::1]/", "http://[::ffff:127.0.0.1]/",
    "http://0.0.0.0/", "http://100.64.0.1/", "file:///etc/passwd", "gopher://example.org/",
    "http://user:pw@example.org/",
])
def test_private_targets_are_refused(url):
    with pytest.raises(ConflictLensError) as exc:
        check_fetch_target(url, allow_private=False, resolve=lambda h: ["127.0.0.1"])
    assert exc.value.code == "E1005"


def test_hostname_resolving_to_private_is_refused():
    with pytest.raises(ConflictLensError):
        check_fetch_target("http://news.example/", allow_private=False,
                           resolve=lambda h: ["93.184.216.34", "10.0.0.5"])
    check_fetch_target("http://news.example/", allow_private=False,
                       resolve=lambda h: ["93.184.216.34"])  # public: allowed
    check_fetch_target("http://127.0.0.1:9/", allow_private=True)  # explicitly allowed


@pytest.fixture
def local_site():
    """A plain HTTP server on 127.0.0.1 serving one sample article (and a redirect to it)."""
    body = ARTICLE.read_bytes()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            if self.path == "/redirect":
                self.send_response(302)
                self.send_header("Location", "/article.txt")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *a):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


@pytest.mark.network
def test_fetch_of_loopback_is_refused_then_allowed(db_copy, client_factory, local_site):
    c = client_factory(db_copy, allow_fetch=True)
    r = c.post("/api/extract", json={"url": local_site + "/article.txt"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "E1005"
    c = client_factory(db_copy, allow_fetch=True, allow_private=True)
    r = c.post("/api/extract", json={"url": local_site + "/redirect", "published": "2024-03-07"})
    assert r.status_code == 200, r.text
    assert "KARACHI" in r.json()["source"]["body"]
