"""A provider played by the tests: a real HTTP server on loopback (ports 8850-8859) that records
every request and answers as the gateway's protocol says (docs/NOTIFICATIONS.md §4-§5), written
here independently of the code under test."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

PORTS = range(8850, 8860)


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    raw: bytes
    body: Any


# An answer: (HTTP status, JSON body, seconds to wait before answering).
Answer = tuple[int, Any, float]


@dataclass
class Provider:
    """`answer(seen)` decides each reply; `requests` lists what arrived, in order."""

    answer: Callable[[Seen], Answer]
    requests: list[Seen] = field(default_factory=list)
    url: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)


def _handler(provider: Provider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            try:
                body = json.loads(raw.decode("utf-8"))
            except ValueError:
                body = None
            seen = Seen(self.path, {k.lower(): v for k, v in self.headers.items()}, raw, body)
            with provider.lock:
                provider.requests.append(seen)
                status, answer, delay = provider.answer(seen)
            if delay:
                time.sleep(delay)
            data = json.dumps(answer, ensure_ascii=False).encode("utf-8")
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except OSError:
                pass  # the client gave up waiting (a timeout test)

        def log_message(self, *args: object) -> None:
            pass

    return Handler


def serve(provider: Provider) -> ThreadingHTTPServer:
    """Start the server on the first free port of PORTS; `provider.url` is its address."""
    for port in PORTS:
        try:
            server = ThreadingHTTPServer(("127.0.0.1", port), _handler(provider))
        except OSError:
            continue
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        provider.url = f"http://127.0.0.1:{port}/send"
        return server
    raise RuntimeError("no free port in 8850-8859")


class BrandnameGateway:
    """The SMS gateway: a new request_id is sent (answered 200 with a new message_id), one seen
    before is refused as a copy (409 with the first message_id). `script` holds answers to give
    instead, in order (an error, a slow answer), each consuming one request."""

    def __init__(self) -> None:
        self.sent: dict[str, str] = {}  # request_id → message_id: what reached a handset
        self.script: list[Answer] = []
        self.provider = Provider(self.answer)

    def answer(self, seen: Seen) -> Answer:
        if self.script:
            return self.script.pop(0)
        request_id = seen.body["request_id"]
        if request_id in self.sent:
            return 409, {"error": "duplicate_request_id", "message_id": self.sent[request_id]}, 0
        self.sent[request_id] = f"gw-{len(self.sent) + 1}"
        return 200, {"message_id": self.sent[request_id], "status": "accepted"}, 0


class ZnsServer:
    """Zalo's ZNS API: HTTP 200 with `error` 0 and a msg_id, for every request (Zalo keeps no
    client reference), or the scripted answers first."""

    def __init__(self) -> None:
        self.script: list[Answer] = []
        self.count = 0
        self.provider = Provider(self.answer)

    def answer(self, seen: Seen) -> Answer:
        if self.script:
            return self.script.pop(0)
        self.count += 1
        return 200, {"error": 0, "message": "Success", "data": {"msg_id": f"z-{self.count}"}}, 0
