"""Reporting periods keep their bounds (docs/DOMAIN.md §5).

The reporting month became the national one (from the 15th of the month before to the 14th,
MOTCUA_REPORT_CUTOFF_DAY=15) where it had been the calendar month by default. What was made
before keeps the period it was made for:

- a submitted (or draft) report stores its bounds: taken from its own data (the report's
  "start" and "end", which every snapshot holds), else the calendar month of its key (the only
  definition a report without them could have been made under by default);
- frozen month figures already stored their bounds; a month is now one row per (key, start), so
  a month frozen as a calendar month stays as it was, and the reports of the new definition
  freeze a row of their own instead of replacing it.

Reports read the rows of today's bounds only; the old ones remain readable (admin) and are
recounted with their own bounds (`report --check-frozen`, a submitted report's check).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.db import migrations, models


def _calendar_bounds(key: str) -> tuple[dt.datetime, dt.datetime]:
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    year, rest = int(key[:4]), key[5:]
    if not rest:
        first, months = 1, 12
    elif rest.startswith("Q"):
        first, months = (int(rest[1]) - 1) * 3 + 1, 3
    elif rest.startswith("H"):
        first, months = 1 if rest[1] == "1" else 7, 6
    else:
        first, months = int(rest), 1
    index = year * 12 + first - 1 + months
    return (
        dt.datetime(year, first, 1, tzinfo=tz),
        dt.datetime(index // 12, index % 12 + 1, 1, tzinfo=tz),
    )


def store_bounds(apps, schema_editor) -> None:
    ReportSubmission = apps.get_model("reports", "ReportSubmission")
    for submission in ReportSubmission.objects.all().iterator():
        report = (submission.data or {}).get("report") or {}
        try:
            start = dt.datetime.fromisoformat(report["start"])
            end = dt.datetime.fromisoformat(report["end"])
        except (KeyError, TypeError, ValueError):
            start, end = _calendar_bounds(submission.period)
        ReportSubmission.objects.filter(pk=submission.pk).update(start=start, end=end)


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_day_figures")]

    operations = [
        migrations.AddField(
            model_name="reportsubmission",
            name="start",
            field=models.DateTimeField(null=True, verbose_name="từ"),
        ),
        migrations.AddField(
            model_name="reportsubmission",
            name="end",
            field=models.DateTimeField(null=True, verbose_name="đến (không kể)"),
        ),
        migrations.RunPython(store_bounds, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="reportsubmission",
            name="start",
            field=models.DateTimeField(verbose_name="từ"),
        ),
        migrations.AlterField(
            model_name="reportsubmission",
            name="end",
            field=models.DateTimeField(verbose_name="đến (không kể)"),
        ),
        migrations.RemoveConstraint(
            model_name="reportsubmission", name="report_submission_unit_period"
        ),
        migrations.AddConstraint(
            model_name="reportsubmission",
            constraint=models.UniqueConstraint(
                fields=("unit", "period", "start"), name="report_submission_unit_period"
            ),
        ),
        migrations.AlterField(
            model_name="monthfigures",
            name="period",
            field=models.CharField(max_length=8, verbose_name="kỳ"),
        ),
        migrations.AlterModelOptions(
            name="monthfigures",
            options={
                "ordering": ["-period", "-start"],
                "verbose_name": "số liệu tháng đã chốt",
                "verbose_name_plural": "số liệu tháng đã chốt",
            },
        ),
        migrations.AddConstraint(
            model_name="monthfigures",
            constraint=models.UniqueConstraint(
                fields=("period", "start"), name="month_figures_period_start"
            ),
        ),
    ]
