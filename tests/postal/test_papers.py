"""The postal papers: the label (its text, its Code 128 barcode and QR code read back from the
rendered page by an independent decoder), the hand-over record of a pickup, the day list of
outgoing results, and who may print them."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
import zoneinfo

import pypdfium2
import pytest
import zxingcpp
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from motcua.dossiers import services as s
from motcua.postal import services as postal
from motcua.postal.constants import AddressPurpose, ShipmentKind, ShipmentStatus
from motcua.postal.models import Shipment
from tests.factories import RequiredDocumentFactory

from .conftest import AWAY, postal_world, submitted_by_post

pytestmark = pytest.mark.django_db(transaction=True)

VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF-"), content[:200]
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return unicodedata.normalize("NFC", text)


def one_line(text: str) -> str:
    """The text with its line breaks folded (a long address wraps on the paper)."""
    return " ".join(text.split())


def decoded(content: bytes, *, dpi: int = 300) -> dict[str, list[str]]:
    """Every barcode on the PDF's pages as rendered to pixels: format name → texts."""
    found: dict[str, list[str]] = {}
    document = pypdfium2.PdfDocument(content)
    for page in document:
        image = page.render(scale=dpi / 72).to_pil()
        for result in zxingcpp.read_barcodes(image):
            found.setdefault(result.format.name, []).append(result.text)
    return found


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def label_url(shipment: Shipment) -> str:
    return reverse("backoffice:postal_label", args=[shipment.pk])


def record_url(shipment: Shipment) -> str:
    return reverse("backoffice:postal_handover_record", args=[shipment.pk])


def with_delivery(w, *, address=AWAY):
    """A postal dossier handed over, processed and approved: its result goes out by post to
    `address`. Returns (dossier, pickup, delivery)."""
    d = submitted_by_post(w)
    postal.address_save(dossier=d, purpose=AddressPurpose.DELIVERY, address=address)
    pickup = Shipment.objects.get(dossier=d, kind=ShipmentKind.PICKUP)
    d = postal.pickup_handover(shipment=pickup, actor=w.reception, courier_name="Lê Văn Bưu")
    d = s.dossier_start(dossier=d, actor=w.reception, assignee=w.specialist)
    d = s.dossier_approve(dossier=d, actor=w.leader)
    delivery = Shipment.objects.get(dossier=d, kind=ShipmentKind.DELIVERY)
    pickup.refresh_from_db()
    return d, pickup, delivery


# --- the label ----------------------------------------------------------------------------------


def test_pickup_label_names_both_sides_and_its_barcodes_read_back() -> None:
    w = postal_world()
    d = submitted_by_post(w)
    pickup = Shipment.objects.get(dossier=d, kind=ShipmentKind.PICKUP)
    number = pickup.tracking_number
    assert number, "the sandbox placed the order after commit"

    r = login(w.reception).get(label_url(pickup))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(r.content))
    width, height = (float(v) * 25.4 / 72 for v in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (105, 148), "A6 portrait"
    assert len(reader.pages) == 1

    text = one_line(pdf_text(r.content))
    # The applicant sends a pickup: the name and the address with the ward and province names.
    assert "Nguyễn Thị Hoà" in text
    assert "12 Lê Duẩn, Phường Buôn Ma Thuột, Đắk Lắk" in text
    assert "0912345678" in text
    # The desk receives it.
    assert "Bộ phận một cửa" in text and "Sở Tư pháp" in text
    assert "Số 9 Ngô Quyền, Phường Buôn Ma Thuột, Đắk Lắk" in text
    assert "02623812345" in text
    assert text.index("NGƯỜI GỬI") < text.index("Nguyễn Thị Hoà") < text.index("NGƯỜI NHẬN")
    assert text.index("NGƯỜI NHẬN") < text.index("Bộ phận một cửa")
    assert d.code in text and number in text
    assert "Hồ sơ TTHC" in text and "Kết quả TTHC" not in text
    assert "Đến 500 g" in text
    assert "22.000 đồng" in text  # the postage of the home province
    assert "Thu hộ (COD) 0 đồng" in text

    codes = decoded(r.content)
    assert codes.get("Code128") == [number], codes
    assert codes.get("QRCode") == [number], codes


def test_delivery_label_goes_from_the_desk_to_the_address_with_its_cod() -> None:
    w = postal_world()
    d, _pickup, delivery = with_delivery(w)
    Shipment.objects.filter(pk=delivery.pk).update(cod_amount=1_250_000)

    r = login(w.reception).get(label_url(delivery))
    assert r.status_code == 200
    text = one_line(pdf_text(r.content))
    assert text.index("NGƯỜI GỬI") < text.index("Bộ phận một cửa") < text.index("NGƯỜI NHẬN")
    assert text.index("NGƯỜI NHẬN") < text.index("Trần Văn Đức")
    assert "5 Tràng Tiền, Phường Hoàn Kiếm, Thành phố Hà Nội" in text
    assert "Kết quả TTHC" in text and d.code in text
    assert "35.000 đồng" in text  # another province: the inter-province postage
    assert "1.250.000 đồng" in text
    codes = decoded(r.content)
    assert codes.get("Code128") == [delivery.tracking_number]
    assert codes.get("QRCode") == [delivery.tracking_number]


def test_no_label_before_the_order_has_its_tracking_number() -> None:
    w = postal_world()
    d = submitted_by_post(w)
    pickup = Shipment.objects.get(dossier=d, kind=ShipmentKind.PICKUP)
    Shipment.objects.filter(pk=pickup.pk).update(tracking_number="")
    assert login(w.reception).get(label_url(pickup)).status_code == 404


# --- the hand-over record -----------------------------------------------------------------------


def test_handover_record_of_a_pickup_handed_over() -> None:
    w = postal_world()
    RequiredDocumentFactory(
        procedure=w.procedure, order=1, name="Tờ khai đăng ký khai sinh", originals=1, copies=0
    )
    RequiredDocumentFactory(
        procedure=w.procedure,
        order=2,
        name="Bản sao giấy chứng sinh",
        originals=0,
        copies=2,
        mandatory=False,
    )
    d = submitted_by_post(w)  # a file is attached to each mandatory document
    pickup = Shipment.objects.get(dossier=d, kind=ShipmentKind.PICKUP)
    client = login(w.reception)
    # Not before the postman has handed the parcel to the desk.
    assert client.get(record_url(pickup)).status_code == 404

    postal.pickup_handover(shipment=pickup, actor=w.reception, courier_name="Lê  Văn Bưu")
    pickup.refresh_from_db()
    r = client.get(record_url(pickup))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    text = one_line(pdf_text(r.content))
    assert "BIÊN BẢN BÀN GIAO HỒ SƠ" in text
    assert "Sở Tư pháp".upper() in text
    assert d.code in text and pickup.tracking_number in text
    assert w.procedure.name in text
    assert d.applicant_name in text
    assert "Lê Văn Bưu" in text  # the courier, as the hand-over kept the name
    assert str(w.reception) in text  # the receiving officer
    moment = pickup.handed_over_at.astimezone(VN)
    assert (
        f"{moment:%H} giờ {moment:%M} phút, ngày {moment:%d} tháng {moment:%m} năm {moment:%Y}"
        in text
    )
    # The dossier's documents as the procedure requires them, with what came online.
    table = text[text.index("Thành phần hồ sơ") :]
    assert "1 Tờ khai đăng ký khai sinh Tệp đã nộp trực tuyến: don.pdf Bản chính 1" in table
    assert "2 Bản sao giấy chứng sinh Bản sao 2" in table
    assert "NHÂN VIÊN BƯU CHÍNH" in text and "CÁN BỘ TIẾP NHẬN" in text


def test_a_delivery_has_no_handover_record() -> None:
    w = postal_world()
    _d, pickup, delivery = with_delivery(w)
    client = login(w.reception)
    assert client.get(record_url(delivery)).status_code == 404
    assert client.get(record_url(pickup)).status_code == 200


# --- who may print them -------------------------------------------------------------------------


def test_only_the_units_desk_prints_its_papers() -> None:
    w = postal_world()
    d = submitted_by_post(w)
    pickup = Shipment.objects.get(dossier=d, kind=ShipmentKind.PICKUP)
    postal.pickup_handover(shipment=pickup, actor=w.reception)
    urls = [label_url(pickup), record_url(pickup)]
    for url in urls:
        assert login(w.reception).get(url).status_code == 200
        assert login(w.leader).get(url).status_code == 200
        # Another agency's desk does not learn the parcel exists.
        assert login(w.other_reception).get(url).status_code == 404
        # The specialist's office is below the unit: the desk's papers are not theirs.
        assert login(w.specialist).get(url).status_code == 404
        # A citizen, even the dossier's owner, is refused; an anonymous visitor logs in first.
        assert login(w.citizen).get(url).status_code == 403
        anonymous = Client().get(url)
        assert anonymous.status_code == 302
        assert anonymous["Location"].startswith(reverse("accounts:login"))
    day_list = reverse("backoffice:postal_day_list")
    assert login(w.citizen).get(day_list).status_code == 403
    foreign = login(w.other_reception).get(day_list, {"unit": w.unit.pk})
    assert foreign.status_code == 404


# --- the day list -------------------------------------------------------------------------------


def _clone(shipment: Shipment, *, number: str, at: dt.datetime, **fields) -> Shipment:
    """Another parcel of the unit, as an earlier result sent (a final state: the one-active-parcel
    rule holds)."""
    row = Shipment.objects.get(pk=shipment.pk)
    row.pk = None
    row.tracking_number = number
    row.created_at = at
    row.status = fields.pop("status", ShipmentStatus.DELIVERED)
    for key, value in fields.items():
        setattr(row, key, value)
    row.save()
    return row


def test_day_list_lists_the_units_results_of_that_local_day() -> None:
    w = postal_world()
    d, pickup, delivery = with_delivery(w)
    day = dt.date(2025, 7, 15)
    start = dt.datetime(2025, 7, 15, 0, 0, tzinfo=VN)
    Shipment.objects.filter(pk=delivery.pk).update(
        created_at=start + dt.timedelta(hours=9), cod_amount=50_000
    )
    _clone(delivery, number="EB000000015VN", at=start, cod_amount=1_200_000)  # 00:00 local
    _clone(
        delivery,
        number="EB000000029VN",
        at=start + dt.timedelta(hours=23, minutes=59),
        cod_amount=0,
    )
    # 23:30 on the 14th, local (16:30 UTC): the day before, though the UTC date is the 14th too.
    _clone(delivery, number="EB000000032VN", at=start - dt.timedelta(minutes=30))
    # Midnight of the 16th, local: the next day.
    _clone(delivery, number="EB000000046VN", at=start + dt.timedelta(days=1))
    _clone(
        delivery,
        number="EB000000053VN",
        at=start + dt.timedelta(hours=10),
        status=ShipmentStatus.CANCELLED,
    )
    # A pickup of the day is not an outgoing result.
    Shipment.objects.filter(pk=pickup.pk).update(created_at=start + dt.timedelta(hours=8))

    r = login(w.reception).get(
        reverse("backoffice:postal_day_list"), {"unit": w.unit.pk, "date": "2025-07-15"}
    )
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    text = one_line(pdf_text(r.content))
    assert "DANH SÁCH BƯU GỬI KẾT QUẢ GIAO BƯU ĐIỆN" in text
    assert "ngày 15 tháng 07 năm 2025" in text
    for number in ("EB000000015VN", delivery.tracking_number, "EB000000029VN"):
        assert number in text
    for number in ("EB000000032VN", "EB000000046VN", "EB000000053VN", pickup.tracking_number):
        assert number not in text
    assert text.index("EB000000015VN") < text.index(delivery.tracking_number)
    assert text.index(delivery.tracking_number) < text.index("EB000000029VN")
    assert "Trần Văn Đức" in text and "5 Tràng Tiền, Phường Hoàn Kiếm, Thành phố Hà Nội" in text
    assert "0987654321" in text and d.code in text
    assert "Tổng cộng: 3 bưu gửi" in text
    assert "1.250.000 đồng" in text  # COD: 50.000 + 1.200.000 + 0
    assert "105.000 đồng" in text  # postage: 3 × 35.000
    assert "NHÂN VIÊN BƯU CHÍNH NHẬN" in text and "CÁN BỘ GIAO" in text
    assert day == start.date()


def test_day_list_defaults_to_today_and_the_officers_unit() -> None:
    w = postal_world()
    _d, _pickup, delivery = with_delivery(w)
    r = login(w.reception).get(reverse("backoffice:postal_day_list"))
    assert r.status_code == 200
    text = one_line(pdf_text(r.content))
    assert delivery.tracking_number in text
    today = timezone.localtime(timezone.now(), VN).date()
    assert f"ngày {today:%d} tháng {today:%m} năm {today:%Y}" in text


def test_day_list_says_what_is_wrong_with_the_date() -> None:
    w = postal_world()
    r = login(w.reception).get(
        reverse("backoffice:postal_day_list"), {"unit": w.unit.pk, "date": "2025-02-30"}
    )
    assert r.status_code == 400
    page = r.content.decode()
    assert "Nhập ngày dạng dd/mm/yyyy, ví dụ 14/07/2025." in page
    assert 'value="2025-02-30"' in page  # what was entered is kept


def test_day_list_queries_do_not_grow_with_the_parcels(django_assert_max_num_queries) -> None:
    w = postal_world()
    _d, _pickup, delivery = with_delivery(w)
    client = login(w.reception)
    url = reverse("backoffice:postal_day_list")
    today = timezone.localtime(timezone.now(), VN)
    params = {"unit": w.unit.pk, "date": today.date().isoformat()}
    client.get(url, params)  # the scope is cached, fonts loaded

    with CaptureQueriesContext(connection) as one:
        assert client.get(url, params).status_code == 200
    for i in range(12):
        serial = f"{i:08d}"
        _clone(delivery, number=f"EC{serial}0VN", at=delivery.created_at)
    with django_assert_max_num_queries(len(one.captured_queries)):
        r = client.get(url, params)
    assert r.status_code == 200
    assert "Tổng cộng: 13 bưu gửi" in one_line(pdf_text(r.content))
