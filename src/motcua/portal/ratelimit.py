"""Fixed-window request counters shared by the processes of the installation: the public lookup
(page and API, per client address) and the API's per-client limit.

A cache server (Redis) holds the counters as cache entries. The default file cache does not:
Django's FileBasedCache lists its whole folder before every write (to cull), and a limiter writes
once for every new address, so each public lookup paid for the size of the cache — most of the
lookup's time at 100 k dossiers, growing with the number of addresses seen (bench/RESULTS.md,
"Profiles and fixes"). With that cache each counter is a file beside it, one byte appended per
request (appends are atomic between processes, so no count is lost, unlike get-then-set), in a
folder per window that is removed once the window is over: a constant cost per request.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.filebased import FileBasedCache
from django.http import HttpRequest

COUNTERS_FOLDER = "ratelimit"
# Windows whose folders this process already swept, per window length.
_swept: dict[int, int] = {}


def client_address(request: HttpRequest) -> str:
    # Behind a proxy, the deployment sets REMOTE_ADDR from the proxy's header (gunicorn's
    # --forwarded-allow-ips); trusting X-Forwarded-For here would let anyone reset their count.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


# (the default cache object, its counters folder): the folder is worked out once per cache
# object (a test that changes CACHES gets a new one).
_root_of: tuple[object, Path | None] = (None, None)


def _counters_root() -> Path | None:
    """The folder of the file counters when the default cache is the file cache, else None."""
    global _root_of
    default = caches["default"]
    if _root_of[0] is default:
        return _root_of[1]
    root = None
    if isinstance(default, FileBasedCache):
        root = Path(settings.CACHES["default"]["LOCATION"]) / COUNTERS_FOLDER
    _root_of = (default, root)
    return root


def _sweep(root: Path, window_seconds: int, window: int) -> None:
    """Drop the folders of windows that are over (once per window and process)."""
    if _swept.get(window_seconds) == window:
        return
    _swept[window_seconds] = window
    prefix = f"{window_seconds}-"
    try:
        names = os.listdir(root)
    except FileNotFoundError:
        return
    for name in names:
        number = name.removeprefix(prefix)
        if number != name and number.isdigit() and int(number) < window - 1:
            shutil.rmtree(root / name, ignore_errors=True)


def _file_count(root: Path, bucket: str, window_seconds: int, window: int) -> int:
    folder = f"{root}{os.sep}{window_seconds}-{window}"
    path = f"{folder}{os.sep}{hashlib.sha256(bucket.encode('utf-8')).hexdigest()[:40]}"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    except FileNotFoundError:
        _sweep(root, window_seconds, window)
        os.makedirs(folder, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.write(fd, b".")
        return os.fstat(fd).st_size
    finally:
        os.close(fd)


def window_count(*, bucket: str, window_seconds: int) -> int:
    """Count one request in `bucket` for the current fixed window (aligned on the clock, the
    same in every process); returns the count of the window, this request included."""
    window = int(time.time() // window_seconds)
    root = _counters_root()
    if root is not None:
        return _file_count(root, bucket, window_seconds, window)
    key = f"motcua:rl:{window_seconds}:{bucket}:{window}"
    if cache.add(key, 1, timeout=window_seconds + 30):
        return 1
    try:
        return cache.incr(key)
    except ValueError:
        # The entry expired between add() and incr().
        cache.set(key, 1, timeout=window_seconds + 30)
        return 1


def rate_limited(*, scope: str, request: HttpRequest, limit: int, window_seconds: int) -> bool:
    """Count this request; True once the address made more than `limit` within the window."""
    count = window_count(bucket=f"{scope}:{client_address(request)}", window_seconds=window_seconds)
    return count > limit
