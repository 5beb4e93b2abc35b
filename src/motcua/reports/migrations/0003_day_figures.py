"""Kept days (frozen.py): the complete local days of a month whose reports are not due yet, one
row per month (from its start to the midnight ending its last complete day)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_month_figures"),
    ]

    operations = [
        migrations.CreateModel(
            name="DayFigures",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("start", models.DateTimeField(verbose_name="từ")),
                ("end", models.DateTimeField(verbose_name="đến (không kể)")),
                ("aggregates", models.JSONField(default=list, verbose_name="các chỉ tiêu")),
                (
                    "data",
                    models.BinaryField(
                        default=bytes, verbose_name="số liệu theo đơn vị và thủ tục"
                    ),
                ),
                (
                    "lines",
                    models.PositiveIntegerField(
                        default=0, verbose_name="số dòng (đơn vị × thủ tục)"
                    ),
                ),
                ("digest", models.CharField(max_length=64, verbose_name="mã băm số liệu")),
                ("closed_at", models.DateTimeField(verbose_name="chốt lúc")),
                ("seconds", models.FloatField(default=0, verbose_name="thời gian tính (giây)")),
                ("day", models.DateField(verbose_name="đến hết ngày")),
                ("days", models.PositiveSmallIntegerField(default=1, verbose_name="số ngày")),
            ],
            options={
                "verbose_name": "số liệu các ngày đã qua của tháng",
                "verbose_name_plural": "số liệu các ngày đã qua của tháng",
                "ordering": ["-start"],
                "constraints": [
                    models.UniqueConstraint(fields=("start",), name="day_figures_start")
                ],
            },
        ),
    ]
