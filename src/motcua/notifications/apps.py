from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _templates_ensure(sender: AppConfig, **kwargs: object) -> None:
    from .services import templates_ensure

    templates_ensure()


class NotificationsConfig(AppConfig):
    name = "motcua.notifications"
    label = "notifications"
    verbose_name = _("Thông báo và công việc định kỳ")

    def ready(self) -> None:
        from . import providers, receivers  # noqa: F401  (the channels' providers, the events)

        # Every event's default text becomes an editable template once the tables exist.
        post_migrate.connect(_templates_ensure, sender=self)
