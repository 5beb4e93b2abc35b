"""Forms 02–05 as PDF, from dossiers driven through the real services."""

from __future__ import annotations

import pytest

from motcua.documents.renderers import (
    control_sheet_rows,
    handling_agency,
    render_apology,
    render_control_sheet,
    render_form,
    render_refusal,
    render_supplement_request,
)
from motcua.documents.words import format_datetime
from motcua.dossiers import services as s

from .conftest import Flow, local_time, pdf_reader, pdf_text

A5 = (pytest.approx(419.5, abs=0.6), pytest.approx(595.3, abs=0.6))


def _size(data: bytes) -> tuple[float, float]:
    box = pdf_reader(data).pages[0].mediabox
    return float(box.width), float(box.height)


def test_supplement_request_lists_every_item(centre, procedure, officer, staff, keep) -> None:  # type: ignore[no-untyped-def]
    d = s.dossier_receive_direct(
        actor=officer,
        procedure=procedure,
        receiving_unit=centre,
        applicant=s.Applicant(name="Đỗ Thị Ước", citizen_id="066190000888"),
        at=local_time(14, 8, 5),
    )
    d = s.dossier_start(dossier=d, actor=officer, at=local_time(14, 9, 0))
    d = s.dossier_request_supplement(
        dossier=d,
        actor=officer,
        items=["Bản sao Giấy chứng nhận quyền sử dụng đất", "Sơ đồ vị trí trụ sở có xác nhận"],
        reason="Thành phần hồ sơ chưa đầy đủ theo quy định",
        at=local_time(15, 14, 20),
    )
    data = render_supplement_request(dossier=d)
    keep("02-supplement-request.pdf", data)
    text = pdf_text(data)
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text
    assert "Mẫu số 02" in text
    assert f"Mã hồ sơ: {d.code}" in text
    assert "Đỗ Thị Ước" in text
    assert "Bản sao Giấy chứng nhận quyền sử dụng đất" in text
    assert "Sơ đồ vị trí trụ sở có xác nhận" in text
    assert "Lý do: Thành phần hồ sơ chưa đầy đủ theo quy định" in text
    assert "14 giờ 20 phút, ngày 15 tháng 07 năm 2025" in text
    assert "NGƯỜI HƯỚNG DẪN" in text
    assert "Nguyễn Thị Ưng" in text
    assert "0262 3812 345" in text
    assert _size(data) == A5
    assert render_form(2, dossier=d)[:5] == b"%PDF-"


def test_refusal_states_the_recorded_reason(
    centre, procedure, officer, leader, staff, keep
) -> None:  # type: ignore[no-untyped-def]
    # A refusal after appraisal (Decree 61 Art 19 k8) also uses form 03.
    d = s.dossier_receive_direct(
        actor=officer,
        procedure=procedure,
        receiving_unit=centre,
        applicant=s.Applicant(name="Vũ Minh Đức", citizen_id="066190000999"),
        at=local_time(14, 8, 5),
    )
    d = s.dossier_start(dossier=d, actor=officer, at=local_time(14, 9, 0))
    d = s.dossier_deny(
        dossier=d,
        actor=leader,
        reason="Hồ sơ không thuộc thẩm quyền giải quyết của Sở Tư pháp",
        at=local_time(16, 10, 45),
    )
    data = render_refusal(dossier=d)
    keep("03-refusal.pdf", data)
    text = pdf_text(data)
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in text
    assert "Mẫu số 03" in text
    assert d.code and d.code in text
    assert "Vũ Minh Đức" in text
    assert "Hồ sơ không thuộc thẩm quyền giải quyết của Sở Tư pháp" in text
    assert "Đắk Lắk, ngày 16 tháng 07 năm 2025" in text
    assert "Thời gian nộp hồ sơ: 08 giờ 05 phút, ngày 14 tháng 07 năm 2025" in text
    assert "Trần Đức Thắng" in text
    assert _size(data) == A5


def test_apology_gives_the_reason_and_both_appointments(flow: Flow, keep) -> None:  # type: ignore[no-untyped-def]
    apology = flow.dossier.apology
    data = render_apology(dossier=flow.dossier)
    keep("04-apology.pdf", data)
    text = pdf_text(data)
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in text
    assert "Mẫu số 04" in text
    assert flow.dossier.code in text
    assert "Kính gửi: Hoàng Thị Ngọc Ửng" in text
    assert "Cần xác minh thêm thông tin về trụ sở" in text
    assert format_datetime(value=apology.original_due_at) in text
    assert format_datetime(value=apology.new_due_at) in text
    assert "Ngày 14 tháng 07 năm 2025" in text
    assert "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ" in text
    assert "Trần Đức Thắng" in text
    # Signed by the agency that resolves the dossier (the office's department), not the centre.
    assert "SỞ TƯ PHÁP" in text
    assert _size(data) == A5


def test_control_sheet_has_one_row_per_hand_over(flow: Flow, keep) -> None:  # type: ignore[no-untyped-def]
    rows = control_sheet_rows(flow.dossier)
    assert [row["step"] for row in rows] == [
        "Tiếp nhận hồ sơ",
        "Thẩm định hồ sơ",
        "Phê duyệt kết quả",
        "Trả kết quả",
    ]
    assert rows[1]["agency"] == "Phòng Bổ trợ tư pháp"
    assert rows[1]["giver"] == "Nguyễn Thị Ưng"
    assert rows[1]["receiver"] == "Lê Văn Đạt"
    assert rows[1]["time"] == "09 giờ 00 phút, ngày 14 tháng 07 năm 2025"
    assert rows[1]["timing"] in {"Trước hạn", "Đúng hạn", "Quá hạn"}
    assert rows[-1]["receiver"] == "Hoàng Thị Ngọc Ửng"
    assert handling_agency(flow.dossier).name == "Sở Tư pháp"

    data = render_control_sheet(dossier=flow.dossier, issued_at=local_time(30, 9))
    keep("05-control-sheet.pdf", data)
    text = pdf_text(data)
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text
    assert "Mẫu số 05" in text
    assert flow.dossier.code in text
    assert "Kèm theo hồ sơ của: Hoàng Thị Ngọc Ửng" in text
    assert "Thẩm định hồ sơ" in text
    assert "Lê Văn Đạt" in text
    assert "Phòng Bổ trợ tư pháp" in text
    assert _size(data) == A5


def test_forms_refuse_what_they_cannot_state(dossier) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="supplement"):
        render_supplement_request(dossier=dossier)
    with pytest.raises(ValueError, match="reason"):
        render_refusal(dossier=dossier)
    with pytest.raises(ValueError, match="apology"):
        render_apology(dossier=dossier)
    with pytest.raises(LookupError):
        render_form("09", dossier=dossier)
