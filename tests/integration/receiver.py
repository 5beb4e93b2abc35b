"""A real HTTP server on 127.0.0.1 standing in for the outside world (a webhook receiver, the
national portal): it records every request and answers with scripted status codes."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    url: str
    requests: list[Received] = field(default_factory=list)
    # Status codes to answer with, in order; once used up, `default`.
    script: list[int] = field(default_factory=list)
    default: int = 200

    def next_status(self) -> int:
        return self.script.pop(0) if self.script else self.default


@contextmanager
def http_receiver(script: list[int] | None = None) -> Iterator[Receiver]:
    lock = threading.Lock()
    holder: dict[str, Receiver] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            receiver = holder["r"]
            with lock:
                receiver.requests.append(Received(self.path, dict(self.headers.items()), body))
                status = receiver.next_status()
            payload = b'{"ack": true}' if status < 300 else b'{"error": "busy"}'
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    holder["r"] = Receiver(
        url=f"http://127.0.0.1:{server.server_port}/hook", script=list(script or [])
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield holder["r"]
    finally:
        server.shutdown()
        server.server_close()
