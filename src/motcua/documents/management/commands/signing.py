"""`python -m motcua signing demo-ca | export-root FILE | revoke CODE | verify FILE`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from motcua.documents.demo import demo_ca_create, demo_ca_revoke, export_root
from motcua.documents.models import SigningCertificate
from motcua.documents.signing import SigningError, verify_pdf


class Command(BaseCommand):
    help = (
        "Chứng thư số ký kết quả: tạo CA minh hoạ (demo-ca), xuất chứng thư gốc tin cậy "
        "(export-root), thu hồi chứng thư minh hoạ (revoke), kiểm tra một tệp PDF (verify)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        demo = sub.add_parser(
            "demo-ca", help="tạo (một lần) CA minh hoạ và chứng thư cho từng cơ quan của tỉnh"
        )
        demo.add_argument("--directory", type=Path, help="thư mục (mặc định DATA_DIR/signing)")
        export = sub.add_parser("export-root", help="ghi chứng thư gốc tin cậy (PEM) ra tệp")
        export.add_argument("file", type=Path)
        revoke = sub.add_parser("revoke", help="thu hồi chứng thư minh hoạ của một cơ quan")
        revoke.add_argument("code", help="mã định danh cơ quan")
        verify = sub.add_parser("verify", help="kiểm tra chữ ký số của một tệp PDF")
        verify.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            if action == "demo-ca":
                with transaction.atomic():
                    demo_ca_create(directory=options.get("directory"), stdout=self.stdout)
            elif action == "export-root":
                target = export_root(target=options["file"])
                self.stdout.write(self.style.SUCCESS(f"Đã ghi chứng thư gốc tin cậy: {target}"))
            elif action == "revoke":
                self._revoke(options["code"])
            elif action == "verify":
                self._verify(options["file"])
        except SigningError as exc:
            raise CommandError(exc.message) from None
        except OSError as exc:
            raise CommandError(f"Lỗi tệp: {exc}") from None

    def _revoke(self, code: str) -> None:
        row = SigningCertificate.objects.filter(unit__code=code).first()
        if row is None:
            raise CommandError(f"Cơ quan {code} chưa có chứng thư số.")
        if not row.is_demo:
            raise CommandError(
                "Chỉ thu hồi được chứng thư minh hoạ; chứng thư thật do tổ chức cấp thu hồi."
            )
        path = demo_ca_revoke(serial=int(row.serial, 16))
        self.stdout.write(self.style.SUCCESS(f"Đã thu hồi chứng thư {row.serial}; CRL: {path}"))

    def _verify(self, file: Path) -> None:
        check = verify_pdf(file.read_bytes())
        self.stdout.write(f"{check.code}: {check.reason}")
        if check.signer:
            self.stdout.write(f"Người ký: {check.signer} · {check.agency} · {check.signed_at}")
        if not check.valid:
            raise CommandError(check.reason, returncode=1)
