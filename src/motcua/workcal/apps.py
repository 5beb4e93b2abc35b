"""App configuration of the working calendar: cached calendars follow what admins change."""

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


def _forget_calendars(**kwargs: object) -> None:
    from motcua.workcal.calendar import clear_cache

    clear_cache()


class WorkcalConfig(AppConfig):
    name = "motcua.workcal"
    label = "workcal"
    verbose_name = _("Lịch làm việc")

    def ready(self) -> None:
        from motcua.workcal.models import CalendarOverride, OfficeHours

        for model in (CalendarOverride, OfficeHours):
            uid = f"workcal_{model.__name__}"
            post_save.connect(_forget_calendars, sender=model, dispatch_uid=f"{uid}_save")
            post_delete.connect(_forget_calendars, sender=model, dispatch_uid=f"{uid}_delete")
