"""The procedure catalogue: fields, procedures, fees, required documents, process templates."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.orgs.constants import GovLevel, Role

from .constants import (
    FeeStage,
    OnlineLevel,
    OnlineMode,
    SupplementPolicy,
    TimeUnit,
    mode_for_level,
)


class Field(models.Model):
    """Lĩnh vực: the field a procedure belongs to."""

    code = models.CharField(_("mã lĩnh vực"), max_length=32, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=255)
    is_demo = models.BooleanField(_("dữ liệu minh hoạ"), default=False)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Procedure(models.Model):
    code = models.CharField(
        _("mã thủ tục"),
        max_length=40,
        unique=True,
        help_text=_("Mã trên Cơ sở dữ liệu quốc gia, ví dụ 1.001193."),
    )
    name = models.CharField(_("tên thủ tục"), max_length=500)
    # Lower-case, without diacritics, đ→d: what search compares against (docs/ARCHITECTURE.md §5).
    search_text = models.TextField(editable=False, default="")
    field = models.ForeignKey(
        Field, verbose_name=_("lĩnh vực"), on_delete=models.PROTECT, related_name="procedures"
    )
    gov_level = models.CharField(_("cấp thực hiện"), max_length=16, choices=GovLevel.choices)
    performing_units = models.ManyToManyField(
        "orgs.Unit", verbose_name=_("cơ quan thực hiện"), related_name="procedures", blank=True
    )
    online_level = models.PositiveSmallIntegerField(
        _("mức độ dịch vụ công trực tuyến"),
        choices=OnlineLevel.choices,
        default=OnlineLevel.LEVEL_2,
    )
    full_online_eligible = models.BooleanField(
        _("đủ điều kiện trực tuyến toàn trình"), default=False
    )
    processing_time = models.PositiveIntegerField(_("thời hạn giải quyết"), default=0)
    time_unit = models.CharField(
        _("đơn vị thời hạn"), max_length=16, choices=TimeUnit.choices, default=TimeUnit.WORKING_DAYS
    )
    supplement_policy = models.CharField(
        _("cách tính thời hạn khi bổ sung"),
        max_length=8,
        choices=SupplementPolicy.choices,
        default=SupplementPolicy.RESTART,
    )
    steps = models.TextField(_("trình tự thực hiện"), blank=True)
    methods = models.TextField(_("cách thức thực hiện"), blank=True)
    applicants = models.TextField(_("đối tượng thực hiện"), blank=True)
    requirements = models.TextField(_("yêu cầu, điều kiện"), blank=True)
    result = models.TextField(_("kết quả thực hiện"), blank=True)
    legal_basis = models.TextField(_("căn cứ pháp lý"), blank=True)
    publishing_decision = models.CharField(_("quyết định công bố"), max_length=255, blank=True)
    fee_stage = models.CharField(
        _("thời điểm nộp phí, lệ phí"),
        max_length=12,
        choices=FeeStage.choices,
        default=FeeStage.ACCEPTANCE,
        help_text=_("Khi nộp hồ sơ: hồ sơ chỉ đến bộ phận một cửa sau khi đã nộp phí."),
    )
    accepts_postal_pickup = models.BooleanField(_("nhận hồ sơ qua bưu chính"), default=False)
    accepts_postal_return = models.BooleanField(_("trả kết quả qua bưu chính"), default=False)
    handled_in_specialised_software = models.BooleanField(
        _("xử lý trên phần mềm chuyên ngành"), default=False
    )
    specialised_software_integrated = models.BooleanField(
        _("đã tích hợp phần mềm chuyên ngành"), default=False
    )
    form_schema = models.JSONField(_("biểu mẫu điện tử (JSON Schema)"), default=dict, blank=True)
    published = models.BooleanField(_("đã công khai"), default=True, db_index=True)
    is_demo = models.BooleanField(
        _("dữ liệu minh hoạ"),
        default=False,
        help_text=_("Có giá trị minh hoạ, không phải số liệu chính thức."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["code"]
        indexes = [models.Index(fields=["published", "online_level"])]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"

    def save(self, *args, **kwargs) -> None:
        from motcua.catalog.search import normalise

        self.search_text = normalise(f"{self.code} {self.name}")
        super().save(*args, **kwargs)

    @property
    def mode(self) -> str:
        return mode_for_level(self.online_level)

    @property
    def mode_label(self) -> str:
        return OnlineMode(self.mode).label

    @property
    def accepts_online(self) -> bool:
        return self.online_level >= OnlineLevel.LEVEL_3


class Fee(models.Model):
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="fees")
    name = models.CharField(_("tên phí, lệ phí"), max_length=255)
    amount = models.PositiveBigIntegerField(_("mức thu (đồng)"))
    online_amount = models.PositiveBigIntegerField(
        _("mức thu khi nộp trực tuyến (đồng)"),
        null=True,
        blank=True,
        help_text=_("Để trống nếu như mức thu thông thường."),
    )
    exemptions = models.TextField(_("đối tượng miễn, giảm"), blank=True)

    class Meta:
        verbose_name = _("phí, lệ phí")
        verbose_name_plural = _("phí, lệ phí")

    def __str__(self) -> str:
        return f"{self.name}: {self.amount:,} đ".replace(",", ".")


class RequiredDocument(models.Model):
    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="required_documents"
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    name = models.CharField(_("tên giấy tờ"), max_length=500)
    originals = models.PositiveSmallIntegerField(_("số bản chính"), default=0)
    copies = models.PositiveSmallIntegerField(_("số bản sao"), default=0)
    mandatory = models.BooleanField(_("bắt buộc"), default=True)
    blank_form = models.FileField(_("mẫu đơn, tờ khai"), upload_to="catalog/forms/", blank=True)

    class Meta:
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")
        ordering = ["procedure", "order", "id"]

    def __str__(self) -> str:
        return self.name


class ProcessStep(models.Model):
    """One step of the procedure's internal process template (quy trình nội bộ)."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="process_steps")
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    name = models.CharField(_("tên bước"), max_length=255)
    role = models.CharField(_("vai trò thực hiện"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("đơn vị thực hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Để trống: đơn vị tiếp nhận hồ sơ."),
    )
    allotted_hours = models.DecimalField(
        _("thời gian (giờ làm việc)"),
        max_digits=6,
        decimal_places=1,
        validators=[MinValueValidator(0)],
    )

    class Meta:
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("quy trình xử lý nội bộ")
        ordering = ["procedure", "order"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "order"], name="process_step_order"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"
