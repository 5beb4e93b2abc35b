"""The dashboard's tables rendered in Python, and its report (and the open-data page) kept for
frozen periods: the same page as computed, computed again when a month is frozen again or the
catalogue changes, never kept for a month that is not due, escaped, and only for those who may
see it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from motcua.dossiers.constants import Channel
from motcua.dossiers.models import Dossier
from motcua.orgs.constants import Role
from motcua.reports import keeping
from motcua.reports.periods import period_containing
from tests.factories import MembershipFactory, StaffFactory

from .conftest import VN, Province, _dossier
from .test_views import _client

pytestmark = pytest.mark.django_db

MAY = {"period": "2020-05"}


@pytest.fixture
def viewer(province: Province):
    user = StaffFactory(username="baocao")
    MembershipFactory(user=user, unit=province.province, role=Role.REPORT_VIEWER)
    return user


def _page(client: Client, params: dict[str, str], url: str = "/bao-cao/") -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    # The logout form's token changes per response; everything else must not.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def _warm(client: Client, params: dict[str, str], url: str = "/bao-cao/") -> str:
    """The first view freezes the due months it shows (tasks run at once in tests); the second
    computes the page from frozen months and keeps it."""
    _page(client, params, url)
    return _page(client, params, url)


def test_the_kept_page_is_the_computed_page(
    province: Province, viewer, django_assert_max_num_queries
) -> None:
    client = _client(viewer)
    for params in (MAY, {"period": "2020-Q2"}, {**MAY, "agency": province.a.code}):
        computed = _warm(client, params)
        # 8, and the header's count of the viewer's unread notices.
        with django_assert_max_num_queries(9):
            kept = _page(client, params)
        assert kept == computed
    # Every figure of the tables links to its dossiers with its own filters.
    page = _page(client, MAY)
    list_url = "/bao-cao/ho-so/?period=2020-05&amp;column="
    p2 = province.p2.pk
    assert (
        f'<a href="{list_url}pending&amp;procedure={p2}" title="Tổng số đang giải quyết">3</a>'
        in page
    )
    assert f"{list_url}received_online&amp;field={province.p1.field_id}&amp;gov_level=" in page
    assert f'<a href="{list_url}received_direct">6</a>' in page  # the total line
    assert f'{list_url}received_total&amp;unit={province.b.code}">1</a>' in page  # the ranking


def test_a_month_frozen_again_after_a_correction_is_computed_again(
    province: Province, viewer
) -> None:
    client = _client(viewer)
    _warm(client, MAY)
    Dossier.objects.filter(pk=province.d["#8"].pk).update(channel=Channel.DIRECT)
    response = client.get("/bao-cao/", MAY)
    assert response.context["figures"]["received_direct"] == 6  # frozen: it does not move
    assert "đã được điều chỉnh sau khi chốt" not in response.content.decode()

    keeping.month_figures_check()  # the notice is not part of what is kept
    response = client.get("/bao-cao/", MAY)
    assert response.context["figures"]["received_direct"] == 6
    assert "Dữ liệu tháng 2020-05 đã được điều chỉnh sau khi chốt" in response.content.decode()

    keeping.month_figures_freeze(period="2020-05")  # a new digest: computed again
    response = client.get("/bao-cao/", MAY)
    assert response.context["figures"]["received_direct"] == 7
    page = response.content.decode()
    assert '<a href="/bao-cao/ho-so/?period=2020-05&amp;column=received_direct">7</a>' in page
    assert "đã được điều chỉnh sau khi chốt" not in page
    # The download says the same as the page.
    data = client.get("/bao-cao/tai-ve.json", MAY).json()
    assert data["report"]["totals"]["received_direct"] == 7


def test_a_catalogue_change_is_shown_at_once(province: Province, viewer) -> None:
    client = _client(viewer)
    assert "Đăng ký khai sinh" in _warm(client, MAY)
    province.p1.name = "Đăng ký khai sinh (sửa tên)"
    province.p1.save()
    assert "Đăng ký khai sinh (sửa tên)" in _page(client, MAY)


def test_the_language_is_part_of_what_is_kept(province: Province, viewer) -> None:
    client = _client(viewer)
    assert "Tổng cộng" in _warm(client, MAY)
    english = _client(viewer)
    english.cookies["django_language"] = "en"
    page = _warm(english, MAY)
    assert "Tổng cộng" not in page and "Tình hình giải quyết theo lĩnh vực" not in page
    assert "Tổng cộng" in _page(client, MAY)


def test_a_month_not_due_yet_is_counted_from_the_dossiers_each_time(
    province: Province, viewer
) -> None:
    client = _client(viewer)
    now = period_containing(dt.datetime.now(tz=VN))
    params = {"period": now.key}
    before = client.get("/bao-cao/", params).context["figures"]["received_total"]
    client.get("/bao-cao/", params)
    _dossier(province, "#new", procedure=province.p1, received=dt.datetime.now(tz=VN))
    after = client.get("/bao-cao/", params)
    assert after.context["figures"]["received_total"] == before + 1
    assert after.context["frozen_since"] is None


def test_names_are_escaped(province: Province, viewer) -> None:
    province.p1.name = '<script>alert("p")</script>'
    province.p1.save()
    province.b.name = "<b>Sở & Co</b>"
    province.b.save()
    client = _client(viewer)
    for page in (_page(client, MAY), _page(client, MAY), _page(client, MAY)):
        assert "<script>alert" not in page and "<b>Sở" not in page
        assert "&lt;script&gt;alert(&quot;p&quot;)&lt;/script&gt;" in page
        assert "&lt;b&gt;Sở &amp; Co&lt;/b&gt;" in page


def test_a_kept_page_is_only_shown_to_those_who_may_see_it(province: Province, viewer) -> None:
    _warm(_client(viewer), {**MAY, "agency": province.b.code})
    admin_a = StaffFactory(username="quantri_stp")
    MembershipFactory(user=admin_a, unit=province.a, role=Role.AGENCY_ADMIN)
    client = _client(admin_a)
    assert client.get("/bao-cao/", {**MAY, "agency": province.b.code}).status_code == 404
    own = client.get("/bao-cao/", MAY)
    assert own.context["agency"] == province.a
    assert "Sở Xây dựng" not in own.content.decode().split("</form>", 1)[1]


def test_the_open_data_page_is_kept_and_computed_again_after_freezing_again(
    province: Province, django_assert_max_num_queries
) -> None:
    anyone = Client()
    computed = _warm(anyone, MAY, url="/bao-cao/cong-khai/")
    with django_assert_max_num_queries(4):
        assert _page(anyone, MAY, url="/bao-cao/cong-khai/") == computed
    Dossier.objects.filter(pk=province.d["#8"].pk).update(channel=Channel.DIRECT)
    keeping.month_figures_freeze(period="2020-05")
    response = anyone.get("/bao-cao/cong-khai/", MAY)
    assert response.context["figures"]["received_direct"] == 7
    data = anyone.get("/bao-cao/cong-khai/du-lieu.json", MAY).json()
    assert data["report"]["totals"]["received_direct"] == 7
