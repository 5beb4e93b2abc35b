"""Schemas of the e-results' API: the verification answer (docs/ARCHITECTURE.md §4)."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema


class VerifyOut(Schema):
    """Kết quả kiểm tra một tệp / The verdict on one file."""

    valid: bool = Field(
        ...,
        description=(
            "Tệp xác thực, nguyên vẹn, đúng tệp đã cấp và là phiên bản hiện hành / An authentic, "
            "unmodified, issued and current result"
        ),
    )
    reason: str = Field(..., description="Lý do (tiếng Việt) / Reason, in Vietnamese")
    reason_code: str = Field(
        ...,
        description="Mã lý do ổn định / Stable reason code",
        examples=["valid", "modified", "untrusted", "expired", "revoked", "never_issued"],
    )
    signer: str | None = Field(None, description="Người ký / Signer")
    signed_at: dt.datetime | None = Field(None, description="Thời điểm ký / Signing time")
    issued: bool = Field(
        ..., description="Đúng tệp đã cấp (SHA-256) / These exact bytes were issued"
    )
    superseded: str | None = Field(
        None, description="Mã kết quả thay thế, nếu có / Code of the version that replaced it"
    )
    audit_intact: bool | None = Field(
        None, description="Nhật ký hồ sơ toàn vẹn / The dossier's audit chain is intact"
    )
    code: str | None = Field(None, description="Mã kết quả điện tử / E-result code")
    timestamp_valid: bool | None = Field(
        None, description="Dấu thời gian hợp lệ / RFC 3161 timestamp valid (None: none)"
    )
