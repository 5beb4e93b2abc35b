"""Form 01 (Giấy tiếp nhận hồ sơ và hẹn trả kết quả) as PDF: content, paper, QR."""

from __future__ import annotations

import pytest

from motcua.documents.renderers import render_form, render_receipt
from motcua.dossiers.constants import Channel
from motcua.dossiers.models import Dossier

from .conftest import CODE, pdf_reader, pdf_text

A5_POINTS = (419.53, 595.28)


@pytest.fixture
def receipt(dossier: Dossier, keep) -> bytes:  # type: ignore[no-untyped-def]
    data = render_receipt(dossier=dossier)
    keep("01-receipt.pdf", data)
    return data


def test_receipt_text_has_the_dossier_times_and_fee_in_words(receipt: bytes) -> None:
    text = pdf_text(receipt)
    assert "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert "Mẫu số 01" in text
    assert f"Mã hồ sơ: {CODE}" in text
    assert "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH" in text
    assert "Phạm Thị Hằng Nguyệt" in text
    assert "Đăng ký hoạt động của Văn phòng công chứng" in text
    assert "Đơn đề nghị đăng ký hoạt động" in text
    assert "Thời gian nhận hồ sơ: 08 giờ 05 phút, ngày 14 tháng 07 năm 2025" in text
    assert (
        "Thời gian trả kết quả giải quyết hồ sơ: 16 giờ 30 phút, ngày 28 tháng 07 năm 2025" in text
    )
    assert "10 ngày làm việc" in text
    assert "1.250.000 đồng" in text
    assert "Bằng chữ: Một triệu hai trăm năm mươi nghìn đồng" in text
    assert "Đắk Lắk, ngày 14 tháng 07 năm 2025" in text
    assert "NGƯỜI NỘP HỒ SƠ" in text
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ" in text
    assert "Nguyễn Thị Ưng" in text
    assert "Trực tiếp" in text


def test_receipt_is_one_a5_page(receipt: bytes) -> None:
    reader = pdf_reader(receipt)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width), 1), round(float(box.height), 1)) == (
        pytest.approx(A5_POINTS[0], abs=0.5),
        pytest.approx(A5_POINTS[1], abs=0.5),
    )


def test_receipt_of_an_online_dossier_lists_electronic_copies(dossier: Dossier) -> None:
    dossier.channel = Channel.ONLINE
    dossier.fee_total = 0
    dossier.procedure.fees.all().delete()
    text = pdf_text(render_form("01", dossier=dossier))
    assert "Bản điện tử" in text
    assert "Trực tuyến" in text
    assert "Phí, lệ phí: Không thu" in text


def test_receipt_needs_a_received_dossier(dossier: Dossier) -> None:
    dossier.received_at = None
    with pytest.raises(ValueError, match="received"):
        render_receipt(dossier=dossier)
