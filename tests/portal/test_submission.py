"""Online submission through the pages: every step, every rejection, drafts, the receipt."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from motcua.dossiers.constants import DossierStatus, EventAction
from motcua.dossiers.models import Dossier

from .submission_fixtures import PDF, PNG, VALID_EFORM, Portal, upload

pytestmark = pytest.mark.django_db

APPLICANT = {
    "name": "Nguyễn Văn An",
    "citizen_id": "066090000001",
    "phone": "0912 345 678",
    "email": "an@example.vn",
    "address": "12 Lê Duẩn, Buôn Ma Thuột",
}


def step_url(dossier: Dossier, step: str) -> str:
    return reverse("portal:submit_step", args=[dossier.uuid, step])


def start(client: Client, portal: Portal) -> Dossier:
    client.force_login(portal.citizen)
    response = client.post(reverse("portal:submit", args=[portal.procedure.code]))
    assert response.status_code == 302
    dossier = Dossier.objects.get(owner=portal.citizen, status=DossierStatus.DRAFT)
    assert response["Location"] == step_url(dossier, "nguoi-nop")
    return dossier


def fill_all(client: Client, portal: Portal, dossier: Dossier, delivery: str = "in_person") -> None:
    assert client.post(step_url(dossier, "nguoi-nop"), APPLICANT).status_code == 302
    assert client.post(step_url(dossier, "to-khai"), VALID_EFORM).status_code == 302
    response = client.post(
        step_url(dossier, "giay-to"),
        {
            f"doc-{portal.form_doc.pk}": upload("don.pdf"),
            f"doc-{portal.id_doc.pk}": upload("cccd.png", PNG),
            "action": "next",
        },
    )
    assert response.status_code == 302, response.content.decode()
    data = {"result_delivery": delivery, "delivery_address": "1 Hùng Vương"}
    assert client.post(step_url(dossier, "nhan-ket-qua"), data).status_code == 302


def submit(client: Client, dossier: Dossier) -> Any:
    dossier.refresh_from_db()
    return client.post(step_url(dossier, "xem-lai"), {"version": dossier.version})


def test_sign_in_is_required(client, portal):
    response = client.get(reverse("portal:submit", args=[portal.procedure.code]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_levels_1_and_2_explain_and_unknown_codes_404(client, portal):
    portal.procedure.online_level = 2
    portal.procedure.save()
    client.force_login(portal.citizen)
    response = client.get(reverse("portal:submit", args=[portal.procedure.code]))
    assert response.status_code == 404
    assert "chưa nhận hồ sơ trực tuyến" in response.content.decode()
    assert client.post(reverse("portal:submit", args=[portal.procedure.code])).status_code == 404
    assert not Dossier.objects.exists()
    assert client.get(reverse("portal:submit", args=["9.999999"])).status_code == 404


def test_procedure_page_links_to_submission(client, portal):
    html = client.get(reverse("portal:procedure", args=[portal.procedure.code])).content.decode()
    assert reverse("portal:submit", args=[portal.procedure.code]) in html


def test_start_page_lists_documents_fees_and_steps(client, portal):
    client.force_login(portal.citizen)
    html = client.get(reverse("portal:submit", args=[portal.procedure.code])).content.decode()
    assert "Bản sao căn cước" in html
    assert "Bạn thanh toán khi hồ sơ được tiếp nhận" in html
    for title in ["Thông tin người nộp", "Tờ khai", "Giấy tờ", "Nhận kết quả", "Xem lại và nộp"]:
        assert title in html


def test_whole_journey_to_the_receipt(client, portal, django_capture_on_commit_callbacks, caplog):
    dossier = start(client, portal)
    # Step 1 is pre-filled from the profile.
    html = client.get(step_url(dossier, "nguoi-nop")).content.decode()
    assert 'value="066090000001"' in html and 'value="Nguyễn Văn An"' in html
    assert 'aria-current="step"' in html and "Bước 1/5" in html
    # Step 2 is pre-filled with what the account knows.
    html = client.get(step_url(dossier, "to-khai")).content.decode()
    assert 'value="0912345678"' in html
    # By post only where a postal account serves the unit (tests/postal/test_portal_pages.py).
    fill_all(client, portal, dossier, delivery="online")
    review = client.get(step_url(dossier, "xem-lai")).content.decode()
    assert "17/05/2024" in review and "cccd.png" in review
    assert "Trực tuyến" in review
    assert "Hồ sơ chưa đủ để nộp" not in review
    with (
        caplog.at_level(logging.INFO, logger="motcua.dossiers.tasks"),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        response = submit(client, dossier)
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUBMITTED
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:receipt", args=[dossier.code])
    # The notification task was enqueued after commit (and, in tests, run at once).
    assert callbacks
    assert f"dossier {dossier.code}: submit (draft → submitted)" in caplog.text
    assert dossier.form_data["so_ban"] == 3
    assert dossier.applicant_phone == "0912345678"
    assert dossier.result_delivery == "online"
    assert dossier.delivery_address == ""
    receipt = client.get(response["Location"]).content.decode()
    assert dossier.code in receipt
    assert "<svg" in receipt  # the QR code
    assert "/tra-cuu/?code=" in receipt
    assert "chậm nhất" in receipt
    assert "ngày hẹn trả kết quả được ấn định khi tiếp nhận" in receipt
    pdf = client.get(reverse("portal:receipt_pdf", args=[dossier.code]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert "xac-nhan-nop-ho-so" in pdf["Content-Disposition"]
    # Back to a draft URL after submitting: to the dossier's page, not an error.
    again = client.get(step_url(dossier, "nguoi-nop"))
    assert again["Location"] == reverse("portal:my_dossier", args=[dossier.code])


def test_receipt_pdf_of_an_accepted_dossier_is_form_01(client, world):
    from tests.dossiers.helpers import drive

    dossier = drive(world, DossierStatus.RECEIVED)
    client.force_login(world.citizen)
    pdf = client.get(reverse("portal:receipt_pdf", args=[dossier.code]))
    assert pdf.status_code == 200
    assert "giay-tiep-nhan" in pdf["Content-Disposition"]


def test_applicant_step_errors(client, portal):
    dossier = start(client, portal)
    response = client.post(
        step_url(dossier, "nguoi-nop"),
        {"name": "", "citizen_id": "123", "phone": "0212345678", "address": ""},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "error-summary" in html
    assert "Không được để trống." in html
    assert "Số định danh cá nhân (CCCD) phải gồm đúng 12 chữ số." in html
    assert "Số điện thoại di động phải có 10 chữ số" in html
    dossier.refresh_from_db()
    assert dossier.applicant_name == "Nguyễn Văn An"  # nothing saved from the bad post


def test_eform_errors_are_shown_and_what_was_typed_is_kept(client, portal):
    dossier = start(client, portal)
    data = dict(VALID_EFORM, so_ban="0", giay_to="", nguoi_yeu_cau__email="an@")
    response = client.post(step_url(dossier, "to-khai"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<div class="error-summary"' in html
    assert 'href="#id_so_ban">Số bản: Giá trị nhỏ nhất là 1.' in html
    assert 'id="id_so_ban_error">Giá trị nhỏ nhất là 1.' in html
    assert "Địa chỉ thư điện tử không hợp lệ" in html
    dossier.refresh_from_db()
    assert dossier.form_data["so_ban"] == 0  # kept in the draft, flagged on review
    assert dossier.form_data["dan_toc"] == "Ê Đê"
    review = client.get(step_url(dossier, "xem-lai")).content.decode()
    assert "Tờ khai còn mục chưa điền hoặc chưa đúng" in review
    response = submit(client, dossier)
    assert response.status_code == 200
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.DRAFT


def test_missing_mandatory_upload_is_named(client, portal):
    dossier = start(client, portal)
    response = client.post(
        step_url(dossier, "giay-to"),
        {f"doc-{portal.form_doc.pk}": upload(), "action": "next"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="#doc-{portal.id_doc.pk}">Bản sao căn cước: Cần đính kèm giấy tờ này.' in html
    # The optional document is not asked for; the good upload is kept.
    assert "Giấy uỷ quyền: Cần" not in html
    assert dossier.attachments.count() == 1
    assert "don.pdf" in html


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "virus.pdf",
            b"MZ\x90\x00 not a pdf",
            "Chỉ nhận tệp PDF, JPEG hoặc PNG (kiểm tra theo nội dung tệp, không theo tên tệp).",
        ),
        ("rong.pdf", b"", "Tệp rỗng."),
        ("lon.pdf", PDF + b"0" * 2048, "Tệp vượt quá dung lượng cho phép"),
    ],
)
def test_upload_rejections_keep_the_other_uploads(client, portal, settings, name, content, message):
    settings.MOTCUA_MAX_UPLOAD_BYTES = 1024
    dossier = start(client, portal)
    response = client.post(
        step_url(dossier, "giay-to"),
        {
            f"doc-{portal.form_doc.pk}": upload("don.pdf"),
            f"doc-{portal.id_doc.pk}": upload(name, content),
            "action": "next",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f"Tệp “{name}”: {message}" in html
    names = list(dossier.attachments.values_list("original_name", flat=True))
    assert names == ["don.pdf"]


def test_too_many_files_for_one_document(client, portal, settings):
    dossier = start(client, portal)
    files = [upload(f"trang{i}.pdf") for i in range(settings.MOTCUA_MAX_FILES_PER_DOCUMENT + 1)]
    response = client.post(
        step_url(dossier, "giay-to"), {f"doc-{portal.form_doc.pk}": files, "action": "upload"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Mỗi thành phần hồ sơ đính kèm tối đa 5 tệp." in html
    assert dossier.attachments.count() == settings.MOTCUA_MAX_FILES_PER_DOCUMENT


def test_a_wrong_file_can_be_removed(client, portal):
    dossier = start(client, portal)
    client.post(step_url(dossier, "giay-to"), {f"doc-{portal.form_doc.pk}": upload("sai.pdf")})
    attachment = dossier.attachments.get()
    response = client.post(step_url(dossier, "giay-to"), {"remove": attachment.pk})
    assert response.status_code == 302
    assert not dossier.attachments.exists()
    assert dossier.events.order_by("-seq").first().action == EventAction.DETACH


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Vui lòng chọn hình thức nhận kết quả."),
        ({"result_delivery": "drone"}, "Hình thức nhận kết quả này không áp dụng cho thủ tục."),
        # No postal account serves the unit: post is not offered (the address checks by post
        # are tests/postal/test_portal_pages.py's).
        ({"result_delivery": "postal"}, "Hình thức nhận kết quả này không áp dụng cho thủ tục."),
    ],
)
def test_bad_delivery_choices(client, portal, data, message):
    dossier = start(client, portal)
    response = client.post(step_url(dossier, "nhan-ket-qua"), data)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_post_and_online_only_where_the_procedure_allows(client, portal):
    portal.procedure.online_level = 3
    portal.procedure.accepts_postal_return = False
    portal.procedure.save()
    dossier = start(client, portal)
    html = client.get(step_url(dossier, "nhan-ket-qua")).content.decode()
    assert 'value="in_person"' in html
    assert 'value="postal"' not in html and 'value="online"' not in html
    for choice in ("postal", "online"):
        response = client.post(
            step_url(dossier, "nhan-ket-qua"),
            {"result_delivery": choice, "delivery_address": "1 Hùng Vương"},
        )
        assert "Hình thức nhận kết quả này không áp dụng cho thủ tục." in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.result_delivery == "in_person"


@pytest.mark.parametrize(
    ("stage", "says"),
    [
        ("submission", "Bạn thanh toán ngay sau khi nộp hồ sơ"),
        ("acceptance", "Bạn thanh toán khi hồ sơ được tiếp nhận"),
        ("result", "Bạn thanh toán khi có kết quả"),
    ],
)
def test_the_fees_notice_says_when_they_fall_due(client, portal, stage, says):
    portal.procedure.fee_stage = stage
    portal.procedure.save()
    dossier = start(client, portal)
    html = client.get(step_url(dossier, "nhan-ket-qua")).content.decode()
    assert says in html
    others = {
        "Bạn thanh toán ngay sau khi nộp hồ sơ",
        "Bạn thanh toán khi hồ sơ được tiếp nhận",
        "Bạn thanh toán khi có kết quả",
    } - {says}
    assert not any(other in html for other in others)


def test_submitting_without_documents_is_refused(client, portal):
    dossier = start(client, portal)
    client.post(step_url(dossier, "to-khai"), VALID_EFORM)
    review = client.get(step_url(dossier, "xem-lai")).content.decode()
    assert "Chưa đính kèm: Đơn đề nghị" in review
    submit(client, dossier)
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.DRAFT and dossier.code is None


def test_stale_review_is_not_submitted(client, portal):
    dossier = start(client, portal)
    fill_all(client, portal, dossier)
    dossier.refresh_from_db()
    response = client.post(step_url(dossier, "xem-lai"), {"version": dossier.version - 1})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.DRAFT


def test_drafts_are_resumable_and_listed(client, portal):
    dossier = start(client, portal)
    client.post(step_url(dossier, "to-khai"), dict(VALID_EFORM, giay_to="Học bạ"))
    html = client.get(reverse("portal:my_dossiers")).content.decode()
    assert step_url(dossier, "nguoi-nop") in html
    start_page = client.get(reverse("portal:submit", args=[portal.procedure.code]))
    assert step_url(dossier, "nguoi-nop") in start_page.content.decode()
    html = client.get(step_url(dossier, "to-khai")).content.decode()
    assert 'value="Học bạ"' in html


def test_another_citizen_cannot_open_or_change_a_draft(client, portal):
    dossier = start(client, portal)
    intruder = Client()
    intruder.force_login(portal.other)
    for step in ("nguoi-nop", "to-khai", "giay-to", "nhan-ket-qua", "xem-lai"):
        assert intruder.get(step_url(dossier, step)).status_code == 404
        assert intruder.post(step_url(dossier, step), {"name": "X"}).status_code == 404
    assert (
        intruder.get(reverse("portal:submit_step", args=[dossier.uuid, "khac"])).status_code == 404
    )
    dossier.refresh_from_db()
    assert dossier.version == 1 and dossier.applicant_name == "Nguyễn Văn An"


def test_a_procedure_with_several_units_asks_which_one(client, portal, make_unit):
    second = make_unit(name="UBND phường Tân Lợi")
    portal.procedure.performing_units.add(second)
    client.force_login(portal.citizen)
    response = client.post(reverse("portal:submit", args=[portal.procedure.code]))
    assert response.status_code == 200
    assert "Vui lòng chọn cơ quan tiếp nhận hồ sơ." in response.content.decode()
    response = client.post(
        reverse("portal:submit", args=[portal.procedure.code]), {"unit": second.code}
    )
    assert response.status_code == 302
    assert Dossier.objects.get().receiving_unit == second


def test_a_procedure_without_eform_skips_to_documents(client, portal):
    portal.procedure.form_schema = {}
    portal.procedure.save()
    dossier = start(client, portal)
    html = client.get(step_url(dossier, "to-khai")).content.decode()
    assert "không có tờ khai điện tử" in html
    response = client.post(step_url(dossier, "to-khai"))
    assert response["Location"] == step_url(dossier, "giay-to")
