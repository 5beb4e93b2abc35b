"""E-mail through Django's own mail settings (EMAIL_HOST, EMAIL_PORT, … from the environment)."""

from __future__ import annotations

import contextlib
import smtplib
from collections.abc import Iterator

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection

from ..constants import Channel
from .base import Accepted, NotificationProvider, Outgoing, SendFailed
from .registry import register


def _message_id(reference: str) -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(" >") or "localhost"
    return f"<{reference}@{domain}>"


class SmtpProvider(NotificationProvider):
    """SMTP keeps no client reference: a worker killed after the server took the message and
    before it was marked sent sends it again on the retry. The copy carries the same Message-ID
    (our reference), which mail clients and many servers use to fold the two into one; nothing
    in SMTP can promise more."""

    id = "smtp"
    channel = Channel.EMAIL
    name = "SMTP"
    keeps_reference = False

    def _mail(self, outgoing: Outgoing, connection: object) -> EmailMultiAlternatives:
        mail = EmailMultiAlternatives(
            subject=outgoing.subject,
            body=outgoing.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[outgoing.recipient],
            connection=connection,
            headers={"Message-ID": _message_id(outgoing.reference)},
        )
        if outgoing.html:
            mail.attach_alternative(outgoing.html, "text/html")
        return mail

    def send(self, outgoing: Outgoing) -> Accepted:
        (outcome,) = self.send_many([outgoing])  # the generator runs to its end: closed
        return self._outcome(outcome)

    @staticmethod
    def _outcome(outcome: Accepted | SendFailed) -> Accepted:
        if isinstance(outcome, SendFailed):
            raise outcome
        return outcome

    def send_many(self, outgoing: list[Outgoing]) -> Iterator[Accepted | SendFailed]:
        """One connection for the batch; each outcome given as soon as the server answered, so
        that the message is marked before the next one is sent."""
        try:
            connection = get_connection(fail_silently=False)
            connection.open()
        except (OSError, smtplib.SMTPException) as error:
            failed = SendFailed(f"SMTP: {error}")
            for _ in outgoing:
                yield failed
            return
        try:
            for one in outgoing:
                try:
                    self._mail(one, connection).send()
                except smtplib.SMTPRecipientsRefused as error:
                    yield SendFailed(f"SMTP từ chối địa chỉ: {error}", permanent=True)
                except (OSError, smtplib.SMTPException) as error:
                    yield SendFailed(f"SMTP: {error}")
                else:
                    yield Accepted(provider_ref="")
        finally:
            # The server going away now changes nothing: every send is decided.
            with contextlib.suppress(OSError, smtplib.SMTPException):
                connection.close()


register(SmtpProvider())
