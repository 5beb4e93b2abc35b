"""The postal figures come from shipments, not from the dossiers' flags: postal_pickups,
postal_deliveries and the numerator of CT 08's dossiers_postal_share (postal_any), counted by
hand for a small agency D and checked through the report API, the KPI API and the list of the
dossiers behind each number."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from motcua.catalog.models import Procedure
from motcua.dossiers.constants import Channel, DossierStatus, ResultDelivery
from motcua.integration.services import api_client_create
from motcua.orgs.constants import Role
from motcua.orgs.models import Unit
from motcua.postal.constants import ShipmentKind, ShipmentStatus
from motcua.reports.counts import conditions
from motcua.reports.periods import period_parse
from tests.factories import (
    FieldFactory,
    MembershipFactory,
    ProcedureFactory,
    StaffFactory,
    UnitFactory,
)

from .conftest import Province, _dossier, at, delivery, pickup, report_kept, shipment

MAY = period_parse("2020-05")
S = DossierStatus
D_CODE = "000.00.23.H16"


def _agency_d(w: Province) -> tuple[Unit, Procedure]:
    d = UnitFactory(code=D_CODE, name="Sở Nội vụ", parent=w.province)
    procedure = ProcedureFactory(
        code="1.000099", name="Cấp bản sao trích lục", field=FieldFactory(code="NV"),
        online_level=4, accepts_postal_pickup=True, accepts_postal_return=True,
    )  # fmt: skip
    procedure.performing_units.add(d)
    return d, procedure


@pytest.fixture
def postal_d(province: Province) -> Province:
    """Agency D's dossiers around May 2020 (calendar months), each with the parcels it had."""
    w = province
    d, p = _agency_d(w)

    def dossier(name: str, **fields):
        return _dossier(w, name, procedure=p, unit=d, **fields)

    # m1 came by post in May: its pickup handed over at its t0. Pickup, any.
    m1 = dossier("m1", channel=Channel.POSTAL, received=at(5, 4, 9), due=at(6, 20, 17))
    pickup(m1)
    # m2 came by post in April (not May's pickup, nor May's any); its result delivered in May.
    m2 = dossier("m2", channel=Channel.POSTAL, status=S.RETURNED, received=at(4, 28, 9),
                 due=at(5, 20, 17), finished=at(5, 8, 10), returned=at(5, 10, 15),
                 timing="early", result_delivery=ResultDelivery.POSTAL)  # fmt: skip
    pickup(m2)
    delivery(m2)
    # m3 received at the desk in May; its delivery created in May, delivered in June: any only.
    m3 = dossier("m3", status=S.RETURNED, received=at(5, 6, 8), due=at(5, 30, 17),
                 finished=at(5, 20, 9), returned=at(6, 2, 10), timing="early",
                 result_delivery=ResultDelivery.POSTAL)  # fmt: skip
    shipment(m3, ShipmentKind.DELIVERY, created=at(5, 21, 8), delivered=at(6, 2, 10))
    # m4 online; its delivery was cancelled (the applicant came to the desk): nothing postal.
    m4 = dossier("m4", channel=Channel.ONLINE, status=S.RETURNED, received=at(5, 7, 8),
                 due=at(5, 30, 17), finished=at(5, 22, 9), returned=at(5, 26, 9),
                 timing="early")  # fmt: skip
    shipment(m4, ShipmentKind.DELIVERY, created=at(5, 22, 10), status=ShipmentStatus.CANCELLED)
    # m5 says it came and went by post (the flags) but has no shipment at all: nothing postal.
    dossier("m5", channel=Channel.POSTAL, status=S.RETURNED, received=at(5, 8, 8),
            due=at(5, 30, 17), finished=at(5, 18, 9), returned=at(5, 20, 9), timing="early",
            result_delivery=ResultDelivery.POSTAL)  # fmt: skip
    # m6: its pickup came back to the sender, the applicant brought the papers to the desk.
    m6 = dossier("m6", received=at(5, 12, 8), due=at(6, 20, 17))
    shipment(m6, ShipmentKind.PICKUP, created=at(5, 9, 8), status=ShipmentStatus.RETURNED_TO_SENDER)
    # m7 received in May, its delivery created at the midnight closing May: June's, not May's.
    m7 = dossier("m7", channel=Channel.ONLINE, status=S.RESULT_READY, received=at(5, 30, 8),
                 due=at(6, 10, 17), finished=at(5, 31, 16), timing="early")  # fmt: skip
    shipment(m7, ShipmentKind.DELIVERY, created=at(6, 1))
    # m8: a first delivery failed, the second delivered at 23:59 on 31 May: once in deliveries.
    m8 = dossier("m8", status=S.RETURNED, received=at(5, 15, 8), due=at(6, 5, 17),
                 finished=at(5, 25, 9), returned=at(5, 31, 23, 59), timing="early")  # fmt: skip
    shipment(m8, ShipmentKind.DELIVERY, created=at(5, 25, 10),
             status=ShipmentStatus.RETURNED_TO_SENDER)  # fmt: skip
    shipment(m8, ShipmentKind.DELIVERY, created=at(5, 29, 10), delivered=at(5, 31, 23, 59))
    # m9 delivered at the midnight opening May (April's m9 was received in April): May's.
    m9 = dossier("m9", status=S.RETURNED, received=at(4, 2, 8), due=at(4, 20, 17),
                 finished=at(4, 20, 9), returned=at(5, 1), timing="early")  # fmt: skip
    shipment(m9, ShipmentKind.DELIVERY, created=at(4, 21, 8), delivered=at(5, 1))
    return w


# By hand, May 2020, agency D.
PICKUPS = {"m1"}
DELIVERIES = {"m2", "m8", "m9"}
ANY = {"m1", "m3", "m8"}
RECEIVED = {"m1", "m3", "m4", "m5", "m6", "m7", "m8"}  # the KPI's denominator


def _key(agencies) -> str:
    _client, key = api_client_create(name="Báo cáo", agencies=agencies, scopes=("reports:read",))
    return key


def test_report_api_counts_shipments_not_flags(postal_d: Province) -> None:
    key = _key([postal_d.province])
    response = Client().get(
        "/api/v1/reports/monthly",
        {"period": "2020-05", "agency": D_CODE},
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 200, response.content
    totals = response.json()["totals"]
    assert totals["postal_pickups"] == len(PICKUPS)
    assert totals["postal_deliveries"] == len(DELIVERIES)
    # The form's channel column is still the channel: m1 and m5 (m5 has no parcel).
    assert totals["received_postal"] == 2


def test_kpi_postal_share_counts_shipments(postal_d: Province) -> None:
    response = Client().get("/api/v1/stats/kpi", {"period": "2020-05", "agency": D_CODE})
    assert response.status_code == 200
    share = {i["id"]: i for i in response.json()["indicators"]}["dossiers_postal_share"]
    assert (share["numerator"], share["denominator"]) == (len(ANY), len(RECEIVED))
    # The quarter sums its months: April adds m2 (pickup) and m9 (delivery created in April).
    response = Client().get("/api/v1/stats/kpi", {"period": "2020-Q2", "agency": D_CODE})
    share = {i["id"]: i for i in response.json()["indicators"]}["dossiers_postal_share"]
    assert (share["numerator"], share["denominator"]) == (len(ANY) + 2, len(RECEIVED) + 2)


def test_a_month_not_due_counts_a_delivery_created_after_the_day_of_receipt(
    postal_d: Province,
) -> None:
    """On 1 June May is not due: read from its kept days, postal_any still counts m3, received
    on the 6th, whose delivery was created on the 21st — as the frozen month will."""
    now = dt.datetime(2020, 6, 1, 10, tzinfo=MAY.start.tzinfo)
    d = Unit.objects.get(code=D_CODE)
    kept = report_kept(period="2020-05", agency=d, now=now)
    assert not kept.frozen
    live = report_kept(period="2020-05", agency=d, live=True)
    assert kept.totals["postal_any"] == live.totals["postal_any"] == len(ANY)
    assert kept.pair_counts == live.pair_counts
    quarter = report_kept(period="2020-Q2", agency=d, now=now)
    assert quarter.totals["postal_any"] == len(ANY) + 2
    assert report_kept(period="2020-Q2", agency=d, live=True).pair_counts == quarter.pair_counts


def test_conditions_are_those_of_the_hand_count(postal_d: Province) -> None:
    """The same sets from the conditions over every dossier (no index-bounded population)."""
    from motcua.dossiers.models import Dossier

    conds = conditions(MAY.start, MAY.end)
    mine = Dossier.objects.filter(receiving_unit__code=D_CODE)

    def names(key: str) -> set[str]:
        return set(mine.filter(conds[key]).values_list("applicant_name", flat=True))

    assert names("postal_pickups") == PICKUPS
    assert names("postal_deliveries") == DELIVERIES
    assert names("postal_any") == ANY


def _names(response) -> set[str]:
    return {d.applicant_name for d in response.context["page"].object_list}


def test_the_numbers_list_their_dossiers(postal_d: Province) -> None:
    viewer = StaffFactory(username="baocao_bc")
    MembershipFactory(user=viewer, unit=postal_d.province, role=Role.REPORT_VIEWER)
    client = Client()
    client.force_login(viewer)
    page = client.get("/bao-cao/", {"period": "2020-05", "agency": D_CODE})
    assert page.status_code == 200
    html = page.content.decode()
    for column in ("postal_pickups", "postal_deliveries", "postal_any"):
        assert f"agency={D_CODE}&amp;column={column}" in html, column
    expected = {"postal_pickups": PICKUPS, "postal_deliveries": DELIVERIES, "postal_any": ANY}
    for column, names in expected.items():
        response = client.get(
            "/bao-cao/ho-so/", {"period": "2020-05", "agency": D_CODE, "column": column}
        )
        assert response.status_code == 200
        assert _names(response) == names, column
        assert response.context["page"].paginator.count == len(names)
    # The quarter's list of postal_any is its months' (m2 and m9 in April).
    response = client.get(
        "/bao-cao/ho-so/", {"period": "2020-Q2", "agency": D_CODE, "column": "postal_any"}
    )
    assert _names(response) == ANY | {"m2", "m9"}


def test_the_lists_are_authorised_like_the_report(postal_d: Province) -> None:
    query = {"period": "2020-05", "agency": D_CODE, "column": "postal_pickups"}
    assert Client().get("/bao-cao/ho-so/", query).status_code == 302  # to the login
    # An administrator of agency A sees A's lists, not D's.
    admin_a = StaffFactory(username="quantri_a")
    MembershipFactory(user=admin_a, unit=postal_d.a, role=Role.AGENCY_ADMIN)
    client = Client()
    client.force_login(admin_a)
    assert client.get("/bao-cao/ho-so/", query).status_code == 404
    response = client.get("/bao-cao/ho-so/", {**query, "agency": postal_d.a.code})
    assert response.status_code == 200 and _names(response) == {"#7"}
    # A desk officer of D is no report viewer.
    officer = StaffFactory(username="motcua_d")
    MembershipFactory(user=officer, unit=Unit.objects.get(code=D_CODE), role=Role.RECEPTION)
    client.force_login(officer)
    assert client.get("/bao-cao/ho-so/", query).status_code == 403
    # An administrator of D sees D's.
    admin_d = StaffFactory(username="quantri_d")
    MembershipFactory(user=admin_d, unit=Unit.objects.get(code=D_CODE), role=Role.AGENCY_ADMIN)
    client.force_login(admin_d)
    response = client.get("/bao-cao/ho-so/", query)
    assert response.status_code == 200 and _names(response) == PICKUPS
