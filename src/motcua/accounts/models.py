"""Users: citizens, businesses and staff share one user model; staff roles live in orgs.Membership."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserKind(models.TextChoices):
    CITIZEN = "citizen", _("Công dân")
    BUSINESS = "business", _("Tổ chức, doanh nghiệp")
    STAFF = "staff", _("Cán bộ, công chức")


class User(AbstractUser):
    kind = models.CharField(
        _("loại tài khoản"), max_length=16, choices=UserKind.choices, default=UserKind.CITIZEN
    )
    full_name = models.CharField(_("họ và tên"), max_length=200, blank=True)
    phone = models.CharField(_("số điện thoại"), max_length=15, blank=True, db_index=True)
    citizen_id = models.CharField(
        _("số định danh cá nhân"), max_length=12, blank=True, db_index=True
    )
    tax_code = models.CharField(_("mã số thuế"), max_length=14, blank=True)
    organisation_name = models.CharField(_("tên tổ chức"), max_length=255, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    # The subject ("sub") of the account at the external OpenID Connect provider, once linked.
    oidc_subject = models.CharField(
        _("định danh tại nhà cung cấp OIDC"), max_length=255, blank=True, db_index=True
    )

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self) -> str:
        return self.full_name or self.get_full_name() or self.username

    @property
    def display_name(self) -> str:
        return self.organisation_name or self.full_name or self.get_full_name() or self.username
