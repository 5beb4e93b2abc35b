"""postal_catch_up: apply the operators' callbacks still waiting and place the orders that
failed (for cron, every few minutes; the worker does both at once when it is up)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Ghi nhận các thông báo của bưu điện còn chờ và đặt lại các đơn chưa đặt được / "
        "Apply waiting operator callbacks and retry orders not placed."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        from motcua.postal.moves import callbacks_apply_pending, orders_place_pending

        applied = callbacks_apply_pending()
        placed, failed = orders_place_pending()
        self.stdout.write(
            f"Đã ghi nhận {applied} thông báo; đã đặt {placed} đơn, {failed} đơn chưa đặt được."
        )
