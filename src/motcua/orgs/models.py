"""The organisation tree (province → departments/districts → communes, centres, offices) and staff."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import GovLevel, Role, UnitKind

# V1V2V3.Z1Z2.Y1Y2.MX1X2 (docs/DOMAIN.md §3), e.g. 000.00.21.H16.
AGENCY_CODE_RE = re.compile(r"^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Z][0-9A-Z]{2}$")


def validate_agency_code(value: str) -> None:
    if not AGENCY_CODE_RE.match(value):
        raise ValidationError(
            _("Mã định danh cơ quan phải có dạng V1V2V3.Z1Z2.Y1Y2.MX1X2, ví dụ 000.00.21.H16."),
            code="agency_code",
        )


class Unit(models.Model):
    """A node of the tree. `path` is a materialised path of ids ("/1/7/42/") for subtree queries."""

    code = models.CharField(
        _("mã định danh"), max_length=32, unique=True, validators=[validate_agency_code]
    )
    name = models.CharField(_("tên đơn vị"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=100, blank=True)
    kind = models.CharField(_("loại đơn vị"), max_length=16, choices=UnitKind.choices)
    level = models.CharField(_("cấp chính quyền"), max_length=16, choices=GovLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    depth = models.PositiveSmallIntegerField(editable=False, default=0)
    admin_code = models.CharField(
        _("mã đơn vị hành chính"),
        max_length=16,
        blank=True,
        help_text=_("Mã tỉnh/xã theo danh mục đơn vị hành chính."),
    )
    address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    receives_saturday = models.BooleanField(_("tiếp nhận sáng thứ Bảy"), default=False)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    is_demo = models.BooleanField(_("dữ liệu minh hoạ"), default=False)

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        # The path is derived data of the tree itself, kept with the row it describes.
        super().save(*args, **kwargs)
        parent_path = self.parent.path if self.parent_id else "/"
        path = f"{parent_path}{self.pk}/"
        if path != self.path:
            old_path = self.path
            self.path = path
            self.depth = path.count("/") - 2
            Unit.objects.filter(pk=self.pk).update(path=self.path, depth=self.depth)
            if old_path:
                for child in Unit.objects.filter(path__startswith=old_path).exclude(pk=self.pk):
                    child.path = path + child.path[len(old_path) :]
                    child.depth = child.path.count("/") - 2
                    Unit.objects.filter(pk=child.pk).update(path=child.path, depth=child.depth)

    def clean(self) -> None:
        if self.parent_id and self.pk and self.parent.path.startswith(self.path or "\0"):
            raise ValidationError(
                {"parent": _("Đơn vị cấp trên không thể là chính nó hoặc đơn vị con của nó.")}
            )

    def subtree(self) -> models.QuerySet[Unit]:
        return Unit.objects.filter(path__startswith=self.path)

    def ancestor_ids(self) -> list[int]:
        """The ids on the unit's path, from the root down to itself (no query)."""
        return [int(part) for part in self.path.strip("/").split("/") if part]

    def ancestors(self) -> models.QuerySet[Unit]:
        return Unit.objects.filter(pk__in=self.ancestor_ids()).order_by("depth")


class Membership(models.Model):
    """A staff member's role in a unit; it covers the unit and every unit below it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    title = models.CharField(_("chức danh"), max_length=120, blank=True)
    is_active = models.BooleanField(_("đang hiệu lực"), default=True)

    class Meta:
        verbose_name = _("phân quyền cán bộ")
        verbose_name_plural = _("phân quyền cán bộ")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit}"
