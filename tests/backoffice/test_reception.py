"""Reception through the UI: accept with the checklist, supplement, refuse, the intake screen."""

from __future__ import annotations

import io

from django.urls import reverse

from motcua.dossiers.constants import AttachmentKind, Channel, DossierStatus
from motcua.dossiers.models import Attachment, Dossier, SupplementRequest
from tests.dossiers.helpers import drive, pdf_file
from tests.factories import RequiredDocumentFactory

from .conftest import World, event_actions, pdf_text


def _act(client, d: Dossier, action: str, data: dict, **kwargs):
    payload = {f"{action}-{k}": v for k, v in data.items()}
    payload.setdefault(f"{action}-version", d.version)
    return client.post(reverse("backoffice:action", args=[d.code, action]), payload, **kwargs)


def test_accept_checks_the_checklist_then_offers_the_receipt(as_user, world: World) -> None:
    d = drive(world, DossierStatus.SUBMITTED)
    # Listed after submission (the online check would have refused the draft without it).
    doc = RequiredDocumentFactory(procedure=world.procedure, name="Tờ khai đăng ký")
    officer = as_user(world.reception)
    page = officer.get(reverse("backoffice:dossier", args=[d.code]))
    assert "Tờ khai đăng ký" in page.content.decode()
    # A mandatory document not ticked: nothing changes, the form says what is missing.
    response = _act(officer, d, "accept", {"note": ""})
    assert response.status_code == 200
    assert "Chưa đủ thành phần bắt buộc: Tờ khai đăng ký" in response.content.decode()
    d.refresh_from_db()
    assert d.status == DossierStatus.SUBMITTED
    response = _act(officer, d, "accept", {"checklist": [str(doc.pk)], "note": "Đủ"})
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:dossier", args=[d.code])
    d.refresh_from_db()
    assert d.status == DossierStatus.RECEIVED
    assert d.due_at is not None and d.received_by == world.reception
    assert event_actions(d)[-1] == "accept"
    page = officer.get(response["Location"]).content.decode()
    assert "Đã tiếp nhận hồ sơ." in page
    receipt_url = reverse("backoffice:form", args=[d.code, "receipt"])
    assert receipt_url in page
    receipt = officer.get(receipt_url)
    assert receipt["Content-Type"] == "application/pdf"
    text = pdf_text(receipt.content)
    assert d.code in text
    assert "GIẤY TIẾP NHẬN HỒ SƠ" in text.upper()


def test_request_supplement_lists_what_is_missing_form_02(as_user, world: World) -> None:
    d = drive(world, DossierStatus.SUBMITTED)
    RequiredDocumentFactory(procedure=world.procedure, name="Bản sao giấy khai sinh")
    officer = as_user(world.reception)
    response = _act(officer, d, "request_supplement", {})
    assert response.status_code == 200
    assert "Cần liệt kê đầy đủ các nội dung phải bổ sung." in response.content.decode()
    response = _act(
        officer,
        d,
        "request_supplement",
        {
            "documents": ["Bản sao giấy khai sinh"],
            "other_items": "Ảnh 4x6\n\n",
            "reason": "Nộp bổ sung trong 5 ngày",
        },
    )
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.status == DossierStatus.AWAITING_SUPPLEMENT
    request = SupplementRequest.objects.get(dossier=d)
    assert request.items == ["Bản sao giấy khai sinh", "Ảnh 4x6"]
    assert event_actions(d)[-1] == "request_supplement"
    # The timeline says what was asked for, in words.
    page = officer.get(reverse("backoffice:dossier", args=[d.code])).content.decode()
    assert "Cần bổ sung: Bản sao giấy khai sinh; Ảnh 4x6" in page
    pdf = officer.get(reverse("backoffice:form", args=[d.code, "supplement_request"]))
    text = pdf_text(pdf.content)
    assert d.code in text and "Ảnh 4x6" in text and "Bản sao giấy khai sinh" in text


def test_refuse_needs_a_reason_and_produces_form_03(as_user, world: World) -> None:
    d = drive(world, DossierStatus.SUBMITTED)
    officer = as_user(world.reception)
    assert _act(officer, d, "refuse", {"reason": ""}).status_code == 200
    d.refresh_from_db()
    assert d.status == DossierStatus.SUBMITTED
    response = _act(officer, d, "refuse", {"reason": "Không thuộc thẩm quyền của Sở"})
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.status == DossierStatus.REFUSED
    assert event_actions(d)[-1] == "refuse"
    text = pdf_text(officer.get(reverse("backoffice:form", args=[d.code, "refusal"])).content)
    assert d.code in text and "Không thuộc thẩm quyền của Sở" in text


def test_htmx_action_swaps_the_dossier_panel(as_user, world: World) -> None:
    d = drive(world, DossierStatus.SUBMITTED)
    response = _act(
        as_user(world.reception), d, "refuse", {"reason": "Sai thẩm quyền"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="dossier-body"')
    assert "Đã từ chối tiếp nhận hồ sơ (mẫu 03)." in body
    assert "<html" not in body


# --- the intake screen -------------------------------------------------------------------

SCHEMA = {
    "type": "object",
    "properties": {
        "nguoi_yeu_cau": {
            "type": "object",
            "title": "Người yêu cầu",
            "properties": {
                "ho_ten": {"type": "string", "title": "Họ, chữ đệm và tên", "minLength": 1},
                "so_dinh_danh": {
                    "type": "string",
                    "title": "Số định danh cá nhân",
                    "pattern": "^[0-9]{12}$",
                },
            },
            "required": ["ho_ten", "so_dinh_danh"],
        },
        "ngay_sinh": {"type": "string", "title": "Ngày sinh", "format": "date"},
        "gioi_tinh": {"type": "string", "title": "Giới tính", "enum": ["Nam", "Nữ"]},
        "so_ban": {"type": "integer", "title": "Số bản", "minimum": 1, "maximum": 10},
        "lan_dau": {"type": "boolean", "title": "Lần đầu"},
    },
    "required": ["nguoi_yeu_cau", "gioi_tinh"],
}


def _intake_data(world: World, **extra) -> dict:
    data = {
        "channel": Channel.DIRECT,
        "receiving_unit": world.unit.pk,
        "applicant_kind": "person",
        "applicant_name": "Hoàng Thị Lụa",
        "applicant_citizen_id": "066190001234",
        "applicant_phone": "0905111222",
        "applicant_address": "12 Lê Duẩn, Buôn Ma Thuột",
        "result_delivery": "in_person",
        "ef__nguoi_yeu_cau__ho_ten": "Hoàng Thị Lụa",
        "ef__nguoi_yeu_cau__so_dinh_danh": "066190001234",
        "ef__ngay_sinh": "02/09/1990",
        "ef__gioi_tinh": "Nữ",
        "ef__so_ban": "2",
        "ef__lan_dau": "on",
    }
    data.update(extra)
    return data


def test_intake_finds_the_procedure_without_diacritics(as_user, world: World) -> None:
    world.procedure.name = "Đăng ký khai sinh"
    world.procedure.save()
    response = as_user(world.reception).get(reverse("backoffice:intake"), {"q": "dang ky khai"})
    assert response.status_code == 200
    assert f"?thu_tuc={world.procedure.code}" in response.content.decode()


def test_intake_direct_with_eform_and_scans_then_the_receipt(as_user, world: World) -> None:
    world.procedure.form_schema = SCHEMA
    world.procedure.save()
    doc = RequiredDocumentFactory(procedure=world.procedure, name="Tờ khai")
    officer = as_user(world.reception)
    url = reverse("backoffice:intake") + f"?thu_tuc={world.procedure.code}"
    page = officer.get(url)
    assert page.status_code == 200
    assert "Họ, chữ đệm và tên" in page.content.decode()
    data = _intake_data(world, **{f"doc_{doc.pk}_scan": pdf_file("to-khai-quet.pdf")})
    response = officer.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    d = Dossier.objects.get()
    assert response["Location"] == reverse("backoffice:dossier", args=[d.code])
    assert (d.status, d.channel, d.applicant_name) == (
        DossierStatus.RECEIVED,
        Channel.DIRECT,
        "Hoàng Thị Lụa",
    )
    assert d.form_data == {
        "nguoi_yeu_cau": {"ho_ten": "Hoàng Thị Lụa", "so_dinh_danh": "066190001234"},
        "ngay_sinh": "1990-09-02",
        "gioi_tinh": "Nữ",
        "so_ban": 2,
        "lan_dau": True,
    }
    scan = Attachment.objects.get(dossier=d)
    assert (scan.kind, scan.required_document) == (AttachmentKind.SCAN, doc)
    assert event_actions(d) == ["receive_direct", "attach"]
    page = officer.get(response["Location"]).content.decode()
    assert reverse("backoffice:form", args=[d.code, "receipt"]) in page
    text = pdf_text(officer.get(reverse("backoffice:form", args=[d.code, "receipt"])).content)
    assert d.code in text and "Hoàng Thị Lụa" in text


def test_intake_reports_eform_errors_in_vietnamese_and_saves_nothing(as_user, world) -> None:
    world.procedure.form_schema = SCHEMA
    world.procedure.save()
    officer = as_user(world.reception)
    url = reverse("backoffice:intake") + f"?thu_tuc={world.procedure.code}"
    data = _intake_data(
        world,
        ef__nguoi_yeu_cau__ho_ten="",
        ef__nguoi_yeu_cau__so_dinh_danh="123",
        ef__gioi_tinh="",
    )
    response = officer.post(url, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Cần nhập “Họ, chữ đệm và tên”." in body
    assert "“Số định danh cá nhân” không đúng định dạng." in body
    assert "Cần nhập “Giới tính”." in body
    assert not Dossier.objects.exists()


def test_intake_postal_rejects_a_bad_scan_and_keeps_nothing(as_user, world: World) -> None:
    doc = RequiredDocumentFactory(procedure=world.procedure, name="Đơn đề nghị")
    officer = as_user(world.reception)
    url = reverse("backoffice:intake") + f"?thu_tuc={world.procedure.code}"
    fake = io.BytesIO(b"MZ not a document")
    fake.name = "don.pdf"
    data = _intake_data(world, channel=Channel.POSTAL, **{f"doc_{doc.pk}_scan": fake})
    response = officer.post(url, data)
    assert response.status_code == 200
    assert "Chỉ nhận tệp PDF, JPEG hoặc PNG" in response.content.decode()
    assert not Dossier.objects.exists()
    # Mandatory document neither checked nor scanned.
    response = officer.post(url, _intake_data(world, channel=Channel.POSTAL))
    assert "Chưa đủ thành phần bắt buộc: Đơn đề nghị." in response.content.decode()
    response = officer.post(
        url, _intake_data(world, channel=Channel.POSTAL, **{f"doc_{doc.pk}_checked": "on"})
    )
    assert response.status_code == 302
    d = Dossier.objects.get()
    assert (d.channel, d.status) == (Channel.POSTAL, DossierStatus.RECEIVED)
    assert event_actions(d) == ["receive_postal"]
