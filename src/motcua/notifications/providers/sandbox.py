"""The sandbox of each channel: it 'delivers' into a table the demo shows (/thong-bao/thu-nghiem/),
one copy per reference, as a gateway that keeps client references does."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from ..constants import Channel
from .base import Accepted, NotificationProvider, Outgoing, SendFailed, StatusReport
from .registry import register
from .sms import CALLBACK_STATUS, read_signed_reports

if TYPE_CHECKING:
    from django.http import HttpRequest


class SandboxProvider(NotificationProvider):
    id = "sandbox"
    name = "Hộp thư thử nghiệm"
    keeps_reference = True

    def __init__(self, channel: str) -> None:
        self.channel = channel

    def send(self, outgoing: Outgoing) -> Accepted:
        from ..models import SandboxDelivery

        reference = uuid.UUID(outgoing.reference)
        try:
            with transaction.atomic():
                kept = SandboxDelivery.objects.create(
                    reference=reference,
                    channel=self.channel,
                    recipient=outgoing.recipient,
                    subject=outgoing.subject,
                    body=outgoing.body,
                    received_at=timezone.now(),
                )
        except IntegrityError:
            # Seen before: the copy is refused, the first one's id answered again.
            SandboxDelivery.objects.filter(reference=reference).update(
                copies_refused=F("copies_refused") + 1
            )
            kept = SandboxDelivery.objects.get(reference=reference)
        return Accepted(provider_ref=f"sb-{kept.pk}", delivered=True)

    def send_many(self, outgoing: list[Outgoing]) -> list[Accepted | SendFailed]:
        """A batch in one transaction, as a gateway's bulk endpoint takes it: the references
        seen before are refused as copies, the others kept."""
        from ..models import SandboxDelivery

        references = [uuid.UUID(one.reference) for one in outgoing]
        now = timezone.now()
        with transaction.atomic():
            seen = set(
                SandboxDelivery.objects.filter(reference__in=references).values_list(
                    "reference", flat=True
                )
            )
            SandboxDelivery.objects.bulk_create(
                [
                    SandboxDelivery(
                        reference=reference,
                        channel=self.channel,
                        recipient=one.recipient,
                        subject=one.subject,
                        body=one.body,
                        received_at=now,
                    )
                    for reference, one in zip(references, outgoing, strict=True)
                    if reference not in seen
                ],
                ignore_conflicts=True,  # a concurrent copy: refused like the others
            )
            if seen:
                SandboxDelivery.objects.filter(reference__in=seen).update(
                    copies_refused=F("copies_refused") + 1
                )
            ids = dict(
                SandboxDelivery.objects.filter(reference__in=references).values_list(
                    "reference", "pk"
                )
            )
        return [Accepted(provider_ref=f"sb-{ids[r]}", delivered=True) for r in references]

    def callback_read(self, request: HttpRequest) -> list[StatusReport]:
        """Delivery reports about sandbox messages ("sb-<id>"), in the brandname scheme signed
        with MOTCUA_NOTIFY_SANDBOX_SECRET: lets a demo or a test play a gateway's callbacks."""
        return read_signed_reports(
            request=request,
            secret=settings.MOTCUA_NOTIFY_SANDBOX_SECRET,
            statuses=CALLBACK_STATUS,
        )


for _channel in (Channel.EMAIL, Channel.SMS, Channel.ZALO):
    register(SandboxProvider(_channel))
