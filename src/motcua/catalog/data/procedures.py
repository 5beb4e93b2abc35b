"""The demo catalogue as data: fields and procedures of a province (Đắk Lắk) with their documents.

Names and national codes are real where we know them; a code starting with ``DEMO.`` is ours.
Fees, time limits, online levels and postal flags are realistic but illustrative, which is why
every procedure loaded from here is marked ``is_demo``.

``performer`` says who performs a procedure: a department key of ``orgs.demo.DEPARTMENTS_2025``,
``"<department>/<office>"``, or ``"communes"`` (every commune and ward; since 1 July 2025 the
former district-level procedures are performed there too).
"""

from __future__ import annotations

from dataclasses import dataclass

COMMUNES = "communes"


@dataclass(frozen=True)
class FieldData:
    code: str
    name: str


@dataclass(frozen=True)
class FeeData:
    name: str
    amount: int
    online_amount: int | None = None
    exemptions: str = ""


@dataclass(frozen=True)
class DocData:
    name: str
    originals: int = 1
    copies: int = 0
    mandatory: bool = True


@dataclass(frozen=True)
class ProcedureData:
    code: str
    name: str
    field: str
    level: str  # GovLevel value: province, district or commune
    performer: str
    online_level: int
    time: int
    time_unit: str  # TimeUnit value
    form: str  # key of eforms.BUILDERS
    docs: tuple[DocData, ...]
    fees: tuple[FeeData, ...] = ()
    postal: str = ""  # "", "pickup", "return" or "both"
    software: str = ""  # "", "integrated" or "standalone" (specialised software)
    supplement: str = "restart"
    result: str = ""
    legal_basis: str = ""
    applicants: str = "Công dân Việt Nam"
    full_online_eligible: bool = False


FIELDS: tuple[FieldData, ...] = (
    FieldData("HOTICH", "Hộ tịch"),
    FieldData("CHUNGTHUC", "Chứng thực"),
    FieldData("HOAGIAI", "Phổ biến, giáo dục pháp luật và hòa giải ở cơ sở"),
    FieldData("BOTROTP", "Bổ trợ tư pháp"),
    FieldData("LLTP", "Lý lịch tư pháp"),
    FieldData("DKKD", "Đăng ký kinh doanh"),
    FieldData("DATDAI", "Đất đai"),
    FieldData("XAYDUNG", "Hoạt động xây dựng"),
    FieldData("GTVT", "Giao thông vận tải"),
    FieldData("LAODONG", "Lao động, việc làm"),
    FieldData("GIAODUC", "Giáo dục và Đào tạo"),
    FieldData("YTE", "Y tế"),
    FieldData("VANHOA", "Văn hóa, thể thao và du lịch"),
    FieldData("CONGTHUONG", "Thương mại, công nghiệp"),
    FieldData("NONGNGHIEP", "Nông nghiệp"),
    FieldData("MOITRUONG", "Môi trường"),
    FieldData("BTXH", "Bảo trợ xã hội"),
    FieldData("NGUOICOCONG", "Người có công"),
    FieldData("TONGIAO", "Tôn giáo"),
    FieldData("KHCN", "Khoa học và công nghệ"),
    FieldData("DAUTU", "Đầu tư"),
    FieldData("KHIEUNAI", "Giải quyết khiếu nại, tố cáo"),
)

# Documents that recur.
ID_CARD = DocData("Thẻ căn cước hoặc giấy tờ tùy thân có ảnh (xuất trình khi nộp trực tiếp)")
AUTHORISATION = DocData("Văn bản ủy quyền (trường hợp ủy quyền nộp hồ sơ)", mandatory=False)
PHOTO = DocData("Ảnh 4x6 cm chụp không quá 6 tháng", originals=2)
HEALTH_CERT = DocData("Giấy chứng nhận sức khỏe do cơ sở y tế có thẩm quyền cấp")
LAND_CERT = DocData("Bản gốc Giấy chứng nhận quyền sử dụng đất đã cấp")
BIZ_REG = DocData(
    "Giấy chứng nhận đăng ký doanh nghiệp hoặc giấy tờ tương đương", originals=0, copies=1
)


def tk(name: str) -> DocData:
    """The declaration form of the procedure itself (tờ khai / đơn theo mẫu)."""
    return DocData(name)


def copy(name: str, *, mandatory: bool = True) -> DocData:
    return DocData(name, originals=0, copies=1, mandatory=mandatory)


CIVIL_STATUS_LAW = (
    "Luật Hộ tịch số 60/2014/QH13; Nghị định số 123/2015/NĐ-CP; Thông tư số 04/2020/TT-BTP"
)
CERTIFICATION_LAW = (
    "Nghị định số 23/2015/NĐ-CP về cấp bản sao từ sổ gốc, chứng thực; Thông tư số 01/2020/TT-BTP"
)
HKD_LAW = "Luật Doanh nghiệp số 59/2020/QH14; Nghị định số 168/2025/NĐ-CP về đăng ký doanh nghiệp"
LAND_LAW = "Luật Đất đai số 31/2024/QH15; Nghị định số 101/2024/NĐ-CP; Nghị định số 151/2025/NĐ-CP"
BUILD_LAW = "Luật Xây dựng số 50/2014/QH13 (sửa đổi 2020); Nghị định số 175/2024/NĐ-CP"
LABOUR_LAW = "Bộ luật Lao động số 45/2019/QH14; Nghị định số 219/2025/NĐ-CP"
SOCIAL_LAW = "Nghị định số 20/2021/NĐ-CP về chính sách trợ giúp xã hội; Nghị định số 76/2024/NĐ-CP"

P = ProcedureData
W, D, H, S = "working_days", "calendar_days", "working_hours", "same_day"
PROV, DIST, COMM = "province", "district", "commune"

PROCEDURES: tuple[ProcedureData, ...] = (
    # --- Hộ tịch (commune) -----------------------------------------------------------------------
    P("1.001193", "Thủ tục đăng ký khai sinh", "HOTICH", COMM, COMMUNES, 4, 1, S, "khai_sinh",
      (tk("Tờ khai đăng ký khai sinh (theo mẫu)"), DocData("Giấy chứng sinh hoặc văn bản của người làm chứng xác nhận về việc sinh"), ID_CARD, AUTHORISATION),
      postal="return", software="integrated", result="Giấy khai sinh (bản chính) và bản điện tử",
      legal_basis=CIVIL_STATUS_LAW, full_online_eligible=True),
    P("1.000894", "Thủ tục đăng ký kết hôn", "HOTICH", COMM, COMMUNES, 3, 1, S, "ket_hon",
      (tk("Tờ khai đăng ký kết hôn (theo mẫu)"), ID_CARD, copy("Giấy xác nhận tình trạng hôn nhân (nếu đăng ký tại nơi không thường trú)", mandatory=False)),
      software="integrated", result="Giấy chứng nhận kết hôn", legal_basis=CIVIL_STATUS_LAW),
    P("1.000656", "Thủ tục đăng ký khai tử", "HOTICH", COMM, COMMUNES, 4, 1, S, "khai_tu",
      (tk("Tờ khai đăng ký khai tử (theo mẫu)"), DocData("Giấy báo tử hoặc giấy tờ thay thế Giấy báo tử"), ID_CARD),
      postal="return", software="integrated", result="Trích lục khai tử", legal_basis=CIVIL_STATUS_LAW,
      full_online_eligible=True),
    P("1.004873", "Thủ tục cấp Giấy xác nhận tình trạng hôn nhân", "HOTICH", COMM, COMMUNES, 4, 3, W, "tinh_trang_hon_nhan",
      (tk("Tờ khai cấp Giấy xác nhận tình trạng hôn nhân (theo mẫu)"), copy("Bản án, quyết định ly hôn hoặc trích lục khai tử (nếu có)", mandatory=False), ID_CARD),
      (FeeData("Lệ phí cấp Giấy xác nhận tình trạng hôn nhân", 3_000, 1_500, "Người thuộc hộ nghèo, người khuyết tật, trẻ em"),),
      postal="both", software="integrated", result="Giấy xác nhận tình trạng hôn nhân", legal_basis=CIVIL_STATUS_LAW,
      full_online_eligible=True),
    P("1.004884", "Thủ tục đăng ký lại khai sinh", "HOTICH", COMM, COMMUNES, 3, 5, W, "khai_sinh",
      (tk("Tờ khai đăng ký lại khai sinh (theo mẫu)"), copy("Bản sao Giấy khai sinh hoặc giấy tờ có thông tin khai sinh", mandatory=False), ID_CARD),
      (FeeData("Lệ phí đăng ký lại khai sinh", 5_000, exemptions="Người thuộc hộ nghèo, người khuyết tật"),),
      software="integrated", result="Giấy khai sinh (bản chính)", legal_basis=CIVIL_STATUS_LAW),
    P("1.005461", "Thủ tục đăng ký lại khai tử", "HOTICH", COMM, COMMUNES, 3, 5, W, "khai_tu",
      (tk("Tờ khai đăng ký lại khai tử (theo mẫu)"), copy("Bản sao giấy tờ liên quan đến việc khai tử"), ID_CARD),
      (FeeData("Lệ phí đăng ký lại khai tử", 5_000),), software="integrated", result="Trích lục khai tử",
      legal_basis=CIVIL_STATUS_LAW),
    P("1.004746", "Thủ tục đăng ký lại kết hôn", "HOTICH", COMM, COMMUNES, 2, 5, W, "ket_hon",
      (tk("Tờ khai đăng ký lại kết hôn (theo mẫu)"), copy("Bản sao Giấy chứng nhận kết hôn đã cấp (nếu có)", mandatory=False), ID_CARD),
      (FeeData("Lệ phí đăng ký lại kết hôn", 5_000),), software="integrated", result="Giấy chứng nhận kết hôn",
      legal_basis=CIVIL_STATUS_LAW),
    P("1.000689", "Thủ tục đăng ký khai sinh kết hợp nhận cha, mẹ, con", "HOTICH", COMM, COMMUNES, 3, 3, W, "khai_sinh",
      (tk("Tờ khai đăng ký khai sinh và Tờ khai nhận cha, mẹ, con (theo mẫu)"), DocData("Giấy chứng sinh"), DocData("Chứng cứ chứng minh quan hệ cha, mẹ, con"), ID_CARD),
      (FeeData("Lệ phí đăng ký nhận cha, mẹ, con", 15_000, exemptions="Người thuộc hộ nghèo, người khuyết tật"),),
      software="integrated", result="Giấy khai sinh và Trích lục đăng ký nhận cha, mẹ, con", legal_basis=CIVIL_STATUS_LAW),
    P("1.001022", "Thủ tục đăng ký nhận cha, mẹ, con", "HOTICH", COMM, COMMUNES, 3, 3, W, "don_chung",
      (tk("Tờ khai đăng ký nhận cha, mẹ, con (theo mẫu)"), DocData("Chứng cứ chứng minh quan hệ cha, mẹ, con"), ID_CARD),
      (FeeData("Lệ phí đăng ký nhận cha, mẹ, con", 15_000, exemptions="Người thuộc hộ nghèo, người khuyết tật"),),
      software="integrated", result="Trích lục đăng ký nhận cha, mẹ, con", legal_basis=CIVIL_STATUS_LAW),
    P("2.000635", "Thủ tục cấp bản sao trích lục hộ tịch", "HOTICH", COMM, COMMUNES, 4, 1, S, "ban_sao",
      (tk("Tờ khai cấp bản sao trích lục hộ tịch (theo mẫu)"), ID_CARD),
      (FeeData("Phí cấp bản sao trích lục hộ tịch (mỗi bản)", 8_000, 4_000),), postal="return", software="integrated",
      result="Bản sao trích lục hộ tịch", legal_basis=CIVIL_STATUS_LAW, full_online_eligible=True),
    P("1.004845", "Thủ tục đăng ký chấm dứt giám hộ", "HOTICH", COMM, COMMUNES, 2, 2, W, "don_chung",
      (tk("Tờ khai đăng ký chấm dứt giám hộ (theo mẫu)"), DocData("Giấy tờ làm căn cứ chấm dứt việc giám hộ"), ID_CARD),
      software="integrated", result="Trích lục đăng ký chấm dứt giám hộ", legal_basis=CIVIL_STATUS_LAW),
    P("2.000528", "Thủ tục đăng ký khai sinh có yếu tố nước ngoài", "HOTICH", DIST, COMMUNES, 3, 3, W, "khai_sinh",
      (tk("Tờ khai đăng ký khai sinh (theo mẫu)"), DocData("Giấy chứng sinh"), DocData("Văn bản thỏa thuận của cha, mẹ về việc chọn quốc tịch cho con"), ID_CARD),
      (FeeData("Lệ phí đăng ký khai sinh có yếu tố nước ngoài", 75_000, exemptions="Người thuộc hộ nghèo, người khuyết tật"),),
      software="integrated", result="Giấy khai sinh", legal_basis=CIVIL_STATUS_LAW),
    P("2.000806", "Thủ tục đăng ký kết hôn có yếu tố nước ngoài", "HOTICH", DIST, COMMUNES, 2, 15, D, "ket_hon",
      (tk("Tờ khai đăng ký kết hôn (theo mẫu)"), DocData("Giấy xác nhận tình trạng hôn nhân của người nước ngoài (hợp pháp hóa lãnh sự)"), DocData("Giấy xác nhận của tổ chức y tế về sức khỏe tâm thần"), copy("Bản sao hộ chiếu của người nước ngoài")),
      (FeeData("Lệ phí đăng ký kết hôn có yếu tố nước ngoài", 1_000_000),), software="integrated",
      supplement="pause", result="Giấy chứng nhận kết hôn", legal_basis=CIVIL_STATUS_LAW,
      applicants="Công dân Việt Nam, người nước ngoài"),
    P("2.001263", "Thủ tục đăng ký việc nuôi con nuôi trong nước", "HOTICH", COMM, COMMUNES, 2, 30, D, "don_chung",
      (tk("Đơn xin nhận con nuôi (theo mẫu)"), DocData("Phiếu lý lịch tư pháp của người nhận con nuôi"), DocData("Văn bản xác nhận tình trạng sức khỏe của người nhận con nuôi"), copy("Giấy khai sinh của người được nhận làm con nuôi")),
      (FeeData("Lệ phí đăng ký nuôi con nuôi trong nước", 400_000, exemptions="Cha dượng, mẹ kế nhận con riêng; cô, cậu, dì, chú, bác ruột nhận cháu làm con nuôi; hộ nghèo"),),
      supplement="pause", result="Giấy chứng nhận nuôi con nuôi",
      legal_basis="Luật Nuôi con nuôi số 52/2010/QH12; Nghị định số 19/2011/NĐ-CP"),
    # --- Chứng thực (commune) --------------------------------------------------------------------
    P("2.000815", "Thủ tục chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan tổ chức có thẩm quyền của Việt Nam cấp hoặc chứng nhận", "CHUNGTHUC", COMM, COMMUNES, 4, 1, S, "ban_sao",
      (DocData("Bản chính giấy tờ, văn bản cần chứng thực"), DocData("Bản sao cần chứng thực", originals=0, copies=1)),
      (FeeData("Phí chứng thực bản sao (mỗi trang)", 2_000, 1_000, "Trang thứ ba trở đi 1.000 đồng/trang, tối đa 200.000 đồng/bản"),),
      result="Bản sao được chứng thực (bản giấy hoặc bản điện tử)", legal_basis=CERTIFICATION_LAW, full_online_eligible=True),
    P("2.000884", "Thủ tục chứng thực chữ ký trong các giấy tờ, văn bản (áp dụng cho cả trường hợp chứng thực điểm chỉ và trường hợp người yêu cầu chứng thực không thể ký, không thể điểm chỉ được)", "CHUNGTHUC", COMM, COMMUNES, 1, 1, S, "ban_sao",
      (ID_CARD, DocData("Giấy tờ, văn bản sẽ ký")), (FeeData("Phí chứng thực chữ ký (mỗi trường hợp)", 10_000),),
      result="Giấy tờ, văn bản được chứng thực chữ ký", legal_basis=CERTIFICATION_LAW),
    P("2.001008", "Thủ tục chứng thực chữ ký người dịch mà người dịch không phải là cộng tác viên dịch thuật", "CHUNGTHUC", COMM, COMMUNES, 1, 1, S, "ban_sao",
      (ID_CARD, copy("Bằng cử nhân ngoại ngữ hoặc văn bằng dịch thuật"), DocData("Bản dịch và giấy tờ cần dịch")),
      (FeeData("Phí chứng thực chữ ký người dịch (mỗi trường hợp)", 10_000),), result="Bản dịch được chứng thực chữ ký người dịch",
      legal_basis=CERTIFICATION_LAW),
    P("2.000942", "Thủ tục cấp bản sao có chứng thực từ bản chính hợp đồng, giao dịch đã được chứng thực", "CHUNGTHUC", COMM, COMMUNES, 3, 2, W, "ban_sao",
      (tk("Phiếu yêu cầu cấp bản sao (theo mẫu)"), ID_CARD), (FeeData("Phí cấp bản sao có chứng thực (mỗi trang)", 2_000, 1_000),),
      postal="return", result="Bản sao có chứng thực hợp đồng, giao dịch", legal_basis=CERTIFICATION_LAW),
    P("DEMO.CT.01", "Thủ tục chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản, quyền sử dụng đất và nhà ở", "CHUNGTHUC", COMM, COMMUNES, 1, 2, W, "don_chung",
      (tk("Dự thảo hợp đồng, giao dịch"), ID_CARD, copy("Giấy chứng nhận quyền sở hữu, quyền sử dụng tài sản")),
      (FeeData("Phí chứng thực hợp đồng, giao dịch", 50_000),), result="Hợp đồng, giao dịch được chứng thực",
      legal_basis=CERTIFICATION_LAW),
    # --- Hòa giải ở cơ sở (commune) -------------------------------------------------------------
    P("2.000950", "Thủ tục công nhận tổ trưởng tổ hòa giải", "HOAGIAI", COMM, COMMUNES, 2, 5, W, "don_chung",
      (DocData("Văn bản đề nghị của Trưởng ban công tác Mặt trận thôn, tổ dân phố"), DocData("Biên bản bầu tổ trưởng tổ hòa giải")),
      result="Quyết định công nhận tổ trưởng tổ hòa giải", legal_basis="Luật Hòa giải ở cơ sở số 35/2013/QH13"),
    P("2.000930", "Thủ tục thôi làm hòa giải viên", "HOAGIAI", COMM, COMMUNES, 2, 5, W, "don_chung",
      (DocData("Văn bản đề nghị thôi làm hòa giải viên"), DocData("Biên bản cuộc họp tổ hòa giải")),
      result="Quyết định thôi làm hòa giải viên", legal_basis="Luật Hòa giải ở cơ sở số 35/2013/QH13"),
    # --- Bổ trợ tư pháp (Sở Tư pháp) --------------------------------------------------------------
    P("DEMO.BTTP.01", "Đăng ký hành nghề và cấp Thẻ công chứng viên", "BOTROTP", PROV, "tu_phap/bo_tro_tu_phap", 3, 10, W, "chung_chi",
      (tk("Giấy đề nghị đăng ký hành nghề và cấp Thẻ công chứng viên (theo mẫu)"), copy("Quyết định bổ nhiệm công chứng viên"), PHOTO),
      (FeeData("Phí cấp Thẻ công chứng viên", 100_000),), postal="both", result="Thẻ công chứng viên",
      legal_basis="Luật Công chứng số 46/2024/QH15", applicants="Công chứng viên"),
    P("DEMO.BTTP.02", "Cấp giấy xác nhận có quốc tịch Việt Nam", "BOTROTP", PROV, "tu_phap/hanh_chinh_tu_phap", 3, 20, W, "don_chung",
      (tk("Tờ khai đề nghị xác nhận có quốc tịch Việt Nam (theo mẫu)"), copy("Giấy tờ chứng minh quốc tịch Việt Nam"), PHOTO),
      (FeeData("Lệ phí xác nhận có quốc tịch Việt Nam", 100_000),), postal="both", supplement="pause",
      result="Giấy xác nhận có quốc tịch Việt Nam", legal_basis="Luật Quốc tịch Việt Nam số 24/2008/QH12 (sửa đổi 2014)"),
    P("DEMO.BTTP.03", "Thủ tục cấp bản sao văn bản công chứng", "BOTROTP", PROV, "tu_phap/bo_tro_tu_phap", 4, 2, W, "ban_sao",
      (tk("Phiếu yêu cầu cấp bản sao văn bản công chứng"), ID_CARD), (FeeData("Phí cấp bản sao (mỗi trang)", 5_000, 3_000),),
      postal="return", result="Bản sao văn bản công chứng", legal_basis="Luật Công chứng số 46/2024/QH15"),
    # --- Lý lịch tư pháp (Công an tỉnh since 1 July 2025) ------------------------------------------
    P("DEMO.LLTP.01", "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam", "LLTP", PROV, "cong_an/ho_so_nghiep_vu", 4, 10, W, "ly_lich_tu_phap",
      (tk("Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp (theo mẫu)"), ID_CARD, AUTHORISATION),
      (FeeData("Phí cung cấp thông tin lý lịch tư pháp", 200_000, exemptions="Sinh viên, người có công với cách mạng, thân nhân liệt sĩ: 100.000 đồng; trẻ em, người cao tuổi, người khuyết tật, hộ nghèo: miễn"),),
      postal="both", software="standalone", result="Phiếu lý lịch tư pháp số 1 hoặc số 2 (bản giấy hoặc điện tử)",
      legal_basis="Luật Lý lịch tư pháp số 28/2009/QH12; Thông tư số 244/2016/TT-BTC",
      applicants="Công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam", full_online_eligible=True),
    P("DEMO.LLTP.02", "Cấp Phiếu lý lịch tư pháp theo yêu cầu của cơ quan tiến hành tố tụng", "LLTP", PROV, "cong_an/ho_so_nghiep_vu", 2, 10, W, "don_chung",
      (DocData("Văn bản yêu cầu của cơ quan tiến hành tố tụng"),), software="standalone",
      result="Phiếu lý lịch tư pháp số 2", legal_basis="Luật Lý lịch tư pháp số 28/2009/QH12",
      applicants="Cơ quan tiến hành tố tụng"),
    # --- Đăng ký kinh doanh --------------------------------------------------------------------
    P("1.001612", "Thủ tục đăng ký thành lập hộ kinh doanh", "DKKD", DIST, COMMUNES, 4, 3, W, "ho_kinh_doanh",
      (tk("Giấy đề nghị đăng ký hộ kinh doanh (theo mẫu)"), copy("Biên bản họp thành viên hộ gia đình về việc thành lập hộ kinh doanh (nếu có)", mandatory=False), ID_CARD),
      (FeeData("Lệ phí đăng ký hộ kinh doanh", 100_000, 50_000),), postal="both", software="integrated",
      result="Giấy chứng nhận đăng ký hộ kinh doanh", legal_basis=HKD_LAW, full_online_eligible=True),
    P("2.000720", "Thủ tục đăng ký thay đổi nội dung đăng ký hộ kinh doanh", "DKKD", DIST, COMMUNES, 4, 3, W, "ho_kinh_doanh",
      (tk("Thông báo thay đổi nội dung đăng ký hộ kinh doanh (theo mẫu)"), DocData("Bản gốc Giấy chứng nhận đăng ký hộ kinh doanh")),
      (FeeData("Lệ phí đăng ký thay đổi", 100_000, 50_000),), postal="both", software="integrated",
      result="Giấy chứng nhận đăng ký hộ kinh doanh", legal_basis=HKD_LAW, full_online_eligible=True),
    P("1.001570", "Thủ tục thông báo tạm ngừng hoạt động hộ kinh doanh", "DKKD", DIST, COMMUNES, 4, 3, W, "ho_kinh_doanh",
      (tk("Thông báo tạm ngừng kinh doanh (theo mẫu)"),), software="integrated",
      result="Giấy xác nhận về việc hộ kinh doanh tạm ngừng kinh doanh", legal_basis=HKD_LAW, full_online_eligible=True),
    P("1.001266", "Thủ tục chấm dứt hoạt động hộ kinh doanh", "DKKD", DIST, COMMUNES, 4, 3, W, "ho_kinh_doanh",
      (tk("Thông báo chấm dứt hoạt động hộ kinh doanh (theo mẫu)"), DocData("Bản gốc Giấy chứng nhận đăng ký hộ kinh doanh"), copy("Thông báo của cơ quan thuế về việc hoàn thành nghĩa vụ thuế")),
      software="integrated", result="Thông báo về việc chấm dứt hoạt động hộ kinh doanh", legal_basis=HKD_LAW),
    P("2.000575", "Thủ tục cấp lại Giấy chứng nhận đăng ký hộ kinh doanh", "DKKD", DIST, COMMUNES, 3, 3, W, "ho_kinh_doanh",
      (tk("Giấy đề nghị cấp lại Giấy chứng nhận đăng ký hộ kinh doanh"),), (FeeData("Lệ phí cấp lại", 100_000, 50_000),),
      software="integrated", result="Giấy chứng nhận đăng ký hộ kinh doanh", legal_basis=HKD_LAW),
    P("2.001610", "Đăng ký thành lập doanh nghiệp tư nhân", "DKKD", PROV, "tai_chinh/dang_ky_kinh_doanh", 4, 3, W, "doanh_nghiep",
      (tk("Giấy đề nghị đăng ký doanh nghiệp (theo mẫu)"), copy("Giấy tờ pháp lý của chủ doanh nghiệp tư nhân")),
      (FeeData("Lệ phí đăng ký doanh nghiệp", 50_000, 0, "Miễn lệ phí khi đăng ký qua mạng điện tử"), FeeData("Phí công bố nội dung đăng ký doanh nghiệp", 100_000)),
      postal="both", software="integrated", result="Giấy chứng nhận đăng ký doanh nghiệp", legal_basis=HKD_LAW,
      applicants="Cá nhân, tổ chức", full_online_eligible=True),
    P("DEMO.DKKD.01", "Đăng ký thành lập công ty trách nhiệm hữu hạn một thành viên", "DKKD", PROV, "tai_chinh/dang_ky_kinh_doanh", 4, 3, W, "doanh_nghiep",
      (tk("Giấy đề nghị đăng ký doanh nghiệp (theo mẫu)"), DocData("Điều lệ công ty"), copy("Giấy tờ pháp lý của chủ sở hữu và người đại diện theo pháp luật")),
      (FeeData("Lệ phí đăng ký doanh nghiệp", 50_000, 0, "Miễn lệ phí khi đăng ký qua mạng điện tử"), FeeData("Phí công bố nội dung đăng ký doanh nghiệp", 100_000)),
      postal="both", software="integrated", result="Giấy chứng nhận đăng ký doanh nghiệp", legal_basis=HKD_LAW,
      applicants="Cá nhân, tổ chức", full_online_eligible=True),
    P("DEMO.DKKD.02", "Đăng ký thay đổi người đại diện theo pháp luật của công ty", "DKKD", PROV, "tai_chinh/dang_ky_kinh_doanh", 4, 3, W, "doanh_nghiep",
      (tk("Thông báo thay đổi nội dung đăng ký doanh nghiệp (theo mẫu)"), DocData("Nghị quyết, quyết định về việc thay đổi người đại diện")),
      (FeeData("Lệ phí đăng ký thay đổi", 50_000, 0),), postal="return", software="integrated",
      result="Giấy chứng nhận đăng ký doanh nghiệp", legal_basis=HKD_LAW, applicants="Doanh nghiệp"),
    P("DEMO.DKKD.03", "Thông báo tạm ngừng kinh doanh, tiếp tục kinh doanh trước thời hạn đã thông báo của doanh nghiệp", "DKKD", PROV, "tai_chinh/dang_ky_kinh_doanh", 4, 3, W, "doanh_nghiep",
      (tk("Thông báo tạm ngừng kinh doanh (theo mẫu)"), DocData("Nghị quyết, quyết định của chủ sở hữu hoặc hội đồng thành viên")),
      software="integrated", result="Giấy xác nhận về việc doanh nghiệp đăng ký tạm ngừng kinh doanh", legal_basis=HKD_LAW,
      applicants="Doanh nghiệp"),
    # --- Đất đai ---------------------------------------------------------------------------------
    P("1.012753", "Đăng ký đất đai, tài sản gắn liền với đất, cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất lần đầu", "DATDAI", DIST, COMMUNES, 3, 20, W, "dat_dai",
      (tk("Đơn đăng ký đất đai, tài sản gắn liền với đất (Mẫu số 04/ĐK)"), copy("Giấy tờ về quyền sử dụng đất"), copy("Mảnh trích đo bản đồ địa chính (nếu có)", mandatory=False), copy("Chứng từ thực hiện nghĩa vụ tài chính", mandatory=False)),
      (FeeData("Lệ phí cấp Giấy chứng nhận", 100_000, exemptions="Hộ gia đình, cá nhân ở xã vùng đồng bào dân tộc thiểu số được miễn"), FeeData("Phí thẩm định hồ sơ cấp Giấy chứng nhận", 500_000)),
      postal="pickup", software="integrated", supplement="pause",
      result="Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất", legal_basis=LAND_LAW,
      applicants="Hộ gia đình, cá nhân, cộng đồng dân cư"),
    P("DEMO.DD.01", "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất do chuyển nhượng, tặng cho, thừa kế", "DATDAI", PROV, "nong_nghiep_moi_truong/van_phong_dang_ky_dat_dai", 3, 10, W, "dat_dai",
      (tk("Đơn đăng ký biến động đất đai (Mẫu số 11/ĐK)"), DocData("Hợp đồng, văn bản chuyển nhượng, tặng cho, thừa kế đã công chứng, chứng thực"), LAND_CERT),
      (FeeData("Lệ phí đăng ký biến động", 50_000), FeeData("Phí thẩm định hồ sơ", 300_000)),
      postal="both", software="integrated", supplement="pause", result="Giấy chứng nhận đã xác nhận biến động hoặc Giấy chứng nhận mới",
      legal_basis=LAND_LAW, applicants="Người sử dụng đất"),
    P("DEMO.DD.02", "Cấp đổi Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất", "DATDAI", PROV, "nong_nghiep_moi_truong/van_phong_dang_ky_dat_dai", 3, 7, W, "dat_dai",
      (tk("Đơn đề nghị cấp đổi Giấy chứng nhận (Mẫu số 11/ĐK)"), LAND_CERT),
      (FeeData("Lệ phí cấp đổi Giấy chứng nhận", 50_000),), postal="both", software="integrated",
      result="Giấy chứng nhận quyền sử dụng đất mới", legal_basis=LAND_LAW, applicants="Người sử dụng đất"),
    P("DEMO.DD.03", "Đính chính Giấy chứng nhận đã cấp", "DATDAI", PROV, "nong_nghiep_moi_truong/van_phong_dang_ky_dat_dai", 2, 10, W, "dat_dai",
      (tk("Đơn đề nghị đính chính Giấy chứng nhận"), LAND_CERT), software="integrated",
      result="Giấy chứng nhận đã được đính chính", legal_basis=LAND_LAW, applicants="Người sử dụng đất"),
    P("DEMO.DD.04", "Cho phép chuyển mục đích sử dụng đất đối với cá nhân", "DATDAI", DIST, COMMUNES, 2, 15, W, "dat_dai",
      (tk("Đơn xin chuyển mục đích sử dụng đất (theo mẫu)"), LAND_CERT), (FeeData("Phí thẩm định hồ sơ", 300_000),),
      software="integrated", supplement="pause", result="Quyết định cho phép chuyển mục đích sử dụng đất",
      legal_basis=LAND_LAW),
    P("DEMO.DD.05", "Cung cấp thông tin, dữ liệu đất đai", "DATDAI", PROV, "nong_nghiep_moi_truong/van_phong_dang_ky_dat_dai", 4, 2, W, "dat_dai",
      (tk("Phiếu yêu cầu cung cấp thông tin, dữ liệu đất đai (theo mẫu)"),), (FeeData("Phí khai thác, sử dụng tài liệu đất đai", 100_000, 50_000),),
      postal="return", result="Thông tin, dữ liệu đất đai", legal_basis=LAND_LAW, applicants="Tổ chức, cá nhân",
      full_online_eligible=True),
    # --- Xây dựng --------------------------------------------------------------------------------
    P("1.013225", "Cấp giấy phép xây dựng mới đối với công trình cấp III, cấp IV (công trình không theo tuyến) và nhà ở riêng lẻ", "XAYDUNG", DIST, COMMUNES, 3, 15, W, "xay_dung",
      (tk("Đơn đề nghị cấp giấy phép xây dựng (theo mẫu)"), copy("Giấy tờ chứng minh quyền sử dụng đất"), DocData("Hai bộ bản vẽ thiết kế xây dựng", originals=2)),
      (FeeData("Lệ phí cấp giấy phép xây dựng nhà ở riêng lẻ", 75_000, 50_000),), postal="both", supplement="pause",
      result="Giấy phép xây dựng", legal_basis=BUILD_LAW, applicants="Chủ đầu tư"),
    P("1.013226", "Cấp điều chỉnh giấy phép xây dựng đối với công trình cấp III, cấp IV (công trình không theo tuyến) và nhà ở riêng lẻ", "XAYDUNG", DIST, COMMUNES, 3, 15, W, "xay_dung",
      (tk("Đơn đề nghị điều chỉnh giấy phép xây dựng"), DocData("Bản chính giấy phép xây dựng đã được cấp"), DocData("Bản vẽ thiết kế điều chỉnh", originals=2)),
      (FeeData("Lệ phí điều chỉnh giấy phép xây dựng", 75_000, 50_000),), postal="both", result="Giấy phép xây dựng điều chỉnh",
      legal_basis=BUILD_LAW, applicants="Chủ đầu tư"),
    P("1.013227", "Gia hạn giấy phép xây dựng đối với công trình cấp III, cấp IV (công trình không theo tuyến) và nhà ở riêng lẻ", "XAYDUNG", DIST, COMMUNES, 4, 5, W, "xay_dung",
      (tk("Đơn đề nghị gia hạn giấy phép xây dựng"), DocData("Bản chính giấy phép xây dựng đã được cấp")),
      (FeeData("Lệ phí gia hạn giấy phép xây dựng", 15_000),), postal="both", result="Giấy phép xây dựng được gia hạn",
      legal_basis=BUILD_LAW, applicants="Chủ đầu tư", full_online_eligible=True),
    P("1.013228", "Cấp lại giấy phép xây dựng đối với công trình cấp III, cấp IV (công trình không theo tuyến) và nhà ở riêng lẻ", "XAYDUNG", DIST, COMMUNES, 4, 5, W, "xay_dung",
      (tk("Đơn đề nghị cấp lại giấy phép xây dựng"), DocData("Bản chính giấy phép xây dựng bị rách, nát (nếu có)", mandatory=False)),
      (FeeData("Lệ phí cấp lại giấy phép xây dựng", 15_000),), postal="both", result="Giấy phép xây dựng được cấp lại",
      legal_basis=BUILD_LAW, applicants="Chủ đầu tư", full_online_eligible=True),
    P("DEMO.XD.01", "Cấp giấy phép xây dựng mới đối với công trình cấp đặc biệt, cấp I, cấp II", "XAYDUNG", PROV, "xay_dung/quan_ly_xay_dung", 3, 20, W, "xay_dung",
      (tk("Đơn đề nghị cấp giấy phép xây dựng (theo mẫu)"), copy("Giấy tờ chứng minh quyền sử dụng đất"), copy("Quyết định phê duyệt dự án"), DocData("Hai bộ bản vẽ thiết kế xây dựng", originals=2)),
      (FeeData("Lệ phí cấp giấy phép xây dựng công trình", 150_000),), supplement="pause", result="Giấy phép xây dựng",
      legal_basis=BUILD_LAW, applicants="Chủ đầu tư"),
    P("DEMO.XD.02", "Cấp chứng chỉ hành nghề hoạt động xây dựng hạng II, hạng III", "XAYDUNG", PROV, "xay_dung/quan_ly_xay_dung", 4, 20, W, "chung_chi",
      (tk("Đơn đề nghị cấp chứng chỉ hành nghề (theo mẫu)"), copy("Văn bằng đào tạo chuyên môn"), DocData("Bản kê khai kinh nghiệm hoạt động xây dựng"), PHOTO),
      (FeeData("Lệ phí cấp chứng chỉ hành nghề", 300_000),), postal="return", software="standalone",
      result="Chứng chỉ hành nghề hoạt động xây dựng", legal_basis=BUILD_LAW, applicants="Cá nhân hoạt động xây dựng",
      full_online_eligible=True),
    # --- Giao thông vận tải ------------------------------------------------------------------------
    P("DEMO.GTVT.01", "Đổi giấy phép lái xe do ngành Giao thông vận tải cấp", "GTVT", PROV, "cong_an/canh_sat_giao_thong", 4, 5, W, "giay_phep_lai_xe",
      (tk("Đơn đề nghị đổi giấy phép lái xe (theo mẫu)"), HEALTH_CERT, copy("Giấy phép lái xe")),
      (FeeData("Lệ phí cấp đổi giấy phép lái xe", 135_000, 115_000),), postal="return", software="integrated",
      result="Giấy phép lái xe", legal_basis="Luật Trật tự, an toàn giao thông đường bộ số 36/2024/QH15; Thông tư số 35/2024/TT-BGTVT",
      full_online_eligible=True),
    P("DEMO.GTVT.02", "Cấp Giấy phép kinh doanh vận tải bằng xe ô tô", "GTVT", PROV, "xay_dung/van_tai", 4, 5, W, "giay_phep_to_chuc",
      (tk("Giấy đề nghị cấp Giấy phép kinh doanh vận tải (theo mẫu)"), copy("Văn bằng, chứng chỉ của người trực tiếp điều hành vận tải"), DocData("Phương án kinh doanh vận tải")),
      (FeeData("Lệ phí cấp Giấy phép kinh doanh vận tải", 200_000),), postal="return", software="standalone",
      result="Giấy phép kinh doanh vận tải bằng xe ô tô", legal_basis="Nghị định số 158/2024/NĐ-CP",
      applicants="Doanh nghiệp, hợp tác xã, hộ kinh doanh"),
    P("DEMO.GTVT.03", "Cấp phù hiệu xe ô tô kinh doanh vận tải", "GTVT", PROV, "xay_dung/van_tai", 4, 2, W, "giay_phep_to_chuc",
      (tk("Giấy đề nghị cấp phù hiệu (theo mẫu)"), copy("Giấy đăng ký xe ô tô")), postal="return", software="standalone",
      result="Phù hiệu xe ô tô", legal_basis="Nghị định số 158/2024/NĐ-CP", applicants="Đơn vị kinh doanh vận tải",
      full_online_eligible=True),
    # --- Lao động (Sở Nội vụ) ---------------------------------------------------------------------
    P("1.014199", "Cấp giấy phép lao động cho người lao động nước ngoài làm việc tại Việt Nam", "LAODONG", PROV, "noi_vu/viec_lam", 4, 10, W, "lao_dong_nuoc_ngoai",
      (tk("Văn bản đề nghị cấp giấy phép lao động (theo mẫu)"), HEALTH_CERT, DocData("Phiếu lý lịch tư pháp của người lao động nước ngoài"), copy("Hộ chiếu"), PHOTO),
      (FeeData("Lệ phí cấp giấy phép lao động", 600_000),), postal="return", software="standalone",
      result="Giấy phép lao động", legal_basis=LABOUR_LAW, applicants="Người sử dụng lao động", full_online_eligible=True),
    P("1.014201", "Gia hạn giấy phép lao động cho người lao động nước ngoài làm việc tại Việt Nam", "LAODONG", PROV, "noi_vu/viec_lam", 4, 10, W, "lao_dong_nuoc_ngoai",
      (tk("Văn bản đề nghị gia hạn giấy phép lao động"), HEALTH_CERT, DocData("Giấy phép lao động còn thời hạn")),
      (FeeData("Lệ phí gia hạn giấy phép lao động", 450_000),), postal="return", software="standalone",
      result="Giấy phép lao động được gia hạn", legal_basis=LABOUR_LAW, applicants="Người sử dụng lao động",
      full_online_eligible=True),
    P("1.014200", "Cấp lại giấy phép lao động cho người lao động nước ngoài làm việc tại Việt Nam", "LAODONG", PROV, "noi_vu/viec_lam", 3, 5, W, "lao_dong_nuoc_ngoai",
      (tk("Văn bản đề nghị cấp lại giấy phép lao động"), PHOTO), (FeeData("Lệ phí cấp lại giấy phép lao động", 450_000),),
      postal="return", software="standalone", result="Giấy phép lao động", legal_basis=LABOUR_LAW,
      applicants="Người sử dụng lao động"),
    P("1.014196", "Xác nhận người lao động nước ngoài không thuộc diện cấp giấy phép lao động", "LAODONG", PROV, "noi_vu/viec_lam", 2, 5, W, "lao_dong_nuoc_ngoai",
      (tk("Văn bản đề nghị xác nhận (theo mẫu)"), copy("Giấy tờ chứng minh thuộc diện không cấp giấy phép lao động")),
      software="standalone", result="Giấy xác nhận không thuộc diện cấp giấy phép lao động", legal_basis=LABOUR_LAW,
      applicants="Người sử dụng lao động"),
    P("2.001955", "Thủ tục đăng ký nội quy lao động", "LAODONG", PROV, "noi_vu/lao_dong", 3, 7, W, "giay_phep_to_chuc",
      (tk("Văn bản đề nghị đăng ký nội quy lao động"), DocData("Nội quy lao động"), DocData("Văn bản góp ý của tổ chức đại diện người lao động")),
      result="Thông báo về việc đăng ký nội quy lao động", legal_basis=LABOUR_LAW, applicants="Người sử dụng lao động"),
    P("DEMO.LD.01", "Giải quyết hưởng trợ cấp thất nghiệp", "LAODONG", PROV, "noi_vu/viec_lam", 4, 20, D, "tro_cap",
      (tk("Đề nghị hưởng trợ cấp thất nghiệp (theo mẫu)"), copy("Quyết định thôi việc hoặc hợp đồng lao động đã hết hạn"), DocData("Sổ bảo hiểm xã hội")),
      postal="return", software="integrated", result="Quyết định hưởng trợ cấp thất nghiệp",
      legal_basis="Luật Việc làm số 74/2025/QH15", applicants="Người lao động", full_online_eligible=True),
    # --- Giáo dục --------------------------------------------------------------------------------
    P("3.000182", "Tuyển sinh trung học cơ sở", "GIAODUC", COMM, COMMUNES, 3, 10, W, "don_chung",
      (tk("Đơn dự tuyển (theo mẫu)"), copy("Giấy khai sinh"), copy("Học bạ cấp tiểu học")),
      result="Danh sách học sinh trúng tuyển", legal_basis="Thông tư số 30/2024/TT-BGDĐT về quy chế tuyển sinh"),
    P("2.002894", "Cho phép trường mầm non, trường mẫu giáo, nhà trẻ hoạt động giáo dục", "GIAODUC", COMM, COMMUNES, 2, 20, W, "giay_phep_to_chuc",
      (tk("Tờ trình đề nghị cho phép hoạt động giáo dục"), copy("Quyết định thành lập"), DocData("Danh sách đội ngũ cán bộ quản lý, giáo viên")),
      supplement="pause", result="Quyết định cho phép hoạt động giáo dục", legal_basis="Luật Giáo dục số 43/2019/QH14",
      applicants="Tổ chức, cá nhân"),
    P("DEMO.GD.01", "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc", "GIAODUC", PROV, "giao_duc/khao_thi", 4, 1, S, "ban_sao",
      (tk("Đơn đề nghị cấp bản sao văn bằng, chứng chỉ từ sổ gốc"), ID_CARD), (FeeData("Phí cấp bản sao (mỗi bản)", 3_000, 0),),
      postal="both", result="Bản sao văn bằng, chứng chỉ", legal_basis="Thông tư số 21/2019/TT-BGDĐT",
      full_online_eligible=True),
    P("DEMO.GD.02", "Chỉnh sửa nội dung văn bằng, chứng chỉ", "GIAODUC", PROV, "giao_duc/khao_thi", 2, 5, W, "don_chung",
      (tk("Đơn đề nghị chỉnh sửa văn bằng, chứng chỉ"), DocData("Văn bằng, chứng chỉ đề nghị chỉnh sửa"), copy("Quyết định thay đổi hoặc cải chính hộ tịch")),
      postal="both", result="Quyết định chỉnh sửa văn bằng, chứng chỉ", legal_basis="Thông tư số 21/2019/TT-BGDĐT"),
    P("DEMO.GD.03", "Phúc khảo bài thi tốt nghiệp trung học phổ thông", "GIAODUC", PROV, "giao_duc/khao_thi", 4, 15, D, "don_chung",
      (tk("Đơn đề nghị phúc khảo (theo mẫu)"),), (FeeData("Phí phúc khảo (mỗi bài thi)", 30_000),), software="integrated",
      result="Kết quả phúc khảo", legal_basis="Thông tư số 24/2024/TT-BGDĐT", applicants="Thí sinh",
      full_online_eligible=True),
    # --- Y tế ------------------------------------------------------------------------------------
    P("DEMO.YT.01", "Cấp giấy phép hành nghề khám bệnh, chữa bệnh", "YTE", PROV, "y_te/nghiep_vu_y", 3, 30, D, "chung_chi",
      (tk("Đơn đề nghị cấp giấy phép hành nghề (theo mẫu)"), copy("Văn bằng chuyên môn"), HEALTH_CERT, PHOTO),
      (FeeData("Phí thẩm định cấp giấy phép hành nghề", 360_000),), postal="return", supplement="pause",
      result="Giấy phép hành nghề khám bệnh, chữa bệnh", legal_basis="Luật Khám bệnh, chữa bệnh số 15/2023/QH15",
      applicants="Người hành nghề khám bệnh, chữa bệnh"),
    P("DEMO.YT.02", "Cấp chứng chỉ hành nghề dược", "YTE", PROV, "y_te/nghiep_vu_duoc", 3, 20, W, "chung_chi",
      (tk("Đơn đề nghị cấp chứng chỉ hành nghề dược (theo mẫu)"), copy("Văn bằng chuyên môn"), DocData("Giấy xác nhận thời gian thực hành"), PHOTO),
      (FeeData("Phí thẩm định cấp chứng chỉ hành nghề dược", 500_000),), postal="return",
      result="Chứng chỉ hành nghề dược", legal_basis="Luật Dược số 105/2016/QH13 (sửa đổi 2024)"),
    P("DEMO.YT.03", "Cấp Giấy chứng nhận đủ điều kiện kinh doanh dược đối với nhà thuốc", "YTE", PROV, "y_te/nghiep_vu_duoc", 2, 20, W, "giay_phep_to_chuc",
      (tk("Đơn đề nghị cấp Giấy chứng nhận đủ điều kiện kinh doanh dược"), DocData("Tài liệu kỹ thuật về địa điểm, trang thiết bị"), copy("Chứng chỉ hành nghề dược")),
      (FeeData("Phí thẩm định điều kiện kinh doanh dược", 1_000_000),), supplement="pause",
      result="Giấy chứng nhận đủ điều kiện kinh doanh dược", legal_basis="Luật Dược số 105/2016/QH13 (sửa đổi 2024)",
      applicants="Cơ sở kinh doanh dược"),
    # --- Bảo trợ xã hội (commune) ----------------------------------------------------------------
    P("1.001776", "Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hằng tháng, hỗ trợ kinh phí chăm sóc, nuôi dưỡng hằng tháng", "BTXH", COMM, COMMUNES, 4, 10, W, "tro_cap",
      (tk("Tờ khai đề nghị trợ giúp xã hội (theo mẫu)"), copy("Giấy xác nhận khuyết tật hoặc giấy tờ chứng minh thuộc diện đối tượng", mandatory=False)),
      postal="both", result="Quyết định trợ cấp xã hội hằng tháng", legal_basis=SOCIAL_LAW,
      full_online_eligible=True),
    P("1.001699", "Xác định, xác định lại mức độ khuyết tật và cấp Giấy xác nhận khuyết tật", "BTXH", COMM, COMMUNES, 3, 25, W, "tro_cap",
      (tk("Đơn đề nghị xác định mức độ khuyết tật (theo mẫu)"), copy("Bệnh án, giấy tờ khám, điều trị (nếu có)", mandatory=False)),
      postal="return", supplement="pause", result="Giấy xác nhận khuyết tật",
      legal_basis="Luật Người khuyết tật số 51/2010/QH12; Nghị định số 28/2012/NĐ-CP"),
    P("1.001653", "Đổi, cấp lại Giấy xác nhận khuyết tật", "BTXH", COMM, COMMUNES, 4, 5, W, "tro_cap",
      (tk("Đơn đề nghị đổi, cấp lại Giấy xác nhận khuyết tật (theo mẫu)"),), postal="return",
      result="Giấy xác nhận khuyết tật", legal_basis="Luật Người khuyết tật số 51/2010/QH12",
      full_online_eligible=True),
    P("1.001731", "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội", "BTXH", COMM, COMMUNES, 2, 3, W, "tro_cap",
      (tk("Tờ khai đề nghị hỗ trợ chi phí mai táng (theo mẫu)"), copy("Giấy báo tử hoặc trích lục khai tử")),
      result="Quyết định hỗ trợ chi phí mai táng", legal_basis=SOCIAL_LAW),
    P("1.010833", "Xác nhận thân nhân của người có công", "NGUOICOCONG", COMM, COMMUNES, 2, 5, W, "tro_cap",
      (tk("Bản khai thân nhân (theo mẫu)"), copy("Giấy tờ chứng minh quan hệ với người có công")),
      result="Giấy xác nhận thân nhân của người có công", legal_basis="Pháp lệnh Ưu đãi người có công với cách mạng số 02/2020/UBTVQH14"),
    P("DEMO.NCC.01", "Giải quyết chế độ trợ cấp thờ cúng liệt sĩ", "NGUOICOCONG", PROV, "noi_vu/nguoi_co_cong", 3, 12, W, "tro_cap",
      (tk("Bản khai đề nghị trợ cấp thờ cúng liệt sĩ (theo mẫu)"), copy("Bằng Tổ quốc ghi công")),
      postal="return", result="Quyết định trợ cấp thờ cúng liệt sĩ",
      legal_basis="Pháp lệnh Ưu đãi người có công với cách mạng số 02/2020/UBTVQH14; Nghị định số 131/2021/NĐ-CP"),
    # --- Văn hóa, thể thao và du lịch -------------------------------------------------------------
    P("DEMO.VH.01", "Cấp Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke", "VANHOA", DIST, COMMUNES, 4, 5, W, "giay_phep_to_chuc",
      (tk("Đơn đề nghị cấp Giấy phép (theo mẫu)"), copy("Giấy chứng nhận đăng ký kinh doanh")),
      (FeeData("Phí thẩm định cấp giấy phép kinh doanh karaoke", 4_000_000, exemptions="Khu vực khác ngoài phường: 2.000.000 đồng"),),
      postal="return", result="Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke",
      legal_basis="Nghị định số 54/2019/NĐ-CP", applicants="Doanh nghiệp, hộ kinh doanh", full_online_eligible=True),
    P("DEMO.VH.02", "Công nhận hạng cơ sở lưu trú du lịch hạng 1 sao, 2 sao, 3 sao", "VANHOA", PROV, "van_hoa/du_lich", 3, 30, D, "giay_phep_to_chuc",
      (tk("Đơn đề nghị công nhận hạng (theo mẫu)"), DocData("Báo cáo tự đánh giá theo tiêu chuẩn quốc gia"), copy("Chứng chỉ nghiệp vụ của người quản lý")),
      (FeeData("Phí thẩm định công nhận hạng", 1_500_000),), result="Quyết định công nhận hạng cơ sở lưu trú du lịch",
      legal_basis="Luật Du lịch số 09/2017/QH14", applicants="Tổ chức, cá nhân kinh doanh lưu trú"),
    P("DEMO.VH.03", "Đăng ký tổ chức lễ hội cấp tỉnh", "VANHOA", PROV, "van_hoa/quan_ly_van_hoa", 2, 20, W, "giay_phep_to_chuc",
      (tk("Văn bản đăng ký tổ chức lễ hội"), DocData("Đề án, kế hoạch tổ chức lễ hội")),
      result="Văn bản chấp thuận tổ chức lễ hội", legal_basis="Nghị định số 110/2018/NĐ-CP",
      applicants="Cơ quan, tổ chức"),
    P("DEMO.VH.04", "Cấp giấy phép tổ chức biểu diễn nghệ thuật", "VANHOA", PROV, "van_hoa/quan_ly_van_hoa", 1, 5, W, "giay_phep_to_chuc",
      (tk("Văn bản đề nghị tổ chức biểu diễn"), DocData("Kịch bản, danh mục tác phẩm biểu diễn")),
      result="Văn bản chấp thuận tổ chức biểu diễn", legal_basis="Nghị định số 144/2020/NĐ-CP",
      applicants="Tổ chức, cá nhân"),
    # --- Công Thương -----------------------------------------------------------------------------
    P("DEMO.TM.01", "Cấp Giấy phép bán lẻ sản phẩm thuốc lá", "CONGTHUONG", DIST, COMMUNES, 3, 15, W, "giay_phep_to_chuc",
      (tk("Đơn đề nghị cấp Giấy phép bán lẻ sản phẩm thuốc lá (theo mẫu)"), copy("Giấy chứng nhận đăng ký kinh doanh")),
      (FeeData("Phí thẩm định cấp giấy phép", 200_000, 100_000),), postal="both", result="Giấy phép bán lẻ sản phẩm thuốc lá",
      legal_basis="Nghị định số 67/2013/NĐ-CP", applicants="Thương nhân"),
    P("DEMO.TM.02", "Cấp Giấy phép bán buôn rượu trên địa bàn tỉnh", "CONGTHUONG", PROV, "cong_thuong/thuong_mai", 4, 10, W, "giay_phep_to_chuc",
      (tk("Đơn đề nghị cấp Giấy phép bán buôn rượu (theo mẫu)"), BIZ_REG, DocData("Hợp đồng với thương nhân sản xuất, phân phối rượu")),
      (FeeData("Phí thẩm định cấp giấy phép bán buôn rượu", 2_200_000, 1_100_000),), postal="return",
      result="Giấy phép bán buôn rượu", legal_basis="Nghị định số 105/2017/NĐ-CP", applicants="Thương nhân",
      full_online_eligible=True),
    P("DEMO.TM.03", "Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm thuộc ngành Công Thương", "CONGTHUONG", PROV, "cong_thuong/thuong_mai", 3, 20, W, "giay_phep_to_chuc",
      (tk("Đơn đề nghị cấp Giấy chứng nhận (theo mẫu)"), DocData("Bản thuyết minh về cơ sở vật chất, trang thiết bị"), copy("Giấy xác nhận đủ sức khỏe của chủ cơ sở và người trực tiếp sản xuất")),
      (FeeData("Phí thẩm định cơ sở sản xuất thực phẩm", 2_500_000),), supplement="pause",
      result="Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm", legal_basis="Luật An toàn thực phẩm số 55/2010/QH12",
      applicants="Cơ sở sản xuất, kinh doanh thực phẩm"),
    P("DEMO.TM.04", "Cấp Giấy xác nhận đăng ký thực hiện khuyến mại", "CONGTHUONG", PROV, "cong_thuong/thuong_mai", 4, 5, W, "giay_phep_to_chuc",
      (tk("Đăng ký thực hiện khuyến mại (theo mẫu)"), DocData("Thể lệ chương trình khuyến mại")),
      result="Giấy xác nhận đăng ký thực hiện khuyến mại", legal_basis="Nghị định số 81/2018/NĐ-CP",
      applicants="Thương nhân", full_online_eligible=True),
    # --- Nông nghiệp và môi trường ----------------------------------------------------------------
    P("DEMO.NN.01", "Kiểm dịch động vật, sản phẩm động vật vận chuyển ra khỏi địa bàn cấp tỉnh", "NONGNGHIEP", PROV, "nong_nghiep_moi_truong/thu_y", 4, 8, H, "giay_phep_to_chuc",
      (tk("Giấy đăng ký kiểm dịch (theo mẫu)"), copy("Giấy chứng nhận tiêm phòng (nếu có)", mandatory=False)),
      (FeeData("Phí kiểm dịch (mỗi lô hàng)", 40_000),), software="standalone",
      result="Giấy chứng nhận kiểm dịch động vật, sản phẩm động vật", legal_basis="Luật Thú y số 79/2015/QH13",
      applicants="Tổ chức, cá nhân vận chuyển", full_online_eligible=True),
    P("DEMO.NN.02", "Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm nông, lâm, thủy sản", "NONGNGHIEP", PROV, "nong_nghiep_moi_truong/thu_y", 3, 15, W, "giay_phep_to_chuc",
      (tk("Đơn đề nghị cấp Giấy chứng nhận (theo mẫu)"), DocData("Bản thuyết minh về cơ sở vật chất, trang thiết bị")),
      (FeeData("Phí thẩm định điều kiện an toàn thực phẩm", 700_000),), result="Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm",
      legal_basis="Luật An toàn thực phẩm số 55/2010/QH12", applicants="Cơ sở sản xuất, kinh doanh"),
    P("DEMO.NN.03", "Hỗ trợ khôi phục sản xuất vùng bị thiệt hại do thiên tai, dịch bệnh", "NONGNGHIEP", COMM, COMMUNES, 2, 10, W, "tro_cap",
      (tk("Đơn đề nghị hỗ trợ (theo mẫu)"),), result="Quyết định hỗ trợ", legal_basis="Nghị định số 02/2017/NĐ-CP"),
    P("DEMO.MT.01", "Cấp giấy phép môi trường (cấp tỉnh)", "MOITRUONG", PROV, "nong_nghiep_moi_truong/moi_truong", 3, 30, D, "giay_phep_to_chuc",
      (tk("Văn bản đề nghị cấp giấy phép môi trường"), DocData("Báo cáo đề xuất cấp giấy phép môi trường")),
      (FeeData("Phí thẩm định cấp giấy phép môi trường", 10_000_000),), supplement="pause",
      result="Giấy phép môi trường", legal_basis="Luật Bảo vệ môi trường số 72/2020/QH14",
      applicants="Chủ dự án đầu tư, cơ sở"),
    P("DEMO.MT.02", "Đăng ký môi trường", "MOITRUONG", COMM, COMMUNES, 4, 15, W, "giay_phep_to_chuc",
      (tk("Văn bản đăng ký môi trường (theo mẫu)"),), result="Văn bản tiếp nhận đăng ký môi trường",
      legal_basis="Luật Bảo vệ môi trường số 72/2020/QH14", applicants="Chủ dự án đầu tư, cơ sở",
      full_online_eligible=True),
    # --- Others ----------------------------------------------------------------------------------
    P("DEMO.TG.01", "Đăng ký thuyên chuyển chức sắc, chức việc, nhà tu hành", "TONGIAO", PROV, "dan_toc_ton_giao/ton_giao", 2, 20, D, "giay_phep_to_chuc",
      (tk("Văn bản đăng ký thuyên chuyển"), DocData("Tóm tắt quá trình hoạt động tôn giáo của người được thuyên chuyển")),
      result="Văn bản chấp thuận", legal_basis="Luật Tín ngưỡng, tôn giáo số 02/2016/QH14", applicants="Tổ chức tôn giáo"),
    P("DEMO.KHCN.01", "Cấp Giấy chứng nhận đăng ký hoạt động khoa học và công nghệ", "KHCN", PROV, "khoa_hoc_cong_nghe/cong_nghe", 3, 15, W, "giay_phep_to_chuc",
      (tk("Đơn đăng ký hoạt động khoa học và công nghệ (theo mẫu)"), copy("Quyết định thành lập tổ chức"), DocData("Điều lệ tổ chức")),
      (FeeData("Phí thẩm định điều kiện hoạt động", 300_000),), postal="both",
      result="Giấy chứng nhận đăng ký hoạt động khoa học và công nghệ", legal_basis="Luật Khoa học và công nghệ số 29/2013/QH13",
      applicants="Tổ chức khoa học và công nghệ"),
    P("DEMO.DT.01", "Cấp Giấy chứng nhận đăng ký đầu tư đối với dự án trong khu công nghiệp không thuộc diện chấp thuận chủ trương đầu tư", "DAUTU", PROV, "khu_cong_nghiep/dau_tu", 4, 15, W, "giay_phep_to_chuc",
      (tk("Văn bản đề nghị thực hiện dự án đầu tư"), DocData("Đề xuất dự án đầu tư"), copy("Tài liệu về tư cách pháp lý của nhà đầu tư")),
      software="standalone", supplement="pause", result="Giấy chứng nhận đăng ký đầu tư",
      legal_basis="Luật Đầu tư số 61/2020/QH14", applicants="Nhà đầu tư", full_online_eligible=True),
    P("DEMO.KN.01", "Giải quyết khiếu nại lần hai tại cấp tỉnh", "KHIEUNAI", PROV, "thanh_tra/tiep_cong_dan", 1, 45, D, "don_chung",
      (tk("Đơn khiếu nại"), copy("Quyết định giải quyết khiếu nại lần đầu"), copy("Tài liệu, chứng cứ liên quan", mandatory=False)),
      supplement="pause", result="Quyết định giải quyết khiếu nại lần hai", legal_basis="Luật Khiếu nại số 02/2011/QH13",
      applicants="Cá nhân, tổ chức"),
)  # fmt: skip
