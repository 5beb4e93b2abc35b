from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "motcua.payments"
    label = "payments"
    verbose_name = _("Thanh toán phí, lệ phí")

    def ready(self) -> None:
        # Invoices fall due, are cancelled or refunded inside the dossier's transitions.
        from . import receivers  # noqa: F401
