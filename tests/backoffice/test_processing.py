"""Processing through the UI: start, forward, supplement, approve, deny, stop, return, apologise."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from motcua.dossiers import services as s
from motcua.dossiers.constants import AttachmentKind, DossierStatus
from motcua.dossiers.models import Apology, Attachment, Dossier
from motcua.orgs.constants import Role
from motcua.workcal import add_working_time
from tests.dossiers.helpers import drive, pdf_file
from tests.factories import MembershipFactory, StaffFactory

from .conftest import World, event_actions, pdf_text


def _act(client, d: Dossier, action: str, data: dict, **kwargs):
    payload = {f"{action}-{k}": v for k, v in data.items()}
    payload.setdefault(f"{action}-version", d.version)
    return client.post(reverse("backoffice:action", args=[d.code, action]), payload, **kwargs)


def _fresh(d: Dossier) -> Dossier:
    return Dossier.objects.get(pk=d.pk)


def test_start_hands_the_dossier_to_the_first_step(as_user, world: World) -> None:
    d = drive(world, DossierStatus.RECEIVED)
    reception = as_user(world.reception)
    response = _act(reception, d, "start", {"assignee": world.specialist.pk})
    assert response.status_code == 302
    d = _fresh(d)
    assert d.status == DossierStatus.PROCESSING
    assert (d.current_step.name, d.assignee) == ("Thẩm định", world.specialist)
    assert d.current_step.due_at is not None
    assert event_actions(d)[-1] == "start"


def test_forward_to_the_next_step_then_the_leader_approves_with_the_result(
    as_user, world: World
) -> None:
    d = drive(world, DossierStatus.PROCESSING)
    specialist = as_user(world.specialist)
    response = _act(
        specialist, d, "forward", {"target": "next", "assignee": world.leader.pk, "note": "Đủ ĐK"}
    )
    # The dossier left the specialist's office: back to the queues.
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:queues")
    d = _fresh(d)
    assert (d.current_step.name, d.assignee) == ("Phê duyệt", world.leader)
    assert event_actions(d)[-1] == "forward"
    leader = as_user(world.leader)
    page = leader.get(reverse("backoffice:dossier", args=[d.code])).content.decode()
    assert "Thẩm định" in page and "Phê duyệt" in page  # the steps with their due times
    # At the approval step the leader's first, open action is the approval.
    assert page.index("action-approve") < page.index("action-forward")
    response = _act(
        leader, d, "approve", {"note": "Đồng ý", "result_file": pdf_file("giay-phep.pdf")}
    )
    assert response.status_code == 302
    d = _fresh(d)
    assert d.status == DossierStatus.RESULT_READY and d.has_e_result
    result = Attachment.objects.get(dossier=d, kind=AttachmentKind.RESULT)
    assert result.original_name == "giay-phep.pdf"
    assert event_actions(d)[-1] == "approve"
    # Form 05 lists every hand-over from the audit chain.
    sheet = leader.get(reverse("backoffice:form", args=[d.code, "control_sheet"]))
    assert sheet["Content-Type"] == "application/pdf"
    text = pdf_text(sheet.content)
    assert d.code in text and "Thẩm định" in text and "Phê duyệt" in text


def test_forward_to_a_colleague_or_another_unit(as_user, world: World) -> None:
    colleague = StaffFactory(username="chuyenvien2", full_name="Đỗ Thị Hạnh")
    MembershipFactory(user=colleague, unit=world.specialist.memberships.get().unit)
    colleague.memberships.update(role=Role.SPECIALIST)
    d = drive(world, DossierStatus.PROCESSING)
    specialist = as_user(world.specialist)
    # Colleague chosen without naming them: the form says so and nothing changes.
    response = _act(specialist, d, "forward", {"target": "colleague"})
    assert response.status_code == 200
    assert "Hãy chọn cán bộ nhận hồ sơ." in response.content.decode()
    response = _act(specialist, d, "forward", {"target": "colleague", "assignee": colleague.pk})
    assert response.status_code == 302
    d = _fresh(d)
    assert (d.current_step.name, d.assignee) == ("Thẩm định", colleague)
    # Inter-agency: to another department; the leader of the receiving unit still sees it.
    response = _act(
        as_user(colleague),
        d,
        "forward",
        {"target": "unit", "to_unit": world.other_unit.pk, "hours": "16"},
    )
    assert response.status_code == 302
    d = _fresh(d)
    assert d.current_step.unit == world.other_unit
    assert d.current_step.role == Role.SPECIALIST
    assert d.status == DossierStatus.PROCESSING
    # The other unit's officers now see it (the current step is theirs).
    page = as_user(world.other_reception).get(reverse("backoffice:dossier", args=[d.code]))
    assert page.status_code == 200


def test_supplement_during_processing_and_its_return(as_user, world: World) -> None:
    d = drive(world, DossierStatus.PROCESSING)
    specialist = as_user(world.specialist)
    response = _act(specialist, d, "request_supplement", {"other_items": "Bản vẽ hiện trạng"})
    assert response.status_code == 302
    d = _fresh(d)
    assert d.status == DossierStatus.AWAITING_SUPPLEMENT and d.supplement_count == 1
    reception = as_user(world.reception)
    response = _act(reception, d, "supplement", {"note": "Đã nhận bản vẽ"})
    assert response.status_code == 302
    d = _fresh(d)
    assert d.status == DossierStatus.PROCESSING
    assert event_actions(d)[-2:] == ["request_supplement", "supplement"]


def test_deny_stop_and_return_result(as_user, world: World) -> None:
    leader = as_user(world.leader)
    denied = drive(world, DossierStatus.PROCESSING)
    assert _act(leader, denied, "deny", {"reason": ""}).status_code == 200
    assert _fresh(denied).status == DossierStatus.PROCESSING
    response = _act(leader, denied, "deny", {"reason": "Không đủ điều kiện cấp phép"})
    assert response.status_code == 302
    denied = _fresh(denied)
    assert denied.status == DossierStatus.RESULT_READY
    text = pdf_text(leader.get(reverse("backoffice:form", args=[denied.code, "refusal"])).content)
    assert "Không đủ điều kiện cấp phép" in text

    stopped = drive(world, DossierStatus.PROCESSING)
    assert _act(leader, stopped, "stop", {"reason": "Có tranh chấp"}).status_code == 302
    assert _fresh(stopped).status == DossierStatus.STOPPED

    reception = as_user(world.reception)
    response = _act(reception, denied, "return_result", {"delivery": "in_person"})
    assert response.status_code == 200
    assert "Cần ghi người nhận kết quả" in response.content.decode()
    response = _act(
        reception,
        denied,
        "return_result",
        {"delivery": "in_person", "collector": "Trần Văn Nam, CCCD 066090001111"},
    )
    assert response.status_code == 302
    denied = _fresh(denied)
    assert denied.status == DossierStatus.RETURNED and denied.returned_at is not None
    event = denied.events.order_by("-seq").first()
    assert (event.action, event.payload["collector"]) == (
        "return_result",
        "Trần Văn Nam, CCCD 066090001111",
    )


def test_withdraw_on_the_citizens_request(as_user, world: World) -> None:
    d = drive(world, DossierStatus.RECEIVED)
    response = _act(as_user(world.reception), d, "withdraw", {"reason": "Đơn xin rút ngày 20/7"})
    assert response.status_code == 302
    assert _fresh(d).status == DossierStatus.WITHDRAWN


def test_apology_only_when_late_with_a_working_time_appointment_form_04(
    as_user, world: World
) -> None:
    d = drive(world, DossierStatus.PROCESSING)  # due in July 2025: late now
    leader = as_user(world.leader)
    page = leader.get(reverse("backoffice:dossier", args=[d.code])).content.decode()
    assert reverse("backoffice:action", args=[d.code, "apologise"]) in page
    assert "Quá hạn, chưa có phiếu xin lỗi" in page
    # A Sunday is refused by workcal's reappointment check.
    today = timezone.localdate()
    sunday = today + dt.timedelta(days=(6 - today.weekday()) % 7 or 7)
    response = _act(
        leader,
        d,
        "apologise",
        {"reason": "Chờ ý kiến", "new_date": sunday.strftime("%d/%m/%Y"), "new_time": "09:00"},
    )
    assert response.status_code == 200
    assert "trong giờ làm việc của một ngày làm việc" in response.content.decode()
    assert not Apology.objects.exists()
    new_due = add_working_time(timezone.now(), 3, "days")
    local = timezone.localtime(new_due)
    response = _act(
        leader,
        d,
        "apologise",
        {
            "reason": "Cần lấy ý kiến Sở Tài nguyên",
            "new_date": local.strftime("%d/%m/%Y"),
            "new_time": local.strftime("%H:%M"),
        },
    )
    assert response.status_code == 302
    d = _fresh(d)
    assert d.apologised and event_actions(d)[-1] == "apologise"
    text = pdf_text(leader.get(reverse("backoffice:form", args=[d.code, "apology"])).content)
    assert d.code in text and "Cần lấy ý kiến Sở Tài nguyên" in text
    # The new appointment, as the form writes it ("16 giờ 00 phút, ngày 01 tháng 12 năm 2026").
    assert f"ngày {local:%d} tháng {local:%m} năm {local:%Y}" in " ".join(text.split())
    # Once only: the action is no longer offered.
    page = leader.get(reverse("backoffice:dossier", args=[d.code])).content.decode()
    assert reverse("backoffice:action", args=[d.code, "apologise"]) not in page


def test_apology_not_offered_while_well_within_the_deadline(as_user, world: World) -> None:
    d = drive(world, DossierStatus.RECEIVED)
    d = s.dossier_start(dossier=d, actor=world.reception, assignee=world.specialist)
    Dossier.objects.filter(pk=d.pk).update(due_at=add_working_time(timezone.now(), 5, "days"))
    page = as_user(world.leader).get(reverse("backoffice:dossier", args=[d.code]))
    assert reverse("backoffice:action", args=[d.code, "apologise"]) not in page.content.decode()
