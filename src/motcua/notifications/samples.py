"""The sample dossier a template is previewed with in the admin: one value for every variable
name of templating.VARIABLES, as a real message of that event would carry it."""

from __future__ import annotations

from django.conf import settings

from .constants import Event
from .templating import VARIABLES

_CODE = "000.00.21.H16-261207-0001"

SAMPLE_VALUES: dict[str, str] = {
    "nguoi_nhan": "Nguyễn Thị Hương",
    "ma_ho_so": _CODE,
    "ten_thu_tuc": "Đăng ký khai sinh",
    "nguoi_nop": "Nguyễn Thị Hương",
    "co_quan": "UBND phường Tân Lập",
    "trang_thai": "Đã tiếp nhận",
    "duong_dan": f"http://127.0.0.1:8000/ho-so-cua-toi/{_CODE}/",
    "ngay_nop": "08:15 07/12/2026",
    "hen_tra": "16:30 09/12/2026",
    "danh_sach_bo_sung": "- Bản sao giấy chứng sinh\n- Giấy chứng nhận kết hôn của cha mẹ",
    "ly_do": "Hồ sơ còn thiếu giấy tờ theo quy định",
    "hen_tra_cu": "16:30 09/12/2026",
    "hen_tra_moi": "16:30 11/12/2026",
    "cach_nhan": "Nhận trực tiếp tại Bộ phận Một cửa UBND phường Tân Lập",
    "so_tien": "8.000",
    "noi_dung_phi": "Lệ phí đăng ký khai sinh",
    "duong_dan_thanh_toan": "http://127.0.0.1:8000/thanh-toan/PAY-261207-0001/",
    "so_bien_lai": "0000123",
    "ma_buu_gui": "EB123456789VN",
    "chieu": "Phát kết quả",
    "buoc": "Thẩm định hồ sơ",
    "ngay": "07/12/2026",
    "so_viec": "12",
    "so_sap_den_han": "3",
    "so_qua_han": "1",
    "danh_sach": f"- {_CODE} · Đăng ký khai sinh · hạn 16:30 09/12/2026\n"
    "- 000.00.21.H16-261205-0007 · Cấp bản sao trích lục hộ tịch · quá hạn",
    "ky_bao_cao": "Tháng 12/2026 (15/11/2026 – 14/12/2026)",
    "han_nop": "21/12/2026",
}
# Where an event's variable reads differently from the common sample.
_BY_EVENT: dict[str, dict[str, str]] = {
    Event.REFUSED: {"ly_do": "Thủ tục không thuộc thẩm quyền giải quyết của cơ quan"},
    Event.APOLOGY: {"ly_do": "Cần xác minh thêm thông tin với cơ quan khác"},
    Event.RETURNED: {"cach_nhan": "Đã nhận trực tiếp tại Bộ phận Một cửa", "trang_thai": "Đã trả"},
    Event.RESULT_READY: {"trang_thai": "Đã có kết quả"},
    Event.DIGEST: {"duong_dan": "http://127.0.0.1:8000/can-bo/"},
    Event.REPORT_DUE: {"duong_dan": "http://127.0.0.1:8000/bao-cao/"},
}


def sample_values(*, event: str) -> dict[str, str]:
    """Every variable the event's templates may use, filled from the sample dossier."""
    values = {**SAMPLE_VALUES, **_BY_EVENT.get(event, {})}
    values["ten_he_thong"] = settings.MOTCUA_SYSTEM_NAME
    return {name: values[name] for name in VARIABLES[event]}
