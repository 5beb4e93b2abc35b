"""`python -m motcua result_correct CODE --by USERNAME --reason "…" [--file PATH]`: issue a
corrected version of a current e-result (a new code, signed anew, superseding CODE)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.accounts.models import User
from motcua.dossiers.exceptions import DossierError
from motcua.results.selectors import result_get_by_code
from motcua.results.services import result_correct


class Command(BaseCommand):
    help = "Đính chính một kết quả điện tử: cấp phiên bản mới có ký số, thay thế phiên bản cũ."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help="Mã kết quả điện tử cần đính chính (…-KQ<n>)")
        parser.add_argument("--by", required=True, help="Tên đăng nhập của lãnh đạo ký")
        parser.add_argument("--reason", required=True, help="Lý do đính chính")
        parser.add_argument(
            "--file", help="Tệp kết quả đã sửa (PDF, JPEG, PNG); mặc định tạo lại từ mẫu"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = result_get_by_code(code=options["code"])
        if result is None:
            raise CommandError(f"Không có kết quả điện tử mang mã {options['code']}.")
        actor = User.objects.filter(username=options["by"]).first()
        if actor is None:
            raise CommandError(f"Không có tài khoản {options['by']}.")
        path = options.get("file")
        try:
            if path:
                file_path = Path(path)
                if not file_path.is_file():
                    raise CommandError(f"Không tìm thấy tệp {path}.")
                with file_path.open("rb") as handle:
                    new = result_correct(
                        result=result,
                        actor=actor,
                        reason=options["reason"],
                        file=handle,
                        file_name=file_path.name,
                    )
            else:
                new = result_correct(result=result, actor=actor, reason=options["reason"])
        except DossierError as error:
            raise CommandError(str(error.message)) from error
        self.stdout.write(f"Đã cấp {new.code} thay thế {result.code} (SHA-256 {new.sha256}).\n")
