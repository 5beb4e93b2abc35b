"""national_sync [--all]: queue the national-portal push of dossiers not yet acknowledged."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db.models import F, Q

from motcua.dossiers.models import Dossier
from motcua.integration.services import national_sync_mark
from motcua.integration.tasks import national_sync_push_task


class Command(BaseCommand):
    help = (
        "Đồng bộ lên Cổng DVC quốc gia các hồ sơ chưa được xác nhận (mặc định) hoặc tất cả. / "
        "Queue the national-portal push of unacknowledged (or --all) dossiers."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true", help="Mọi hồ sơ / every dossier")

    def handle(self, *args: Any, **options: Any) -> None:
        qs = Dossier.objects.exclude(code__isnull=True).exclude(status="draft")
        if not options["all"]:
            qs = qs.filter(
                Q(national_sync__isnull=True) | Q(national_sync__acked_version__lt=F("version"))
            )
        count = 0
        for dossier in qs.only("pk", "code", "version").iterator():
            if national_sync_mark(dossier=dossier) is not None:
                national_sync_push_task.enqueue(dossier.pk)
                count += 1
        self.stdout.write(f"{count} hồ sơ đã xếp lịch đồng bộ / dossiers queued")
