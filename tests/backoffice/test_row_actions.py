"""One-click actions in the queue rows: htmx gets only the row (and the counts), no JS a redirect."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from motcua.dossiers.constants import Action, DossierStatus, ResultDelivery
from motcua.dossiers.models import Dossier
from motcua.orgs.constants import Role
from tests.dossiers.helpers import drive
from tests.factories import MembershipFactory, StaffFactory

from .conftest import World, event_actions

HTMX = {"HTTP_HX_REQUEST": "true"}
QUEUES = reverse("backoffice:queues")


def _url(dossier: Dossier, action: str) -> str:
    return reverse("backoffice:row_action", args=[dossier.code, action])


def _post(client, dossier: Dossier, action: str, back: str = "", htmx: bool = True, **data):
    data.setdefault(f"{action}-version", dossier.version)
    return client.post(_url(dossier, action), {"back": back, **data}, **(HTMX if htmx else {}))


def _counts(response) -> dict[str, int]:
    return json.loads(response["HX-Trigger"])["queue-counts"]


def _department_specialist(world: World):
    """A specialist of the department: covers the office below, where the first step sits."""
    officer = StaffFactory(username="chuyenvien_so", full_name="Võ Thị Thảo")
    MembershipFactory(user=officer, unit=world.unit, role=Role.SPECIALIST)
    return officer


def test_the_rows_offer_what_needs_no_long_form(as_user, world: World) -> None:
    received = drive(world, DossierStatus.RECEIVED)
    ready = drive(world, DossierStatus.RESULT_READY)
    submitted = drive(world, DossierStatus.SUBMITTED)
    reception = as_user(world.reception)
    body = reception.get(QUEUES, {"tab": "to_start"}).content.decode()
    assert f'hx-post="{_url(received, Action.START)}"' in body
    assert "Chuyển xử lý" in body and "Nhận xử lý" not in body  # reception does not do step 1
    body = reception.get(QUEUES, {"tab": "results"}).content.decode()
    assert f'hx-post="{_url(ready, Action.RETURN_RESULT)}"' in body
    assert "Trả kết quả tại quầy" in body and 'hx-confirm="Xác nhận trả kết quả' in body
    assert f'value="{ready.applicant_name}"' in body  # the collector, pre-filled
    # Accepting needs the checklist: only the link to the dossier page.
    body = reception.get(QUEUES, {"tab": "new"}).content.decode()
    assert "/nhanh/" not in body
    assert reverse("backoffice:dossier", args=[submitted.code]) in body
    # A specialist who holds the first step's role takes it on.
    specialist = as_user(_department_specialist(world))
    body = specialist.get(QUEUES, {"tab": "to_start"}).content.decode()
    assert "Nhận xử lý" in body


def test_start_from_the_row_returns_only_the_row_and_the_new_counts(as_user, world: World) -> None:
    d = drive(world, DossierStatus.RECEIVED)
    officer = _department_specialist(world)
    client = as_user(officer)
    before = client.get(QUEUES, {"tab": "to_start"})
    assert {t.key: n for t, n in before.context["tabs"]}["to_start"] == 1
    response = _post(client, d, Action.START, back="tab=to_start")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith(f'<tr id="row-{d.pk}"') and "<html" not in body
    assert "Đang xử lý" in body and "Đã chuyển hồ sơ cho bộ phận xử lý." in body
    assert "Thẩm định" in body and "Võ Thị Thảo" in body  # the step, assigned to me
    assert "deadline-" in body  # the time-left badge
    d.refresh_from_db()
    assert d.status == DossierStatus.PROCESSING and d.assignee == officer
    assert event_actions(d)[-1] == Action.START
    counts = _counts(response)
    assert counts["to_start"] == 0 and counts["mine"] == 1


def test_start_by_reception_leaves_the_step_to_its_role(as_user, world: World) -> None:
    d = drive(world, DossierStatus.RECEIVED)
    response = _post(as_user(world.reception), d, Action.START)
    assert response.status_code == 200
    d.refresh_from_db()
    assert d.status == DossierStatus.PROCESSING and d.assignee is None
    assert d.current_step.role == Role.SPECIALIST


def test_return_at_the_desk_records_the_collector(as_user, world: World) -> None:
    d = drive(world, DossierStatus.RESULT_READY)
    assert d.result_delivery == ResultDelivery.IN_PERSON
    client = as_user(world.reception)
    response = _post(
        client,
        d,
        Action.RETURN_RESULT,
        back="tab=results",
        **{"return_result-collector": "Lê Thị Hoa (CCCD 001090000456)"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Đã trả kết quả" in body and "Đã trả kết quả cho người nộp." in body
    assert "Trả kết quả tại quầy" not in body  # nothing left to do in this row
    d.refresh_from_db()
    assert d.status == DossierStatus.RETURNED and d.returned_at is not None
    event = d.events.order_by("-seq").first()
    assert event.action == Action.RETURN_RESULT and event.actor == world.reception
    assert event.payload["collector"] == "Lê Thị Hoa (CCCD 001090000456)"
    assert event.payload["delivery"] == ResultDelivery.IN_PERSON
    assert _counts(response)["results"] == 0


def test_return_without_a_collector_keeps_the_row_and_says_why(as_user, world: World) -> None:
    d = drive(world, DossierStatus.RESULT_READY)
    events = event_actions(d)
    response = _post(
        as_user(world.reception), d, Action.RETURN_RESULT, **{"return_result-collector": " "}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Cần ghi người nhận kết quả tại bộ phận một cửa." in body
    assert 'role="alert"' in body and "Trả kết quả tại quầy" in body
    d.refresh_from_db()
    assert d.status == DossierStatus.RESULT_READY and event_actions(d) == events


def test_a_stale_row_says_so_and_shows_the_fresh_version(as_user, world: World) -> None:
    d = drive(world, DossierStatus.RECEIVED)
    stale_version = d.version
    first = _post(as_user(world.reception), d, Action.START)
    assert first.status_code == 200
    d.refresh_from_db()
    events = event_actions(d)
    second = _post(
        as_user(_department_specialist(world)),
        d,
        Action.START,
        **{"start-version": stale_version},
    )
    body = second.content.decode()
    assert second.status_code == 200
    assert "Hồ sơ vừa được người khác cập nhật." in body
    assert f'data-version="{d.version}"' in body and "Đang xử lý" in body
    assert event_actions(d) == events  # nothing written


def test_without_javascript_back_to_the_same_queue_and_filters(as_user, world: World) -> None:
    d = drive(world, DossierStatus.RECEIVED)
    client = as_user(world.reception)
    back = "tab=to_start&q=nguyen&sort=-due"
    response = _post(client, d, Action.START, back=back, htmx=False)
    assert response.status_code == 302
    assert response["Location"] == f"{QUEUES}?tab=to_start&q=nguyen&sort=-due"
    page = client.get(response["Location"])
    assert f"{d.code}: Đã chuyển hồ sơ cho bộ phận xử lý." in page.content.decode()
    d.refresh_from_db()
    assert d.status == DossierStatus.PROCESSING
    # An error is a message on the same queue, not a dead end.
    response = _post(client, d, Action.START, back=back, htmx=False)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Thao tác này không được phép ở trạng thái hiện tại của hồ sơ." in page


def test_scoping_other_units_roles_and_actions(as_user, world: World) -> None:
    d = drive(world, DossierStatus.RESULT_READY)
    events = event_actions(d)
    # Another unit's desk cannot even see it.
    response = _post(
        as_user(world.other_reception), d, Action.RETURN_RESULT, **{"return_result-collector": "X"}
    )
    assert response.status_code == 404
    # The leader sees it but is not the desk: refused by the service, shown in the row.
    response = _post(
        as_user(world.leader), d, Action.RETURN_RESULT, **{"return_result-collector": "X"}
    )
    assert response.status_code == 200
    assert "Bạn không có quyền thực hiện thao tác này trên hồ sơ." in response.content.decode()
    # Only the quick actions have a row endpoint.
    response = _post(as_user(world.leader), d, Action.APPROVE)
    assert response.status_code == 404
    # A citizen is no officer.
    response = _post(as_user(world.citizen), d, Action.RETURN_RESULT)
    assert response.status_code == 403
    d.refresh_from_db()
    assert d.status == DossierStatus.RESULT_READY and event_actions(d) == events


@pytest.mark.parametrize("method", ["get", "put"])
def test_row_actions_only_accept_post(as_user, world: World, method: str) -> None:
    d = drive(world, DossierStatus.RECEIVED)
    response = getattr(as_user(world.reception), method)(_url(d, Action.START))
    assert response.status_code == 405


@pytest.mark.parametrize("action", [Action.START, Action.RETURN_RESULT])
def test_the_quick_forms_inputs_are_the_widgets_own(world: World, action: str) -> None:
    """The rows write the quick forms' inputs without the widget templates: the same HTML as
    the widgets give, the applicant's name escaped; a bound form goes through the widgets."""
    from motcua.backoffice.forms import QUICK_FORMS
    from motcua.backoffice.rows import field_html

    dossier = drive(world, DossierStatus.RESULT_READY)
    dossier.applicant_name = 'Lê "Văn" <b>An</b> & con'
    form = QUICK_FORMS[action](
        auto_id=f"id_row{dossier.pk}_%s", dossier=dossier, user=world.reception
    )
    for field in form:
        assert field_html(field) == str(field)
    assert "&lt;b&gt;" in "".join(field_html(field) for field in form) or action == Action.START
    bound = QUICK_FORMS[action]({}, dossier=dossier, user=world.reception)
    for field in bound:
        assert field_html(field) == str(field)


@pytest.mark.parametrize("name", ['Lê "Văn" <b>An</b> & con', ""])
def test_a_page_writes_each_quick_form_once_and_fills_in_each_row(world: World, name: str) -> None:
    """The rows' links and quick forms, written once per page and filled in per row, are what
    `reverse` and the forms written field by field give, the row's values escaped."""
    from motcua.backoffice import selectors
    from motcua.backoffice.forms import QUICK_FORMS
    from motcua.backoffice.rows import RowText, _quick_form, _unbound

    scope = selectors.officer_scope(user=world.reception)
    text = RowText()
    rows = [drive(world, DossierStatus.RESULT_READY) for _ in range(2)]
    rows += [drive(world, DossierStatus.RECEIVED) for _ in range(2)]
    back, csrf = "tab=all&q=%C4%91", "t0ken"
    seen = set()
    for d in rows:
        d.applicant_name = name
        d.version += len(seen)  # each row its own version
        assert text.url("backoffice:dossier", d.code) == reverse(
            "backoffice:dossier", args=[d.code]
        )
        for quick in selectors.quick_actions(scope=scope, dossier=d):
            url = text.url("backoffice:row_action", d.code, quick.action)
            assert url == _url(d, quick.action)
            form = _unbound(QUICK_FORMS[quick.action], d, quick)
            expected = _quick_form(d, quick, form, url, back=back, csrf=csrf)
            assert text.quick_form(d, quick, url, back=back, csrf=csrf) == expected
            assert f'value="{d.version}"' in expected and f"id_row{d.pk}_" in expected
            seen.add(quick.action)
    assert seen == {Action.START, Action.RETURN_RESULT}
