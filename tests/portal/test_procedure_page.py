"""The procedure page: content, fee formatting, the online-level badge, the submit button, 404s."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from motcua.catalog.models import Fee, RequiredDocument
from motcua.portal.templatetags.portal import vnd

pytestmark = pytest.mark.django_db


def url(code: str) -> str:
    return f"/thu-tuc/{code}/"


@pytest.fixture
def level4(make_procedure, make_unit, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    unit = make_unit(
        "UBND phường Tân Lợi", address="01 Lê Duẩn, Buôn Ma Thuột", phone="0262 3850 123"
    )
    procedure = make_procedure(
        "Đăng ký hộ kinh doanh",
        code="2.000720",
        online_level=4,
        processing_time=3,
        time_unit="working_days",
        steps="Bước 1: Nộp hồ sơ.\nBước 2: Nhận kết quả.",
        applicants="Cá nhân, thành viên hộ gia đình",
        requirements="Không thuộc diện bị cấm kinh doanh.",
        result="Giấy chứng nhận đăng ký hộ kinh doanh",
        legal_basis="Nghị định 01/2021/NĐ-CP",
        accepts_postal_pickup=True,
        accepts_postal_return=True,
        units=[unit],
    )
    Fee.objects.create(
        procedure=procedure,
        name="Lệ phí đăng ký",
        amount=1_250_000,
        online_amount=0,
        exemptions="Hộ nghèo được miễn",
    )
    document = RequiredDocument(
        procedure=procedure, order=1, name="Giấy đề nghị đăng ký hộ kinh doanh", originals=1
    )
    document.blank_form.save("mau-giay-de-nghi.docx", ContentFile(b"x"), save=False)
    document.save()
    RequiredDocument.objects.create(
        procedure=procedure, order=2, name="Bản sao CCCD", copies=2, mandatory=False
    )
    return procedure


def test_vnd_formats_vietnamese_style():
    assert vnd(1_250_000) == "1.250.000 đ"
    assert vnd(0) == "0 đ"
    assert vnd(500) == "500 đ"


def test_page_shows_everything_a_person_needs(client, level4):
    response = client.get(url(level4.code))
    assert response.status_code == 200
    html = response.content.decode()
    for text in [
        "Đăng ký hộ kinh doanh",
        "Mức độ 4 · Toàn trình",
        "1.250.000 đ",
        "Hộ nghèo được miễn",
        "3 ngày làm việc",
        "Bước 1: Nộp hồ sơ.",
        "Giấy đề nghị đăng ký hộ kinh doanh",
        "1 bản chính",
        "2 bản sao",
        "không bắt buộc",
        "Tải mẫu đơn, tờ khai",
        "UBND phường Tân Lợi",
        "01 Lê Duẩn, Buôn Ma Thuột",
        "Có nhận hồ sơ qua bưu chính.",
        "Có trả kết quả qua bưu chính",
        "Cá nhân, thành viên hộ gia đình",
        "Không thuộc diện bị cấm kinh doanh.",
        "Giấy chứng nhận đăng ký hộ kinh doanh",
        "Nghị định 01/2021/NĐ-CP",
    ]:
        assert text in html, text
    assert "mau-giay-de-nghi" in html
    assert 'href="/nop-ho-so/2.000720/"' in html


@pytest.mark.parametrize(
    ("level", "badge", "has_button"),
    [
        (1, "Mức độ 1 · Cung cấp thông tin", False),
        (2, "Mức độ 2 · Cung cấp thông tin", False),
        (3, "Mức độ 3 · Một phần", True),
        (4, "Mức độ 4 · Toàn trình", True),
    ],
)
def test_badge_and_submit_button_by_level(client, make_procedure, level, badge, has_button):
    procedure = make_procedure("Cấp giấy phép xây dựng", online_level=level)
    html = client.get(url(procedure.code)).content.decode()
    assert badge in html
    assert ("Nộp hồ sơ trực tuyến" in html) is has_button
    assert (f"/nop-ho-so/{procedure.code}/" in html) is has_button


def test_same_day_and_free_procedures(client, make_procedure):
    procedure = make_procedure("Chứng thực chữ ký", time_unit="same_day", processing_time=0)
    html = client.get(url(procedure.code)).content.decode()
    assert "Trong ngày" in html
    assert "Thủ tục này không thu phí, lệ phí." in html


def test_unknown_and_unpublished_codes_are_404(client, make_procedure):
    hidden = make_procedure("Thủ tục chưa công khai", published=False)
    assert client.get(url(hidden.code)).status_code == 404
    assert client.get(url("9.999999")).status_code == 404


def test_query_count_is_bounded(client, level4, make_unit, django_assert_max_num_queries):
    for i in range(5):
        level4.performing_units.add(make_unit(f"Đơn vị {i}"))
        Fee.objects.create(procedure=level4, name=f"Phí {i}", amount=1000 * i)
    # 4 for the procedure and what it lists, 2 for the units' postal accounts and postage.
    with django_assert_max_num_queries(6):
        response = client.get(url(level4.code))
    assert response.status_code == 200


def test_a_repeat_visit_reads_nothing_from_the_database(client, level4, django_assert_num_queries):
    first = client.get(url(level4.code)).content.decode()
    with django_assert_num_queries(0):
        again = client.get(url(level4.code))
    assert again.status_code == 200
    body = again.content.decode()
    assert "1.250.000 đ" in body
    assert "<title>Đăng ký hộ kinh doanh · " in body
    # Only the per-request parts (the CSRF token of the language switch) may differ.
    assert body.split('<main id="main"')[1] == first.split('<main id="main"')[1]


def test_cached_page_follows_every_catalogue_change(client, level4, make_unit):
    assert "1.250.000 đ" in client.get(url(level4.code)).content.decode()

    fee = level4.fees.get()
    fee.amount = 300_000
    fee.save()
    html = client.get(url(level4.code)).content.decode()
    assert "300.000 đ" in html
    assert "1.250.000 đ" not in html

    unit = level4.performing_units.get()
    unit.address = "15 Phan Bội Châu, Buôn Ma Thuột"
    unit.save()
    assert "15 Phan Bội Châu" in client.get(url(level4.code)).content.decode()

    level4.performing_units.add(make_unit("UBND xã Hòa Thắng"))
    assert "UBND xã Hòa Thắng" in client.get(url(level4.code)).content.decode()

    RequiredDocument.objects.filter(procedure=level4, order=2).delete()
    assert "Bản sao CCCD" not in client.get(url(level4.code)).content.decode()

    field = level4.field
    field.name = "Thành lập và hoạt động của hộ kinh doanh"
    field.save()
    assert (
        "Thành lập và hoạt động của hộ kinh doanh" in client.get(url(level4.code)).content.decode()
    )

    level4.name = "Đăng ký thành lập hộ kinh doanh"
    level4.save()
    html = client.get(url(level4.code)).content.decode()
    assert "<title>Đăng ký thành lập hộ kinh doanh · " in html
    assert "<h1>Đăng ký thành lập hộ kinh doanh</h1>" in html

    level4.published = False
    level4.save()
    assert client.get(url(level4.code)).status_code == 404


def test_each_language_has_its_own_cached_page(client, level4):
    assert "Thành phần hồ sơ" in client.get(url(level4.code)).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(url(level4.code)).content.decode()
    assert 'lang="en"' in english
    assert "Thành phần hồ sơ" not in english
    client.cookies["django_language"] = "vi"
    assert "Thành phần hồ sơ" in client.get(url(level4.code)).content.decode()


def test_names_are_escaped_in_the_cached_page(client, make_procedure):
    procedure = make_procedure("Thủ tục <script>alert(1)</script>", steps="<b>Bước 1</b>")
    for _ in range(2):  # the first render and the cached one
        html = client.get(url(procedure.code)).content.decode()
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "<b>Bước 1</b>" not in html
