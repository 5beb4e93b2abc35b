"""Every demo reception desk has work in each of its tabs, so that a person trying the demo as
any reception officer sees the flow from the first page."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from motcua.orgs.constants import Role
from motcua.orgs.models import Membership

pytestmark = pytest.mark.django_db


def test_each_reception_officer_opens_on_work_in_every_desk_tab() -> None:
    call_command("demo", dossiers=20, stdout=StringIO())
    officers = [
        m.user
        for m in Membership.objects.filter(role=Role.RECEPTION, is_active=True)
        .select_related("user")
        .order_by("user__username")
    ]
    assert len(officers) >= 3
    for officer in officers:
        client = Client()
        client.force_login(officer)
        page = client.get("/can-bo/")
        assert page.status_code == 200
        assert page.context["page"].object_list, officer.username  # the first page shows work
        counts = {tab.key: count for tab, count in page.context["tabs"]}
        for tab in ("new", "to_start", "overdue", "supplement", "results"):
            assert counts[tab] > 0, (officer.username, tab)


def test_a_life_meant_to_wait_for_reception_is_online() -> None:
    """Only an online dossier waits at the desk: whatever the dice (and the order the database
    gives them in), a life that is to stop at "submitted" goes online."""
    from django.utils import timezone

    from motcua.dossiers.constants import Channel, DossierStatus
    from motcua.dossiers.demo import _Life, _Loader

    call_command("demo", dossiers=0, stdout=StringIO())
    loader = _Loader(seed=1, now=timezone.now())
    loader.stop_at = DossierStatus.SUBMITTED
    online = [(p, units) for p, units in loader.plans if p.accepts_online]
    assert online
    channels = {
        _Life(loader, procedure, units[0], "returned")._channel()
        for procedure, units in online
        for _ in range(5)
    }
    assert channels == {Channel.ONLINE}
