"""A NUL character in a page's query or form is a 400, never a database error (a 500 on PostgreSQL)."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url", ["/?q=%00", "/?q=khai%00sinh", "/tra-cuu/?code=%00", "/?field%00=1"]
)
def test_query_with_nul_is_refused(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_form_field_with_nul_is_refused(client):
    response = client.post("/tai-khoan/dang-nhap/", {"username": "a\x00b", "password": "x"})
    assert response.status_code == 400


def test_ordinary_search_still_works(client):
    assert client.get("/?q=khai+sinh").status_code == 200
