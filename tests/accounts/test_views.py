"""Account pages: sign-up validation, sign-in by phone/e-mail/username, throttling, profile, reset."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.cache import cache

from motcua.accounts import services
from motcua.accounts.models import User, UserKind
from motcua.accounts.validators import CITIZEN_ID_MESSAGE, PHONE_MESSAGE

pytestmark = pytest.mark.django_db

SIGNUP = "/tai-khoan/dang-ky/"
LOGIN = "/tai-khoan/dang-nhap/"
LOGOUT = "/tai-khoan/dang-xuat/"
PROFILE = "/tai-khoan/thong-tin/"
RESET = "/tai-khoan/quen-mat-khau/"
PASSWORD = "Mot-cua-2025!"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def citizen() -> User:
    return services.user_sign_up(
        kind=UserKind.CITIZEN,
        full_name="Nguyễn Thị Hoa",
        password=PASSWORD,
        email="hoa@example.vn",
        phone="0912345678",
        citizen_id="066190001234",
    )


def signup_data(**overrides: str) -> dict[str, str]:
    data = {
        "kind": "citizen",
        "full_name": "Trần Văn Đức",
        "email": "duc@example.vn",
        "phone": "0987654321",
        "citizen_id": "066090004321",
        "organisation_name": "",
        "tax_code": "",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return data


def test_signup_page_renders_labelled_fields(client):
    html = client.get(SIGNUP).content.decode()
    for field_id in ["id_full_name", "id_email", "id_phone", "id_citizen_id", "id_password1"]:
        assert f'for="{field_id}"' in html


def test_citizen_signs_up_and_is_signed_in(client):
    response = client.post(SIGNUP, signup_data())
    assert response.status_code == 302
    user = User.objects.get(phone="0987654321")
    assert user.kind == UserKind.CITIZEN
    assert user.citizen_id == "066090004321"
    assert user.full_name == "Trần Văn Đức"
    assert not user.is_staff
    assert client.get(PROFILE).status_code == 200


def test_business_signs_up_with_tax_code(client):
    response = client.post(
        SIGNUP,
        signup_data(
            kind="business",
            citizen_id="",
            email="",
            phone="0351234567",
            organisation_name="Công ty TNHH Cà phê Ban Mê",
            tax_code="6001234567-001",
        ),
    )
    assert response.status_code == 302
    user = User.objects.get(phone="0351234567")
    assert user.kind == UserKind.BUSINESS
    assert user.tax_code == "6001234567-001"
    assert user.display_name == "Công ty TNHH Cà phê Ban Mê"


def test_signup_rejects_bad_phone_and_bad_citizen_id_with_messages(client):
    response = client.post(SIGNUP, signup_data(phone="0212345678", citizen_id="12345"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["phone"] == [str(PHONE_MESSAGE)]
    assert form.errors["citizen_id"] == [str(CITIZEN_ID_MESSAGE)]
    html = response.content.decode()
    assert "Vui lòng kiểm tra lại thông tin" in html  # the summary at the top
    assert 'href="#id_phone"' in html
    assert 'id="id_phone_error"' in html  # the message next to the field
    assert not User.objects.filter(full_name="Trần Văn Đức").exists()


def test_signup_requires_email_or_phone_and_business_data(client):
    response = client.post(
        SIGNUP, signup_data(kind="business", email="", phone="", citizen_id="", tax_code="123")
    )
    errors = response.context["form"].errors
    assert "Nhập thư điện tử hoặc số điện thoại" in errors["phone"][0]
    assert "Mã số thuế gồm 10 chữ số" in errors["tax_code"][0]
    assert "tên tổ chức" in errors["organisation_name"][0]


def test_signup_rejects_taken_phone_and_mismatched_passwords(client, citizen):
    response = client.post(
        SIGNUP, signup_data(phone="+84 912 345 678", password2="something-else-9")
    )
    errors = response.context["form"].errors
    assert errors["phone"] == ["Số điện thoại này đã được dùng cho một tài khoản khác."]
    assert errors["password2"] == ["Hai lần nhập mật khẩu không khớp nhau."]


def test_signup_cannot_create_staff(client):
    client.post(SIGNUP, signup_data(kind="staff"))
    assert not User.objects.filter(phone="0987654321").exists()
    with pytest.raises(ValueError):
        services.user_sign_up(
            kind=UserKind.STAFF, full_name="X", password=PASSWORD, phone="0911111111"
        )


@pytest.mark.parametrize(
    "identifier", ["0912345678", "+84912345678", "HOA@example.vn", "0912345678"]
)
def test_sign_in_by_phone_or_email(client, citizen, identifier):
    response = client.post(LOGIN, {"username": identifier, "password": PASSWORD})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == citizen.pk


def test_sign_in_by_username(client, citizen):
    response = client.post(LOGIN, {"username": citizen.username, "password": PASSWORD})
    assert response.status_code == 302


def test_wrong_password_shows_vietnamese_error(client, citizen):
    response = client.post(LOGIN, {"username": "0912345678", "password": "wrong"})
    assert response.status_code == 200
    assert "Thông tin đăng nhập hoặc mật khẩu không đúng" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sign_in_is_throttled_after_repeated_failures(client, citizen):
    for _ in range(services.SIGNIN_MAX_FAILURES_PER_LOGIN):
        client.post(LOGIN, {"username": "0912345678", "password": "wrong"})
    # Even the right password is refused while the lock lasts.
    response = client.post(LOGIN, {"username": "0912345678", "password": PASSWORD})
    assert response.status_code == 429
    assert "đăng nhập sai quá nhiều lần" in response.content.decode()
    assert "_auth_user_id" not in client.session
    cache.clear()
    assert client.post(LOGIN, {"username": "0912345678", "password": PASSWORD}).status_code == 302


def test_sign_out_is_post_only(client, citizen):
    client.force_login(citizen)
    assert client.get(LOGOUT).status_code == 405
    assert client.post(LOGOUT).status_code == 302
    assert "_auth_user_id" not in client.session


def test_header_shows_user_menu_when_signed_in(client, citizen):
    assert "Đăng nhập" in client.get("/").content.decode()
    client.force_login(citizen)
    html = client.get("/").content.decode()
    assert "Nguyễn Thị Hoa" in html
    assert "Đăng xuất" in html


def test_profile_requires_sign_in(client):
    response = client.get(PROFILE)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_profile_update(client, citizen):
    client.force_login(citizen)
    response = client.post(
        PROFILE,
        {
            "full_name": "Nguyễn Thị Hoà",
            "email": "hoa@example.vn",
            "phone": "0388 123 456",
            "citizen_id": "066190001234",
            "address": "12 Phan Chu Trinh, Buôn Ma Thuột",
        },
    )
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.full_name == "Nguyễn Thị Hoà"
    assert citizen.phone == "0388123456"
    assert citizen.address == "12 Phan Chu Trinh, Buôn Ma Thuột"


def test_profile_rejects_bad_data_and_keeps_the_old(client, citizen):
    client.force_login(citizen)
    response = client.post(
        PROFILE, {"full_name": "", "email": "hoa@example.vn", "phone": "123", "citizen_id": "1"}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["full_name"] == ["Vui lòng nhập họ và tên."]
    assert errors["phone"] == [str(PHONE_MESSAGE)]
    citizen.refresh_from_db()
    assert citizen.full_name == "Nguyễn Thị Hoa"


def test_password_reset_sends_email_and_link_works(client, citizen):
    response = client.post(RESET, {"email": "hoa@example.vn"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["hoa@example.vn"]
    assert "Đặt lại mật khẩu" in message.subject
    link = re.search(r"https?://[^/]+(/tai-khoan/dat-lai-mat-khau/\S+)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    new_password = "Mat-khau-moi-2025"
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done.status_code == 302
    citizen.refresh_from_db()
    assert citizen.check_password(new_password)


def test_password_reset_for_unknown_email_sends_nothing(client):
    assert client.post(RESET, {"email": "nobody@example.vn"}).status_code == 302
    assert mail.outbox == []
