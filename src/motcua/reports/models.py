"""Report submissions (frozen snapshots with who/when) and the reminders sent about them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import SubmissionStatus


class ReportSubmission(models.Model):
    """An agency's report for one period: generated, reviewed, then submitted (frozen).

    `data` is the report and its indicators exactly as they were generated (the JSON of the API);
    `digest` is a SHA-256 of it. A later recomputation that differs is recorded in
    `mismatch` (the data were corrected after the fact) and shown to the province.
    """

    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("cơ quan"),
        on_delete=models.PROTECT,
        related_name="report_submissions",
    )
    period = models.CharField(_("kỳ báo cáo"), max_length=8)
    status = models.CharField(
        _("trạng thái"),
        max_length=10,
        choices=SubmissionStatus.choices,
        default=SubmissionStatus.DRAFT,
    )
    data = models.JSONField(_("số liệu"), default=dict)
    digest = models.CharField(_("mã băm số liệu"), max_length=64)
    generated_at = models.DateTimeField(_("lập lúc"))
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người lập"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người gửi"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("ghi chú"), blank=True)
    checked_at = models.DateTimeField(_("đối chiếu lần cuối"), null=True, blank=True)
    mismatch = models.JSONField(
        _("chênh lệch khi tính lại"),
        default=dict,
        blank=True,
        help_text=_("Các số liệu khác với bản đã gửi khi tính lại (dữ liệu đã được điều chỉnh)."),
    )

    class Meta:
        verbose_name = _("báo cáo đã lập")
        verbose_name_plural = _("báo cáo đã lập")
        ordering = ["-period", "unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "period"], name="report_submission_unit_period"
            ),
        ]
        indexes = [models.Index(fields=["period", "status"], name="report_submission_period")]

    def __str__(self) -> str:
        return f"{self.unit} · {self.period}"

    @property
    def is_submitted(self) -> bool:
        return self.status == SubmissionStatus.SUBMITTED


class ReportReminder(models.Model):
    """A reminder sent to an agency that has not submitted its report for a period."""

    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("cơ quan"), on_delete=models.CASCADE, related_name="+"
    )
    period = models.CharField(_("kỳ báo cáo"), max_length=8)
    sent_at = models.DateTimeField(_("gửi lúc"))
    recipients = models.JSONField(_("người nhận"), default=list)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người gửi"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("nhắc nộp báo cáo")
        verbose_name_plural = _("nhắc nộp báo cáo")
        ordering = ["-sent_at"]
        indexes = [models.Index(fields=["period", "unit"], name="report_reminder_period")]

    def __str__(self) -> str:
        return f"{self.unit} · {self.period} · {self.sent_at:%d/%m/%Y}"
