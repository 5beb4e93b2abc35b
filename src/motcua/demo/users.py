"""Demo accounts: staff of every role at sensible units, three citizens and one business."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.db import transaction

from motcua.accounts.models import User, UserKind
from motcua.catalog.search import normalise
from motcua.orgs.constants import Role
from motcua.orgs.demo import DemoUnits
from motcua.orgs.models import Unit
from motcua.orgs.services import membership_grant

DEMO_PASSWORD = "motcua-demo"  # noqa: S105 - documented demo password, printed by `demo`
EMAIL_DOMAIN = "demo.motcua.example"
DEMO_WARDS = ("Phường Buôn Ma Thuột", "Phường Tuy Hòa")


class DemoLogin(NamedTuple):
    """One printed login: (username, role, unit, password); role is the Vietnamese label."""

    username: str
    role: str
    unit: str
    password: str = DEMO_PASSWORD


def _role_label(role: str) -> str:
    if role in Role.values:
        return str(Role(role).label)
    return str(UserKind(role).label)


@dataclass(frozen=True)
class StaffData:
    username: str
    full_name: str
    role: str
    title: str


@dataclass(frozen=True)
class PublicData:
    username: str
    kind: str
    full_name: str
    phone: str
    citizen_id: str
    address: str
    tax_code: str = ""
    organisation_name: str = ""


# Citizen IDs: 066 (Đắk Lắk), then the century-and-sex digit (0/1 = male/female born in the
# 1900s, 2/3 in the 2000s), two digits of the birth year and six digits of sequence.
CITIZENS: tuple[PublicData, ...] = (
    PublicData("congdan1", UserKind.CITIZEN, "Nguyễn Văn Hùng", "0905123456", "066085004127",
               "Số 12 Lê Duẩn, phường Buôn Ma Thuột, tỉnh Đắk Lắk"),
    PublicData("congdan2", UserKind.CITIZEN, "Trần Thị Thu Hà", "0356789012", "066192008356",
               "Thôn 3, xã Ea Kar, tỉnh Đắk Lắk"),
    PublicData("congdan3", UserKind.CITIZEN, "H’Linh Niê", "0868345678", "066301002468",
               "Buôn Ako Dhông, phường Tân An, tỉnh Đắk Lắk"),
    PublicData("doanhnghiep1", UserKind.BUSINESS, "Lê Minh Tuấn", "0914567890", "066088006543",
               "Số 45 Nguyễn Tất Thành, phường Tân Lập, tỉnh Đắk Lắk", tax_code="6001234567",
               organisation_name="Công ty TNHH Cà phê Ea Tam (minh hoạ)"),
)  # fmt: skip

# Names for the staff, handed out in order.
STAFF_NAMES = (
    "Phạm Quốc Khánh", "Lê Thị Hồng Nhung", "Võ Đức Thắng", "Đặng Thị Mai Anh", "Hoàng Văn Long",
    "Ngô Thị Thanh Tâm", "Bùi Minh Quân", "Đỗ Thị Kim Oanh", "Y Bhin Niê", "H’Ngọc Êban",
    "Trương Công Danh", "Phan Thị Lan Hương", "Huỳnh Văn Tài", "Vũ Thị Ngọc Ánh", "Dương Văn Sơn",
    "Lý Thị Bích Thủy", "Nguyễn Hữu Phước", "Trịnh Thị Hoài Thu", "Mai Xuân Bình", "Tạ Thị Diễm",
    "Lâm Quang Vinh", "Cao Thị Mỹ Linh", "Đinh Văn Hải", "Hồ Thị Phương Thảo", "Kiều Văn Nam",
    "Y Thanh Mlô", "Châu Thị Ngọc Hân", "Lương Văn Toàn", "Quách Thị Yến", "Tô Minh Trí",
    "Ông Văn Lộc", "Chu Thị Hạnh", "La Văn Phúc", "Thái Thị Cẩm Tú", "Đoàn Văn Khoa",
    "H’Yến Mlô", "Nguyễn Thị Thu Trang", "Trần Đức Mạnh", "Lê Văn Quyết", "Phạm Thị Hằng",
)  # fmt: skip


def _slug(text: str) -> str:
    return "".join(ch for ch in normalise(text) if ch.isalnum())


def _staff_plan(units: DemoUnits) -> list[tuple[StaffData, Unit]]:
    names = iter(STAFF_NAMES)
    plan: list[tuple[StaffData, Unit]] = [
        (StaffData("quantri", next(names), Role.PROVINCE_ADMIN, "Quản trị hệ thống cấp tỉnh"), units.province),
        (StaffData("baocao", next(names), Role.REPORT_VIEWER, "Chuyên viên Văn phòng UBND tỉnh"), units.province),
        (StaffData("tiepnhan.ttpvhcc", next(names), Role.RECEPTION, "Công chức tiếp nhận"), units.centre),
        (StaffData("tiepnhan.stp", next(names), Role.RECEPTION, "Công chức tiếp nhận"), units.departments["tu_phap"]),
        (StaffData("quantri.stp", next(names), Role.AGENCY_ADMIN, "Quản trị Sở Tư pháp"), units.departments["tu_phap"]),
    ]  # fmt: skip
    for key, department in units.departments.items():
        slug = _slug(department.short_name or key)
        plan.append(
            (
                StaffData(f"chuyenvien.{slug}", next(names), Role.SPECIALIST, "Chuyên viên"),
                department,
            )
        )
        plan.append(
            (
                StaffData(f"lanhdao.{slug}", next(names), Role.UNIT_LEADER, "Phó Giám đốc"),
                department,
            )
        )
    for ward_name in DEMO_WARDS:
        ward = units.commune_named(ward_name)
        slug = _slug(ward_name.removeprefix("Phường ").removeprefix("Xã "))
        plan += [
            (StaffData(f"tiepnhan.{slug}", next(names), Role.RECEPTION, "Công chức tiếp nhận"), ward),
            (StaffData(f"chuyenvien.{slug}", next(names), Role.SPECIALIST, "Công chức Tư pháp - Hộ tịch"), ward),
            (StaffData(f"lanhdao.{slug}", next(names), Role.UNIT_LEADER, "Phó Chủ tịch UBND"), ward),
        ]  # fmt: skip
    return plan


@transaction.atomic
def load_demo_users(*, units: DemoUnits) -> list[DemoLogin]:
    """Create (or refresh) the demo accounts; returns the logins to print."""
    password_hash = make_password(DEMO_PASSWORD)  # hashed once: the slow hasher runs once
    logins: list[DemoLogin] = []
    agency_admin_perms = list(
        Permission.objects.filter(content_type__app_label__in=["catalog", "orgs"]).exclude(
            codename__startswith="delete_unit"
        )
    )
    for staff, unit in _staff_plan(units):
        is_province_admin = staff.role == Role.PROVINCE_ADMIN
        user, _ = User.objects.update_or_create(
            username=staff.username,
            defaults={
                "kind": UserKind.STAFF,
                "full_name": staff.full_name,
                "email": f"{staff.username}@{EMAIL_DOMAIN}",
                "password": password_hash,
                "is_staff": is_province_admin or staff.role == Role.AGENCY_ADMIN,
                "is_superuser": is_province_admin,
                "is_active": True,
            },
        )
        if staff.role == Role.AGENCY_ADMIN:
            user.user_permissions.set(agency_admin_perms)
        membership_grant(user=user, unit=unit, role=staff.role, title=staff.title)
        logins.append(DemoLogin(staff.username, _role_label(staff.role), unit.name))
    for person in CITIZENS:
        User.objects.update_or_create(
            username=person.username,
            defaults={
                "kind": person.kind,
                "full_name": person.full_name,
                "phone": person.phone,
                "citizen_id": person.citizen_id,
                "address": person.address,
                "tax_code": person.tax_code,
                "organisation_name": person.organisation_name,
                "email": f"{person.username}@{EMAIL_DOMAIN}",
                "password": password_hash,
                "is_active": True,
            },
        )
        logins.append(
            DemoLogin(
                person.username,
                _role_label(person.kind),
                person.organisation_name or person.full_name,
            )
        )
    return logins


def demo_logins() -> list[DemoLogin]:
    """The demo logins as they are in the database (for `run` to print after start-up)."""
    logins: list[DemoLogin] = []
    memberships = (
        User.objects.filter(kind=UserKind.STAFF, email__endswith=f"@{EMAIL_DOMAIN}")
        .prefetch_related("memberships__unit")
        .order_by("id")
    )
    for user in memberships:
        for membership in user.memberships.all():
            logins.append(
                DemoLogin(user.username, _role_label(membership.role), membership.unit.name)
            )
    public = User.objects.filter(
        kind__in=[UserKind.CITIZEN, UserKind.BUSINESS], email__endswith=f"@{EMAIL_DOMAIN}"
    ).order_by("id")
    for user in public:
        logins.append(DemoLogin(user.username, _role_label(user.kind), user.display_name))
    return logins
