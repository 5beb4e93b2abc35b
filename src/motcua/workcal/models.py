"""What administrators keep: extra days off and working days, and office hours per unit."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.workcal.constants import OverrideKind, OverrideScope
from motcua.workcal.engine import parse_sessions
from motcua.workcal.exceptions import InvalidOfficeHours


class CalendarOverride(models.Model):
    """One day whose status differs from (or confirms) the VN calendar of the `holidays` package.

    An override wins over the package; among overrides of the same day the most specific scope
    wins (unit below its parent unit, any unit over the province, the province over national).
    """

    date = models.DateField(_("ngày"))
    kind = models.CharField(_("loại ngày"), max_length=16, choices=OverrideKind.choices)
    scope = models.CharField(
        _("phạm vi áp dụng"),
        max_length=16,
        choices=OverrideScope.choices,
        default=OverrideScope.NATIONAL,
    )
    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="calendar_overrides",
        help_text=_("Chỉ khi phạm vi là đơn vị; áp dụng cho đơn vị và các đơn vị trực thuộc."),
    )
    title = models.CharField(
        _("nội dung"), max_length=255, blank=True, help_text=_("Ví dụ: Nghỉ bù Tết Nguyên đán.")
    )
    source_document = models.CharField(
        _("văn bản căn cứ"),
        max_length=255,
        blank=True,
        help_text=_("Số, ký hiệu và ngày của văn bản, ví dụ: Thông báo 6150/TB-BLĐTBXH."),
    )
    note = models.TextField(_("ghi chú"), blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("ngày nghỉ/làm bù")
        verbose_name_plural = _("lịch nghỉ và làm bù")
        ordering = ["-date", "scope"]
        indexes = [models.Index(fields=["scope", "date"], name="workcal_override_scope_date")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(scope=OverrideScope.UNIT) & Q(unit__isnull=False))
                | (~Q(scope=OverrideScope.UNIT) & Q(unit__isnull=True)),
                name="workcal_override_unit_iff_unit_scope",
            ),
            models.UniqueConstraint(
                fields=["date", "scope"],
                condition=Q(unit__isnull=True),
                name="workcal_override_unique_general",
            ),
            models.UniqueConstraint(
                fields=["date", "unit"],
                condition=Q(unit__isnull=False),
                name="workcal_override_unique_unit",
            ),
        ]

    def __str__(self) -> str:
        where = self.unit.name if self.unit_id else self.get_scope_display()
        return f"{self.date:%d/%m/%Y} · {self.get_kind_display()} · {where}"

    def clean(self) -> None:
        if self.scope == OverrideScope.UNIT and not self.unit_id:
            raise ValidationError({"unit": _("Phạm vi đơn vị cần chọn đơn vị.")})
        if self.scope != OverrideScope.UNIT and self.unit_id:
            raise ValidationError({"unit": _("Chỉ chọn đơn vị khi phạm vi là đơn vị.")})


def split_sessions(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


def validate_sessions(value: str) -> None:
    try:
        parse_sessions(split_sessions(value))
    except InvalidOfficeHours as error:
        raise ValidationError(error.message, code=error.code) from error


class OfficeHours(models.Model):
    """The office sessions of a unit and of the units below it (unless they have their own)."""

    unit = models.OneToOneField(
        "orgs.Unit",
        verbose_name=_("đơn vị"),
        on_delete=models.CASCADE,
        related_name="office_hours",
    )
    sessions = models.CharField(
        _("các buổi làm việc"),
        max_length=100,
        validators=[validate_sessions],
        help_text=_(
            "Các buổi cách nhau bởi dấu phẩy, ví dụ: 07:00-11:00, 13:00-17:00 (8 giờ: 1 giờ theo "
            "thời hạn là 1 giờ đồng hồ; tổng khác 8 giờ thì thời hạn được quy đổi theo tỷ lệ)."
        ),
    )
    source_document = models.CharField(_("văn bản căn cứ"), max_length=255, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("giờ làm việc của đơn vị")
        verbose_name_plural = _("giờ làm việc của đơn vị")

    def __str__(self) -> str:
        return f"{self.unit} · {self.sessions}"
