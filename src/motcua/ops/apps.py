from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    name = "motcua.ops"
    label = "ops"
    verbose_name = _("Vận hành hệ thống")

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the MOTCUA_JOBS check
