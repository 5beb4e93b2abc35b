"""Checking a file against what was issued: the signature (motcua.documents.signing.verify_pdf:
intact, chaining to the province's trust root, certificate valid and not revoked, timestamp),
whether these exact bytes are the ones issued (SHA-256) — under the code given, if any —,
whether that version has been superseded, and whether the dossier's audit chain is intact.

`valid` is the verdict a relying party needs: an authentic, unmodified, current result. Every
failure has its own reason, in this order of precedence: the signature's own reason (a modified
byte, another key, an expired or revoked certificate, no signature), then "never issued", then
"not the file issued under this code", then "superseded by …", then a broken audit chain.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import asdict, dataclass
from typing import Any

from django.utils.translation import gettext as _

from motcua.dossiers.audit import chain_verify

from .models import ResultDocument
from .selectors import result_get_by_code, result_get_by_sha256


@dataclass(frozen=True)
class Verdict:
    valid: bool
    reason: str
    reason_code: str
    signer: str | None
    signed_at: dt.datetime | None
    issued: bool
    superseded: str | None
    audit_intact: bool | None
    code: str | None
    timestamp_valid: bool | None = None

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["signed_at"] = self.signed_at.isoformat() if self.signed_at else None
        return data


def audit_intact(document: ResultDocument) -> bool:
    return chain_verify(document.dossier) is None


def result_verify_file(*, content: bytes, code: str | None = None) -> Verdict:
    from motcua.documents.signing import verify_pdf

    code = (code or "").strip().upper() or None
    digest = hashlib.sha256(content).hexdigest()
    named = result_get_by_code(code=code) if code else None
    issued_doc = named if named is not None and named.sha256 == digest else None
    if issued_doc is None and code is None:
        issued_doc = result_get_by_sha256(sha256=digest)
    check = verify_pdf(content)
    document = issued_doc or named
    superseding = document.superseding() if document is not None else None
    intact = audit_intact(document) if document is not None else None

    def verdict(valid: bool, reason: str, reason_code: str) -> Verdict:
        return Verdict(
            valid=valid,
            reason=reason,
            reason_code=reason_code,
            signer=check.signer or (issued_doc.signer if issued_doc else None),
            signed_at=check.signed_at,
            issued=issued_doc is not None,
            superseded=superseding.code if superseding is not None else None,
            audit_intact=intact,
            code=issued_doc.code if issued_doc is not None else code,
            timestamp_valid=check.timestamp_valid,
        )

    if not check.valid:
        return verdict(False, str(check.reason), str(check.code or "signature_invalid"))
    if code is not None and named is None:
        return verdict(
            False,
            _("Không có kết quả điện tử nào mang mã %(code)s.") % {"code": code},
            "unknown_code",
        )
    if issued_doc is None and named is not None:
        elsewhere = result_get_by_sha256(sha256=digest)
        if elsewhere is not None:
            return verdict(
                False,
                _(
                    "Tệp có chữ ký số hợp lệ nhưng không phải tệp đã cấp dưới mã %(code)s "
                    "(đây là kết quả %(other)s)."
                )
                % {"code": named.code, "other": elsewhere.code},
                "not_this_result",
            )
        return verdict(
            False,
            _(
                "Tệp có chữ ký số hợp lệ nhưng không phải kết quả do hệ thống cấp (chưa từng "
                "cấp): mã băm SHA-256 khác tệp đã cấp dưới mã %(code)s."
            )
            % {"code": named.code},
            "never_issued",
        )
    if issued_doc is None:
        return verdict(
            False,
            _("Tệp có chữ ký số hợp lệ nhưng không phải kết quả do hệ thống cấp (chưa từng cấp)."),
            "never_issued",
        )
    if superseding is not None:
        return verdict(
            False,
            _("Kết quả %(code)s đã được thay thế bởi kết quả %(new)s.")
            % {"code": issued_doc.code, "new": superseding.code},
            "superseded",
        )
    if not intact:
        return verdict(
            False,
            _("Nhật ký xử lý của hồ sơ không còn toàn vẹn: không xác nhận được kết quả."),
            "audit_broken",
        )
    return verdict(
        True,
        _("Kết quả hợp lệ: đúng tệp đã cấp, chữ ký số hợp lệ, là phiên bản hiện hành."),
        "valid",
    )
