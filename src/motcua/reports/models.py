"""Report submissions (frozen snapshots with who/when) and the reminders sent about them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .constants import SubmissionStatus
from .periods import Period, period_of_bounds


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
    # The bounds of the period the report was made for (half-open, local midnights): a report
    # keeps them when the definition of the reporting month changes (periods.period_of_bounds).
    start = models.DateTimeField(_("từ"))
    end = models.DateTimeField(_("đến (không kể)"))
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
                fields=["unit", "period", "start"], name="report_submission_unit_period"
            ),
        ]
        indexes = [models.Index(fields=["period", "status"], name="report_submission_period")]

    def __str__(self) -> str:
        return f"{self.unit} · {self.period}"

    @property
    def is_submitted(self) -> bool:
        return self.status == SubmissionStatus.SUBMITTED

    @property
    def reporting_period(self) -> Period:
        """The period this report was made for, with its own bounds."""
        return period_of_bounds(self.period, self.start)


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


class KeptFigures(models.Model):
    """Counts kept for an interval [start, end): every aggregate per (receiving unit, procedure)."""

    start = models.DateTimeField(_("từ"))
    end = models.DateTimeField(_("đến (không kể)"))
    aggregates = models.JSONField(_("các chỉ tiêu"), default=list)
    # (unit id, procedure id, one count per aggregate) per line, as packed 32-bit integers: a
    # year of a province is read and summed in milliseconds (JSON took ~50 ms a month).
    data = models.BinaryField(_("số liệu theo đơn vị và thủ tục"), default=bytes)
    lines = models.PositiveIntegerField(_("số dòng (đơn vị × thủ tục)"), default=0)
    digest = models.CharField(_("mã băm số liệu"), max_length=64)
    closed_at = models.DateTimeField(_("chốt lúc"))
    seconds = models.FloatField(_("thời gian tính (giây)"), default=0)

    class Meta:
        abstract = True


class MonthFigures(KeptFigures):
    """The figures of one reporting month for the whole province, frozen once the month is due.

    A month is frozen (chốt số liệu) from its reports' deadline on (the 22nd of the following
    month): by then every agency has reported, and a later change to its dossiers is a correction,
    not news. `data` holds the counts of every aggregate per (receiving unit, procedure) — what
    the raw aggregate of `counts` returns for the month — so that any agency's, field's or
    procedure's report, and any quarter or year made of frozen months, is read from here instead of
    scanning the dossiers. A recomputation that differs is recorded in `mismatch` and shown.
    """

    # A period with its bounds: figures frozen under another definition of the reporting month
    # (another cut-off day) keep their row and bounds; reports read the row of today's bounds.
    period = models.CharField(_("kỳ"), max_length=8)
    # 1: a month counted from the dossiers; 3 or 12: a quarter or a year summed from its frozen
    # months (kept so that a year is one row to read; `digest` is then that of its months).
    months = models.PositiveSmallIntegerField(_("số tháng"), default=1)
    dossier_total = models.PositiveIntegerField(_("số hồ sơ được tính"), default=0)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người chốt"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    checked_at = models.DateTimeField(_("đối chiếu lần cuối"), null=True, blank=True)
    mismatch = models.JSONField(
        _("chênh lệch khi tính lại"),
        default=dict,
        blank=True,
        help_text=_("Các số liệu khác với bản đã chốt khi tính lại (dữ liệu đã được điều chỉnh)."),
    )

    class Meta:
        verbose_name = _("số liệu tháng đã chốt")
        verbose_name_plural = _("số liệu tháng đã chốt")
        ordering = ["-period", "-start"]
        constraints = [
            models.UniqueConstraint(fields=["period", "start"], name="month_figures_period_start"),
        ]

    def __str__(self) -> str:
        return self.period

    @property
    def corrected(self) -> bool:
        return bool(self.mismatch)


class DayFigures(KeptFigures):
    """The figures of the complete local days of a month whose reports are not due yet (month
    to date), for the whole province (frozen.py): such a month is read as this row plus today,
    counted from the dossiers. One row per month, from its start (`start`) to the local midnight
    ending its last complete day (`end`), extended as days end. Same layout as
    `MonthFigures.data`; days are local days (Asia/Ho_Chi_Minh midnight to midnight)."""

    day = models.DateField(_("đến hết ngày"))
    days = models.PositiveSmallIntegerField(_("số ngày"), default=1)

    class Meta:
        verbose_name = _("số liệu các ngày đã qua của tháng")
        verbose_name_plural = _("số liệu các ngày đã qua của tháng")
        ordering = ["-start"]
        constraints = [
            models.UniqueConstraint(fields=["start"], name="day_figures_start"),
        ]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.start):%d/%m/%Y}–{self.day:%d/%m/%Y}"
