"""Snapshots: generated, submitted (frozen, who/when), recomputed equal unless data changed;
the province's overview before the 22nd; reminders."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from motcua.orgs.constants import Role
from motcua.reports import services
from motcua.reports.exceptions import AlreadySubmitted, NotSubmittable, PeriodNotClosed
from motcua.reports.periods import period_parse
from motcua.reports.submissions import submission_overview
from motcua.reports.tasks import report_snapshots_check_task
from tests.factories import MembershipFactory, StaffFactory

from .conftest import Province, at
from .test_selectors import A_MAY


@pytest.fixture
def admin_a(province: Province):
    user = StaffFactory(username="quantri_a", email="quantri.a@example.vn")
    MembershipFactory(user=user, unit=province.a, role=Role.AGENCY_ADMIN)
    return user


def test_generate_submit_and_freeze(province: Province, admin_a) -> None:
    draft = services.report_snapshot_generate(
        unit=province.a, period="2020-05", actor=admin_a, now=at(6, 2, 9)
    )
    assert draft.status == "draft" and draft.generated_by == admin_a
    assert {k: draft.data["report"]["totals"][k] for k in A_MAY} == A_MAY
    with pytest.raises(NotSubmittable):
        services.report_submit(submission=draft, actor=admin_a, digest="0" * 64, now=at(6, 3, 9))
    submitted = services.report_submit(
        submission=draft, actor=admin_a, digest=draft.digest, now=at(6, 3, 9)
    )
    assert (submitted.status, submitted.submitted_by, submitted.submitted_at) == (
        "submitted",
        admin_a,
        at(6, 3, 9),
    )
    with pytest.raises(AlreadySubmitted):
        services.report_snapshot_generate(unit=province.a, period="2020-05", actor=admin_a)
    with pytest.raises(AlreadySubmitted):
        services.report_submit(submission=submitted, actor=admin_a)


def test_an_open_period_cannot_be_submitted(province: Province, admin_a) -> None:
    draft = services.report_snapshot_generate(unit=province.a, period="2020-05", actor=admin_a)
    with pytest.raises(PeriodNotClosed):
        services.report_submit(submission=draft, actor=admin_a, now=at(5, 31, 23, 59))


def test_recomputation_equals_the_snapshot_unless_data_were_corrected(
    province: Province, admin_a
) -> None:
    draft = services.report_snapshot_generate(unit=province.a, period="2020-05", actor=admin_a)
    submission = services.report_submit(submission=draft, actor=admin_a, now=at(6, 3, 9))
    # Later events do not change a closed month: #2 resolved in June, a new dossier in June.
    d2 = province.d["#2"]
    d2.status, d2.finished_at, d2.timing = "result_ready", at(6, 10, 9), "late"
    d2.save()
    assert services.report_snapshot_check(submission=submission) == {}
    assert submission.mismatch == {} and submission.checked_at is not None
    # A correction of May's data (the finish of #8 was recorded a day too late) is flagged.
    d8 = province.d["#8"]
    d8.timing = "on_time"
    d8.save()
    differences = services.report_snapshot_check(submission=submission)
    assert differences["report.totals.resolved_late"] == {"submitted": 2, "now": 1}
    assert differences["report.totals.resolved_on_time"] == {"submitted": 1, "now": 2}
    submission.refresh_from_db()
    assert submission.mismatch == differences
    assert services.report_snapshots_check_period(period="2020-05") == 1
    # The same check as the worker's task (the immediate backend runs it at once in tests).
    assert report_snapshots_check_task.enqueue("2020-05").return_value == 1


def test_province_overview_and_reminders(
    province: Province, admin_a, django_capture_on_commit_callbacks
) -> None:
    may = period_parse("2020-05")
    assert may.submission_deadline() == at(6, 22)
    draft = services.report_snapshot_generate(unit=province.a, period=may, actor=admin_a)
    services.report_submit(submission=draft, actor=admin_a, now=at(6, 21, 16))
    lines = {line.agency.code: line for line in submission_overview(period=may)}
    assert set(lines) == {"000.00.21.H16", "000.00.22.H16"}
    assert lines["000.00.21.H16"].submitted and lines["000.00.21.H16"].on_time
    assert not lines["000.00.22.H16"].submitted and lines["000.00.22.H16"].on_time is None
    admin_b = StaffFactory(username="quantri_b", email="quantri.b@example.vn")
    MembershipFactory(user=admin_b, unit=province.b, role=Role.AGENCY_ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.report_reminders_send(period=may, now=at(6, 18, 8))
    # Once a day: the scheduler's run and a click on the same day write one reminder.
    assert services.report_reminders_send(period=may, now=at(6, 18, 15)) == []
    assert [r.unit.code for r in sent] == ["000.00.22.H16"]
    assert sent[0].recipients == ["quantri.b@example.vn"]
    assert len(mail.outbox) == 1 and "trước ngày 21/06/2020" in mail.outbox[0].body
    assert submission_overview(period=may)[1].last_reminder == at(6, 18, 8)


def test_late_submission_is_marked_late(province: Province, admin_a) -> None:
    draft = services.report_snapshot_generate(unit=province.a, period="2020-05", actor=admin_a)
    services.report_submit(
        submission=draft, actor=admin_a, now=at(6, 22, 0) + dt.timedelta(seconds=1)
    )
    line = submission_overview(period=period_parse("2020-05"))[0]
    assert line.submitted and line.on_time is False
