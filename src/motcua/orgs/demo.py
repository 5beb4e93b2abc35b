"""The demo province's organisation tree, Đắk Lắk 2025 (two tiers) or a 2020 shape with districts.

Agency identifier codes follow docs/DOMAIN.md §3, ``V1V2V3.Z1Z2.Y1Y2.MX1X2`` with ``MX1X2`` =
``settings.MOTCUA_PROVINCE_CODE`` (H16 by default). The numbers below are ours, stable and
illustrative; a real deployment loads the province's published code list instead.

==========================  ====================  =================================================
unit                        code                  scheme
==========================  ====================  =================================================
province (UBND tỉnh)        ``000.00.00.H16``     everything zero
provincial one-stop centre  ``000.00.01.H16``     Y1Y2 = 01
department or board         ``000.00.NN.H16``     Y1Y2 = NN in 10–49, fixed per department below
office of a department      ``000.KK.NN.H16``     Z1Z2 = KK, 01… in the order listed
commune/ward (2025)         ``000.ZZ.YY.H16``     communes sorted by national ward code; the i-th
                                                  (from 0) has YY = 50 + i // 99, ZZ = i % 99 + 1
its one-stop centre         ``001.ZZ.YY.H16``     V1V2V3 = 001 below the commune
district (2020 shape)       ``000.00.DD.H16``     DD = 50 + district index
district centre / offices   ``000.9K.DD.H16``     Z1Z2 = 90 (centre), 91… (offices)
commune of a district       ``000.CC.DD.H16``     CC = 01… (below 90)
==========================  ====================  =================================================

Y1Y2 50–99 is therefore the local-government block in both shapes, 01–49 the province's own
agencies, and every code is unique within a province.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from vietnam_provinces import Province, ProvinceCode, Ward

from .constants import GovLevel, UnitKind
from .models import Unit
from .services import UnitSpec, unit_tree_create

DAK_LAK = ProvinceCode.P_66
COMMUNE_BLOCK_START = 50
COMMUNES_PER_BLOCK = 99


def agency_code(*, y: int = 0, z: int = 0, v: int = 0, province: str | None = None) -> str:
    """The identifier ``V1V2V3.Z1Z2.Y1Y2.MX1X2`` from its numeric groups."""
    return f"{v:03d}.{z:02d}.{y:02d}.{province or settings.MOTCUA_PROVINCE_CODE}"


def normalise_name(name: str) -> str:
    """The package writes some names with double spaces ("Phường  Tân An"); collapse and strip."""
    return " ".join(name.split())


def _lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


@dataclass(frozen=True)
class DepartmentData:
    key: str
    y: int
    name: str
    short_name: str
    offices: tuple[tuple[str, str], ...]


# Đắk Lắk after the 2025 reorganisation (the departments merged in March 2025, Phú Yên merged in
# July 2025). Each department lists the offices that handle its procedures.
DEPARTMENTS_2025: tuple[DepartmentData, ...] = (
    DepartmentData(
        "noi_vu",
        10,
        "Sở Nội vụ",
        "SNV",
        (
            ("lao_dong", "Phòng Lao động, Tiền lương và Bảo hiểm xã hội"),
            ("viec_lam", "Phòng Việc làm và An toàn lao động"),
            ("nguoi_co_cong", "Phòng Người có công"),
        ),
    ),
    DepartmentData(
        "tu_phap",
        11,
        "Sở Tư pháp",
        "STP",
        (
            ("hanh_chinh_tu_phap", "Phòng Hành chính tư pháp"),
            ("bo_tro_tu_phap", "Phòng Bổ trợ tư pháp"),
        ),
    ),
    DepartmentData(
        "tai_chinh",
        12,
        "Sở Tài chính",
        "STC",
        (
            ("dang_ky_kinh_doanh", "Phòng Đăng ký kinh doanh"),
            ("doanh_nghiep", "Phòng Doanh nghiệp, kinh tế tập thể và tư nhân"),
        ),
    ),
    DepartmentData(
        "xay_dung",
        13,
        "Sở Xây dựng",
        "SXD",
        (
            ("quan_ly_xay_dung", "Phòng Quản lý hoạt động xây dựng"),
            ("van_tai", "Phòng Quản lý vận tải, phương tiện và người lái"),
        ),
    ),
    DepartmentData(
        "nong_nghiep_moi_truong",
        14,
        "Sở Nông nghiệp và Môi trường",
        "SNNMT",
        (
            ("dat_dai", "Phòng Quản lý đất đai"),
            ("van_phong_dang_ky_dat_dai", "Văn phòng Đăng ký đất đai"),
            ("moi_truong", "Phòng Môi trường"),
            ("thu_y", "Chi cục Chăn nuôi và Thú y"),
        ),
    ),
    DepartmentData(
        "cong_thuong",
        15,
        "Sở Công Thương",
        "SCT",
        (
            ("thuong_mai", "Phòng Quản lý thương mại"),
            ("nang_luong", "Phòng Quản lý năng lượng"),
        ),
    ),
    DepartmentData(
        "y_te",
        16,
        "Sở Y tế",
        "SYT",
        (
            ("nghiep_vu_y", "Phòng Nghiệp vụ Y"),
            ("nghiep_vu_duoc", "Phòng Nghiệp vụ Dược"),
            ("bao_tro_xa_hoi", "Phòng Bảo trợ xã hội, Trẻ em và Phòng, chống tệ nạn xã hội"),
        ),
    ),
    DepartmentData(
        "giao_duc",
        17,
        "Sở Giáo dục và Đào tạo",
        "SGDĐT",
        (
            ("trung_hoc", "Phòng Giáo dục trung học"),
            ("khao_thi", "Phòng Khảo thí và Quản lý chất lượng giáo dục"),
        ),
    ),
    DepartmentData(
        "van_hoa",
        18,
        "Sở Văn hóa, Thể thao và Du lịch",
        "SVHTTDL",
        (
            ("quan_ly_van_hoa", "Phòng Quản lý văn hóa và Gia đình"),
            ("du_lich", "Phòng Quản lý du lịch"),
        ),
    ),
    DepartmentData(
        "khoa_hoc_cong_nghe",
        19,
        "Sở Khoa học và Công nghệ",
        "SKHCN",
        (
            ("cong_nghe", "Phòng Quản lý công nghệ và Đổi mới sáng tạo"),
            ("buu_chinh", "Phòng Bưu chính, Viễn thông và Chuyển đổi số"),
        ),
    ),
    DepartmentData(
        "dan_toc_ton_giao",
        20,
        "Sở Dân tộc và Tôn giáo",
        "SDTTG",
        (("ton_giao", "Phòng Quản lý tôn giáo"),),
    ),
    DepartmentData(
        "thanh_tra",
        21,
        "Thanh tra tỉnh",
        "TTT",
        (("tiep_cong_dan", "Phòng Tiếp công dân và Xử lý đơn thư"),),
    ),
    DepartmentData(
        "khu_cong_nghiep",
        22,
        "Ban Quản lý các khu công nghiệp tỉnh",
        "BQLKCN",
        (
            ("dau_tu", "Phòng Quản lý đầu tư"),
            ("doanh_nghiep_lao_dong", "Phòng Quản lý doanh nghiệp và Lao động"),
        ),
    ),
    DepartmentData(
        "cong_an",
        23,
        "Công an tỉnh",
        "CAT",
        (
            ("ho_so_nghiep_vu", "Phòng Hồ sơ nghiệp vụ"),
            ("canh_sat_giao_thong", "Phòng Cảnh sát giao thông"),
            ("quan_ly_hanh_chinh", "Phòng Cảnh sát quản lý hành chính về trật tự xã hội"),
        ),
    ),
)


@dataclass
class DemoUnits:
    """The created tree, indexed the way the catalogue and the demo staff look units up."""

    province: Unit
    centre: Unit
    departments: dict[str, Unit] = field(default_factory=dict)
    offices: dict[tuple[str, str], Unit] = field(default_factory=dict)
    communes: list[Unit] = field(default_factory=list)
    commune_centres: dict[int, Unit] = field(default_factory=dict)

    def commune_named(self, name: str) -> Unit:
        for commune in self.communes:
            if commune.name == name:
                return commune
        raise KeyError(name)


def dak_lak_wards() -> list[Ward]:
    """Đắk Lắk's communes and wards after 1 July 2025 (Phú Yên merged in), by national code."""
    return sorted(Ward.iter_by_province(DAK_LAK), key=lambda ward: int(ward.code))


def _department_specs(
    departments: Sequence[DepartmentData], province: str
) -> list[tuple[DepartmentData, UnitSpec]]:
    specs = []
    for dept in departments:
        offices = tuple(
            UnitSpec(
                code=agency_code(y=dept.y, z=index, province=province),
                name=office_name,
                kind=UnitKind.OFFICE,
                level=GovLevel.PROVINCE,
                key=f"{dept.key}/{office_key}",
            )
            for index, (office_key, office_name) in enumerate(dept.offices, start=1)
        )
        spec = UnitSpec(
            code=agency_code(y=dept.y, province=province),
            name=dept.name,
            kind=UnitKind.DEPARTMENT,
            level=GovLevel.PROVINCE,
            short_name=dept.short_name,
            key=dept.key,
            children=offices,
        )
        specs.append((dept, spec))
    return specs


def commune_code(index: int, *, province: str | None = None, centre: bool = False) -> str:
    """The code of the index-th commune (from 0) of a two-tier province, or of its centre."""
    y = COMMUNE_BLOCK_START + index // COMMUNES_PER_BLOCK
    z = index % COMMUNES_PER_BLOCK + 1
    return agency_code(y=y, z=z, v=1 if centre else 0, province=province)


def province_2025_spec(*, province: str | None = None) -> UnitSpec:
    """Đắk Lắk in the 2025 shape: province → departments, centre, communes (each with a centre)."""
    province = province or settings.MOTCUA_PROVINCE_CODE
    pkg_province = Province.from_code(DAK_LAK)
    communes = []
    for index, ward in enumerate(dak_lak_wards()):
        name = normalise_name(ward.name)
        communes.append(
            UnitSpec(
                code=commune_code(index, province=province),
                name=name,
                kind=UnitKind.COMMUNE,
                level=GovLevel.COMMUNE,
                admin_code=str(int(ward.code)),
                key=f"commune/{int(ward.code)}",
                children=(
                    UnitSpec(
                        code=commune_code(index, province=province, centre=True),
                        name=f"Trung tâm Phục vụ hành chính công {_lower_first(name)}",
                        kind=UnitKind.CENTRE,
                        level=GovLevel.COMMUNE,
                        key=f"commune-centre/{int(ward.code)}",
                    ),
                ),
            )
        )
    centre = UnitSpec(
        code=agency_code(y=1, province=province),
        name=f"Trung tâm Phục vụ hành chính công tỉnh {normalise_name(pkg_province.name)}",
        kind=UnitKind.CENTRE,
        level=GovLevel.PROVINCE,
        short_name="TTPVHCC",
        key="centre",
    )
    departments = [spec for _, spec in _department_specs(DEPARTMENTS_2025, province)]
    return UnitSpec(
        code=agency_code(province=province),
        name=f"Tỉnh {normalise_name(pkg_province.name)}",
        kind=UnitKind.PROVINCE,
        level=GovLevel.PROVINCE,
        short_name=f"UBND tỉnh {normalise_name(pkg_province.name)}",
        admin_code=str(int(pkg_province.code)),
        key="province",
        children=(centre, *departments, *communes),
    )


def load_demo_org_tree(*, province: str | None = None) -> DemoUnits:
    """Create the 2025 Đắk Lắk tree and return it indexed for the rest of the demo."""
    spec = province_2025_spec(province=province)
    created = unit_tree_create(spec=spec, is_demo=True)
    return _build_index(spec, created)


def demo_units_from_database(*, province: str | None = None) -> DemoUnits:
    """Rebuild the index of an already loaded demo tree (for loaders run separately)."""
    province = province or settings.MOTCUA_PROVINCE_CODE
    spec = province_2025_spec(province=province)
    existing = {unit.code: unit for unit in Unit.objects.filter(code__endswith=f".{province}")}
    return _build_index(spec, existing)


def _build_index(spec: UnitSpec, created: dict[str, Unit]) -> DemoUnits:
    by_key = _index_by_key(spec, created)
    units = DemoUnits(province=by_key["province"], centre=by_key["centre"])
    for key, unit in by_key.items():
        if key in ("province", "centre"):
            continue
        if key.startswith("commune/"):
            units.communes.append(unit)
        elif key.startswith("commune-centre/"):
            units.commune_centres[unit.parent_id] = unit
        elif "/" in key:
            dept_key, office_key = key.split("/", 1)
            units.offices[(dept_key, office_key)] = unit
        else:
            units.departments[key] = unit
    return units


def _index_by_key(spec: UnitSpec, created: dict[str, Unit]) -> dict[str, Unit]:
    out: dict[str, Unit] = {}

    def walk(node: UnitSpec) -> None:
        if node.code in created:
            out[node.key] = created[node.code]
        for child in node.children:
            walk(child)

    walk(spec)
    return out


# --- The 2020 shape: province → districts → communes ---------------------------------------------


@dataclass(frozen=True)
class DistrictData:
    name: str
    admin_code: str
    communes: tuple[tuple[str, str], ...]  # (name, admin code)
    offices: tuple[str, ...] = ("Phòng Tư pháp", "Phòng Tài nguyên và Môi trường")


# A small fixture of Đắk Lắk before 2025 (3 of its 15 district-level units), enough to show that
# a province with districts works. The administrative codes here are illustrative.
DAK_LAK_2020_DISTRICTS: tuple[DistrictData, ...] = (
    DistrictData(
        "Thành phố Buôn Ma Thuột",
        "643",
        (
            ("Phường Tân Lợi", "24124"),
            ("Phường Thắng Lợi", "24127"),
            ("Phường Thống Nhất", "24130"),
            ("Xã Hòa Thắng", "24172"),
        ),
    ),
    DistrictData(
        "Thị xã Buôn Hồ",
        "644",
        (("Phường An Lạc", "24305"), ("Phường An Bình", "24310"), ("Xã Cư Bao", "24340")),
    ),
    DistrictData(
        "Huyện Krông Pắc",
        "654",
        (("Thị trấn Phước An", "24559"), ("Xã Ea Phê", "24580"), ("Xã Ea Kly", "24565")),
    ),
)
DEPARTMENTS_2020: tuple[DepartmentData, ...] = (
    DepartmentData("tu_phap", 11, "Sở Tư pháp", "STP", (("hanh_chinh_tu_phap", "Phòng Hành chính tư pháp"),)),
    DepartmentData("ke_hoach_dau_tu", 12, "Sở Kế hoạch và Đầu tư", "SKHĐT", (("dang_ky_kinh_doanh", "Phòng Đăng ký kinh doanh"),)),
    DepartmentData("tai_nguyen_moi_truong", 14, "Sở Tài nguyên và Môi trường", "STNMT", (("dat_dai", "Chi cục Quản lý đất đai"),)),
    DepartmentData("giao_thong_van_tai", 24, "Sở Giao thông vận tải", "SGTVT", (("van_tai", "Phòng Quản lý vận tải, phương tiện và người lái"),)),
    DepartmentData("thong_tin_truyen_thong", 25, "Sở Thông tin và Truyền thông", "STTTT", ()),
    DepartmentData("lao_dong_thuong_binh_xa_hoi", 26, "Sở Lao động - Thương binh và Xã hội", "SLĐTBXH", (("viec_lam", "Phòng Lao động - Việc làm"),)),
)  # fmt: skip


def province_2020_spec(
    *,
    province: str | None = None,
    name: str = "Tỉnh Đắk Lắk",
    admin_code: str = "66",
    districts: Sequence[DistrictData] = DAK_LAK_2020_DISTRICTS,
    departments: Sequence[DepartmentData] = DEPARTMENTS_2020,
) -> UnitSpec:
    """A province in the 2020 shape: departments and a centre, districts with their communes."""
    province = province or settings.MOTCUA_PROVINCE_CODE
    district_specs = []
    for d_index, district in enumerate(districts):
        y = COMMUNE_BLOCK_START + d_index
        children: list[UnitSpec] = [
            UnitSpec(
                code=agency_code(y=y, z=90, province=province),
                name=f"Bộ phận Một cửa {_lower_first(district.name)}",
                kind=UnitKind.CENTRE,
                level=GovLevel.DISTRICT,
            )
        ]
        children += [
            UnitSpec(
                code=agency_code(y=y, z=91 + o_index, province=province),
                name=office,
                kind=UnitKind.OFFICE,
                level=GovLevel.DISTRICT,
            )
            for o_index, office in enumerate(district.offices)
        ]
        children += [
            UnitSpec(
                code=agency_code(y=y, z=c_index, province=province),
                name=normalise_name(commune),
                kind=UnitKind.COMMUNE,
                level=GovLevel.COMMUNE,
                admin_code=commune_admin_code,
            )
            for c_index, (commune, commune_admin_code) in enumerate(district.communes, start=1)
        ]
        district_specs.append(
            UnitSpec(
                code=agency_code(y=y, province=province),
                name=district.name,
                kind=UnitKind.DISTRICT,
                level=GovLevel.DISTRICT,
                admin_code=district.admin_code,
                children=tuple(children),
            )
        )
    centre = UnitSpec(
        code=agency_code(y=1, province=province),
        name="Trung tâm Phục vụ hành chính công tỉnh",
        kind=UnitKind.CENTRE,
        level=GovLevel.PROVINCE,
    )
    department_specs = [spec for _, spec in _department_specs(departments, province)]
    return UnitSpec(
        code=agency_code(province=province),
        name=name,
        kind=UnitKind.PROVINCE,
        level=GovLevel.PROVINCE,
        admin_code=admin_code,
        children=(centre, *department_specs, *district_specs),
    )


def load_province_2020(*, province: str | None = None, **kwargs: object) -> Unit:
    """Create a 2020-shape province (districts → communes) and return its root unit."""
    spec = province_2020_spec(province=province, **kwargs)  # type: ignore[arg-type]
    created = unit_tree_create(spec=spec, is_demo=True)
    return created[spec.code]
