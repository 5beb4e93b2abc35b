from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "motcua.results"
    label = "results"
    verbose_name = _("Kết quả điện tử")

    def ready(self) -> None:
        # Result documents are generated and signed inside the approve/deny transitions.
        from . import receivers  # noqa: F401
