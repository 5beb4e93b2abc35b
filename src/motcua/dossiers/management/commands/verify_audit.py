"""`python -m motcua verify_audit [--dossier CODE]`: check every dossier's event hash chain."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.dossiers.audit import chains_verify
from motcua.dossiers.models import Dossier


class Command(BaseCommand):
    help = "Kiểm tra chuỗi băm nhật ký của hồ sơ; báo mắt xích hỏng đầu tiên (mã thoát 1)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dossier", metavar="CODE", help="chỉ kiểm tra hồ sơ có mã này")

    def handle(self, *args: Any, **options: Any) -> None:
        dossiers = Dossier.objects.all()
        if options["dossier"]:
            dossiers = dossiers.filter(code=options["dossier"])
            if not dossiers.exists():
                raise CommandError(f"Không tìm thấy hồ sơ {options['dossier']}.")
        total = dossiers.count()
        broken = list(chains_verify(dossiers))
        for link in broken:
            self.stderr.write(f"HỎNG: {link}")
        if broken:
            raise CommandError(f"{len(broken)}/{total} chuỗi nhật ký hồ sơ bị hỏng.", returncode=1)
        self.stdout.write(self.style.SUCCESS(f"Đã kiểm tra {total} hồ sơ: toàn vẹn."))
