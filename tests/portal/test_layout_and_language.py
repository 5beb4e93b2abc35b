"""The base layout: language switch, accessibility hooks, no external assets."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_language_switch_shows_english_and_back(client, make_procedure):
    procedure = make_procedure("Đăng ký khai sinh", online_level=4)
    home = client.get("/").content.decode()
    assert 'lang="vi"' in home
    assert "Tra cứu thủ tục hành chính" in home

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    english = client.get("/").content.decode()
    assert 'lang="en"' in english
    assert "Find an administrative procedure" in english
    assert "Skip to main content" in english
    assert "Sign in" in english
    page = client.get(f"/thu-tuc/{procedure.code}/").content.decode()
    assert "Level 4 · Fully online" in page
    assert "Submit online" in page
    assert "Documents to provide" in page

    client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    assert "Tra cứu thủ tục hành chính" in client.get("/").content.decode()


def test_vietnamese_first_whatever_the_browser_language(client):
    html = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"}).content.decode()
    assert 'lang="vi"' in html
    assert "Tra cứu thủ tục hành chính" in html


def test_layout_has_skip_link_landmarks_and_labelled_search(client):
    html = client.get("/").content.decode()
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html
    assert 'role="search"' in html
    assert '<label for="id_q">' in html
    for field_id in ("id_field", "id_agency", "id_gov_level", "id_online_level"):
        assert f'<label for="{field_id}">' in html


def test_no_external_assets_and_vendored_htmx(client):
    html = client.get("/").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources
    assert not [s for s in sources if s.startswith(("http:", "https:", "//"))]
    assert "/static/vendor/htmx-2.0.11/htmx.min.js" in html
    assert finders.find("vendor/htmx-2.0.11/htmx.min.js")
    assert finders.find("vendor/htmx-2.0.11/LICENSE")
    assert finders.find("css/site.css")


def test_search_form_works_without_javascript(client, make_procedure):
    make_procedure("Đăng ký khai sinh")
    html = client.get("/").content.decode()
    # A plain GET form to "/" with a submit button: no script needed.
    assert re.search(r'<form method="get" action="/"', html)
    assert '<button type="submit" class="button">' in html


def test_the_app_serves_its_own_assets(client):
    assert client.get("/static/css/site.css").status_code == 200
    assert client.get("/static/vendor/htmx-2.0.11/htmx.min.js").status_code == 200


def _current(html: str) -> list[str]:
    """The navigation links marked as the current page."""
    return re.findall(r'<a href="([^"]+)" aria-current="page">', html)


def test_navigation_marks_the_page_and_the_visitor_on_every_request(client, django_user_model):
    # The navigation is rendered once per process and kept: each page and each kind of visitor
    # must still get its own.
    for _ in range(2):
        assert _current(client.get("/").content.decode()) == ["/"]
        assert _current(client.get("/tra-cuu/").content.decode()) == ["/tra-cuu/"]
        assert _current(client.get("/tai-khoan/dang-nhap/").content.decode()) == [
            "/tai-khoan/dang-nhap/"
        ]
    anonymous = client.get("/tra-cuu/").content.decode()
    assert "Hồ sơ của tôi" not in anonymous
    assert "Đăng ký" in anonymous

    first = django_user_model.objects.create_user(
        username="lan", password="x", full_name="Nguyễn Thị Lan"
    )
    second = django_user_model.objects.create_user(
        username="hung", password="x", full_name="Trần <b>Hùng</b>"
    )
    client.force_login(first)
    page = client.get("/ho-so-cua-toi/").content.decode()
    assert _current(page) == ["/ho-so-cua-toi/"]
    assert "Nguyễn Thị Lan" in page
    assert "Đăng xuất" in page
    assert "Hồ sơ của tôi" in client.get("/").content.decode()
    client.force_login(second)
    page = client.get("/").content.decode()
    assert "Nguyễn Thị Lan" not in page
    assert "Trần &lt;b&gt;Hùng&lt;/b&gt;" in page
    client.logout()
    assert "Hồ sơ của tôi" not in client.get("/").content.decode()


def test_language_switch_offers_the_other_language_and_keeps_the_page(client):
    html = client.get("/tra-cuu/?code=abc").content.decode()
    assert 'value="en" lang="en"' in html
    assert 'name="next" value="/tra-cuu/?code=abc"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    client.cookies["django_language"] = "en"
    html = client.get("/").content.decode()
    assert 'value="vi" lang="vi"' in html
    assert 'value="en" lang="en"' not in html
    assert 'name="next" value="/"' in html


def test_layout_follows_a_settings_change(client, settings):
    assert "Cổng dịch vụ công thử nghiệm" not in client.get("/").content.decode()
    settings.MOTCUA_SYSTEM_NAME = "Cổng dịch vụ công thử nghiệm"
    footer = client.get("/").content.decode().split('<footer class="site-footer">')[1]
    assert "Cổng dịch vụ công thử nghiệm" in footer
