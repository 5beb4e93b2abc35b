"""Sign-in through OpenID Connect, against a real provider on 127.0.0.1 (tests/accounts/oidc_provider.py)."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.core.cache import cache

from motcua.accounts import services
from motcua.accounts.models import User, UserKind

from .oidc_provider import Provider

pytestmark = [
    pytest.mark.django_db,
    # Authlib's own hooks warn about their future signature; not ours to fix.
    pytest.mark.filterwarnings("ignore:The 'grant' parameter will become mandatory"),
]

LOGIN = "/tai-khoan/dang-nhap/"
OIDC_LOGIN = "/tai-khoan/oidc/dang-nhap/"
CALLBACK = "http://testserver/tai-khoan/oidc/callback/"


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    running = Provider().start()
    running.add_client("motcua-portal", "client-secret-123", CALLBACK)
    running.add_account(
        "vneid-0001",
        "pw-0001",
        name="Lê Văn Tám",
        citizen_id="066085001111",
        email="tam@example.vn",
        phone_number="0905123456",
    )
    yield running
    running.stop()


@pytest.fixture
def configured(settings, provider: Provider) -> Provider:
    settings.OIDC_ISSUER = provider.issuer
    settings.OIDC_CLIENT_ID = "motcua-portal"
    settings.OIDC_CLIENT_SECRET = "client-secret-123"
    settings.OIDC_PROVIDER_NAME = "VNeID"
    cache.clear()
    yield provider
    cache.clear()


def sign_in_at_provider(client, username: str, password: str, next_url: str = "") -> str:
    """Start at motcua, sign in at the provider over HTTP; return the callback URL it sends back."""
    start = client.get(OIDC_LOGIN + (f"?next={next_url}" if next_url else ""))
    assert start.status_code == 302
    authorize_url = start["Location"]
    query = parse_qs(urlsplit(authorize_url).query)
    assert query["client_id"] == ["motcua-portal"]
    assert query["code_challenge_method"] == ["S256"]
    assert "nonce" in query
    with requests.Session() as browser:
        form = browser.get(authorize_url, timeout=10)
        assert form.status_code == 200, form.text
        answer = browser.post(
            authorize_url,
            data={"username": username, "password": password},
            allow_redirects=False,
            timeout=10,
        )
    assert answer.status_code == 302, answer.text
    return answer.headers["Location"]


def test_button_only_when_configured(client, settings):
    settings.OIDC_ISSUER = ""
    assert "Đăng nhập bằng" not in client.get(LOGIN).content.decode()
    assert client.get(OIDC_LOGIN).status_code == 404
    settings.OIDC_ISSUER = "http://127.0.0.1:9"
    settings.OIDC_CLIENT_ID = "x"
    settings.OIDC_PROVIDER_NAME = "VNeID"
    assert "Đăng nhập bằng VNeID" in client.get(LOGIN).content.decode()


def test_password_sign_in_still_works_when_oidc_is_not_configured(client, settings):
    settings.OIDC_ISSUER = ""
    services.user_sign_up(
        kind=UserKind.CITIZEN, full_name="A", password="Mot-cua-2025!", phone="0912000111"
    )
    response = client.post(LOGIN, {"username": "0912000111", "password": "Mot-cua-2025!"})
    assert response.status_code == 302


def test_first_sign_in_creates_a_citizen_from_the_claims(client, configured):
    callback = sign_in_at_provider(
        client, "vneid-0001", "pw-0001", next_url="/tai-khoan/thong-tin/"
    )
    assert callback.startswith(CALLBACK)
    response = client.get(callback)
    assert response.status_code == 302
    assert response["Location"] == "/tai-khoan/thong-tin/"
    user = User.objects.get(pk=client.session["_auth_user_id"])
    assert user.kind == UserKind.CITIZEN
    assert user.oidc_subject == "vneid-0001"
    assert user.full_name == "Lê Văn Tám"
    assert user.citizen_id == "066085001111"
    assert user.email == "tam@example.vn"
    assert user.phone == "0905123456"
    assert not user.has_usable_password()
    # The second sign-in finds the same account.
    client.logout()
    client.get(sign_in_at_provider(client, "vneid-0001", "pw-0001"))
    assert int(client.session["_auth_user_id"]) == user.pk
    assert User.objects.filter(oidc_subject="vneid-0001").count() == 1


def test_existing_account_is_matched_by_citizen_id_and_linked(client, configured):
    existing = services.user_sign_up(
        kind=UserKind.CITIZEN,
        full_name="Lê Văn Tám",
        password="Mot-cua-2025!",
        phone="0912999888",
        citizen_id="066085001111",
    )
    client.get(sign_in_at_provider(client, "vneid-0001", "pw-0001"))
    assert int(client.session["_auth_user_id"]) == existing.pk
    existing.refresh_from_db()
    assert existing.oidc_subject == "vneid-0001"
    assert existing.phone == "0912999888"  # what the user entered is kept
    assert existing.email == "tam@example.vn"  # an empty field is filled in


def test_refused_at_the_provider_means_not_signed_in(client, configured):
    callback = sign_in_at_provider(client, "vneid-0001", "wrong-password")
    assert "error=access_denied" in callback
    response = client.get(callback, follow=True)
    assert "_auth_user_id" not in client.session
    assert "Không đăng nhập được qua VNeID" in response.content.decode()


def test_wrong_client_secret_fails_at_the_token_endpoint(client, configured, settings):
    callback = sign_in_at_provider(client, "vneid-0001", "pw-0001")
    settings.OIDC_CLIENT_SECRET = "not-the-secret"
    response = client.get(callback, follow=True)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Không đăng nhập được qua VNeID" in response.content.decode()
    assert not User.objects.filter(oidc_subject="vneid-0001").exists()


def test_replayed_callback_is_refused(client, configured):
    callback = sign_in_at_provider(client, "vneid-0001", "pw-0001")
    client.get(callback)
    client.logout()
    response = client.get(callback, follow=True)
    assert "_auth_user_id" not in client.session
    assert "Không đăng nhập được qua VNeID" in response.content.decode()
