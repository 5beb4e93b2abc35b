"""What a channel's provider does for us: accept one message, and (SMS, Zalo) report later how it
went by callbacks. Each provider is keyed by (channel, short id) in the registry."""

from __future__ import annotations

import datetime as dt
import json
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import requests

if TYPE_CHECKING:
    from django.http import HttpRequest


@dataclass(frozen=True)
class Outgoing:
    """A message as a provider sees it. `reference` is ours, stable across retries: providers
    that keep a client reference use it to refuse a second copy."""

    reference: str
    channel: str
    event: str
    recipient: str
    recipient_name: str
    subject: str
    body: str
    html: str = ""
    values: dict[str, Any] = field(default_factory=dict)
    language: str = "vi"


@dataclass(frozen=True)
class Accepted:
    """The provider took the message; `delivered` when it is already with the recipient."""

    provider_ref: str = ""
    delivered: bool = False


class SendFailed(Exception):
    """The provider did not take the message. `permanent`: retrying cannot help (a refused
    address, a template the operator rejected); otherwise it is retried with backoff."""

    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


@dataclass(frozen=True)
class StatusReport:
    """A delivery report from a provider's callback, already authenticated."""

    provider_ref: str
    status: str  # a MessageStatus value: sent, delivered or failed
    at: dt.datetime
    reason: str = ""


class CallbackRejected(Exception):
    """A callback that changes nothing; `code` is the JSON error's code."""

    def __init__(self, code: str, message: str, http_status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.http_status = http_status


class NotificationProvider(ABC):
    id: str = ""
    channel: str = ""
    name: str = ""
    # True when the provider refuses a second message with the same client reference: a send
    # retried after a crash then reaches the recipient once.
    keeps_reference: bool = False

    @abstractmethod
    def send(self, outgoing: Outgoing) -> Accepted:
        """Hand one message over; raise SendFailed if it was not taken."""

    def send_many(self, outgoing: list[Outgoing]) -> Iterator[Accepted | SendFailed]:
        """Hand several over (e-mail reuses one connection); one outcome per message, in order,
        each as soon as it is known: delivery marks a message of a provider that keeps no
        reference right after its own send, before the next one goes."""
        for one in outgoing:
            try:
                yield self.send(one)
            except SendFailed as failed:
                yield failed

    def callback_read(self, request: HttpRequest) -> list[StatusReport]:
        """Authenticate a delivery callback and read its reports (providers that send them)."""
        raise CallbackRejected("no_callbacks", "Nhà cung cấp này không gửi báo cáo.", 404)


def json_post(
    *, url: str, payload: dict[str, Any], headers: dict[str, str], timeout: float, who: str
) -> requests.Response:
    """POST `payload` as UTF-8 JSON to a provider's HTTP API, following no redirect; a timeout or
    a connection that fails is a temporary SendFailed naming `who` (retried with backoff)."""
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    try:
        return requests.post(
            url,
            data=body,
            headers={"Content-Type": "application/json", **headers},
            timeout=timeout,
            allow_redirects=False,
        )
    except requests.Timeout:
        raise SendFailed(f"{who} không trả lời kịp (quá thời gian chờ).") from None
    except requests.RequestException as exc:
        raise SendFailed(f"Không kết nối được {who}: {type(exc).__name__}") from None
