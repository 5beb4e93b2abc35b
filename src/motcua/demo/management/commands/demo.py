"""`python -m motcua demo [--reset] [--dossiers N] [--seed S]`: load the demo province."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from motcua.demo.loader import DemoAlreadyLoaded, load_demo
from motcua.demo.users import DemoLogin


def format_logins(logins: list[DemoLogin]) -> str:
    """The logins as a plain-text table (username, role, unit, password)."""
    header = ("Tên đăng nhập", "Vai trò", "Đơn vị", "Mật khẩu")
    rows = [(login.username, login.role, login.unit, login.password) for login in logins]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(header)).rstrip()]
    lines.append("  ".join("-" * width for width in widths))
    lines += [
        "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows
    ]
    return "\n".join(lines)


class Command(BaseCommand):
    help = (
        "Nạp dữ liệu minh hoạ tỉnh Đắk Lắk (cây đơn vị, cán bộ, công dân, thủ tục, hồ sơ). "
        "Load the demo province (org tree, staff, citizens, procedures, dossiers)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Xoá toàn bộ dữ liệu rồi nạp lại (empties the whole database first).",
        )
        parser.add_argument(
            "--dossiers",
            type=int,
            default=300,
            help="Số hồ sơ minh hoạ (number of demo dossiers, default 300).",
        )
        parser.add_argument(
            "--seed", type=int, default=2026, help="Hạt giống ngẫu nhiên (random seed)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = load_demo(
                dossiers=max(0, options["dossiers"]),
                seed=options["seed"],
                reset=options["reset"],
                stdout=self.stdout,
            )
        except DemoAlreadyLoaded:
            self.stdout.write(
                self.style.WARNING(
                    "Cơ sở dữ liệu đã có dữ liệu: không nạp lại dữ liệu minh hoạ. "
                    "Dùng --reset để xoá toàn bộ và nạp lại.\n"
                    "The database already holds data; nothing was loaded. "
                    "Use --reset to empty it and load the demo again."
                )
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nạp dữ liệu minh hoạ trong {summary.seconds:.1f} giây: "
                f"{summary.units} đơn vị, {summary.fields} lĩnh vực, "
                f"{summary.procedures} thủ tục, {summary.users} tài khoản, "
                f"{summary.dossiers} hồ sơ."
            )
        )
        self.stdout.write("\nTài khoản minh hoạ (demo logins):\n")
        self.stdout.write(format_logins(summary.logins))
