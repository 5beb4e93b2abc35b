"""payments_expire: expire the gateway attempts whose time ran out (for cron, every few minutes)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Đánh dấu hết hạn các lượt thanh toán qua cổng đã quá thời gian / "
        "Expire timed-out gateway attempts."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        from motcua.payments.services import invoices_expire

        self.stdout.write(f"Đã đánh dấu hết hạn {invoices_expire()} lượt thanh toán.")
