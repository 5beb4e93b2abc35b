"""The dossier aggregate: dossiers, their hash-chained events, steps, attachments, supplements, apologies."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.orgs.constants import Role
from motcua.workcal import Timing

from .constants import (
    ApplicantKind,
    AttachmentKind,
    Channel,
    DossierStatus,
    ResultDelivery,
    Satisfaction,
)

# A dossier at a step of a unit other than the one that received it (handed over). The queues
# repeat this condition word for word, so that PostgreSQL proves the partial index applies.
AWAY_FROM_RECEIVING_UNIT = models.Q(code__isnull=False, current_unit__isnull=False) & ~models.Q(
    current_unit=models.F("receiving_unit")
)


class Dossier(models.Model):
    """A dossier (hồ sơ TTHC). Its state changes only through `dossiers.services`."""

    # Stable identity from the first moment (drafts have no code yet); the audit chain uses it.
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(
        _("mã hồ sơ"),
        max_length=48,
        unique=True,
        null=True,
        blank=True,
        help_text=_("<mã cơ quan tiếp nhận>-YYMMDD-XXXX; cấp khi nộp hoặc khi tiếp nhận."),
    )
    external_code = models.CharField(
        _("mã hồ sơ trên Cổng dịch vụ công quốc gia"), max_length=64, blank=True, db_index=True
    )
    procedure = models.ForeignKey(
        "catalog.Procedure",
        verbose_name=_("thủ tục"),
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    receiving_unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("cơ quan tiếp nhận"),
        on_delete=models.PROTECT,
        related_name="received_dossiers",
    )
    channel = models.CharField(_("kênh tiếp nhận"), max_length=8, choices=Channel.choices)
    status = models.CharField(
        _("trạng thái"),
        max_length=24,
        choices=DossierStatus.choices,
        default=DossierStatus.DRAFT,
    )
    # Optimistic locking: every change bumps it; equals the number of events of the dossier.
    version = models.PositiveIntegerField(_("phiên bản"), default=0)

    applicant_kind = models.CharField(
        _("loại người nộp"),
        max_length=10,
        choices=ApplicantKind.choices,
        default=ApplicantKind.PERSON,
    )
    applicant_name = models.CharField(_("họ tên người nộp"), max_length=200)
    applicant_citizen_id = models.CharField(
        _("số định danh cá nhân"), max_length=12, blank=True, db_index=True
    )
    applicant_phone = models.CharField(_("số điện thoại"), max_length=15, blank=True)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    applicant_tax_code = models.CharField(_("mã số thuế"), max_length=14, blank=True)
    applicant_organisation = models.CharField(_("tên tổ chức"), max_length=255, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản chủ hồ sơ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dossiers",
    )
    form_data = models.JSONField(_("dữ liệu tờ khai"), default=dict, blank=True)
    result_delivery = models.CharField(
        _("hình thức nhận kết quả"),
        max_length=10,
        choices=ResultDelivery.choices,
        default=ResultDelivery.IN_PERSON,
    )
    delivery_address = models.CharField(
        _("địa chỉ nhận kết quả qua bưu chính"), max_length=500, blank=True
    )

    submitted_at = models.DateTimeField(_("thời điểm nộp"), null=True, blank=True)
    received_at = models.DateTimeField(
        _("thời điểm tiếp nhận (t0)"), null=True, blank=True, db_index=True
    )
    due_at = models.DateTimeField(_("hạn trả kết quả"), null=True, blank=True, db_index=True)
    original_due_at = models.DateTimeField(
        _("hạn trả kết quả theo quy định"), null=True, blank=True
    )
    apology_due_at = models.DateTimeField(_("ngày hẹn lại"), null=True, blank=True)
    apologised = models.BooleanField(_("đã xin lỗi, hẹn lại"), default=False)
    finished_at = models.DateTimeField(
        _("thời điểm kết thúc xử lý"), null=True, blank=True, db_index=True
    )
    returned_at = models.DateTimeField(_("thời điểm trả kết quả"), null=True, blank=True)
    timing = models.CharField(
        _("kết quả đúng hạn"), max_length=8, choices=Timing.choices, blank=True
    )

    supplement_count = models.PositiveSmallIntegerField(
        _("số lần yêu cầu bổ sung sau tiếp nhận"), default=0
    )
    supplement_requested_at = models.DateTimeField(
        _("thời điểm yêu cầu bổ sung"), null=True, blank=True
    )
    resume_status = models.CharField(
        _("trạng thái trở lại sau bổ sung"),
        max_length=24,
        choices=DossierStatus.choices,
        blank=True,
    )
    paused_hours = models.DecimalField(
        _("số giờ làm việc tạm dừng"), max_digits=8, decimal_places=2, default=Decimal(0)
    )

    current_step = models.ForeignKey(
        "DossierStep",
        verbose_name=_("bước xử lý hiện tại"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Always `current_step.unit` (None without a step), set with it by `set_current_step`: the
    # officers' queues find the dossiers at a unit's steps from the dossier's own row (partial
    # index `dossier_queue_away`), without reading the steps.
    current_unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("đơn vị đang xử lý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        editable=False,
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ đang xử lý"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_dossiers",
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ tiếp nhận"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    fee_total = models.PositiveBigIntegerField(_("tổng phí, lệ phí (đồng)"), default=0)
    paid_online = models.BooleanField(_("thanh toán trực tuyến"), default=False)
    # Written only by the payments app, in the transaction that records the invoice's payment:
    # the first time a fee of this dossier was paid online (the reports count by it), and
    # whether a fee that falls due now is still unpaid (the desk neither accepts the dossier nor
    # hands over the result until it is paid).
    paid_online_at = models.DateTimeField(
        _("thời điểm thanh toán trực tuyến"), null=True, blank=True, db_index=True
    )
    awaiting_payment = models.BooleanField(_("chờ nộp phí, lệ phí"), default=False)
    is_digitised = models.BooleanField(_("đã số hoá"), default=False)
    has_e_result = models.BooleanField(_("có kết quả điện tử"), default=False)

    # created_at is the business time (an imported/historical dossier keeps its own);
    # updated_at is when this row last changed here, for `updated_since` synchronisation.
    created_at = models.DateTimeField(_("thời điểm tạo"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True, db_index=True)
    # Code and applicant identifiers normalised for the officers' search (dossiers.search); set by
    # the services. On PostgreSQL a trigram GIN index (migration 0003) serves its LIKE '%…%'.
    search_text = models.TextField(_("chuỗi tìm kiếm"), blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["receiving_unit", "status"], name="dossier_unit_status"),
            models.Index(fields=["status", "due_at"], name="dossier_status_due"),
            models.Index(fields=["owner", "status"], name="dossier_owner_status"),
            models.Index(fields=["assignee", "status"], name="dossier_assignee_status"),
            # Reports (motcua.reports.selectors.population): dossiers open at a period's start
            # (finished after it, received before it) and results returned in a period.
            models.Index(fields=["finished_at", "received_at"], name="dossier_finished_received"),
            models.Index(fields=["returned_at"], name="dossier_returned"),
            # Officer queues (backoffice.selectors): one tab of my units in due order.
            models.Index(
                fields=["receiving_unit", "status", "due_at", "id"], name="dossier_unit_status_due"
            ),
            # The same for the tabs' open states only (partial, so as many entries as the work
            # in hand): their capped counts and first pages read the index alone.
            models.Index(
                fields=["receiving_unit", "status", "due_at", "id"],
                condition=models.Q(
                    code__isnull=False,
                    status__in=[
                        "submitted",
                        "received",
                        "processing",
                        "awaiting_supplement",
                        "result_ready",
                    ],
                ),
                name="dossier_queue_open",
            ),
            # The unassigned work in processing per unit ("my work" at a step of my role).
            models.Index(
                fields=["receiving_unit", "due_at", "id"],
                condition=models.Q(status="processing", assignee__isnull=True, code__isnull=False),
                name="dossier_queue_unassigned",
            ),
            # Dossiers at a step away from their receiving unit, per unit of that step: the
            # queues' "received elsewhere, at my step" half, as many as are handed over.
            models.Index(
                fields=["current_unit", "status", "due_at", "id"],
                condition=AWAY_FROM_RECEIVING_UNIT,
                include=["receiving_unit"],
                name="dossier_queue_away",
            ),
        ]

    def __str__(self) -> str:
        return self.code or _("Hồ sơ nháp #%(id)s") % {"id": self.pk}

    def set_current_step(self, step: DossierStep | None) -> None:
        """Move the dossier to `step` (None: no step), with the unit it is at."""
        self.current_step = step
        self.current_unit_id = step.unit_id if step is not None else None

    @property
    def is_final(self) -> bool:
        from .constants import FINAL_STATES

        return self.status in FINAL_STATES


class _AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):  # type: ignore[no-untyped-def]
        raise TypeError("DossierEvent is append-only: rows cannot be updated.")

    def delete(self):  # type: ignore[no-untyped-def]
        raise TypeError("DossierEvent is append-only: rows cannot be deleted.")


class DossierEvent(models.Model):
    """One link of a dossier's append-only, hash-chained audit log (dossiers.audit)."""

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("hồ sơ"), on_delete=models.PROTECT, related_name="events"
    )
    seq = models.PositiveIntegerField(_("số thứ tự"))
    action = models.CharField(_("thao tác"), max_length=24)
    from_status = models.CharField(
        _("từ trạng thái"), max_length=24, choices=DossierStatus.choices, blank=True
    )
    to_status = models.CharField(_("sang trạng thái"), max_length=24, choices=DossierStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(_("người thực hiện (tên)"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("thời điểm"))
    payload = models.JSONField(_("dữ liệu"), default=dict, blank=True)
    prev_hash = models.CharField(_("mã băm liền trước"), max_length=64)
    hash = models.CharField(_("mã băm"), max_length=64, unique=True)

    objects = _AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhật ký xử lý")
        verbose_name_plural = _("nhật ký xử lý")
        ordering = ["dossier", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "seq"], name="dossier_event_seq"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}#{self.seq} {self.action}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise TypeError("DossierEvent is append-only: rows cannot be updated.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise TypeError("DossierEvent is append-only: rows cannot be deleted.")


class DossierStep(models.Model):
    """An instance of a process step for one dossier (a row of the control sheet, form 05)."""

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("hồ sơ"), on_delete=models.CASCADE, related_name="steps"
    )
    template = models.ForeignKey(
        "catalog.ProcessStep",
        verbose_name=_("bước trong quy trình"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    name = models.CharField(_("tên bước"), max_length=255)
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("đơn vị xử lý"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ nhận"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ giao"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_at = models.DateTimeField(_("thời điểm nhận"))
    due_at = models.DateTimeField(_("hạn xử lý"), null=True, blank=True)
    finished_at = models.DateTimeField(_("thời điểm hoàn thành"), null=True, blank=True)
    timing = models.CharField(
        _("kết quả đúng hạn"), max_length=8, choices=Timing.choices, blank=True
    )
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("bước xử lý hồ sơ")
        verbose_name_plural = _("các bước xử lý hồ sơ")
        ordering = ["dossier", "order", "id"]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class Attachment(models.Model):
    dossier = models.ForeignKey(
        Dossier, verbose_name=_("hồ sơ"), on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField(_("loại tệp"), max_length=16, choices=AttachmentKind.choices)
    required_document = models.ForeignKey(
        "catalog.RequiredDocument",
        verbose_name=_("thành phần hồ sơ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    file = models.FileField(_("tệp"), upload_to="dossiers/%Y/%m/")
    original_name = models.CharField(_("tên tệp gốc"), max_length=255)
    size = models.PositiveBigIntegerField(_("kích thước (byte)"))
    content_type = models.CharField(_("kiểu nội dung"), max_length=120)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tải lên"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("thời điểm tải lên"), default=timezone.now)

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")
        ordering = ["dossier", "id"]

    def __str__(self) -> str:
        return self.original_name


class SupplementRequest(models.Model):
    dossier = models.ForeignKey(
        Dossier,
        verbose_name=_("hồ sơ"),
        on_delete=models.CASCADE,
        related_name="supplement_requests",
    )
    items = models.JSONField(_("nội dung cần bổ sung"), default=list)
    reason = models.TextField(_("lý do"))
    before_reception = models.BooleanField(_("trước khi tiếp nhận"), default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người yêu cầu"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("thời điểm yêu cầu"))
    fulfilled_at = models.DateTimeField(_("thời điểm bổ sung"), null=True, blank=True)

    class Meta:
        verbose_name = _("yêu cầu bổ sung")
        verbose_name_plural = _("yêu cầu bổ sung")
        ordering = ["dossier", "requested_at"]

    def __str__(self) -> str:
        return f"{self.dossier} · {self.requested_at:%d/%m/%Y}"


class Apology(models.Model):
    """Form 04: the one apology letter and new appointment of a dossier."""

    dossier = models.OneToOneField(
        Dossier, verbose_name=_("hồ sơ"), on_delete=models.CASCADE, related_name="apology"
    )
    reason = models.TextField(_("lý do"))
    original_due_at = models.DateTimeField(_("hạn trả kết quả ban đầu"))
    new_due_at = models.DateTimeField(_("ngày hẹn lại"))
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ký"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("thời điểm"))

    class Meta:
        verbose_name = _("văn bản xin lỗi")
        verbose_name_plural = _("văn bản xin lỗi")

    def __str__(self) -> str:
        return f"{self.dossier}"


class DossierCodeSequence(models.Model):
    """The last daily sequence number handed out per receiving unit and day (codes.py)."""

    unit = models.ForeignKey("orgs.Unit", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("số thứ tự hồ sơ trong ngày")
        verbose_name_plural = _("số thứ tự hồ sơ trong ngày")
        constraints = [
            models.UniqueConstraint(fields=["unit", "day"], name="dossier_code_sequence_day"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day}: {self.last}"


class DossierRating(models.Model):
    """The applicant's rating of the service for one returned dossier (docs/DOMAIN.md §8): once."""

    dossier = models.OneToOneField(
        Dossier, verbose_name=_("hồ sơ"), on_delete=models.CASCADE, related_name="rating"
    )
    overall = models.CharField(
        _("mức độ hài lòng chung"), max_length=16, choices=Satisfaction.choices
    )
    convenience = models.CharField(
        _("sự thuận tiện"), max_length=16, choices=Satisfaction.choices, blank=True
    )
    timeliness = models.CharField(
        _("thời gian giải quyết"), max_length=16, choices=Satisfaction.choices, blank=True
    )
    attitude = models.CharField(
        _("thái độ của cán bộ"), max_length=16, choices=Satisfaction.choices, blank=True
    )
    comment = models.TextField(_("góp ý"), blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đánh giá"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("thời điểm đánh giá"))

    class Meta:
        verbose_name = _("đánh giá mức độ hài lòng")
        verbose_name_plural = _("đánh giá mức độ hài lòng")
        indexes = [models.Index(fields=["overall", "created_at"], name="rating_overall_created")]

    def __str__(self) -> str:
        return f"{self.dossier} · {self.get_overall_display()}"
