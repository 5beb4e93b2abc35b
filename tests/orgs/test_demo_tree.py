"""The demo org trees: Đắk Lắk 2025 from the vietnam-provinces data, and a 2020 shape with districts."""

import pytest

from motcua.orgs.constants import GovLevel, Role, UnitKind
from motcua.orgs.demo import (
    DEPARTMENTS_2025,
    agency_code,
    commune_code,
    dak_lak_wards,
    load_demo_org_tree,
    load_province_2020,
    normalise_name,
)
from motcua.orgs.models import AGENCY_CODE_RE, Membership, Unit
from motcua.orgs.services import membership_grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def dak_lak():
    return load_demo_org_tree()


def test_normalise_name_collapses_spaces():
    assert normalise_name(" Phường  Tân  An ") == "Phường Tân An"


def test_package_has_post_2025_dak_lak_with_phu_yen():
    names = {normalise_name(ward.name) for ward in dak_lak_wards()}
    assert len(names) == 102
    assert "Phường Buôn Ma Thuột" in names
    assert "Phường Tuy Hòa" in names  # the former Phú Yên province


def test_commune_code_scheme():
    assert commune_code(0) == "000.01.50.H16"
    assert commune_code(98) == "000.99.50.H16"
    assert commune_code(99) == "000.01.51.H16"
    assert commune_code(0, centre=True) == "001.01.50.H16"
    assert agency_code(y=11) == "000.00.11.H16"


def test_every_ward_present_with_normalised_names(dak_lak):
    communes = Unit.objects.filter(kind=UnitKind.COMMUNE)
    expected = {normalise_name(ward.name) for ward in dak_lak_wards()}
    assert {unit.name for unit in communes} == expected
    assert {unit.admin_code for unit in communes} == {
        str(int(ward.code)) for ward in dak_lak_wards()
    }
    for unit in Unit.objects.all():
        assert unit.name == unit.name.strip()
        assert "  " not in unit.name
    # Each commune has its own one-stop centre.
    assert Unit.objects.filter(kind=UnitKind.CENTRE, level=GovLevel.COMMUNE).count() == 102


def test_codes_valid_unique_and_of_the_province(dak_lak):
    codes = list(Unit.objects.values_list("code", flat=True))
    assert len(codes) == len(set(codes)) == Unit.objects.count()
    for code in codes:
        assert AGENCY_CODE_RE.match(code), code
        assert code.endswith(".H16")
    assert dak_lak.province.code == "000.00.00.H16"
    assert dak_lak.centre.code == "000.00.01.H16"
    assert dak_lak.departments["tu_phap"].code == "000.00.11.H16"
    assert dak_lak.offices[("tu_phap", "hanh_chinh_tu_phap")].code == "000.01.11.H16"
    assert {dept.name for dept in dak_lak.departments.values()} >= {
        "Sở Tư pháp",
        "Sở Tài chính",
        "Sở Xây dựng",
        "Sở Nông nghiệp và Môi trường",
        "Công an tỉnh",
        "Ban Quản lý các khu công nghiệp tỉnh",
    }


def test_subtree_and_levels_2025(dak_lak):
    province = dak_lak.province
    assert province.subtree().count() == Unit.objects.count()
    assert not Unit.objects.filter(kind=UnitKind.DISTRICT).exists()
    tu_phap = dak_lak.departments["tu_phap"]
    tu_phap_data = next(dept for dept in DEPARTMENTS_2025 if dept.key == "tu_phap")
    assert tu_phap.subtree().count() == 1 + len(tu_phap_data.offices)
    assert tu_phap.level == GovLevel.PROVINCE and tu_phap.depth == 1
    ward = dak_lak.commune_named("Phường Buôn Ma Thuột")
    centre = dak_lak.commune_centres[ward.pk]
    assert set(ward.subtree()) == {ward, centre}
    assert list(centre.ancestors()) == [province, ward, centre]
    assert ward.parent == province and ward.level == GovLevel.COMMUNE
    assert centre.depth == 2


def test_province_2020_shape_with_districts_beside_2025(dak_lak):
    root = load_province_2020(province="H99")
    districts = Unit.objects.filter(parent=root, kind=UnitKind.DISTRICT)
    assert districts.count() == 3
    buon_ma_thuot = districts.get(name="Thành phố Buôn Ma Thuột")
    assert buon_ma_thuot.code == "000.00.50.H99"
    assert buon_ma_thuot.level == GovLevel.DISTRICT
    communes = buon_ma_thuot.subtree().filter(kind=UnitKind.COMMUNE)
    assert communes.count() == 4
    commune = communes.get(name="Phường Tân Lợi")
    assert commune.level == GovLevel.COMMUNE and commune.depth == 2
    assert list(commune.ancestors()) == [root, buon_ma_thuot, commune]
    assert buon_ma_thuot.subtree().filter(kind=UnitKind.CENTRE).count() == 1
    # Two provinces side by side: subtrees do not mix, codes stay unique and valid.
    assert root.subtree().filter(code__endswith=".H16").count() == 0
    assert dak_lak.province.subtree().filter(code__endswith=".H99").count() == 0
    codes = [unit.code for unit in root.subtree()]
    assert len(codes) == len(set(codes))
    assert all(AGENCY_CODE_RE.match(code) for code in codes)


def test_membership_grant_is_idempotent_and_reactivates(dak_lak, django_user_model):
    user = django_user_model.objects.create_user(username="canbo", password="x")
    unit = dak_lak.departments["tu_phap"]
    first = membership_grant(user=user, unit=unit, role=Role.SPECIALIST, title="Chuyên viên")
    Membership.objects.filter(pk=first.pk).update(is_active=False)
    again = membership_grant(user=user, unit=unit, role=Role.SPECIALIST, title="Chuyên viên chính")
    assert again.pk == first.pk
    again.refresh_from_db()
    assert again.is_active and again.title == "Chuyên viên chính"
    assert Membership.objects.filter(user=user).count() == 1
    with pytest.raises(ValueError):
        membership_grant(user=user, unit=unit, role="janitor")
