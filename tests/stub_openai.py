"""A small OpenAI-compatible server for tests, on 127.0.0.1, driven over real HTTP.

It answers ``/v1/embeddings`` (deterministic vectors) and ``/v1/chat/completions`` (a scripted
reply), records every request, and can be told to fail, so tests exercise the real ``openai``
client end to end instead of patching it.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

ChatScript = Callable[[dict[str, Any]], str]


class StubOpenAI:
    def __init__(self, dim: int = 32) -> None:
        self.dim = dim
        self.requests: list[dict[str, Any]] = []
        self.chat: ChatScript = lambda body: "好的。"
        self.fail_status: int | None = None
        self.delay = 0.0  # seconds each chat reply waits, to show calls overlapping
        # Faults injected into the next chat requests, one per request, in order:
        # "429", "500", "503", "slow" (sleeps `slow` seconds), "cut" (connection closed mid-body),
        # "empty" (empty content), "length" (finish_reason=length after half the text).
        self.faults: list[str] = []
        self.slow = 0.8
        self.fail_when: Callable[[dict[str, Any]], int | None] = lambda body: None  # status to fail with
        self.redirect_to = ""  # answer every chat request with a 307 to this URL
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def start(self) -> StubOpenAI:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def peak_in_flight(self) -> int:
        """The most chat requests the server was handling at one moment (a sweep over start/end)."""
        chats = [r for r in self.requests if r["path"].endswith("/chat/completions")]
        events = sorted([(r["end"], -1) for r in chats] + [(r["start"], 1) for r in chats])
        peak = current = 0
        for _, step in events:
            current += step
            peak = max(peak, current)
        return peak

    def vector(self, text: str) -> list[float]:
        digest = hashlib.sha256(text.encode("utf-8")).digest()
        return [(digest[i % len(digest)] - 128) / 128.0 for i in range(self.dim)]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                record = {"path": self.path, "body": body, "authorization": self.headers.get("Authorization", ""),
                          "start": time.monotonic()}
                stub.requests.append(record)
                if stub.delay and self.path.endswith("/chat/completions"):
                    time.sleep(stub.delay)
                record["end"] = time.monotonic()
                if stub.fail_status:
                    return self._send(stub.fail_status, {"error": {"message": "injected failure"}})
                if stub.redirect_to and self.path.endswith("/chat/completions"):
                    return self._send(307, {}, {"Location": stub.redirect_to})
                status = stub.fail_when(body) if self.path.endswith("/chat/completions") else None
                if status:
                    return self._send(status, {"error": {"message": "injected failure"}})
                fault = ""
                if self.path.endswith("/chat/completions"):
                    with stub._lock:
                        fault = stub.faults.pop(0) if stub.faults else ""
                record["fault"] = fault
                if fault in ("429", "500", "503"):
                    headers = {"Retry-After": "0"} if fault == "429" else {}
                    return self._send(int(fault), {"error": {"message": f"injected {fault}"}}, headers)
                if fault == "slow":
                    time.sleep(stub.slow)
                if fault == "cut":
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", "4000")
                    self.end_headers()
                    self.wfile.write(b'{"id": "stub", "choices": [')
                    self.wfile.flush()
                    self.close_connection = True
                    return None
                if self.path.endswith("/embeddings"):
                    inputs = body["input"] if isinstance(body["input"], list) else [body["input"]]
                    data = [{"object": "embedding", "index": i, "embedding": stub.vector(t)}
                            for i, t in enumerate(inputs)]
                    return self._send(200, {"object": "list", "data": data, "model": body.get("model"),
                                            "usage": {"prompt_tokens": 1, "total_tokens": 1}})
                if self.path.endswith("/chat/completions"):
                    text, finish = stub.chat(body), "stop"
                    if fault == "empty":
                        text = ""
                    elif fault == "length":
                        text, finish = text[: len(text) // 2], "length"
                    return self._send(200, {
                        "id": "stub", "object": "chat.completion", "created": 0, "model": body.get("model"),
                        "choices": [{"index": 0, "finish_reason": finish,
                                     "message": {"role": "assistant", "content": text}}],
                        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}})
                return self._send(404, {"error": {"message": f"no route {self.path}"}})

            def _send(self, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None) -> None:
                data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
                self.send_response(status)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        return Handler
