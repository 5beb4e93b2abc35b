"""What a message says about a dossier: the values of its template's placeholders
(templating.VARIABLES), and who it goes to.

Dates are written as people read them on paper ("14:30 ngày 15/07/2025", local time); links are
absolute (the message is read outside the site).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.dossiers.constants import ResultDelivery
from motcua.orgs.models import Membership
from motcua.public_url import public_base_url

from .services import Recipient


def moment_text(moment: dt.datetime | None) -> str:
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    return _("%(time)s ngày %(date)s") % {
        "time": local.strftime("%H:%M"),
        "date": local.strftime("%d/%m/%Y"),
    }


def dossier_link(dossier: Any, *, for_officer: bool = False) -> str:
    """The dossier's page: the back office's for an officer, the applicant's own list when the
    dossier belongs to an account, else the public lookup (which asks for a second factor)."""
    if for_officer:
        path = reverse("backoffice:dossier", args=[dossier.code])
    elif dossier.owner_id:
        path = reverse("portal:my_dossier", args=[dossier.code])
    else:
        path = reverse("portal:lookup") + f"?code={dossier.code}"
    return public_base_url() + path


def dossier_values(dossier: Any, *, for_officer: bool = False) -> dict[str, str]:
    """The placeholders every dossier event has (templating._DOSSIER)."""
    return {
        "ma_ho_so": dossier.code or "",
        "ten_thu_tuc": dossier.procedure.name,
        "nguoi_nop": dossier.applicant_organisation or dossier.applicant_name,
        "co_quan": dossier.receiving_unit.name,
        "trang_thai": str(dossier.get_status_display()),
        "duong_dan": dossier_link(dossier, for_officer=for_officer) if dossier.code else "",
    }


def collection_text(dossier: Any) -> str:
    """How the applicant gets the result (cách nhận kết quả)."""
    if dossier.result_delivery == ResultDelivery.POSTAL:
        return _("Qua dịch vụ bưu chính công ích, gửi đến: %(address)s") % {
            "address": dossier.delivery_address or dossier.applicant_address
        }
    if dossier.result_delivery == ResultDelivery.ONLINE:
        return _("Tải bản điện tử của kết quả trên Cổng dịch vụ công (mục Hồ sơ của tôi)")
    return _("Nhận trực tiếp tại bộ phận một cửa của %(unit)s, mang theo giấy tiếp nhận") % {
        "unit": dossier.receiving_unit.name
    }


def applicant_of(dossier: Any) -> Recipient:
    """The applicant, at the addresses given on the dossier (the account's own if none)."""
    owner = dossier.owner if dossier.owner_id else None
    return Recipient(
        name=dossier.applicant_name,
        user=owner,
        email=dossier.applicant_email or (owner.email if owner else ""),
        phone=dossier.applicant_phone or (owner.phone if owner else ""),
    )


def staff_recipient(user: Any) -> Recipient:
    return Recipient(name=user.full_name or user.get_username(), user=user, email=user.email)


def members_of(*, unit_id: int, roles: set[str] | frozenset[str]) -> list[Any]:
    """The active staff holding one of `roles` at the unit itself."""
    rows = (
        Membership.objects.filter(
            unit_id=unit_id, role__in=sorted(roles), is_active=True, user__is_active=True
        )
        .select_related("user")
        .order_by("user_id")
    )
    return list({m.user_id: m.user for m in rows}.values())
