"""Kinds of units, government levels and staff roles."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    PROVINCE = "province", _("Tỉnh, thành phố trực thuộc trung ương")
    DEPARTMENT = "department", _("Sở, ban, ngành")
    DISTRICT = "district", _("Huyện, thị xã, thành phố thuộc tỉnh")
    COMMUNE = "commune", _("Xã, phường, thị trấn, đặc khu")
    CENTRE = "centre", _("Trung tâm phục vụ hành chính công, bộ phận một cửa")
    OFFICE = "office", _("Phòng, đơn vị chuyên môn")


class GovLevel(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện")
    COMMUNE = "commune", _("Cấp xã")


class Role(models.TextChoices):
    RECEPTION = "reception", _("Cán bộ tiếp nhận và trả kết quả")
    SPECIALIST = "specialist", _("Chuyên viên xử lý")
    UNIT_LEADER = "unit_leader", _("Lãnh đạo đơn vị")
    AGENCY_ADMIN = "agency_admin", _("Quản trị cơ quan")
    PROVINCE_ADMIN = "province_admin", _("Quản trị cấp tỉnh")
    REPORT_VIEWER = "report_viewer", _("Xem báo cáo")


# Roles that act on dossiers (the rest only configure or read reports).
OFFICER_ROLES = frozenset({Role.RECEPTION, Role.SPECIALIST, Role.UNIT_LEADER})
