"""The root of motcua's domain errors: a stable `code`, a message for people, `details`, a status.

Each app derives its own root (DossierError, ApiError, ReportError); the API maps this class once
to `{"error": {"code", "message", "details"}}`, pages show `message`.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


class MotcuaError(Exception):
    code: str = "error"
    message: Any = _("Không thực hiện được thao tác.")
    http_status: int = 422

    def __init__(self, message: Any = None, *, details: dict[str, Any] | None = None) -> None:
        if message is not None:
            self.message = message
        self.details: dict[str, Any] = details or {}
        super().__init__(str(self.message))

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": str(self.message), "details": self.details}
