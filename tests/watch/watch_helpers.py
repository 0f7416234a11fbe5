"""Helpers for the watch tests: a feed server on 127.0.0.1 and made-up reports (our own words)."""
from __future__ import annotations

import hashlib
import json
import threading
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

# Fast, model-free pipeline (blank spaCy + rule events + gazetteer + finalise).
FAST = {"pipeline": {"stages": ["ingest.clean", "nlp.spacy", "events.rules", "geo.gazetteer",
                                "events.finalise"]},
        "stages": {"nlp.spacy": {"blank": True}}}

REPORTS = {
    "quetta": ("Gunmen kill seven policemen in Quetta", "2024-05-06",
               "QUETTA - Gunmen attacked a police checkpoint on the outskirts of Quetta on Monday, "
               "killing seven policemen, officials said. The attackers escaped towards the nearby hills "
               "and security forces launched a search operation in the area. Police said the checkpoint "
               "guarded the main road to the airport and had been attacked before. Shops in the nearby "
               "market closed early and traffic was diverted for several hours after the shooting."),
    "bannu": ("Bomb kills six in Bannu market", "2024-05-07",
              "BANNU - A bomb hidden in a parked motorcycle exploded in a crowded market in Bannu on "
              "Tuesday, killing six people and wounding more than twenty, police said. No group claimed "
              "responsibility for the blast. Rescue workers took the wounded to the district hospital, "
              "where doctors declared an emergency. Traders said the market had reopened only a week ago "
              "after repairs, and that they now feared for their livelihoods again."),
    "zhob": ("Clash near Zhob leaves four soldiers dead", "2024-05-08",
             "ZHOB - Four soldiers were killed on Wednesday when militants attacked a military convoy "
             "near Zhob, the army said in a statement. The statement said troops returned fire and the "
             "militants fled across the mountains. Residents reported hearing heavy gunfire for more "
             "than an hour. The road between Zhob and the provincial capital remained closed to traffic "
             "until the evening while troops searched the surrounding villages."),
}


def rss(items: list[str], title: str = "Test desk") -> bytes:
    """An RSS 2.0 feed of REPORTS keys, each with its full text in content:encoded."""
    parts = []
    for key in items:
        head, day, text = REPORTS[key]
        y, m, d = (int(x) for x in day.split("-"))
        import datetime as _dt

        pub = formatdate(_dt.datetime(y, m, d, 12, tzinfo=_dt.timezone.utc).timestamp(), usegmt=True)
        paras = "".join(f"<p>{escape(p)}</p>" for p in text.split(". "))
        parts.append(f"<item><title>{escape(head)}</title><guid isPermaLink=\"false\">test-{key}</guid>"
                     f"<pubDate>{pub}</pubDate><content:encoded><![CDATA[{paras}]]></content:encoded></item>")
    return ("<?xml version=\"1.0\"?><rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">"
            f"<channel><title>{title}</title><link>http://127.0.0.1/</link><description>t</description>"
            + "".join(parts) + "</channel></rss>").encode("utf-8")


class FeedServer:
    """A ThreadingHTTPServer on 127.0.0.1 serving mutable routes, with ETag support.

    ``routes[path] = (status, body bytes, content type)``; a GET whose
    If-None-Match equals the body's ETag gets 304.  POSTs are recorded in
    ``posted``; every request in ``requests`` as (method, path, headers).
    """

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, bytes, str]] = {}
        self.requests: list[tuple[str, str, dict]] = []
        self.posted: list[dict] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean
                pass

            def do_GET(self):
                server.requests.append(("GET", self.path, dict(self.headers)))
                status, body, ctype = server.routes.get(self.path, (404, b"not found", "text/plain"))
                etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
                if status == 200 and self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                if status == 200:
                    self.send_header("ETag", etag)
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):
                n = int(self.headers.get("Content-Length") or 0)
                data = self.rfile.read(n)
                server.requests.append(("POST", self.path, dict(self.headers)))
                server.posted.append(json.loads(data))
                self.send_response(204)
                self.end_headers()

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def gets(self, path: str) -> list[dict]:
        return [h for m, p, h in self.requests if m == "GET" and p == path]

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)
