"""Message templates: `{{ bien }}` placeholders, checked when a template is saved.

A template is text with placeholders and nothing else — no tags, filters or attribute lookups — as
GOV.UK Notify does it: an administrator can edit it safely in the admin, a wrong name is refused
when saved (not found by a citizen), and rendering can only fail on a value we did not pass.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.utils.html import escape, linebreaks
from django.utils.translation import gettext as _

from .constants import Event

PLACEHOLDER = re.compile(r"\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}")
# What is left after the placeholders are taken out must hold no template syntax at all.
STRAY = re.compile(r"\{\{|\}\}|\{%|%\}")

_COMMON = {
    "nguoi_nhan": "Tên người nhận",
    "ten_he_thong": "Tên hệ thống (cổng dịch vụ công của tỉnh)",
}
_DOSSIER = {
    "ma_ho_so": "Mã hồ sơ",
    "ten_thu_tuc": "Tên thủ tục hành chính",
    "nguoi_nop": "Họ tên người nộp hồ sơ",
    "co_quan": "Cơ quan tiếp nhận",
    "trang_thai": "Trạng thái hồ sơ",
    "duong_dan": "Đường dẫn xem hồ sơ",
}

# The names each event's templates may use, with what they hold (shown in the admin).
VARIABLES: dict[str, dict[str, str]] = {
    Event.SUBMITTED: {**_DOSSIER, "ngay_nop": "Thời điểm nộp"},
    Event.RECEIVED: {**_DOSSIER, "hen_tra": "Ngày hẹn trả kết quả"},
    Event.SUPPLEMENT_REQUESTED: {
        **_DOSSIER,
        "danh_sach_bo_sung": "Danh sách giấy tờ cần bổ sung (mỗi dòng một mục)",
        "ly_do": "Nội dung yêu cầu",
    },
    Event.REFUSED: {**_DOSSIER, "ly_do": "Lý do từ chối"},
    Event.APOLOGY: {
        **_DOSSIER,
        "hen_tra_cu": "Ngày hẹn trả đã lỡ",
        "hen_tra_moi": "Ngày hẹn trả mới",
        "ly_do": "Lý do chậm",
    },
    Event.RESULT_READY: {**_DOSSIER, "cach_nhan": "Cách nhận kết quả"},
    Event.RETURNED: {**_DOSSIER, "cach_nhan": "Cách đã nhận kết quả"},
    Event.PAYMENT_DUE: {
        **_DOSSIER,
        "so_tien": "Số tiền (đồng)",
        "noi_dung_phi": "Khoản phí, lệ phí",
        "duong_dan_thanh_toan": "Đường dẫn thanh toán",
    },
    Event.PAYMENT_RECEIVED: {
        **_DOSSIER,
        "so_tien": "Số tiền (đồng)",
        "so_bien_lai": "Số biên lai",
    },
    Event.SHIPMENT_SENT: {
        **_DOSSIER,
        "ma_buu_gui": "Số hiệu bưu gửi",
        "chieu": "Chiều gửi (lấy hồ sơ / phát kết quả)",
    },
    Event.SHIPMENT_DELIVERED: {
        **_DOSSIER,
        "ma_buu_gui": "Số hiệu bưu gửi",
        "chieu": "Chiều gửi (lấy hồ sơ / phát kết quả)",
    },
    Event.TASK_ASSIGNED: {**_DOSSIER, "buoc": "Bước xử lý", "hen_tra": "Hạn trả kết quả"},
    Event.DUE_SOON: {**_DOSSIER, "hen_tra": "Hạn trả kết quả", "buoc": "Bước xử lý"},
    Event.OVERDUE: {**_DOSSIER, "hen_tra": "Hạn trả kết quả", "buoc": "Bước xử lý"},
    Event.DIGEST: {
        "ngay": "Ngày",
        "so_viec": "Số hồ sơ đang chờ",
        "so_sap_den_han": "Số hồ sơ sắp đến hạn",
        "so_qua_han": "Số hồ sơ quá hạn",
        "danh_sach": "Danh sách hồ sơ (mỗi dòng một hồ sơ)",
        "duong_dan": "Đường dẫn hàng đợi",
    },
    Event.REPORT_DUE: {
        "co_quan": "Cơ quan",
        "ky_bao_cao": "Kỳ báo cáo",
        "han_nop": "Hạn gửi báo cáo",
        "duong_dan": "Đường dẫn lập báo cáo",
    },
}
for _names in VARIABLES.values():
    _names.update(_COMMON)


class TemplateProblem(ValueError):
    """A template that cannot be saved or rendered; the message is for the person editing it."""


def _braced(name: str) -> str:
    return "{{ " + name + " }}"


def names_in(text: str) -> list[str]:
    """The placeholder names a text uses, in order of first use."""
    return list(dict.fromkeys(PLACEHOLDER.findall(text)))


def template_check(*, event: str, text: str) -> None:
    """Refuse a text naming a variable its event does not have, or holding other syntax."""
    allowed = VARIABLES[event]
    unknown = [n for n in names_in(text) if n not in allowed]
    if unknown:
        raise TemplateProblem(
            _("Mẫu dùng biến không có: %(unknown)s. Các biến dùng được: %(allowed)s.")
            % {
                "unknown": ", ".join(_braced(n) for n in unknown),
                "allowed": ", ".join(_braced(n) for n in allowed),
            }
        )
    if STRAY.search(PLACEHOLDER.sub("", text)):
        raise TemplateProblem(
            _(
                "Mẫu chỉ dùng biến dạng {{ ten_bien }} (chữ thường không dấu, số, dấu gạch dưới); "
                "có dấu ngoặc {{ }} hoặc {%% %%} không đúng dạng đó."
            )
        )


def render_text(text: str, values: Mapping[str, object]) -> str:
    """Fill the placeholders; a name with no value is a TemplateProblem (never a blank)."""

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            raise TemplateProblem(_("Thiếu giá trị cho biến {{ %(name)s }}.") % {"name": name})
        return str(values[name])

    return PLACEHOLDER.sub(fill, text)


def render_html(text: str, values: Mapping[str, object]) -> str:
    """The same text as HTML paragraphs, every value escaped."""
    return linebreaks(render_text(escape(text), {k: escape(str(v)) for k, v in values.items()}))
