"""integration_retry: send every due webhook delivery and national-portal push now (for cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Gửi lại webhook và đồng bộ Cổng DVC quốc gia đến hạn / Send due webhooks and syncs."

    def handle(self, *args: Any, **options: Any) -> None:
        from motcua.integration.tasks import integration_send_due

        result = integration_send_due()
        self.stdout.write(f"webhooks: {result['webhooks']}, national: {result['national']}")
