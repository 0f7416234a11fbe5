"""Fixtures for the ``llm`` stage: a fake OpenAI-compatible server and a test article.

The server runs on 127.0.0.1 on a free port in a background thread and answers
``POST /v1/chat/completions`` with whatever the test queued; it records every
request body it receives.
"""
from __future__ import annotations

import json
import threading
import time
from collections import deque
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable

import pytest

from conflictlens.doc import RawInput
from conflictlens.pipeline import Pipeline, load_config

# A short article written for these tests (not a real report).
ARTICLE = """Gunmen storm police post in northwest Pakistan

Gunmen stormed a police checkpoint in the Bannu district of Khyber Pakhtunkhwa province on Monday night, killing three officers, police said.

Two of the attackers were also killed during a gunfight that lasted about an hour, a district police official told reporters on Tuesday.

In a separate operation, security forces arrested 14 suspects in raids across the province on Sunday.

Officials say more than 200 police officers have been killed in the province since January.

The provincial government has announced compensation for the families of the dead officers.
"""
PUBLISHED = date(2024, 3, 12)

CLASH_1 = ("Gunmen stormed a police checkpoint in the Bannu district of Khyber Pakhtunkhwa "
           "province on Monday night, killing three officers, police said.")
CLASH_2 = "Two of the attackers were also killed during a gunfight that lasted about an hour"
ARRESTS = "security forces arrested 14 suspects in raids across the province on Sunday."
TOTAL = "more than 200 police officers have been killed in the province since January."


def clash_event(**over: Any) -> dict:
    ev = {
        "event_date": "2024-03-11", "event_date_start": "2024-03-11", "event_date_end": "2024-03-11",
        "time_precision": 1, "event_type": "Battles", "sub_event_type": "Armed clash",
        "actor1": "Unidentified Armed Group (Pakistan)", "assoc_actor_1": None, "inter1": 3,
        "actor2": "Police Forces of Pakistan (2018-)", "assoc_actor_2": None, "inter2": 1,
        "civilian_targeting": False, "country": "Pakistan", "iso3": "PAK",
        "admin1": "Khyber Pakhtunkhwa", "admin2": "Bannu", "location": "Bannu",
        "latitude": None, "longitude": None, "geo_precision": 2,
        "fatalities": 5, "fatalities_low": 5, "fatalities_high": 5, "fatalities_known": True,
        "injuries": None, "evidence": [CLASH_1, CLASH_2], "confidence": 0.9,
        "notes": "Gunmen attacked a police checkpoint in Bannu; 3 police and 2 attackers killed.",
    }
    ev.update(over)
    return ev


def arrests_event(**over: Any) -> dict:
    ev = {
        "event_date": "2024-03-10", "event_date_start": None, "event_date_end": None,
        "time_precision": 1, "event_type": "Strategic developments", "sub_event_type": "Arrests",
        "actor1": "Police Forces of Pakistan (2018-)", "assoc_actor_1": None, "inter1": 1,
        "actor2": None, "assoc_actor_2": None, "inter2": 0,
        "civilian_targeting": False, "country": "Pakistan", "iso3": "PAK",
        "admin1": "Khyber Pakhtunkhwa", "admin2": None, "location": None,
        "latitude": None, "longitude": None, "geo_precision": 3,
        "fatalities": 0, "fatalities_low": None, "fatalities_high": None, "fatalities_known": True,
        "injuries": None, "evidence": [ARRESTS], "confidence": 0.7,
        "notes": "Security forces arrested 14 suspects in Khyber Pakhtunkhwa.",
    }
    ev.update(over)
    return ev


def total_aggregate(**over: Any) -> dict:
    ag = {"kind": "fatalities", "value": 200, "subject": "police officers",
          "period_start": "2024-01-01", "period_end": "2024-03-12", "evidence": [TOTAL]}
    ag.update(over)
    return ag


def chat_completion(content: str, *, finish_reason: str = "stop") -> dict:
    return {
        "id": "chatcmpl-test", "object": "chat.completion", "created": 0, "model": "fake-model",
        "choices": [{"index": 0, "finish_reason": finish_reason,
                     "message": {"role": "assistant", "content": content}}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 20, "total_tokens": 30},
    }


class FakeLLM:
    """State of the fake server: queued replies and received requests."""

    def __init__(self) -> None:
        self.port = 0
        self.requests: list[dict] = []
        self.headers: list[dict[str, str]] = []
        self.replies: deque[tuple[int, str, str, float]] = deque()
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1/chat/completions"

    def reset(self) -> None:
        with self.lock:
            self.requests.clear()
            self.headers.clear()
            self.replies.clear()

    def reply_raw(self, status: int, body: str, ctype: str = "application/json", delay: float = 0.0) -> None:
        self.replies.append((status, body, ctype, delay))

    def reply_content(self, content: str, **kw: Any) -> None:
        self.reply_raw(200, json.dumps(chat_completion(content, **kw)))

    def reply(self, events: list[dict] | None = None, aggregates: list[dict] | None = None) -> None:
        self.reply_content(json.dumps({"events": events or [], "aggregates": aggregates or []}))


def _handler(fake: FakeLLM) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # keep pytest output clean
            pass

        def do_POST(self) -> None:  # noqa: N802 - http.server naming
            length = int(self.headers.get("Content-Length", "0"))
            raw = self.rfile.read(length)
            with fake.lock:
                try:
                    fake.requests.append(json.loads(raw))
                except ValueError:
                    fake.requests.append({"_unparsed": raw.decode("utf-8", "replace")})
                fake.headers.append({k.lower(): v for k, v in self.headers.items()})
                status, body, ctype, delay = (
                    fake.replies.popleft() if fake.replies else (500, "no reply queued", "text/plain", 0.0)
                )
            if delay:
                time.sleep(delay)
            data = body.encode("utf-8")
            try:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):  # client gave up (timeout test)
                pass

    return Handler


@pytest.fixture(scope="session")
def _fake_server():
    fake = FakeLLM()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    server.daemon_threads = True
    fake.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, name="fake-llm", daemon=True)
    thread.start()
    yield fake
    server.shutdown()
    server.server_close()


@pytest.fixture
def fake_llm(_fake_server: FakeLLM) -> FakeLLM:
    """The fake server, with no queued replies and no recorded requests."""
    _fake_server.reset()
    yield _fake_server
    _fake_server.reset()


@pytest.fixture
def make_pipeline(fake_llm: FakeLLM) -> Callable[..., Pipeline]:
    """Build the real pipeline ``ingest.clean → llm`` pointed at the fake server."""

    def build(stages: list[str] | None = None, **llm_options: Any) -> Pipeline:
        opts = {"url": fake_llm.url, **llm_options}
        cfg = load_config(overrides={"pipeline": {"stages": stages or ["ingest.clean", "llm"]},
                                     "stages": {"llm": opts}})
        return Pipeline.from_config(cfg)

    return build


@pytest.fixture
def raw() -> RawInput:
    return RawInput(name="test-article", content=ARTICLE, published=PUBLISHED)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    d = Path(__file__).resolve().parents[2] / ".." / "shared"
    if not d.is_dir():
        pytest.skip("../shared is not available")
    return d.resolve()
