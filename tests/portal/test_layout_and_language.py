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
