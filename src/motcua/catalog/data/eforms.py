"""E-form JSON Schemas (draft 2020-12) for the demo catalogue, built from shared pieces."""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]

DRAFT = "https://json-schema.org/draft/2020-12/schema"
CITIZEN_ID_PATTERN = r"^[0-9]{12}$"
# Vietnamese mobile numbers: 03x, 05x, 07x, 08x, 09x, ten digits (or +84 and nine digits).
PHONE_PATTERN = r"^(0|\+84)(3|5|7|8|9)[0-9]{8}$"
TAX_CODE_PATTERN = r"^[0-9]{10}([0-9]{3})?$"

SEXES = ["Nam", "Nữ"]
ETHNIC_GROUPS = ["Kinh", "Ê Đê", "M'nông", "Gia Rai", "Tày", "Nùng", "Thái", "Mường", "Khác"]
PURPOSES_COPY = ["Học tập", "Xin việc", "Thủ tục hành chính", "Khác"]


def text(title: str, *, max_length: int = 200, **extra: Any) -> Schema:
    return {"type": "string", "title": title, "minLength": 1, "maxLength": max_length, **extra}


def date(title: str) -> Schema:
    return {"type": "string", "title": title, "format": "date"}


def choice(title: str, options: list[str]) -> Schema:
    return {"type": "string", "title": title, "enum": options}


def integer(title: str, *, minimum: int = 0, maximum: int | None = None) -> Schema:
    schema: Schema = {"type": "integer", "title": title, "minimum": minimum}
    if maximum is not None:
        schema["maximum"] = maximum
    return schema


def citizen_id(title: str = "Số định danh cá nhân") -> Schema:
    return {
        "type": "string",
        "title": title,
        "pattern": CITIZEN_ID_PATTERN,
        "description": "12 chữ số trên thẻ căn cước.",
    }


def applicant(title: str = "Người yêu cầu") -> Schema:
    """The person filing: pre-filled from the account where the portal knows it."""
    return {
        "type": "object",
        "title": title,
        "properties": {
            "ho_ten": text("Họ, chữ đệm và tên"),
            "so_dinh_danh": citizen_id(),
            "ngay_sinh": date("Ngày, tháng, năm sinh"),
            "dien_thoai": {"type": "string", "title": "Số điện thoại", "pattern": PHONE_PATTERN},
            "email": {"type": "string", "title": "Thư điện tử", "format": "email"},
            "noi_cu_tru": text("Nơi cư trú", max_length=500),
        },
        "required": ["ho_ten", "so_dinh_danh", "dien_thoai", "noi_cu_tru"],
    }


def person(title: str, *, with_id: bool = True) -> Schema:
    properties: Schema = {
        "ho_ten": text("Họ, chữ đệm và tên"),
        "ngay_sinh": date("Ngày, tháng, năm sinh"),
        "dan_toc": choice("Dân tộc", ETHNIC_GROUPS),
        "quoc_tich": text("Quốc tịch", default="Việt Nam"),
        "noi_cu_tru": text("Nơi cư trú", max_length=500),
    }
    if with_id:
        properties["so_dinh_danh"] = citizen_id()
    return {"type": "object", "title": title, "properties": properties, "required": ["ho_ten"]}


def business(title: str = "Tổ chức, doanh nghiệp") -> Schema:
    return {
        "type": "object",
        "title": title,
        "properties": {
            "ten": text("Tên tổ chức, doanh nghiệp", max_length=255),
            "ma_so_thue": {"type": "string", "title": "Mã số thuế", "pattern": TAX_CODE_PATTERN},
            "dia_chi": text("Địa chỉ trụ sở", max_length=500),
            "nguoi_dai_dien": text("Người đại diện theo pháp luật"),
            "dien_thoai": {"type": "string", "title": "Số điện thoại", "pattern": PHONE_PATTERN},
        },
        "required": ["ten", "ma_so_thue", "dia_chi", "nguoi_dai_dien"],
    }


def form(title: str, properties: Schema, required: list[str]) -> Schema:
    return {
        "$schema": DRAFT,
        "type": "object",
        "title": title,
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def _khai_sinh(title: str) -> Schema:
    return form(
        title,
        {
            "nguoi_yeu_cau": applicant(),
            "quan_he_voi_tre": choice("Quan hệ với người được khai sinh", ["Cha", "Mẹ", "Ông", "Bà", "Người thân thích khác"]),
            "ho_ten_tre": text("Họ, chữ đệm và tên người được khai sinh"),
            "ngay_sinh": date("Ngày, tháng, năm sinh"),
            "gioi_tinh": choice("Giới tính", SEXES),
            "dan_toc": choice("Dân tộc", ETHNIC_GROUPS),
            "noi_sinh": text("Nơi sinh", max_length=500),
            "que_quan": text("Quê quán", max_length=500),
            "cha": person("Thông tin người cha"),
            "me": person("Thông tin người mẹ"),
            "so_ban_sao": integer("Số bản sao trích lục yêu cầu", maximum=10),
        },
        ["nguoi_yeu_cau", "ho_ten_tre", "ngay_sinh", "gioi_tinh", "noi_sinh", "me"],
    )  # fmt: skip


def _ket_hon(title: str) -> Schema:
    return form(
        title,
        {
            "ben_nam": person("Bên nam"),
            "ben_nu": person("Bên nữ"),
            "ket_hon_lan_thu_nhat_nam": {"type": "boolean", "title": "Bên nam kết hôn lần đầu"},
            "ket_hon_lan_thu_nhat_nu": {"type": "boolean", "title": "Bên nữ kết hôn lần đầu"},
            "ngay_du_kien_trao": date("Ngày mong muốn nhận Giấy chứng nhận kết hôn"),
            "dien_thoai": {"type": "string", "title": "Số điện thoại liên hệ", "pattern": PHONE_PATTERN},
        },
        ["ben_nam", "ben_nu", "dien_thoai"],
    )  # fmt: skip


def _khai_tu(title: str) -> Schema:
    return form(
        title,
        {
            "nguoi_yeu_cau": applicant(),
            "quan_he": text("Quan hệ với người đã chết"),
            "nguoi_chet": person("Người đã chết"),
            "ngay_chet": date("Ngày chết"),
            "gio_chet": {"type": "string", "title": "Giờ, phút chết", "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9]$"},
            "noi_chet": text("Nơi chết", max_length=500),
            "nguyen_nhan": text("Nguyên nhân chết", max_length=500),
            "giay_bao_tu": text("Số Giấy báo tử hoặc giấy tờ thay thế"),
        },
        ["nguoi_yeu_cau", "quan_he", "nguoi_chet", "ngay_chet", "noi_chet"],
    )  # fmt: skip


def _tinh_trang_hon_nhan(title: str) -> Schema:
    return form(
        title,
        {
            "nguoi_yeu_cau": applicant(),
            "gioi_tinh": choice("Giới tính", SEXES),
            "tinh_trang": choice("Tình trạng hôn nhân hiện tại", ["Chưa đăng ký kết hôn với ai", "Đã ly hôn", "Vợ/chồng đã chết", "Đang có vợ/chồng"]),
            "muc_dich": choice("Mục đích sử dụng", ["Đăng ký kết hôn", "Mua bán, chuyển nhượng tài sản", "Vay vốn ngân hàng", "Khác"]),
            "noi_ket_hon_du_kien": text("Kết hôn với (nếu dùng để đăng ký kết hôn)", max_length=300),
        },
        ["nguoi_yeu_cau", "gioi_tinh", "tinh_trang", "muc_dich"],
    )  # fmt: skip


def _ban_sao(title: str) -> Schema:
    return form(
        title,
        {
            "nguoi_yeu_cau": applicant(),
            "giay_to": text("Tên giấy tờ, văn bản cần cấp bản sao/chứng thực", max_length=300),
            "so_trang": integer("Số trang", minimum=1, maximum=500),
            "so_ban": integer("Số bản", minimum=1, maximum=50),
            "muc_dich": choice("Mục đích sử dụng", PURPOSES_COPY),
        },
        ["nguoi_yeu_cau", "giay_to", "so_ban"],
    )


def _ho_kinh_doanh(title: str) -> Schema:
    return form(
        title,
        {
            "chu_ho": applicant("Chủ hộ kinh doanh"),
            "ten_ho_kinh_doanh": text("Tên hộ kinh doanh"),
            "dia_diem": text("Địa điểm kinh doanh", max_length=500),
            "nganh_nghe": {
                "type": "array",
                "title": "Ngành, nghề kinh doanh",
                "items": text("Ngành, nghề"),
                "minItems": 1,
            },
            "von_kinh_doanh": integer("Vốn kinh doanh (đồng)", minimum=0),
            "so_lao_dong": integer("Số lao động", minimum=0, maximum=1000),
        },
        ["chu_ho", "ten_ho_kinh_doanh", "dia_diem", "nganh_nghe"],
    )


def _doanh_nghiep(title: str) -> Schema:
    return form(
        title,
        {
            "nguoi_nop": applicant("Người nộp hồ sơ"),
            "ten_doanh_nghiep": text("Tên doanh nghiệp viết bằng tiếng Việt", max_length=255),
            "ten_tieng_nuoc_ngoai": text("Tên doanh nghiệp viết bằng tiếng nước ngoài", max_length=255),
            "loai_hinh": choice("Loại hình doanh nghiệp", ["Doanh nghiệp tư nhân", "Công ty TNHH một thành viên", "Công ty TNHH hai thành viên trở lên", "Công ty cổ phần", "Công ty hợp danh"]),
            "dia_chi_tru_so": text("Địa chỉ trụ sở chính", max_length=500),
            "von_dieu_le": integer("Vốn điều lệ (đồng)", minimum=0),
            "nganh_nghe": {"type": "array", "title": "Ngành, nghề kinh doanh (mã VSIC)", "items": {"type": "string", "pattern": r"^[0-9]{4}$"}, "minItems": 1},
            "ma_so_thue": {"type": "string", "title": "Mã số doanh nghiệp (nếu đã có)", "pattern": TAX_CODE_PATTERN},
        },
        ["nguoi_nop", "ten_doanh_nghiep", "loai_hinh", "dia_chi_tru_so", "nganh_nghe"],
    )  # fmt: skip


def _dat_dai(title: str) -> Schema:
    return form(
        title,
        {
            "nguoi_su_dung_dat": applicant("Người sử dụng đất"),
            "thua_dat_so": text("Thửa đất số", max_length=20),
            "to_ban_do_so": text("Tờ bản đồ số", max_length=20),
            "dia_chi_thua_dat": text("Địa chỉ thửa đất", max_length=500),
            "dien_tich": {"type": "number", "title": "Diện tích (m²)", "exclusiveMinimum": 0},
            "muc_dich_su_dung": choice("Mục đích sử dụng đất", ["Đất ở", "Đất trồng cây lâu năm", "Đất trồng cây hằng năm", "Đất rừng sản xuất", "Đất thương mại, dịch vụ", "Khác"]),
            "noi_dung_yeu_cau": text("Nội dung đề nghị", max_length=1000),
        },
        ["nguoi_su_dung_dat", "thua_dat_so", "to_ban_do_so", "dia_chi_thua_dat", "dien_tich"],
    )  # fmt: skip


def _xay_dung(title: str) -> Schema:
    return form(
        title,
        {
            "chu_dau_tu": applicant("Chủ đầu tư"),
            "ten_cong_trinh": text("Tên công trình", max_length=300),
            "dia_diem": text("Địa điểm xây dựng", max_length=500),
            "loai_cong_trinh": choice("Loại công trình", ["Nhà ở riêng lẻ", "Công trình cấp IV", "Công trình cấp III", "Công trình cấp II", "Công trình cấp I"]),
            "dien_tich_xay_dung": {"type": "number", "title": "Diện tích xây dựng tầng 1 (m²)", "exclusiveMinimum": 0},
            "so_tang": integer("Số tầng", minimum=1, maximum=100),
            "chieu_cao": {"type": "number", "title": "Chiều cao công trình (m)", "exclusiveMinimum": 0},
            "giay_phep_so": text("Số giấy phép đã cấp (nếu điều chỉnh, gia hạn, cấp lại)", max_length=50),
        },
        ["chu_dau_tu", "ten_cong_trinh", "dia_diem", "loai_cong_trinh"],
    )  # fmt: skip


def _lao_dong_nuoc_ngoai(title: str) -> Schema:
    return form(
        title,
        {
            "nguoi_su_dung_lao_dong": business("Người sử dụng lao động"),
            "nguoi_lao_dong": {
                "type": "object",
                "title": "Người lao động nước ngoài",
                "properties": {
                    "ho_ten": text("Họ và tên"),
                    "ngay_sinh": date("Ngày sinh"),
                    "quoc_tich": text("Quốc tịch"),
                    "ho_chieu": {"type": "string", "title": "Số hộ chiếu", "pattern": r"^[A-Z0-9]{6,12}$"},
                    "vi_tri": choice("Vị trí công việc", ["Nhà quản lý", "Giám đốc điều hành", "Chuyên gia", "Lao động kỹ thuật"]),
                },
                "required": ["ho_ten", "quoc_tich", "ho_chieu", "vi_tri"],
            },
            "thoi_han_tu": date("Làm việc từ ngày"),
            "thoi_han_den": date("Đến ngày"),
            "dia_diem_lam_viec": text("Địa điểm làm việc", max_length=500),
        },
        ["nguoi_su_dung_lao_dong", "nguoi_lao_dong", "thoi_han_tu", "thoi_han_den"],
    )  # fmt: skip


def _ly_lich_tu_phap(title: str) -> Schema:
    return form(
        title,
        {
            "nguoi_yeu_cau": applicant(),
            "gioi_tinh": choice("Giới tính", SEXES),
            "noi_sinh": text("Nơi sinh", max_length=300),
            "ho_ten_cha": text("Họ và tên cha"),
            "ho_ten_me": text("Họ và tên mẹ"),
            "loai_phieu": choice("Loại Phiếu lý lịch tư pháp", ["Phiếu số 1", "Phiếu số 2"]),
            "so_luong_phieu": integer("Số lượng Phiếu", minimum=1, maximum=10),
            "muc_dich": text("Mục đích sử dụng Phiếu", max_length=300),
            "doi_tuong_mien_giam": choice("Đối tượng miễn, giảm lệ phí", ["Không", "Sinh viên", "Người có công với cách mạng", "Trẻ em", "Người cao tuổi", "Người khuyết tật", "Hộ nghèo"]),
        },
        ["nguoi_yeu_cau", "gioi_tinh", "ho_ten_cha", "ho_ten_me", "loai_phieu", "so_luong_phieu"],
    )  # fmt: skip


def _giay_phep_lai_xe(title: str) -> Schema:
    return form(
        title,
        {
            "nguoi_yeu_cau": applicant(),
            "so_gplx": {"type": "string", "title": "Số giấy phép lái xe", "pattern": r"^[0-9]{12}$"},
            "hang": choice("Hạng", ["A1", "A", "B1", "B", "C1", "C", "D1", "D2", "D", "BE", "C1E", "CE", "D1E", "D2E", "DE"]),
            "ngay_het_han": date("Ngày hết hạn"),
            "co_giay_kham_suc_khoe": {"type": "boolean", "title": "Đã có giấy khám sức khỏe của người lái xe"},
        },
        ["nguoi_yeu_cau", "so_gplx", "hang"],
    )  # fmt: skip


def _tro_cap(title: str) -> Schema:
    return form(
        title,
        {
            "nguoi_yeu_cau": applicant("Người làm đơn"),
            "doi_tuong": person("Người được hưởng"),
            "dien_doi_tuong": choice("Diện đối tượng", ["Trẻ em mồ côi", "Người cao tuổi", "Người khuyết tật", "Người đơn thân nghèo nuôi con", "Người có công và thân nhân", "Khác"]),
            "hoan_canh": text("Hoàn cảnh, lý do đề nghị", max_length=2000),
            "hinh_thuc_nhan": choice("Hình thức nhận trợ cấp", ["Tiền mặt tại xã", "Chuyển khoản", "Qua bưu điện"]),
            "so_tai_khoan": {"type": "string", "title": "Số tài khoản ngân hàng", "pattern": r"^[0-9]{6,19}$"},
        },
        ["nguoi_yeu_cau", "doi_tuong", "dien_doi_tuong", "hinh_thuc_nhan"],
    )  # fmt: skip


def _chung_chi(title: str) -> Schema:
    return form(
        title,
        {
            "nguoi_de_nghi": applicant("Người đề nghị"),
            "trinh_do": text("Trình độ chuyên môn, văn bằng"),
            "noi_dao_tao": text("Cơ sở đào tạo", max_length=300),
            "nam_tot_nghiep": integer("Năm tốt nghiệp", minimum=1950, maximum=2100),
            "pham_vi": text("Phạm vi hoạt động chuyên môn đề nghị", max_length=500),
            "kinh_nghiem_nam": integer("Số năm kinh nghiệm", minimum=0, maximum=60),
        },
        ["nguoi_de_nghi", "trinh_do", "pham_vi"],
    )


def _giay_phep_to_chuc(title: str) -> Schema:
    return form(
        title,
        {
            "to_chuc": business(),
            "dia_diem": text("Địa điểm hoạt động, kinh doanh", max_length=500),
            "noi_dung": text("Nội dung đề nghị", max_length=2000),
            "thoi_gian_tu": date("Thời gian từ ngày"),
            "thoi_gian_den": date("Đến ngày"),
        },
        ["to_chuc", "dia_diem", "noi_dung"],
    )


def _don_chung(title: str) -> Schema:
    return form(
        title,
        {
            "nguoi_yeu_cau": applicant(),
            "noi_dung": text("Nội dung đề nghị", max_length=2000),
            "ly_do": text("Lý do", max_length=1000),
        },
        ["nguoi_yeu_cau", "noi_dung"],
    )


BUILDERS = {
    "khai_sinh": _khai_sinh,
    "ket_hon": _ket_hon,
    "khai_tu": _khai_tu,
    "tinh_trang_hon_nhan": _tinh_trang_hon_nhan,
    "ban_sao": _ban_sao,
    "ho_kinh_doanh": _ho_kinh_doanh,
    "doanh_nghiep": _doanh_nghiep,
    "dat_dai": _dat_dai,
    "xay_dung": _xay_dung,
    "lao_dong_nuoc_ngoai": _lao_dong_nuoc_ngoai,
    "ly_lich_tu_phap": _ly_lich_tu_phap,
    "giay_phep_lai_xe": _giay_phep_lai_xe,
    "tro_cap": _tro_cap,
    "chung_chi": _chung_chi,
    "giay_phep_to_chuc": _giay_phep_to_chuc,
    "don_chung": _don_chung,
}


def build_form_schema(kind: str, *, title: str) -> Schema:
    """The e-form of one procedure: the `kind` template titled with the procedure's name."""
    return BUILDERS[kind](title)
