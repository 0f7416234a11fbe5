"""A minimal client for OpenAI-compatible chat-completions endpoints.

Works with llama.cpp's ``llama-server``, vLLM, Ollama's OpenAI API, LM Studio
and OpenAI itself: one ``POST`` of ``{model, messages, temperature: 0,
response_format: {type: json_schema, ...}}`` and the first choice's
``message.content`` back.  Transport failures become ``E201``; an answer
without usable content becomes ``E202``.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Optional

import httpx

from ..errors import ConflictLensError

SCHEMA_NAME = "conflictlens_extraction"


@dataclass(frozen=True)
class LLMSettings:
    """Validated options of the ``llm`` stage."""

    url: str
    model: str
    timeout: float
    api_key: Optional[str] = None
    max_tokens: Optional[int] = None
    # "json_schema" (constrained decoding), "json_object" (JSON mode) or "none"
    response_format: str = "json_schema"


@dataclass
class Completion:
    content: str
    model: Optional[str]
    usage: Optional[dict[str, Any]]
    finish_reason: Optional[str]


def build_request(settings: LLMSettings, messages: list[dict[str, str]], schema: dict) -> dict:
    """The JSON body of a chat-completions request constrained to ``schema``.

    With ``response_format = "json_object"`` or ``"none"`` (for servers that
    reject JSON Schema constraints) the schema travels in the system message
    instead (see :func:`conflictlens.llm.prompt.messages`).
    """
    body: dict[str, Any] = {
        "model": settings.model,
        "messages": messages,
        "temperature": 0,
        "stream": False,
    }
    if settings.response_format == "json_schema":
        body["response_format"] = {
            "type": "json_schema",
            "json_schema": {"name": SCHEMA_NAME, "strict": True, "schema": schema},
        }
    elif settings.response_format == "json_object":
        body["response_format"] = {"type": "json_object"}
    if settings.max_tokens:
        body["max_tokens"] = settings.max_tokens
    return body


def _one_line(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class ChatClient:
    """Posts chat-completions requests; keeps one connection pool per stage.

    The ``httpx.Client`` is created on first use (creating one costs ~20 ms,
    mostly its TLS context) and reused for every document.
    """

    def __init__(self, settings: LLMSettings, *, transport: httpx.BaseTransport | None = None) -> None:
        self.settings = settings
        self._transport = transport
        self._client: httpx.Client | None = None

    def _http(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(timeout=self.settings.timeout, transport=self._transport)
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def complete(self, body: dict) -> Completion:
        """POST ``body`` to the endpoint and return the first choice's content."""
        return _complete(self.settings, self._http(), body)


def complete(settings: LLMSettings, body: dict, *, transport: httpx.BaseTransport | None = None) -> Completion:
    """One-off request (opens and closes its own connection pool)."""
    client = ChatClient(settings, transport=transport)
    try:
        return client.complete(body)
    finally:
        client.close()


def _complete(settings: LLMSettings, http: httpx.Client, body: dict) -> Completion:
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if settings.api_key:
        headers["Authorization"] = f"Bearer {settings.api_key}"
    try:
        resp = http.post(settings.url, json=body, headers=headers)
    except httpx.TimeoutException:
        raise ConflictLensError(
            "E201", url=settings.url, detail=f"no answer within {settings.timeout:g} s (set [stages.llm] timeout)"
        ) from None
    except httpx.HTTPError as exc:
        raise ConflictLensError(
            "E201", url=settings.url, detail=_one_line(f"{type(exc).__name__}: {exc}") or "connection failed"
        ) from None
    if resp.status_code != 200:
        detail = f"HTTP {resp.status_code}"
        if resp.text.strip():
            detail += f": {_one_line(resp.text)}"
        raise ConflictLensError("E201", url=settings.url, detail=detail)
    try:
        data = resp.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise ConflictLensError(
            "E202", detail=f"the endpoint did not return JSON: {_one_line(resp.text, 120)!r}"
        ) from None
    try:
        choice = data["choices"][0]
        message = choice["message"]
    except (KeyError, IndexError, TypeError):
        raise ConflictLensError(
            "E202", detail="no choices[0].message in the chat-completions answer"
        ) from None
    content = message.get("content") if isinstance(message, dict) else None
    finish = choice.get("finish_reason") if isinstance(choice, dict) else None
    if not isinstance(content, str) or not content.strip():
        refusal = message.get("refusal") if isinstance(message, dict) else None
        why = f"the model refused: {_one_line(str(refusal))}" if refusal else "the message content is empty"
        raise ConflictLensError("E202", detail=why)
    if finish == "length":
        raise ConflictLensError(
            "E202", detail="the answer was cut off (finish_reason=length); raise [stages.llm] max_tokens"
        )
    usage = data.get("usage") if isinstance(data.get("usage"), dict) else None
    return Completion(content=content, model=data.get("model"), usage=usage, finish_reason=finish)
