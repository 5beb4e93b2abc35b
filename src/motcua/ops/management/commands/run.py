"""`python -m motcua run`: migrate, load the demo into an empty database, serve with a worker."""

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


def worker_base_url(host: str, port: int) -> str:
    """The public address the worker's links use: the configured one, else where `run` serves."""
    if settings.MOTCUA_PUBLIC_BASE_URL.strip():
        return settings.MOTCUA_PUBLIC_BASE_URL
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


class Command(BaseCommand):
    help = (
        "Chuẩn bị cơ sở dữ liệu, nạp dữ liệu minh hoạ nếu trống và chạy trang web cùng tiến trình "
        "xử lý nền (migrate, load the demo if empty, serve with a worker)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--web-workers", type=int, default=2)
        parser.add_argument("--task-workers", type=int, default=1)
        parser.add_argument("--no-demo", action="store_true", help="Không nạp dữ liệu minh hoạ.")

    def handle(self, *args: Any, **options: Any) -> None:
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        self.stdout.write("→ Cập nhật cơ sở dữ liệu (migrate)")
        call_command("migrate", interactive=False, verbosity=0)
        if not settings.DEBUG:
            call_command("collectstatic", interactive=False, verbosity=0)
        logins = []
        if not options["no_demo"]:
            logins = self._load_demo_if_empty()

        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        bind = f"{options['host']}:{options['port']}"
        children = [
            subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "motcua.wsgi:application",
                    "--bind",
                    bind,
                    "--workers",
                    str(options["web_workers"]),
                    "--threads",
                    "4",
                    "--access-logfile",
                    "-",
                ],
                env=env,
            )
        ]
        host = options["host"] if options["host"] not in {"0.0.0.0", "::"} else "127.0.0.1"  # noqa: S104
        # Pages take their links' address from the request (motcua.public_url); the worker has
        # no request, so its PDFs and sync records point where this command serves.
        worker_env = {**env, "MOTCUA_PUBLIC_BASE_URL": worker_base_url(host, options["port"])}
        for _ in range(options["task_workers"]):
            children.append(
                subprocess.Popen([sys.executable, "-m", "motcua", "worker"], env=worker_env)
            )

        self.stdout.write(
            self.style.SUCCESS(f"\nmotcua đang chạy tại http://{host}:{options['port']}/")
        )
        self.stdout.write(f"  Quản trị: http://{host}:{options['port']}/admin/")
        if logins:
            self._print_logins(logins)
        self.stdout.write("Nhấn Ctrl+C để dừng (press Ctrl+C to stop).\n")

        def stop(signum: int, frame: object) -> None:
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, stop)
        exit_code = 0
        try:
            while True:
                for child in children:
                    if child.poll() is not None:
                        self.stderr.write(
                            f"Tiến trình {child.args[2]} đã dừng (mã {child.returncode})."
                        )
                        exit_code = child.returncode or 1
                        raise KeyboardInterrupt
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            for child in children:
                if child.poll() is None:
                    child.terminate()
            for child in children:
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()
        if exit_code:
            sys.exit(exit_code)

    def _load_demo_if_empty(self) -> list[tuple[str, str, str, str]]:
        from motcua.demo import loader
        from motcua.demo.users import demo_logins

        if loader.database_has_data():
            self.stdout.write("→ Cơ sở dữ liệu đã có dữ liệu, không nạp dữ liệu minh hoạ.")
        else:
            self.stdout.write("→ Nạp dữ liệu minh hoạ tỉnh Đắk Lắk (loading the demo province)…")
            loader.load_demo(stdout=self.stdout)
        if not loader.demo_is_loaded():
            return []
        # A demo loaded before results were signed gets its agencies' demo certificates now
        # (idempotent: those that have one keep it), so its leaders can approve.
        from motcua.documents.demo import demo_ca_create

        demo_ca_create()
        return [tuple(login) for login in demo_logins()]

    def _print_logins(self, logins: list[tuple[str, str, str, str]]) -> None:
        self.stdout.write("\nTài khoản minh hoạ (demo logins):")
        width = max(len(row[0]) for row in logins)
        for username, role, unit, password in logins:
            self.stdout.write(f"  {username:<{width}}  {password}  {role} · {unit}")
