"""Signing and verifying webhook deliveries.

Every delivery is a `POST` with a JSON body and these headers:

    X-Motcua-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>
    X-Motcua-Event: dossier.accept
    X-Motcua-Delivery: <delivery id>          (the same on every retry: deduplicate on it)

A receiver recomputes the HMAC over the timestamp, a dot and the raw body bytes exactly as
received, with the subscription's secret (returned once, when the subscription is created),
compares in constant time, and refuses a timestamp older (or newer) than the replay window of
five minutes. `verify_signature` below does exactly that; it is what the tests' receiver uses.
"""

from __future__ import annotations

import hashlib
import hmac
import time

SIGNATURE_HEADER = "X-Motcua-Signature"
EVENT_HEADER = "X-Motcua-Event"
DELIVERY_HEADER = "X-Motcua-Delivery"
REPLAY_WINDOW_SECONDS = 300


class SignatureError(ValueError):
    """The signature header is missing, malformed, stale or does not match."""


def compute_signature(*, secret: str, timestamp: int, body: bytes) -> str:
    message = str(int(timestamp)).encode("ascii") + b"." + body
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def sign(*, secret: str, body: bytes, timestamp: int | None = None) -> str:
    """The value of the X-Motcua-Signature header for `body`."""
    t = int(time.time()) if timestamp is None else int(timestamp)
    return f"t={t},v1={compute_signature(secret=secret, timestamp=t, body=body)}"


def parse_signature(header: str) -> tuple[int, list[str]]:
    timestamp: int | None = None
    signatures: list[str] = []
    for part in (header or "").split(","):
        name, _, value = part.strip().partition("=")
        if name == "t":
            try:
                timestamp = int(value)
            except ValueError as exc:
                raise SignatureError("timestamp is not an integer") from exc
        elif name == "v1" and value:
            signatures.append(value)
    if timestamp is None or not signatures:
        raise SignatureError("header needs t= and v1=")
    return timestamp, signatures


def verify_signature(
    *,
    secret: str,
    body: bytes,
    header: str,
    now: float | None = None,
    tolerance: int = REPLAY_WINDOW_SECONDS,
) -> int:
    """Check a delivery; returns its timestamp, raises SignatureError otherwise."""
    timestamp, signatures = parse_signature(header)
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance:
        raise SignatureError("timestamp outside the replay window")
    expected = compute_signature(secret=secret, timestamp=timestamp, body=body)
    if not any(hmac.compare_digest(expected, candidate) for candidate in signatures):
        raise SignatureError("signature does not match")
    return timestamp
