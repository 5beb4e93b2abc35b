"""A local SMTP sink for `bench/bench.py notify`: aiosmtpd on loopback, one line per message
received (its Message-ID) appended to a file, so the bench can count copies.

    python bench/smtp_sink.py PORT FILE
"""

from __future__ import annotations

import signal
import sys
import threading
from email.parser import BytesHeaderParser

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, path: str) -> None:
        self.out = open(path, "a", encoding="utf-8")  # noqa: SIM115 (kept open while serving)

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd calls it by this name
        headers = BytesHeaderParser().parsebytes(envelope.original_content)
        self.out.write(f"{headers.get('Message-ID', '')}\n")
        self.out.flush()
        return "250 OK"


def main() -> None:
    port, path = int(sys.argv[1]), sys.argv[2]
    controller = Controller(Sink(path), hostname="127.0.0.1", port=port)
    controller.start()
    print(f"sink on 127.0.0.1:{port}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
