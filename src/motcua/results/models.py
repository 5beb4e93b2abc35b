"""Signed result documents (one row per issued version, never overwritten) and their downloads."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .constants import DownloadChannel, ResultKind, ResultSource


class ResultDocument(models.Model):
    """One issued, signed version of a result (kết quả điện tử), code `<dossier code>-KQ<n>`.

    The row and its file are written once. A correction is a new row with its own code, signed
    anew, whose `supersedes` points at the version it replaces (read back as `superseded_by`);
    the old one stays verifiable and answers "superseded by <code>".
    """

    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("hồ sơ"),
        on_delete=models.PROTECT,
        related_name="result_documents",
    )
    number = models.PositiveSmallIntegerField(_("số thứ tự kết quả của hồ sơ"))
    code = models.CharField(
        _("mã kết quả điện tử"),
        max_length=64,
        unique=True,
        help_text=_("<mã hồ sơ>-KQ<n>"),
    )
    kind = models.CharField(_("loại kết quả"), max_length=16, choices=ResultKind.choices)
    title = models.CharField(_("tên giấy tờ"), max_length=255)
    source = models.CharField(_("nguồn"), max_length=12, choices=ResultSource.choices)
    attachment = models.ForeignKey(
        "dossiers.Attachment",
        verbose_name=_("tệp tải lên gốc"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("cơ quan ký"), on_delete=models.PROTECT, related_name="+"
    )
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("thay thế kết quả"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    correction_reason = models.TextField(_("lý do đính chính"), blank=True)
    # Private: MEDIA_URL is not served; the file leaves only through the authorised views.
    file = models.FileField(_("tệp đã ký"), upload_to="results/%Y/%m/")
    size = models.PositiveBigIntegerField(_("kích thước (byte)"))
    sha256 = models.CharField(_("SHA-256 của tệp đã ký"), max_length=64, db_index=True)
    signer = models.CharField(_("người ký"), max_length=255)
    signed_at = models.DateTimeField(_("thời điểm ký"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ban hành"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("thời điểm tạo"), default=timezone.now)
    is_current = models.BooleanField(_("là phiên bản hiện hành"), default=True)

    class Meta:
        verbose_name = _("kết quả điện tử")
        verbose_name_plural = _("kết quả điện tử")
        ordering = ["dossier", "number"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "number"], name="result_dossier_number"),
            models.CheckConstraint(
                condition=models.Q(supersedes__isnull=True) | ~models.Q(correction_reason=""),
                name="result_correction_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["dossier", "is_current"], name="result_dossier_current")]

    def __str__(self) -> str:
        return self.code

    @property
    def file_name(self) -> str:
        return f"{self.code}.pdf"

    def superseding(self) -> ResultDocument | None:
        """The version that replaced this one, or None."""
        try:
            return self.superseded_by
        except ResultDocument.DoesNotExist:
            return None


class ResultDownload(models.Model):
    """One download of a signed result: who (a citizen or an API client), when, which version."""

    result = models.ForeignKey(
        ResultDocument,
        verbose_name=_("kết quả"),
        on_delete=models.PROTECT,
        related_name="downloads",
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier", verbose_name=_("hồ sơ"), on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    api_client = models.ForeignKey(
        "integration.ApiClient",
        verbose_name=_("ứng dụng tích hợp"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    channel = models.CharField(_("kênh"), max_length=16, choices=DownloadChannel.choices)
    address = models.CharField(_("địa chỉ IP"), max_length=64, blank=True)
    at = models.DateTimeField(_("thời điểm tải"), default=timezone.now)

    class Meta:
        verbose_name = _("lượt tải kết quả")
        verbose_name_plural = _("lượt tải kết quả")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["dossier", "at"], name="result_download_dossier_at")]

    def __str__(self) -> str:
        return f"{self.result.code} · {self.at:%d/%m/%Y %H:%M}"
