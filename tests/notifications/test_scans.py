"""The periodic warnings: once per dossier and threshold whatever the number of runs, to whoever
holds the dossier (and, once late, to the leader above it); the morning digest once a day, to
officers with work, and only to those who did not turn it off."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.dossiers import services as s
from motcua.dossiers.constants import DossierStatus
from motcua.notifications.constants import Channel, Event
from motcua.notifications.models import Message
from motcua.notifications.scans import dossiers_due_scan, officers_digest_send
from motcua.notifications.services import preference_set
from tests.dossiers.helpers import build_world, drive

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings):
    settings.MOTCUA_NOTIFY_PROVIDERS = {"email": "smtp", "sms": "", "zalo": "", "inapp": "inapp"}
    return build_world(processing_time=5)


def _told(event: str) -> list[tuple[str, str]]:
    return sorted(
        Message.objects.filter(event=event).values_list("user__username", "channel").distinct()
    )


def test_due_soon_then_overdue_once_each_to_the_holder_then_the_leader_too(world) -> None:
    d = drive(world, DossierStatus.PROCESSING)  # at the specialist (office below the department)
    before = d.due_at - dt.timedelta(hours=2)
    assert dossiers_due_scan(now=d.due_at - dt.timedelta(days=10)) == {"due_soon": 0, "overdue": 0}
    assert dossiers_due_scan(now=before) == {"due_soon": 1, "overdue": 0}
    assert dossiers_due_scan(now=before + dt.timedelta(minutes=15)) == {"due_soon": 0, "overdue": 0}
    assert _told(Event.DUE_SOON) == [("chuyenvien", Channel.EMAIL), ("chuyenvien", Channel.INAPP)]
    late = d.due_at + dt.timedelta(hours=1)
    for minutes in (0, 15, 30):
        counts = dossiers_due_scan(now=late + dt.timedelta(minutes=minutes))
        assert counts == {"due_soon": 0, "overdue": 1 if minutes == 0 else 0}
    # The office has no leader: the department's answers for it.
    assert _told(Event.OVERDUE) == [
        ("chuyenvien", Channel.EMAIL),
        ("chuyenvien", Channel.INAPP),
        ("lanhdao", Channel.EMAIL),
        ("lanhdao", Channel.INAPP),
    ]
    message = Message.objects.get(event=Event.OVERDUE, user=world.leader, channel=Channel.EMAIL)
    assert d.code in message.subject and "Thẩm định" in message.body


def test_an_apology_does_not_warn_again_and_a_finished_dossier_never(world) -> None:
    d = drive(world, DossierStatus.PROCESSING)
    dossiers_due_scan(now=d.due_at + dt.timedelta(hours=1))
    assert Message.objects.filter(event=Event.OVERDUE).count() == 4
    # The apology gives a new appointment but keeps the legal due time: still the same lateness.
    s.dossier_apologise(
        dossier=d,
        actor=world.leader,
        reason="Cần xác minh thực địa",
        new_due_at=d.due_at + dt.timedelta(days=7),
        at=d.due_at - dt.timedelta(days=1),
    )
    dossiers_due_scan(now=d.due_at + dt.timedelta(hours=2))
    assert Message.objects.filter(event=Event.OVERDUE).count() == 4
    other = drive(world, DossierStatus.RESULT_READY)
    assert dossiers_due_scan(now=other.due_at + dt.timedelta(hours=1))["overdue"] == 0


def test_the_digest_goes_once_a_day_to_officers_with_work_unless_turned_off(world) -> None:
    d = drive(world, DossierStatus.PROCESSING)
    morning = d.due_at - dt.timedelta(hours=3)
    assert officers_digest_send(now=morning) == 1  # the specialist; the others have nothing
    assert officers_digest_send(now=morning + dt.timedelta(hours=1)) == 0
    digest = Message.objects.get(event=Event.DIGEST, channel=Channel.EMAIL)
    assert digest.user == world.specialist
    assert d.code in digest.body and "1 hồ sơ đang chờ" in digest.body
    for channel in (Channel.EMAIL, Channel.INAPP):
        preference_set(user=world.specialist, event=Event.DIGEST, channel=channel, enabled=False)
    officers_digest_send(now=morning + dt.timedelta(days=1))
    digests = Message.objects.filter(event=Event.DIGEST, channel=Channel.EMAIL)
    assert digests.filter(user=world.specialist).count() == 1  # only the first day's
    # The next morning the dossier is late: the leaders above it hear of it in their digest.
    assert digests.filter(user=world.leader).count() == 1
