#!/usr/bin/env python3
"""A ministry's specialised software, as it would talk to motcua (standard library only).

It polls `GET /api/v1/dossiers` with the cursor it kept from the last run, picks the dossiers of
its procedures that the one-stop desk has received, and reports its own processing back through
`POST /api/v1/dossiers/{code}/actions/{action}`: start, forward (the appraisal step is done) and
approve with the result document, so the citizen's tracking page follows along.

    python examples/specialised_software.py --base-url http://127.0.0.1:8000 \\
        --key mc_xxxxxxxx_… --procedure 1.001193 --once

It can also check a webhook delivery's signature (`verify_webhook`), for software that prefers to
be told rather than to poll.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any


# A one-page PDF standing in for the signed result the ministry's software produces.
# motcua opens every upload with a PDF parser, so it is a whole one: catalogue, page, xref.
def _one_page_pdf() -> bytes:
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


RESULT_PDF = _one_page_pdf()


class ApiError(Exception):
    def __init__(self, status: int, body: dict[str, Any]) -> None:
        self.status = status
        self.error = body.get("error", {})
        super().__init__(f"{status} {self.error.get('code')}: {self.error.get('message')}")


class Motcua:
    """The few calls this software needs; every error arrives as {"error": {...}}."""

    def __init__(self, base_url: str, key: str, timeout: float = 30) -> None:
        self.base = base_url.rstrip("/") + "/api/v1/"
        self.key = key
        self.timeout = timeout

    def call(self, method: str, path: str, body: dict[str, Any] | None = None, **params: Any):
        query = urllib.parse.urlencode({k: v for k, v in params.items() if v is not None})
        url = self.base + path + (f"?{query}" if query else "")
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(url, data=data, method=method)  # noqa: S310
        request.add_header("Authorization", f"Bearer {self.key}")
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        for attempt in range(5):
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                    return json.loads(response.read() or b"null")
            except urllib.error.HTTPError as exc:
                payload = json.loads(exc.read() or b"{}")
                if exc.code == 429 and attempt < 4:
                    time.sleep(int(exc.headers.get("Retry-After", "1")))
                    continue
                raise ApiError(exc.code, payload) from None
        raise RuntimeError("unreachable")

    def changes(self, cursor: str | None):
        """Every dossier changed since `cursor`, page after page; returns (items, last cursor)."""
        items: list[dict[str, Any]] = []
        while True:
            page = self.call("GET", "dossiers", cursor=cursor, limit=100)
            items.extend(page["items"])
            cursor = page["next_cursor"] or cursor
            if not page["has_more"]:
                return items, cursor

    def act(self, code: str, action: str, **body: Any) -> dict[str, Any]:
        return self.call("POST", f"dossiers/{quote(code)}/actions/{action}", body)

    def dossier(self, code: str) -> dict[str, Any]:
        return self.call("GET", f"dossiers/{quote(code)}")


def quote(code: str) -> str:
    return urllib.parse.quote(code, safe="")


def verify_webhook(secret: str, body: bytes, header: str, tolerance: int = 300) -> bool:
    """X-Motcua-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>, 5-minute window."""
    parts = dict(p.strip().split("=", 1) for p in header.split(",") if "=" in p)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs(time.time() - timestamp) > tolerance:
        return False
    expected = hmac.new(
        secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(expected, parts.get("v1", ""))


def process(api: Motcua, code: str, log) -> str:
    """Take one received dossier through this software's steps; returns its final status."""
    detail = api.dossier(code)
    if detail["status"] == "received" and "start" in detail["available_actions"]:
        detail = api.act(code, "start", expected_version=detail["version"])
        log(f"{code}: bắt đầu xử lý / started ({detail['current_step']['name']})")
    if detail["status"] != "processing":
        return detail["status"]
    if "forward" in detail["available_actions"]:
        try:
            detail = api.act(
                code,
                "forward",
                expected_version=detail["version"],
                note="Đã thẩm định trên phần mềm chuyên ngành",
            )
            log(f"{code}: chuyển bước / forwarded to {detail['current_step']['name']}")
        except ApiError as exc:
            if exc.status != 422:  # no further step in the process: fine, go on
                raise
    if "approve" in detail["available_actions"]:
        detail = api.act(
            code,
            "approve",
            expected_version=detail["version"],
            note="Kết quả từ phần mềm chuyên ngành",
            documents=[
                {
                    "name": f"ket-qua-{code}.pdf",
                    "content_base64": base64.b64encode(RESULT_PDF).decode(),
                }
            ],
        )
        log(f"{code}: đã có kết quả / result ready")
    return detail["status"]


def run_once(api: Motcua, procedures: list[str], state: Path | None, log) -> int:
    """One poll: every change since the kept cursor, those of our procedures processed."""
    cursor = state.read_text().strip() if state and state.exists() else None
    items, last = api.changes(cursor)
    handled = 0
    for item in items:
        if procedures and item["procedure"]["code"] not in procedures:
            continue
        if item["status"] in {"received", "processing"}:
            try:
                process(api, item["code"], log)
                handled += 1
            except ApiError as exc:
                log(f"{item['code']}: {exc}")
    if state and last:
        state.write_text(last)
    return handled


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--key", required=True, help="API key (create_api_client)")
    parser.add_argument("--procedure", action="append", default=[], help="procedure code")
    parser.add_argument("--state", type=Path, help="file that keeps the cursor between runs")
    parser.add_argument("--once", action="store_true", help="one poll, then exit")
    parser.add_argument("--interval", type=float, default=30, help="seconds between polls")
    args = parser.parse_args(argv)

    def log(message: str) -> None:
        print(message, flush=True)

    api = Motcua(args.base_url, args.key)
    while True:
        try:
            handled = run_once(api, args.procedure, args.state, log)
        except ApiError as exc:
            log(f"API: {exc}")
            return 1
        log(f"{handled} hồ sơ đã xử lý / dossiers handled")
        if args.once:
            return 0
        time.sleep(args.interval)


if __name__ == "__main__":
    sys.exit(main())
