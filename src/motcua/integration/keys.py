"""API keys: their shape `mc_<prefix>_<secret>`, making one and the hash kept of it.

Shared by the services that issue and rotate keys and the selector that finds a key's client,
so that neither imports the other.
"""

from __future__ import annotations

import hashlib
import secrets

KEY_PREFIX = "mc"


def key_make(prefix: str) -> str:
    """A new key for the client `prefix`: 256 bits of randomness after it."""
    return f"{KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"


def key_hash(key: str) -> str:
    """Keys carry 256 bits of randomness: one SHA-256 is enough (no slow password hash per call)."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def key_split(key: str) -> tuple[str, str] | None:
    """`mc_<prefix>_<secret>` → (prefix, key) or None when the shape is wrong."""
    parts = (key or "").strip().split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX or not parts[1] or not parts[2]:
        return None
    return parts[1], key.strip()
