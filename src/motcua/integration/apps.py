from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationConfig(AppConfig):
    name = "motcua.integration"
    label = "integration"
    verbose_name = _("Tích hợp: API, webhook, đồng bộ Cổng DVC quốc gia")

    def ready(self) -> None:
        # Webhooks and national-portal sync listen to every committed dossier event.
        from . import receivers  # noqa: F401
