"""Where the worker may send a webhook: public addresses only, unless the province allows a network.

A webhook URL is given by an API client, and the worker posts to it from inside the province's
network. Without a check, a client could make the worker call the database, the cache server, a
cloud metadata service or an intranet page (server-side request forgery) and read the answers
in its deliveries' log. So a destination must resolve only to global addresses, or to a network
the province lists in `MOTCUA_WEBHOOK_ALLOWED_NETWORKS` (a ministry's software on the
government's private network, say; loopback in development). It is checked when a subscription
is made or changed, and again before every delivery, since a name can be pointed elsewhere
later. Redirects are never followed (delivery.py).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Sequence
from urllib.parse import urlsplit

from django.conf import settings

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolve = Callable[[str, int], Sequence[str]]


def _resolve(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


def allowed_networks() -> list[Network]:
    return [
        ipaddress.ip_network(text, strict=False)
        for text in getattr(settings, "MOTCUA_WEBHOOK_ALLOWED_NETWORKS", ())
    ]


def _public(address: Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def destination_problem(url: str, *, resolve: Resolve | None = None) -> str:
    """Why the worker must not post to `url` (a Vietnamese sentence), or "" when it may.

    `resolve(host, port)` gives the host's addresses (the system's resolver unless given)."""
    resolve = resolve or _resolve
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    except ValueError:
        return "Địa chỉ nhận sự kiện không hợp lệ."
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        return "Chỉ nhận địa chỉ http:// hoặc https:// có tên máy chủ."
    if parts.username or parts.password:
        return "Địa chỉ nhận sự kiện không được chứa tên đăng nhập hoặc mật khẩu."
    host = parts.hostname
    try:
        texts = [host] if _is_address(host) else list(resolve(host, port))
    except (OSError, UnicodeError):
        return f"Không phân giải được tên máy chủ “{host}”."
    if not texts:
        return f"Không phân giải được tên máy chủ “{host}”."
    networks = allowed_networks()
    for text in texts:
        address = ipaddress.ip_address(text.split("%", 1)[0])
        if not _public(address) and not any(address in network for network in networks):
            return (
                f"Địa chỉ “{host}” trỏ tới mạng nội bộ ({address}): chỉ gửi sự kiện tới địa "
                "chỉ công khai hoặc mạng được tỉnh cho phép."
            )
    return ""


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
