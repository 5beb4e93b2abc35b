"""The demo province's postal service: every desk has a sandbox postal account and postage, the
demo's parcels are in every state (pickups handed over, deliveries delivered so their dossiers
are returned) and the sandbox operator's page lists them."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from motcua.dossiers.constants import Channel, DossierStatus
from motcua.orgs.models import Unit
from motcua.postal.constants import ShipmentKind, ShipmentStatus, Zone
from motcua.postal.models import PostageRate, PostalAccount, PostalCallback, Shipment
from motcua.postal.selectors import account_for, postage_table

pytestmark = pytest.mark.django_db


def test_the_demo_has_parcels_in_every_state_and_the_sandbox_page_lists_them(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    out = StringIO()
    # Enough dossiers that some results are ready for post whatever the hour: with 60, a run at
    # 08:25 in Vietnam found two, fewer than the states to show (the demo's lives end at now).
    call_command("demo", dossiers=120, stdout=out)
    assert "Bưu gửi minh hoạ (bưu điện thử nghiệm): " in out.getvalue()
    assert "/buu-chinh/thu-nghiem/" in out.getvalue()

    # Every desk sends and receives parcels through a demo sandbox account, at both postages.
    assert not PostalAccount.objects.filter(is_demo=False).exists()
    for centre in Unit.objects.filter(kind="centre"):
        account = account_for(unit=centre)
        assert (
            account is not None and account.provider == "sandbox" and "Đắk Lắk" in account.address
        )
        assert postage_table(unit=centre) == {Zone.INTRA: 22_000, Zone.INTER: 35_000}
    assert PostageRate.objects.count() == 2

    sandbox = Shipment.objects.filter(provider="sandbox").exclude(tracking_number="")
    assert set(sandbox.values_list("status", flat=True)) == set(ShipmentStatus.values)
    # A pickup handed over at the desk (t0) received its dossier, postal.
    handed = sandbox.filter(kind=ShipmentKind.PICKUP, handed_over_at__isnull=False)
    assert handed.exists()
    for shipment in handed.select_related("dossier"):
        assert shipment.status == ShipmentStatus.DELIVERED
        assert shipment.dossier.channel == Channel.POSTAL
        assert shipment.dossier.status != DossierStatus.SUBMITTED
    # A delivered result returned its dossier.
    delivered = sandbox.filter(kind=ShipmentKind.DELIVERY, status=ShipmentStatus.DELIVERED)
    assert delivered.exists()
    for shipment in delivered.select_related("dossier"):
        assert shipment.dossier.status == DossierStatus.RETURNED
    # The operator's statuses came as signed callbacks, applied.
    assert PostalCallback.objects.filter(outcome="applied").count() >= sandbox.count()

    page = Client().get("/buu-chinh/thu-nghiem/")
    assert page.status_code == 200
    html = page.content.decode()
    newest = sandbox.order_by("-created_at", "-pk")[:20]
    for shipment in newest:
        assert shipment.tracking_number in html
    for status in ShipmentStatus:
        found = sandbox.filter(status=status).first()
        assert (
            found.tracking_number
            in Client().get("/buu-chinh/thu-nghiem/", {"q": found.tracking_number}).content.decode()
        )

    # Last, as it moves a parcel on: a dossier sent by post waits for its hand-over; the output
    # names the parcel and the officer, who receives it (t0 at the hand-over).
    text = out.getvalue()
    assert "hồ sơ gửi qua bưu điện chờ bàn giao: " in text
    number, username = text.split("chờ bàn giao: ", 1)[1].split(", đăng nhập ", 1)
    username = username.split()[0]
    waiting = sandbox.get(tracking_number=number)
    assert waiting.kind == ShipmentKind.PICKUP and waiting.is_active
    assert waiting.dossier.status == DossierStatus.SUBMITTED
    from motcua.accounts.models import User
    from motcua.postal import services as postal

    dossier = postal.pickup_handover(
        shipment=waiting, actor=User.objects.get(username=username), courier_name="Lê Văn Bưu"
    )
    waiting.refresh_from_db()
    assert dossier.status == DossierStatus.RECEIVED and waiting.status == ShipmentStatus.DELIVERED
