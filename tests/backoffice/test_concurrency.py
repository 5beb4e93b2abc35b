"""Two officers act on the same dossier at once: one wins, the other is told, nothing doubles."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from motcua.dossiers.constants import DossierStatus
from motcua.dossiers.exceptions import StaleDossier
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.orgs.constants import Role
from tests.dossiers.helpers import drive
from tests.factories import MembershipFactory, StaffFactory

from .conftest import World

STALE = str(StaleDossier.message)


def _second_reception(world: World):
    officer = StaffFactory(username="tiepnhan2")
    MembershipFactory(user=officer, unit=world.unit, role=Role.RECEPTION)
    return officer


def test_two_forms_with_the_same_version_one_wins(as_user, world: World) -> None:
    d = drive(world, DossierStatus.SUBMITTED)
    first, second = as_user(world.reception), as_user(_second_reception(world))
    url = reverse("backoffice:action", args=[d.code, "accept"])
    # Both opened the page at the same version.
    seen = d.version
    assert first.post(url, {"accept-version": seen}).status_code == 302
    response = second.post(url, {"accept-version": seen}, follow=True)
    assert response.status_code == 200
    assert STALE in response.content.decode()
    assert DossierEvent.objects.filter(dossier=d, action="accept").count() == 1
    d.refresh_from_db()
    assert (d.status, d.received_by) == (DossierStatus.RECEIVED, world.reception)
    # A stale refusal after the accept changes nothing either (htmx: the panel says so).
    response = second.post(
        reverse("backoffice:action", args=[d.code, "refuse"]),
        {"refuse-version": seen, "refuse-reason": "Trùng hồ sơ"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert STALE in response.content.decode()
    assert Dossier.objects.get(pk=d.pk).status == DossierStatus.RECEIVED


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_threads_accept_at_once_on_postgresql(world: World) -> None:
    d = drive(world, DossierStatus.SUBMITTED)
    officers = [world.reception, _second_reception(world)]
    url = reverse("backoffice:action", args=[d.code, "accept"])
    barrier = threading.Barrier(2)
    results: list[str] = []

    def accept(user) -> None:
        client = Client()
        client.force_login(user)
        barrier.wait()
        try:
            response = client.post(url, {"accept-version": d.version}, follow=True)
            body = response.content.decode()
            results.append("stale" if STALE in body else "ok")
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(u,)) for u in officers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(results) == ["ok", "stale"]
    assert DossierEvent.objects.filter(dossier=d, action="accept").count() == 1
    assert Dossier.objects.get(pk=d.pk).status == DossierStatus.RECEIVED
