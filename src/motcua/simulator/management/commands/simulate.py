"""`python -m motcua simulate --dossiers N --from 2020-01-01 --to 2020-12-31 [--seed S]`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.simulator.runner import simulate


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Ngày không hợp lệ: {value} (dạng YYYY-MM-DD).") from exc


class Command(BaseCommand):
    help = (
        "Sinh tải mô phỏng một năm của tỉnh: hồ sơ thực tế (thủ tục phổ biến theo đuôi dài, "
        "chuyển dần sang trực tuyến, bổ sung, xin lỗi, trễ hạn, thanh toán, bưu chính) kèm "
        "nhật ký băm, nạp hàng loạt; cùng seed cho cùng dữ liệu."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dossiers", type=int, required=True, help="số hồ sơ")
        parser.add_argument("--from", dest="first", required=True, help="ngày đầu (YYYY-MM-DD)")
        parser.add_argument("--to", dest="last", required=True, help="ngày cuối (YYYY-MM-DD)")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="số tiến trình nạp (PostgreSQL; mặc định: số lõi, tối đa 4)",
        )
        parser.add_argument(
            "--defer-indexes",
            action="store_true",
            help=(
                "chỉ cho CSDL thử tải, không ai khác dùng trong lúc nạp: bỏ các chỉ mục phụ, "
                "ràng buộc duy nhất và khoá ngoại của các bảng hồ sơ trước khi nạp, tạo lại và "
                "kiểm tra lại toàn bộ sau khi nạp (nhanh hơn nhiều với khối lượng lớn)"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        first, last = _date(options["first"]), _date(options["last"])
        if last < first:
            raise CommandError("--to phải không sớm hơn --from.")
        if options["dossiers"] < 0:
            raise CommandError("--dossiers phải không âm.")
        summary = simulate(
            dossiers=options["dossiers"],
            first=first,
            last=last,
            seed=options["seed"],
            workers=options["workers"],
            defer_indexes=options["defer_indexes"],
            stdout=self.stdout,
            verbosity=options["verbosity"],
        )
        skipped = (
            f" ({summary.skipped:,} bỏ qua: hết số thứ tự trong ngày)" if summary.skipped else ""
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nạp {summary.dossiers:,} hồ sơ và {summary.events:,} sự kiện trong "
                f"{summary.seconds:,.1f} s ({summary.rate:,.0f} hồ sơ/s){skipped}."
            )
        )
