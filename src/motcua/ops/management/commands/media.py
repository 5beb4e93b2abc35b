"""`python -m motcua media --orphans [--delete]`: files in storage that no row refers to."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.ops.media import GRACE, orphans, orphans_delete


class Command(BaseCommand):
    help = (
        "Liệt kê (và xoá với --delete) các tệp không còn hồ sơ nào tham chiếu "
        "(list, and with --delete remove, stored files no row refers to)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--orphans", action="store_true", help="Tìm tệp mồ côi.")
        parser.add_argument(
            "--delete",
            action="store_true",
            help="Xoá các tệp mồ côi cũ hơn --older-than-hours (mặc định chỉ liệt kê).",
        )
        parser.add_argument(
            "--older-than-hours",
            type=float,
            default=GRACE.total_seconds() / 3600,
            help="Chỉ xoá tệp ghi trước số giờ này (mặc định 24).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["orphans"]:
            self.stderr.write("Cần --orphans (needs --orphans).")
            raise SystemExit(2)
        if options["delete"]:
            grace = dt.timedelta(hours=options["older_than_hours"])
            deleted = orphans_delete(grace=grace)
            for orphan in deleted:
                self.stdout.write(f"đã xoá {orphan.name} ({orphan.size} byte)")
            total = sum(o.size for o in deleted)
            self.stdout.write(f"Đã xoá {len(deleted)} tệp mồ côi, {total} byte.")
            return
        found = list(orphans())
        for orphan in found:
            self.stdout.write(f"{orphan.name}\t{orphan.size}\t{orphan.modified_at:%Y-%m-%d %H:%M}")
        total = sum(o.size for o in found)
        self.stdout.write(f"{len(found)} tệp mồ côi, {total} byte (chưa xoá: thêm --delete).")
