"""/bao-cao/: who may see what, every number's list, downloads, submission through the page,
and the public open-data page."""

from __future__ import annotations

import pytest
from django.test import Client

from motcua.orgs.constants import Role
from tests.factories import MembershipFactory, StaffFactory, UserFactory

from .conftest import Province
from .test_selectors import A_MAY


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def viewer(province: Province):
    user = StaffFactory(username="baocao")
    MembershipFactory(user=user, unit=province.province, role=Role.REPORT_VIEWER)
    return user


@pytest.fixture
def admin_a(province: Province):
    user = StaffFactory(username="quantri_stp")
    MembershipFactory(user=user, unit=province.a, role=Role.AGENCY_ADMIN)
    return user


def test_access(province: Province, viewer, admin_a) -> None:
    assert Client().get("/bao-cao/").status_code == 302
    assert _client(UserFactory()).get("/bao-cao/").status_code == 403
    officer = StaffFactory()
    MembershipFactory(user=officer, unit=province.a, role=Role.RECEPTION)
    assert _client(officer).get("/bao-cao/").status_code == 403
    response = _client(viewer).get("/bao-cao/", {"period": "2020-05"})
    assert response.status_code == 200
    assert response.context["agency"] is None
    # An agency administrator sees their agency, never another one.
    client = _client(admin_a)
    response = client.get("/bao-cao/", {"period": "2020-05"})
    assert response.context["agency"] == province.a
    assert {k: response.context["figures"][k] for k in A_MAY} == A_MAY
    assert (
        client.get("/bao-cao/", {"period": "2020-05", "agency": province.b.code}).status_code == 404
    )
    assert (
        client.get(
            "/bao-cao/ho-so/",
            {"period": "2020-05", "column": "received_direct", "unit": province.b.code},
        ).status_code
        == 404
    )
    assert client.get("/bao-cao/", {"period": "2020-13"}).status_code == 404


def test_dashboard_numbers_link_to_their_dossiers(province: Province, viewer) -> None:
    client = _client(viewer)
    page = client.get(
        "/bao-cao/", {"period": "2020-05", "agency": province.a.code}
    ).content.decode()
    link = "/bao-cao/ho-so/?period=2020-05&amp;agency=000.00.21.H16&amp;column=resolved_late"
    assert link in page
    assert "<svg" in page and "Tỷ lệ hồ sơ tiếp nhận trực tuyến" in page
    response = client.get(
        "/bao-cao/ho-so/",
        {"period": "2020-05", "agency": province.a.code, "column": "resolved_late"},
    )
    assert response.status_code == 200
    codes = {d.code for d in response.context["page"]}
    assert codes == {province.d["#7"].code, province.d["#8"].code}
    by_procedure = client.get(
        "/bao-cao/ho-so/",
        {"period": "2020-05", "column": "pending", "procedure": province.p2.pk},
    )
    assert {d.code for d in by_procedure.context["page"]} == {
        province.d[n].code for n in ("#3", "#6", "#14")
    }
    assert client.get("/bao-cao/ho-so/", {"period": "2020-05", "column": "nope"}).status_code == 404


def test_dashboard_query_count_is_bounded(
    province: Province, viewer, django_assert_max_num_queries
) -> None:
    client = _client(viewer)
    # The first view freezes the due months it shows (the task runs at once in tests).
    assert client.get("/bao-cao/", {"period": "2020-05"}).status_code == 200
    # (2 of them: which agencies take money online, and the performing agencies' paths)
    with django_assert_max_num_queries(27):
        assert client.get("/bao-cao/", {"period": "2020-05"}).status_code == 200


def test_downloads(province: Province, admin_a) -> None:
    client = _client(admin_a)
    for fmt, start in (("xlsx", b"PK"), ("csv", b"\xef\xbb\xbf"), ("json", b"{")):
        response = client.get(f"/bao-cao/tai-ve.{fmt}", {"period": "2020-05"})
        assert response.status_code == 200
        assert response.content.startswith(start)
        assert "bao-cao-2020-05-000.00.21.H16" in response["Content-Disposition"]


def test_submission_through_the_page(province: Province, admin_a) -> None:
    client = _client(admin_a)
    response = client.post("/bao-cao/nop-bao-cao/generate/", {"period": "2020-05"})
    assert response.status_code == 302
    page = client.get(response["Location"])
    submission = page.context["submission"]
    assert submission.status == "draft"
    response = client.post(
        "/bao-cao/nop-bao-cao/submit/",
        {"period": "2020-05", "digest": submission.digest, "note": "Đã rà soát"},
        follow=True,
    )
    submission.refresh_from_db()
    assert submission.status == "submitted" and submission.submitted_by == admin_a
    assert "Đã gửi báo cáo." in response.content.decode()
    # Generating again is refused with the message, nothing changes.
    response = client.post("/bao-cao/nop-bao-cao/generate/", {"period": "2020-05"}, follow=True)
    assert "đã được gửi" in response.content.decode()
    # A report viewer cannot submit; the province admin sees who has submitted.
    province_admin = StaffFactory(username="quantri")
    MembershipFactory(user=province_admin, unit=province.province, role=Role.PROVINCE_ADMIN)
    overview = _client(province_admin).get("/bao-cao/nop-bao-cao/", {"period": "2020-05"})
    lines = {line.agency.code: line.submitted for line in overview.context["overview"]}
    assert lines == {"000.00.21.H16": True, "000.00.22.H16": False}
    response = _client(province_admin).post("/bao-cao/nop-bao-cao/remind/", {"period": "2020-05"})
    assert response.status_code == 302


def test_open_data_is_public_and_aggregate(province: Province) -> None:
    response = Client().get("/bao-cao/cong-khai/", {"period": "2020-05"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Sở Tư pháp" in page and "Sở Xây dựng" in page
    for dossier in province.d.values():
        assert dossier.code not in page
    data = Client().get("/bao-cao/cong-khai/du-lieu.json", {"period": "2020-05"}).json()
    assert data["report"]["totals"]["received_direct"] == 6
    assert "000.00.21.H16-" not in str(data)
