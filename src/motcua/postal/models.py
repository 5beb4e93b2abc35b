"""Shipments (a dossier picked up or a result delivered by post), their status history, the
addresses a citizen gave, the agencies' postal accounts and postage, and the operator's callbacks.

Every amount is an integer number of đồng; nothing here is a float.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .addresses import address_text, validate_phone
from .constants import (
    ACTIVE_SHIPMENT_STATES,
    AddressPurpose,
    CallbackOutcome,
    EventSource,
    Provider,
    ShipmentKind,
    ShipmentStatus,
    WeightClass,
    Zone,
)


class PostalAccount(models.Model):
    """An agency's contract with a postal operator (chosen in the admin).

    The operator's API token never lives in the database: the account names the environment
    variable that holds it (the admin shows whether it is set, never its value).
    """

    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("cơ quan"),
        on_delete=models.PROTECT,
        related_name="postal_accounts",
    )
    provider = models.CharField(_("doanh nghiệp bưu chính"), max_length=8, choices=Provider.choices)
    is_active = models.BooleanField(_("đang sử dụng"), default=True)
    customer_code = models.CharField(_("mã khách hàng tại bưu điện"), max_length=32, blank=True)
    token_env = models.CharField(
        _("biến môi trường chứa mã truy cập API"),
        max_length=64,
        blank=True,
        help_text=_("Tên biến môi trường (không phải mã): mã truy cập không lưu trong CSDL."),
        validators=[
            RegexValidator(
                r"^MOTCUA_POSTAL_TOKEN[A-Z0-9_]*$",
                _("Tên biến phải bắt đầu bằng MOTCUA_POSTAL_TOKEN, ví dụ MOTCUA_POSTAL_TOKEN_STP."),
            )
        ],
    )
    api_url = models.URLField(
        _("địa chỉ API của bưu điện"),
        blank=True,
        help_text=_("Để trống: theo MOTCUA_POSTAL_VNPOST_URL."),
    )
    # The agency's side of every parcel (the sender of a result, the recipient of a dossier).
    contact_name = models.CharField(_("người liên hệ, bộ phận"), max_length=200, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=15, validators=[validate_phone])
    address = models.CharField(_("địa chỉ nhận, gửi bưu gửi"), max_length=500)
    is_demo = models.BooleanField(_("dữ liệu minh hoạ (không gửi thật)"), default=False)

    class Meta:
        verbose_name = _("tài khoản bưu chính")
        verbose_name_plural = _("tài khoản bưu chính")
        constraints = [
            models.UniqueConstraint(fields=["unit", "provider"], name="postal_account_once")
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_provider_display()}"

    @property
    def token(self) -> str:
        """The API token, read from the environment at the moment of use."""
        name = self.token_env
        if not name.startswith("MOTCUA_POSTAL_TOKEN"):
            return ""
        return os.environ.get(name, "")


class PostageRate(models.Model):
    """The postage a citizen pays for one parcel of an agency to or from a zone (a setting)."""

    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("cơ quan"),
        on_delete=models.CASCADE,
        related_name="postage_rates",
        help_text=_("Áp dụng cho cơ quan này và các đơn vị trực thuộc, trừ khi có mức riêng."),
    )
    zone = models.CharField(_("vùng"), max_length=8, choices=Zone.choices)
    amount = models.PositiveBigIntegerField(_("cước (đồng, một chiều)"))

    class Meta:
        verbose_name = _("cước bưu chính")
        verbose_name_plural = _("cước bưu chính")
        constraints = [models.UniqueConstraint(fields=["unit", "zone"], name="postage_once")]

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_zone_display()} · {self.amount:,} đ".replace(",", ".")


class AddressFields(models.Model):
    """A person's postal address: province and ward from the national list, street, phone."""

    name = models.CharField(_("họ và tên"), max_length=200)
    phone = models.CharField(_("số điện thoại"), max_length=15, validators=[validate_phone])
    province_code = models.CharField(_("tỉnh, thành phố"), max_length=3)
    ward_code = models.CharField(_("xã, phường, đặc khu"), max_length=6)
    street = models.CharField(_("số nhà, đường, thôn, tổ"), max_length=300)

    class Meta:
        abstract = True

    @property
    def full_address(self) -> str:
        return address_text(self.street, self.ward_code, self.province_code)


class DossierAddress(AddressFields):
    """Where the citizen wants the dossier picked up or the result delivered (one of each)."""

    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("hồ sơ"),
        on_delete=models.CASCADE,
        related_name="postal_addresses",
    )
    purpose = models.CharField(_("mục đích"), max_length=8, choices=AddressPurpose.choices)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("địa chỉ bưu chính của hồ sơ")
        verbose_name_plural = _("địa chỉ bưu chính của hồ sơ")
        constraints = [
            models.UniqueConstraint(fields=["dossier", "purpose"], name="dossier_address_once")
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.full_address}"


class Shipment(models.Model):
    """One parcel: a dossier from the applicant to the agency, or a result the other way.

    The applicant's side (`person_*`) is the sender of a pickup and the recipient of a delivery;
    the agency's side is its postal account's contact. Both are copied at creation, so a later
    change of the profile or the account does not change a parcel already on its way.
    """

    kind = models.CharField(_("loại bưu gửi"), max_length=8, choices=ShipmentKind.choices)
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("hồ sơ"),
        on_delete=models.PROTECT,
        related_name="shipments",
    )
    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("cơ quan"),
        on_delete=models.PROTECT,
        related_name="shipments",
    )
    account = models.ForeignKey(
        PostalAccount,
        verbose_name=_("tài khoản bưu chính"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="shipments",
    )
    provider = models.CharField(_("doanh nghiệp bưu chính"), max_length=8, choices=Provider.choices)
    status = models.CharField(
        _("trạng thái"),
        max_length=20,
        choices=ShipmentStatus.choices,
        default=ShipmentStatus.CREATED,
    )
    status_at = models.DateTimeField(_("thời điểm trạng thái"), default=timezone.now)
    tracking_number = models.CharField(_("số hiệu bưu gửi"), max_length=20, blank=True)
    order_id = models.CharField(_("mã đơn tại bưu điện"), max_length=40, blank=True)

    person_name = models.CharField(_("họ tên người nộp, người nhận"), max_length=200)
    person_phone = models.CharField(_("điện thoại"), max_length=15)
    person_province_code = models.CharField(_("tỉnh, thành phố"), max_length=3)
    person_ward_code = models.CharField(_("xã, phường, đặc khu"), max_length=6)
    person_street = models.CharField(_("số nhà, đường, thôn, tổ"), max_length=300)
    agency_name = models.CharField(_("cơ quan"), max_length=300)
    agency_phone = models.CharField(_("điện thoại cơ quan"), max_length=15)
    agency_address = models.CharField(_("địa chỉ cơ quan"), max_length=500)

    weight_class = models.CharField(
        _("khối lượng"), max_length=8, choices=WeightClass.choices, default=WeightClass.UP_TO_500G
    )
    zone = models.CharField(_("vùng"), max_length=8, choices=Zone.choices, default=Zone.INTRA)
    postage = models.PositiveBigIntegerField(_("cước (đồng)"), default=0)
    cod_amount = models.PositiveBigIntegerField(
        _("tiền thu hộ (đồng)"),
        default=0,
        help_text=_("Phí, lệ phí bưu tá thu của người nộp thay cơ quan."),
    )

    created_at = models.DateTimeField(_("thời điểm tạo"), default=timezone.now, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The parcel reached its recipient: the result signed for, the dossier handed to the desk.
    delivered_at = models.DateTimeField(
        _("thời điểm phát thành công"), null=True, blank=True, db_index=True
    )
    # A pickup's hand-over record at the desk (Decision 45/2016): the dossier's t0.
    handed_over_at = models.DateTimeField(_("thời điểm bàn giao"), null=True, blank=True)
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ nhận bàn giao"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    courier_name = models.CharField(_("nhân viên bưu chính"), max_length=200, blank=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("bưu gửi")
        verbose_name_plural = _("bưu gửi")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "tracking_number"],
                condition=~models.Q(tracking_number=""),
                name="shipment_tracking_unique",
            ),
            # One parcel under way per dossier and direction (a returned one may be sent again).
            models.UniqueConstraint(
                fields=["dossier", "kind"],
                condition=models.Q(status__in=sorted(ACTIVE_SHIPMENT_STATES)),
                name="shipment_active_once",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "status"], name="shipment_unit_status"),
            models.Index(fields=["tracking_number"], name="shipment_tracking"),
            # The reports' pickups: handed over before a period's end.
            models.Index(
                fields=["handed_over_at"],
                condition=models.Q(handed_over_at__isnull=False),
                name="shipment_handed_over",
            ),
        ]

    def __str__(self) -> str:
        return self.tracking_number or f"#{self.pk}"

    @property
    def person_address(self) -> str:
        return address_text(self.person_street, self.person_ward_code, self.person_province_code)

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_SHIPMENT_STATES


class ShipmentEvent(models.Model):
    """One status of a shipment's history (each status at most once: operators never go back)."""

    shipment = models.ForeignKey(
        Shipment, verbose_name=_("bưu gửi"), on_delete=models.CASCADE, related_name="events"
    )
    status = models.CharField(_("trạng thái"), max_length=20, choices=ShipmentStatus.choices)
    # When it happened as the operator (or the desk) says; `recorded_at` is when we learnt it.
    at = models.DateTimeField(_("thời điểm"))
    recorded_at = models.DateTimeField(_("thời điểm ghi nhận"), default=timezone.now)
    source = models.CharField(_("nguồn"), max_length=8, choices=EventSource.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("trạng thái bưu gửi")
        verbose_name_plural = _("lịch sử bưu gửi")
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["shipment", "status"], name="shipment_status_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} · {self.at:%d/%m/%Y %H:%M}"


class PostalCallback(models.Model):
    """A signed status callback of an operator, kept as received: verified at once, applied by
    the worker in the shipment's own locked transaction (docs/POSTAL.md §4)."""

    provider = models.CharField(_("doanh nghiệp bưu chính"), max_length=8, choices=Provider.choices)
    received_at = models.DateTimeField(_("thời điểm nhận"), default=timezone.now)
    shipment = models.ForeignKey(
        Shipment,
        verbose_name=_("bưu gửi"),
        on_delete=models.CASCADE,
        related_name="callbacks",
    )
    status = models.CharField(_("trạng thái báo"), max_length=20, choices=ShipmentStatus.choices)
    at = models.DateTimeField(_("thời điểm báo"))
    note = models.CharField(_("ghi chú của bưu điện"), max_length=500, blank=True)
    body = models.TextField(_("nội dung"))
    outcome = models.CharField(
        _("kết quả"),
        max_length=12,
        choices=CallbackOutcome.choices,
        default=CallbackOutcome.QUEUED,
    )
    applied_at = models.DateTimeField(_("thời điểm xử lý"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo của bưu điện")
        verbose_name_plural = _("thông báo của bưu điện")
        ordering = ["-received_at"]
        indexes = [
            models.Index(
                fields=["received_at"],
                condition=models.Q(outcome="queued"),
                name="postal_callback_queued",
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider} · {self.status} · {self.get_outcome_display()}"
