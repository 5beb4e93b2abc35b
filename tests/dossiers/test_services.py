"""Services: authority, optimistic locking, deadlines, supplements, apologies, steps."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from django.test import override_settings

from motcua.catalog.constants import SupplementPolicy, TimeUnit
from motcua.dossiers import services as s
from motcua.dossiers.constants import Action, Channel, DossierStatus
from motcua.dossiers.exceptions import (
    ApologyNotAllowed,
    PermissionDenied,
    StaleDossier,
    ValidationFailed,
)
from motcua.dossiers.models import Apology, DossierEvent, SupplementRequest
from motcua.dossiers.tasks import side_effects_suppressed
from motcua.orgs.constants import GovLevel, Role, UnitKind
from motcua.workcal import Timing, compute_due, receipt_time
from tests.factories import MembershipFactory, StaffFactory, UnitFactory

from .helpers import VN, World, drive


def _unchanged(d, status: str, version: int) -> None:
    d.refresh_from_db()
    assert (d.status, d.version) == (status, version)


# --- authority ---------------------------------------------------------------------------


def test_officer_of_another_unit_cannot_accept(world: World) -> None:
    d = drive(world, DossierStatus.SUBMITTED)
    with pytest.raises(PermissionDenied) as excinfo:
        s.dossier_accept(dossier=d, actor=world.other_reception)
    assert excinfo.value.code == "permission_denied"
    _unchanged(d, DossierStatus.SUBMITTED, d.version)
    assert d.events.count() == 2


def test_membership_covers_the_units_below(world: World) -> None:
    province = UnitFactory(
        code="000.00.00.H16", name="UBND tỉnh", kind=UnitKind.PROVINCE, level=GovLevel.PROVINCE
    )
    world.unit.parent = province
    world.unit.save()
    officer = StaffFactory(username="tiepnhan_tinh")
    MembershipFactory(user=officer, unit=province, role=Role.RECEPTION)
    d = drive(world, DossierStatus.SUBMITTED)
    d = s.dossier_accept(dossier=d, actor=officer)
    assert d.status == DossierStatus.RECEIVED


def test_specialist_cannot_approve(world: World) -> None:
    d = drive(world, DossierStatus.PROCESSING)
    with pytest.raises(PermissionDenied):
        s.dossier_approve(dossier=d, actor=world.specialist)
    _unchanged(d, DossierStatus.PROCESSING, d.version)


def test_citizen_who_is_not_the_owner(world: World) -> None:
    d = drive(world, DossierStatus.DRAFT)
    with pytest.raises(PermissionDenied):
        s.dossier_submit(dossier=d, actor=world.other_citizen)
    d = drive(world, DossierStatus.PROCESSING)
    with pytest.raises(PermissionDenied):
        s.dossier_withdraw(dossier=d, actor=world.other_citizen)
    with pytest.raises(PermissionDenied):
        s.dossier_approve(dossier=d, actor=world.citizen)
    _unchanged(d, DossierStatus.PROCESSING, d.version)


def test_system_may_start_and_return_but_not_accept(world: World) -> None:
    d = drive(world, DossierStatus.SUBMITTED)
    with pytest.raises(PermissionDenied):
        s.dossier_accept(dossier=d, actor=None)
    d = drive(world, DossierStatus.RESULT_READY)
    d = s.dossier_return_result(
        dossier=d, actor=None, delivery="online", actor_label="Tải kết quả trực tuyến"
    )
    event = d.events.order_by("-seq").first()
    assert (event.actor_id, event.actor_label) == (None, "Tải kết quả trực tuyến")


def test_reception_at_another_unit_cannot_receive_for_this_one(world: World) -> None:
    with pytest.raises(PermissionDenied):
        s.dossier_receive_direct(
            actor=world.other_reception,
            procedure=world.procedure,
            receiving_unit=world.unit,
            applicant=world.applicant(),
        )
    assert not DossierEvent.objects.exists()


def test_inter_agency_officer_may_act_on_their_step(world: World) -> None:
    colleague = StaffFactory(username="chuyenvien_xd")
    MembershipFactory(user=colleague, unit=world.other_unit, role=Role.SPECIALIST)
    d = drive(world, DossierStatus.PROCESSING)
    with pytest.raises(PermissionDenied):
        s.dossier_forward(dossier=d, actor=colleague)
    d = s.dossier_forward(
        dossier=d, actor=world.specialist, to_unit=world.other_unit, assignee=colleague, hours=16
    )
    assert d.current_step.unit == world.other_unit
    d = s.dossier_forward(dossier=d, actor=colleague, note="Đã có ý kiến")
    assert d.current_step.name == "Phê duyệt"


# --- optimistic locking --------------------------------------------------------------------


def test_stale_version_is_refused(world: World) -> None:
    d = drive(world, DossierStatus.SUBMITTED)
    seen = d.version
    s.dossier_request_supplement(dossier=d, actor=world.reception, items=["Ảnh 4x6"])
    with pytest.raises(StaleDossier) as excinfo:
        s.dossier_accept(dossier=d, actor=world.reception, expected_version=seen)
    assert excinfo.value.details == {"expected": seen, "actual": seen + 1}
    _unchanged(d, DossierStatus.AWAITING_SUPPLEMENT, seen + 1)


def test_current_version_is_accepted(world: World) -> None:
    d = drive(world, DossierStatus.SUBMITTED)
    d = s.dossier_accept(dossier=d, actor=world.reception, expected_version=d.version)
    assert d.status == DossierStatus.RECEIVED


def test_failure_inside_the_transaction_leaves_nothing(world: World) -> None:
    d = drive(world, DossierStatus.SUBMITTED)
    with pytest.raises(RuntimeError), transaction.atomic():
        s.dossier_accept(dossier=d, actor=world.reception)
        raise RuntimeError
    _unchanged(d, DossierStatus.SUBMITTED, d.version)
    assert d.events.count() == 2


# --- deadlines -----------------------------------------------------------------------------


def test_deadline_at_accept(world: World) -> None:
    d = drive(world, DossierStatus.SUBMITTED)
    at = dt.datetime(2025, 7, 14, 9, 0, tzinfo=VN)  # Monday
    d = s.dossier_accept(dossier=d, actor=world.reception, at=at)
    assert d.received_at == at
    assert d.due_at == d.original_due_at == dt.datetime(2025, 7, 21, 9, 0, tzinfo=VN)
    assert d.due_at == compute_due(receipt_time(at), 5, TimeUnit.WORKING_DAYS)


@override_settings(MOTCUA_OFFICE_HOURS=("07:30-11:30", "13:30-17:00"))  # computed with these
def test_receipt_outside_working_time_rolls_over(world: World) -> None:
    saturday = dt.datetime(2025, 7, 19, 9, 0, tzinfo=VN)
    d = s.dossier_receive_direct(
        actor=world.reception,
        procedure=world.procedure,
        receiving_unit=world.unit,
        applicant=world.applicant(),
        at=saturday,
    )
    assert d.received_at == dt.datetime(2025, 7, 21, 7, 30, tzinfo=VN)
    assert d.code == "000.00.21.H16-250719-0001"  # the code keeps the day it was received
    assert d.submitted_at == saturday


def _processing_from(world: World, at: dt.datetime):
    d = s.dossier_receive_direct(
        actor=world.reception,
        procedure=world.procedure,
        receiving_unit=world.unit,
        applicant=world.applicant(),
        owner=world.citizen,
        at=at,
    )
    return s.dossier_start(dossier=d, actor=world.reception, at=at + dt.timedelta(minutes=5))


def test_supplement_restart_gives_the_whole_limit_again(world: World) -> None:
    d = _processing_from(world, dt.datetime(2025, 7, 14, 9, 0, tzinfo=VN))
    d = s.dossier_request_supplement(
        dossier=d,
        actor=world.specialist,
        items=["Bản vẽ"],
        at=dt.datetime(2025, 7, 15, 9, 0, tzinfo=VN),
    )
    assert d.status == DossierStatus.AWAITING_SUPPLEMENT
    assert d.supplement_count == 1
    done = dt.datetime(2025, 7, 22, 14, 0, tzinfo=VN)
    d = s.dossier_supplement(dossier=d, actor=world.citizen, at=done)
    assert d.status == DossierStatus.PROCESSING
    assert d.due_at == d.original_due_at == dt.datetime(2025, 7, 29, 14, 0, tzinfo=VN)
    assert SupplementRequest.objects.get(dossier=d).fulfilled_at == done
    event = d.events.order_by("-seq").first()
    assert event.payload["policy"] == "restart"


def test_supplement_pause_adds_the_waited_working_time(world: World) -> None:
    world.procedure.supplement_policy = SupplementPolicy.PAUSE
    world.procedure.save()
    d = _processing_from(world, dt.datetime(2025, 7, 14, 9, 0, tzinfo=VN))
    assert d.due_at == dt.datetime(2025, 7, 21, 9, 0, tzinfo=VN)
    d = s.dossier_request_supplement(
        dossier=d,
        actor=world.specialist,
        items=["Bản vẽ"],
        at=dt.datetime(2025, 7, 15, 9, 0, tzinfo=VN),  # Tuesday
    )
    d = s.dossier_supplement(
        dossier=d, actor=world.reception, at=dt.datetime(2025, 7, 17, 9, 0, tzinfo=VN)
    )
    assert d.paused_hours == Decimal(16)
    assert d.due_at == d.original_due_at == dt.datetime(2025, 7, 23, 9, 0, tzinfo=VN)


def test_supplement_before_reception_does_not_count_or_start_the_clock(world: World) -> None:
    d = drive(world, DossierStatus.AWAITING_SUPPLEMENT, resume=DossierStatus.SUBMITTED)
    assert d.supplement_count == 0
    d = s.dossier_supplement(dossier=d, actor=world.citizen, at=world.clock.tick())
    assert d.status == DossierStatus.SUBMITTED
    assert d.received_at is None and d.due_at is None
    assert SupplementRequest.objects.get(dossier=d).before_reception


def test_supplement_request_lists_what_is_missing(world: World) -> None:
    d = drive(world, DossierStatus.SUBMITTED)
    with pytest.raises(ValidationFailed):
        s.dossier_request_supplement(dossier=d, actor=world.reception, items=["  "])
    _unchanged(d, DossierStatus.SUBMITTED, d.version)


def test_classification_when_the_clock_ends(world: World) -> None:
    early = _processing_from(world, dt.datetime(2025, 7, 14, 9, 0, tzinfo=VN))
    early = s.dossier_approve(
        dossier=early, actor=world.leader, at=dt.datetime(2025, 7, 18, 10, 0, tzinfo=VN)
    )
    assert (early.timing, early.finished_at) == (
        Timing.EARLY,
        dt.datetime(2025, 7, 18, 10, 0, tzinfo=VN),
    )
    on_time = _processing_from(world, dt.datetime(2025, 7, 14, 9, 0, tzinfo=VN))
    on_time = s.dossier_deny(
        dossier=on_time,
        actor=world.leader,
        reason="Không đủ điều kiện",
        at=dt.datetime(2025, 7, 21, 8, 30, tzinfo=VN),
    )
    assert on_time.timing == Timing.ON_TIME
    late = _processing_from(world, dt.datetime(2025, 7, 14, 9, 0, tzinfo=VN))
    late = s.dossier_stop(
        dossier=late,
        actor=world.leader,
        reason="Tranh chấp",
        at=dt.datetime(2025, 7, 22, 8, 0, tzinfo=VN),
    )
    assert late.timing == Timing.LATE


def test_refuse_and_deny_need_a_reason(world: World) -> None:
    d = drive(world, DossierStatus.SUBMITTED)
    with pytest.raises(ValidationFailed) as excinfo:
        s.dossier_refuse(dossier=d, actor=world.reception, reason=" ")
    assert str(excinfo.value.message) == "Cần nêu rõ lý do từ chối."
    d = drive(world, DossierStatus.PROCESSING)
    with pytest.raises(ValidationFailed):
        s.dossier_deny(dossier=d, actor=world.leader, reason="")


# --- apology -------------------------------------------------------------------------------


def test_apology_only_when_late_or_about_to_be(world: World) -> None:
    d = _processing_from(world, dt.datetime(2025, 7, 14, 9, 0, tzinfo=VN))  # due 21/07 09:00
    new_due = dt.datetime(2025, 7, 25, 17, 0, tzinfo=VN)
    with pytest.raises(ApologyNotAllowed):
        s.dossier_apologise(
            dossier=d,
            actor=world.leader,
            reason="Cần xác minh",
            new_due_at=new_due,
            at=dt.datetime(2025, 7, 16, 9, 0, tzinfo=VN),
        )
    _unchanged(d, DossierStatus.PROCESSING, d.version)
    d = s.dossier_apologise(
        dossier=d,
        actor=world.leader,
        reason="Cần xác minh",
        new_due_at=new_due,
        at=dt.datetime(2025, 7, 18, 9, 30, tzinfo=VN),  # 7.5 working hours left
    )
    assert d.apologised
    assert d.original_due_at == dt.datetime(2025, 7, 21, 9, 0, tzinfo=VN)
    assert d.due_at == d.apology_due_at == new_due
    apology = Apology.objects.get(dossier=d)
    assert (apology.original_due_at, apology.new_due_at) == (d.original_due_at, new_due)
    # One re-appointment per dossier.
    with pytest.raises(ApologyNotAllowed) as excinfo:
        s.dossier_apologise(
            dossier=d,
            actor=world.leader,
            reason="Lần nữa",
            new_due_at=new_due + dt.timedelta(days=7),
            at=dt.datetime(2025, 7, 25, 9, 0, tzinfo=VN),
        )
    assert excinfo.value.code == "apology_not_allowed"
    # Classified against the legal due time, not the appointment.
    d = s.dossier_approve(
        dossier=d, actor=world.leader, at=dt.datetime(2025, 7, 24, 9, 0, tzinfo=VN)
    )
    assert d.timing == Timing.LATE


def test_apology_date_must_be_later_than_the_due_time(world: World) -> None:
    d = _processing_from(world, dt.datetime(2025, 7, 14, 9, 0, tzinfo=VN))
    with pytest.raises(ValidationFailed):
        s.dossier_apologise(
            dossier=d,
            actor=world.leader,
            reason="Cần xác minh",
            new_due_at=dt.datetime(2025, 7, 21, 8, 0, tzinfo=VN),
            at=dt.datetime(2025, 7, 18, 10, 0, tzinfo=VN),
        )
    assert not Apology.objects.exists()


# --- process steps ------------------------------------------------------------------------


def test_start_and_forward_follow_the_process_template(world: World) -> None:
    start = dt.datetime(2025, 7, 14, 9, 0, tzinfo=VN)
    d = _processing_from(world, start - dt.timedelta(minutes=5))
    first = d.current_step
    assert (first.order, first.name, first.unit.code, first.role) == (
        1,
        "Thẩm định",
        "000.01.21.H16",
        Role.SPECIALIST,
    )
    assert first.due_at == dt.datetime(2025, 7, 17, 9, 0, tzinfo=VN)  # 24 working hours
    d = s.dossier_forward(
        dossier=d,
        actor=world.specialist,
        assignee=world.leader,
        note="Đủ điều kiện",
        at=dt.datetime(2025, 7, 16, 10, 0, tzinfo=VN),
    )
    first.refresh_from_db()
    assert first.finished_at == dt.datetime(2025, 7, 16, 10, 0, tzinfo=VN)
    assert first.timing == Timing.EARLY
    second = d.current_step
    assert (second.order, second.name, second.unit, second.assignee) == (
        2,
        "Phê duyệt",
        world.unit,
        world.leader,
    )
    assert d.assignee == world.leader
    with pytest.raises(ValidationFailed):
        s.dossier_forward(dossier=d, actor=world.leader)
    d = s.dossier_approve(dossier=d, actor=world.leader)
    second.refresh_from_db()
    assert second.finished_at is not None
    assert d.current_step is None
    assert list(d.steps.values_list("order", flat=True)) == [1, 2]


def test_forward_to_an_assignee_outside_the_unit_is_refused(world: World) -> None:
    d = drive(world, DossierStatus.PROCESSING)
    with pytest.raises(ValidationFailed):
        s.dossier_forward(dossier=d, actor=world.specialist, assignee=world.other_reception)
    _unchanged(d, DossierStatus.PROCESSING, d.version)


# --- creation ------------------------------------------------------------------------------


def test_online_only_for_online_procedures(world: World) -> None:
    world.procedure.online_level = 2
    world.procedure.save()
    with pytest.raises(ValidationFailed):
        s.dossier_create_draft(
            actor=world.citizen, procedure=world.procedure, receiving_unit=world.unit
        )


def test_postal_reception_needs_a_procedure_that_accepts_it(world: World) -> None:
    world.procedure.accepts_postal_pickup = False
    world.procedure.save()
    with pytest.raises(ValidationFailed):
        s.dossier_receive_postal(
            actor=world.reception,
            procedure=world.procedure,
            receiving_unit=world.unit,
            applicant=world.applicant(),
        )


def test_fee_total_uses_the_online_amount(world: World) -> None:
    world.procedure.fees.create(name="Lệ phí", amount=50_000, online_amount=25_000)
    world.procedure.fees.create(name="Phí thẩm định", amount=100_000)
    d = drive(world, DossierStatus.DRAFT)
    assert d.fee_total == 125_000
    direct = s.dossier_receive_direct(
        actor=world.reception,
        procedure=world.procedure,
        receiving_unit=world.unit,
        applicant=world.applicant(),
    )
    assert (direct.fee_total, direct.channel) == (150_000, Channel.DIRECT)


def test_action_services_cover_the_table() -> None:
    assert set(s.ACTION_SERVICES) == set(Action)


def test_notification_is_enqueued_on_commit(
    world: World, django_capture_on_commit_callbacks, caplog
) -> None:
    caplog.set_level("INFO", logger="motcua.dossiers.tasks")
    d = drive(world, DossierStatus.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        s.dossier_accept(dossier=d, actor=world.reception)
    # The event's fan-out and the delivery of the applicant's messages (written with the event).
    assert len(callbacks) == 2
    assert "accept" not in caplog.text  # nothing runs before the commit
    for callback in callbacks * 2:  # idempotent: a second run is harmless
        callback()
    assert caplog.text.count(f"dossier {d.code}: accept (submitted → received)") == 2


def test_bulk_loads_enqueue_nothing(world: World, django_capture_on_commit_callbacks) -> None:
    d = drive(world, DossierStatus.SUBMITTED)
    with side_effects_suppressed(), django_capture_on_commit_callbacks() as callbacks:
        s.dossier_accept(dossier=d, actor=world.reception)
    assert callbacks == []
