"""An agency's signing certificate: where its PKCS#12 lies and where its password comes from.

The key and its password never enter the database: the row names a file on the server's disk and
either an environment variable or a file (0600) holding the password. The subject, issuer, serial
and validity are copied from the certificate when it is configured, for the admin to show.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SigningCertificate(models.Model):
    unit = models.OneToOneField(
        "orgs.Unit",
        verbose_name=_("cơ quan"),
        on_delete=models.CASCADE,
        related_name="signing_certificate",
        error_messages={
            "unique": _(
                "Cơ quan này đã có chứng thư số; hãy sửa chứng thư hiện có thay vì thêm mới."
            )
        },
        help_text=_(
            "Kết quả của cơ quan này và các đơn vị trực thuộc chưa có chứng thư riêng được ký "
            "bằng chứng thư này."
        ),
    )
    label = models.CharField(_("tên gọi"), max_length=200)
    pkcs12_path = models.CharField(
        _("đường dẫn tệp PKCS#12"),
        max_length=500,
        help_text=_(
            "Đường dẫn trên máy chủ tới tệp .p12/.pfx (tuyệt đối, hoặc tương đối so với thư mục "
            "dữ liệu). Tệp không được tải lên cơ sở dữ liệu."
        ),
    )
    password_env = models.CharField(
        _("biến môi trường chứa mật khẩu"),
        max_length=100,
        blank=True,
        help_text=_(
            "Tên biến môi trường chứa mật khẩu của tệp PKCS#12, ví dụ MOTCUA_P12_SO_TU_PHAP."
        ),
    )
    password_file = models.CharField(
        _("tệp chứa mật khẩu"),
        max_length=500,
        blank=True,
        help_text=_("Đường dẫn tới tệp (quyền 0600) chứa mật khẩu của tệp PKCS#12."),
    )
    subject = models.CharField(_("chủ thể"), max_length=500, editable=False, default="")
    issuer = models.CharField(_("tổ chức cấp"), max_length=500, editable=False, default="")
    serial = models.CharField(_("số hiệu"), max_length=80, editable=False, default="")
    fingerprint = models.CharField(
        _("dấu vân tay SHA-256"), max_length=64, editable=False, default=""
    )
    not_before = models.DateTimeField(_("hiệu lực từ"), null=True, editable=False)
    not_after = models.DateTimeField(_("hiệu lực đến"), null=True, editable=False)
    is_demo = models.BooleanField(_("chứng thư minh hoạ"), default=False)
    is_active = models.BooleanField(_("đang sử dụng"), default=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("chứng thư số ký kết quả")
        verbose_name_plural = _("chứng thư số ký kết quả")
        constraints = [
            # Exactly one source for the password: the environment or a file.
            models.CheckConstraint(
                condition=(Q(password_env="") & ~Q(password_file=""))
                | (~Q(password_env="") & Q(password_file="")),
                name="signingcertificate_one_password_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} · {self.unit}"
