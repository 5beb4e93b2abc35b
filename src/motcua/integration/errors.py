"""Errors of the API layer itself (not of a dossier); mapped with DossierError in api.py."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from motcua.errors import MotcuaError


class ApiError(MotcuaError):
    code: str = "api_error"
    message: Any = _("Yêu cầu không hợp lệ.")
    http_status: int = 400


class BadRequest(ApiError):
    code = "bad_request"


class Unauthenticated(ApiError):
    code = "unauthenticated"
    message = _("Thiếu hoặc sai khoá API (Authorization: Bearer <khoá>).")
    http_status = 401


class ScopeDenied(ApiError):
    code = "scope_denied"
    message = _("Khoá API không có quyền thực hiện yêu cầu này.")
    http_status = 403


class NotFound(ApiError):
    code = "not_found"
    message = _("Không tìm thấy.")
    http_status = 404


class MethodNotAllowed(ApiError):
    code = "method_not_allowed"
    message = _("Phương thức không được hỗ trợ cho đường dẫn này.")
    http_status = 405


class IdempotencyConflict(ApiError):
    code = "idempotency_conflict"
    message = _("Idempotency-Key này đã được dùng cho một yêu cầu có nội dung khác.")
    http_status = 409


class RateLimited(ApiError):
    code = "rate_limited"
    message = _("Quá nhiều yêu cầu. Vui lòng thử lại sau.")
    http_status = 429


class InvalidInput(ApiError):
    code = "invalid_input"
    message = _("Dữ liệu gửi lên không hợp lệ.")
    http_status = 422
