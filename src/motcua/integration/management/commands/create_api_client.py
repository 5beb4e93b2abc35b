"""create_api_client --name N --agency CODE… --scope S…: make an API client, print its key once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.catalog.models import Procedure
from motcua.dossiers.exceptions import DossierError
from motcua.integration.constants import CLIENT_ACTIONS, Scope
from motcua.integration.services import api_client_create, parse_scope_arguments
from motcua.orgs.models import Unit


class Command(BaseCommand):
    help = (
        "Tạo phần mềm kết nối API và in khoá một lần. / Create an API client and print its key once. "
        f"Scopes: {', '.join(Scope.values)}; action:<name> for one of {', '.join(CLIENT_ACTIONS)}; "
        "actions:all; all."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True, help="Tên phần mềm / Client name")
        parser.add_argument(
            "--agency", nargs="+", required=True, help="Mã cơ quan (gồm đơn vị trực thuộc)"
        )
        parser.add_argument(
            "--scope",
            nargs="+",
            default=["dossiers:read"],
            help="dossiers:read dossiers:create attachments:read attachments:write webhooks "
            "action:<name> actions:all all",
        )
        parser.add_argument("--procedure", nargs="*", default=[], help="Chỉ các thủ tục này")
        parser.add_argument("--rate-limit", type=int, default=None, help="Lời gọi mỗi phút")

    def handle(self, *args: Any, **options: Any) -> None:
        codes = options["agency"]
        agencies = list(Unit.objects.filter(code__in=codes))
        missing = sorted(set(codes) - {u.code for u in agencies})
        if missing:
            raise CommandError(f"Không có cơ quan / unknown agencies: {', '.join(missing)}")
        procedure_codes = options["procedure"]
        procedures = list(Procedure.objects.filter(code__in=procedure_codes))
        missing = sorted(set(procedure_codes) - {p.code for p in procedures})
        if missing:
            raise CommandError(f"Không có thủ tục / unknown procedures: {', '.join(missing)}")
        try:
            scopes, actions = parse_scope_arguments(options["scope"])
            client, key = api_client_create(
                name=options["name"],
                agencies=agencies,
                procedures=procedures,
                scopes=scopes,
                allowed_actions=actions,
                rate_limit_per_minute=options["rate_limit"],
            )
        except DossierError as exc:
            raise CommandError(f"{exc.message}: {exc.details}") from exc
        self.stderr.write(
            f"Đã tạo '{client.name}' (scopes: {', '.join(scopes) or '-'}; "
            f"actions: {', '.join(actions) or '-'}). Khoá chỉ in một lần / key shown once:"
        )
        self.stdout.write(key)
