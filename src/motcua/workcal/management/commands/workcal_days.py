"""`python -m motcua workcal_days --year Y [--unit CODE]`: the days off and extra working days."""

from __future__ import annotations

import argparse

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.workcal.selectors import calendar_list_special_days

_WEEKDAYS = ("T2", "T3", "T4", "T5", "T6", "T7", "CN")


class Command(BaseCommand):
    help = "Liệt kê ngày nghỉ và ngày làm việc bù của một năm (theo tỉnh hoặc một đơn vị)."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--year", type=int, default=None, help="Năm (mặc định: năm nay).")
        parser.add_argument("--unit", default="", help="Mã định danh đơn vị, ví dụ 000.00.21.H16.")

    def handle(self, *args: object, **options: object) -> None:
        from motcua.orgs.models import Unit

        year = options["year"] or timezone.localdate().year
        org_unit = None
        if options["unit"]:
            org_unit = Unit.objects.filter(code=options["unit"]).first()
            if org_unit is None:
                raise CommandError(_("Không tìm thấy đơn vị có mã %s.") % options["unit"])
        for day in calendar_list_special_days(year=int(year), org_unit=org_unit):
            status = _("làm việc") if day.is_working_day else _("nghỉ")
            weekday = _WEEKDAYS[day.date.weekday()]
            self.stdout.write(f"{day.date:%d/%m/%Y} {weekday}  {status:<9}  {day.reason}")
