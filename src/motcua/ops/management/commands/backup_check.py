"""`python -m motcua backup_check [--json]`: prove a restored copy whole (docs/BACKUP.md §5)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.ops.backup import backup_summary


class Command(BaseCommand):
    help = (
        "Kiểm tra một bản khôi phục: chuỗi nhật ký mọi hồ sơ, mọi tệp còn đủ và đúng SHA-256; "
        "in số lượng và mã băm đầu chuỗi để so với bản gốc (mã thoát 1 khi có lỗi)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--json", action="store_true", help="in kết quả dạng JSON (để so sánh bằng máy)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        summary = backup_summary()
        if options["json"]:
            document = summary.comparable() | {
                "ok": summary.ok,
                "broken_chains": summary.broken_chains,
                "file_problems": summary.file_problems,
            }
            self.stdout.write(json.dumps(document, ensure_ascii=False, sort_keys=True, indent=2))
        else:
            counts = summary.counts
            self.stdout.write(
                f"Hồ sơ: {counts['dossiers']}, sự kiện: {counts['events']}, "
                f"tệp đính kèm: {counts['attachments']}, kết quả điện tử: {counts['results']}"
            )
            self.stdout.write(f"Mã băm đầu chuỗi: {summary.chain_heads}")
            self.stdout.write(f"Tệp đã kiểm tra: {summary.files_checked}")
        for link in summary.broken_chains:
            self.stderr.write(f"HỎNG: {link}")
        for problem in summary.file_problems:
            self.stderr.write(f"TỆP: {problem}")
        if not summary.ok:
            raise CommandError(
                f"Bản khôi phục không toàn vẹn: {len(summary.broken_chains)} chuỗi nhật ký hỏng, "
                f"{len(summary.file_problems)} tệp thiếu hoặc sai.",
                returncode=1,
            )
        if not options["json"]:
            self.stdout.write(self.style.SUCCESS("Bản dữ liệu toàn vẹn."))
