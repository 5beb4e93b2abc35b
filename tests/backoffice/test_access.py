"""Who may use /can-bo/ and whose dossiers they see and act on."""

from __future__ import annotations

from django.urls import reverse

from motcua.dossiers.constants import DossierStatus
from motcua.dossiers.exceptions import PermissionDenied as DossierPermissionDenied
from tests.dossiers.helpers import drive

from .conftest import World, event_actions


def test_anonymous_goes_to_the_login_page(client, world: World) -> None:
    response = client.get(reverse("backoffice:queues"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_citizen_gets_403(as_user, world: World) -> None:
    assert as_user(world.citizen).get(reverse("backoffice:queues")).status_code == 403
    d = drive(world, DossierStatus.SUBMITTED)
    url = reverse("backoffice:dossier", args=[d.code])
    assert as_user(world.citizen).get(url).status_code == 403


def test_an_officer_of_another_unit_can_neither_see_nor_act(as_user, world: World) -> None:
    d = drive(world, DossierStatus.SUBMITTED)
    other = as_user(world.other_reception)
    assert other.get(reverse("backoffice:dossier", args=[d.code])).status_code == 404
    listing = other.get(reverse("backoffice:queues"), {"tab": "all"})
    assert listing.status_code == 200
    assert d.code not in listing.content.decode()
    response = other.post(
        reverse("backoffice:action", args=[d.code, "accept"]), {"accept-version": d.version}
    )
    assert response.status_code == 404
    d.refresh_from_db()
    assert d.status == DossierStatus.SUBMITTED
    assert "accept" not in event_actions(d)
    for key in ("receipt", "control_sheet"):
        url = reverse("backoffice:form", args=[d.code, key])
        assert other.get(url).status_code == 404


def test_a_specialist_cannot_approve(as_user, world: World) -> None:
    d = drive(world, DossierStatus.PROCESSING)
    specialist = as_user(world.specialist)
    page = specialist.get(reverse("backoffice:dossier", args=[d.code]))
    assert page.status_code == 200
    body = page.content.decode()
    assert reverse("backoffice:action", args=[d.code, "forward"]) in body
    assert reverse("backoffice:action", args=[d.code, "approve"]) not in body
    response = specialist.post(
        reverse("backoffice:action", args=[d.code, "approve"]),
        {"approve-version": d.version},
        follow=True,
    )
    assert response.status_code == 200
    assert str(DossierPermissionDenied.message) in response.content.decode()
    d.refresh_from_db()
    assert d.status == DossierStatus.PROCESSING
    assert "approve" not in event_actions(d)


def test_attachments_download_only_within_scope(as_user, world: World) -> None:
    from motcua.dossiers import services as s
    from tests.dossiers.helpers import pdf_file

    d = drive(world, DossierStatus.SUBMITTED)
    a = s.attachment_add(
        dossier=d, actor=world.reception, kind="scan", file=pdf_file("to-khai.pdf")
    )
    url = reverse("backoffice:attachment", args=[d.code, a.pk])
    response = as_user(world.reception).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert as_user(world.other_reception).get(url).status_code == 404
