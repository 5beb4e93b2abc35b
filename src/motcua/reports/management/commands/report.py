"""python -m motcua report --period 2020-05 [--agency CODE] --format xlsx|pdf|json|csv --out FILE"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.reports import keeping, services
from motcua.reports.exports import FORMATS, report_export
from motcua.reports.periods import InvalidPeriod, period_last_closed, period_parse
from motcua.reports.scope import agency_get


class Command(BaseCommand):
    help = (
        "Báo cáo tình hình giải quyết TTHC (Biểu 06, chỉ số Chỉ thị 08, QĐ 766) ra tệp XLSX, PDF, "
        "JSON hoặc CSV; --remind gửi nhắc các cơ quan chưa nộp, --check đối chiếu báo cáo đã nộp."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--period",
            default="",
            help="YYYY-MM, YYYY-Qn, YYYY-Hn or YYYY (default: the last month that has ended)",
        )
        parser.add_argument("--agency", default="", help="agency code (default: the province)")
        parser.add_argument("--format", dest="fmt", choices=FORMATS, default="xlsx")
        parser.add_argument("--out", default="", help="file to write ('-' = standard output)")
        parser.add_argument(
            "--remind", action="store_true", help="e-mail the agencies that have not submitted"
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="recompute the submitted reports of the period and flag those that differ",
        )
        parser.add_argument(
            "--freeze",
            action="store_true",
            help="freeze (again) the months of --period that are due; without --period, every "
            "due month not frozen yet (run it daily from cron)",
        )
        parser.add_argument(
            "--freeze-days",
            action="store_true",
            help="count the complete days of the months not due yet again and keep them, "
            "yesterday included (run it from cron after midnight; the reports count the days "
            "missing anyway)",
        )
        parser.add_argument(
            "--check-frozen",
            action="store_true",
            help="recount every frozen month from the dossiers and flag those that differ",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["check_frozen"]:
            differences = keeping.month_figures_check()
            for month, mismatch in differences.items():
                columns = ", ".join(
                    f"{key} {v['frozen']}→{v['now']}" for key, v in mismatch["columns"].items()
                )
                self.stdout.write(f"{month}: {mismatch['lines']} line(s) differ: {columns}")
            self.stdout.write(f"{len(differences)} frozen month(s) differ from a recount")
            return
        if options["freeze_days"]:
            for figures in keeping.day_figures_freeze():
                self.stdout.write(
                    f"{figures}: {figures.days} day(s) counted and kept in {figures.seconds} s "
                    f"({figures.lines} lines)"
                )
            return
        if options["freeze"]:
            self._freeze(options["period"])
            return
        try:
            period = period_parse(options["period"]) if options["period"] else period_last_closed()
        except InvalidPeriod:
            raise CommandError(
                f"--period: expected YYYY-MM, YYYY-Qn, YYYY-Hn or YYYY, got {options['period']!r}"
            ) from None
        if options["remind"]:
            sent = services.report_reminders_send(period=period)
            self.stdout.write(f"{len(sent)} reminder(s) for {period.key}")
            return
        if options["check"]:
            flagged = services.report_snapshots_check_period(period=period)
            self.stdout.write(
                f"{flagged} submitted report(s) of {period.key} differ from a recomputation"
            )
            return
        agency = None
        if options["agency"]:
            agency = agency_get(code=options["agency"])
            if agency is None:
                raise CommandError(f"--agency: no unit with code {options['agency']!r}")
        fmt = options["fmt"]
        data = report_export(period=period, agency=agency, fmt=fmt)
        out = options["out"]
        if out == "-":
            sys.stdout.buffer.write(data)
            return
        if not out:
            out = f"bao-cao-{period.key}-{agency.code if agency else 'toan-tinh'}.{fmt}"
        Path(out).write_bytes(data)
        self.stdout.write(f"{out} ({len(data)} bytes)")

    def _freeze(self, value: str) -> None:
        if value:
            try:
                months = period_parse(value).month_periods()
            except InvalidPeriod:
                raise CommandError(
                    f"--period: expected YYYY-MM, YYYY-Qn, YYYY-Hn or YYYY, got {value!r}"
                ) from None
        else:
            months = keeping.month_figures_unfrozen()
        for month in months:
            figures = keeping.month_figures_freeze(period=month)
            if figures is None:
                self.stdout.write(
                    f"{month.key}: not due before {month.submission_deadline():%d/%m/%Y}"
                )
            else:
                self.stdout.write(
                    f"{month.key}: frozen in {figures.seconds} s "
                    f"({figures.dossier_total} dossiers, {figures.lines} lines)"
                )
