"""A version number of the public catalogue, for caching what the portal derives from it.

The portal's search results, facet counts and filter lists depend only on the catalogue
(procedures, fields, fees, documents, steps, performing units). Their cache keys carry this
version; any save or delete of those rows (signals, connected in `CatalogConfig.ready`) and
any bulk load (`bump_catalog_version()`) moves it on, so a published procedure shows in
search at once, in every process sharing the cache. Old entries simply expire.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache

VERSION_KEY = "catalog:version"
# Long enough to matter, short enough that a change made behind the signals' back (raw SQL)
# shows within the hour.
CACHE_SECONDS = 3600


def catalog_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        # add(): concurrent first readers agree on the same starting value.
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY) or 1
    return int(version)


def bump_catalog_version(**_: Any) -> None:
    """Invalidate everything cached from the catalogue (signal receiver and plain call)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, timeout=None)
