"""Signing result PDFs with the agency's certificate (PAdES baseline) and checking them (pyHanko).

Rules (docs/SIGNING.md says them for people):

- A unit signs with its own configured certificate, else with its nearest ancestor's (a ward's
  one-stop desk signs with the ward's certificate). The PKCS#12 file stays on disk; its password
  comes from an environment variable or a file named in the row, never from the database.
- The certificate must be valid at the moment of signing (and at the moment the document claims,
  `at`); otherwise signing stops with a Vietnamese message and nothing is written.
- Every signature is PAdES (ETSI.CAdES.detached) with a visible block on the last page naming the
  signer, the agency and the local time (Asia/Ho_Chi_Minh), and an RFC 3161 timestamp when
  `MOTCUA_SIGNING_TSA_URL` is set.
- Verification uses pyHanko's validator against the province's trust roots
  (`MOTCUA_SIGNING_TRUST_ROOTS`, default the demo root under DATA_DIR/signing/) with the CRLs the
  CA publishes (`MOTCUA_SIGNING_CRLS`, default the demo CRL), never the network. A signature with
  a valid timestamp is judged at the timestamp's time (an expiry or a revocation after it does not
  undo it, as PAdES intends); one without a timestamp is judged now.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import functools
import io
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.orgs.models import Unit

from .models import SigningCertificate
from .pdf import html_to_pdf
from .words import VN_TZ, nfc

logger = logging.getLogger(__name__)

# Where the visible signature block sits on the last page, in PDF points from the bottom-left
# corner of an A4 page (595 × 842): the lower right, where a Vietnamese decision puts the signer.
# Result templates keep this area free.
SIGNATURE_BOX = (315, 36, 560, 126)
SIGNATURE_FIELD_PREFIX = "ChuKySo"


class SigningError(Exception):
    """Signing could not be done; `message` is a sentence for the officer, `code` for programs."""

    def __init__(self, message: str, *, code: str = "signing") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class SignatureCheck:
    """What verify_pdf found. `code` is one of CHECK_CODES; `reason` says it in Vietnamese."""

    valid: bool
    reason: str
    code: str
    signer: str = ""
    signed_at: dt.datetime | None = None
    timestamp_valid: bool | None = None
    agency: str = ""
    certificate_serial: str = ""


CHECK_CODES = ("ok", "modified", "untrusted", "expired", "revoked", "unsigned", "malformed")


def check_reason(code: str) -> str:
    """The Vietnamese sentence for a check code (the page and the API show it)."""
    return {
        "ok": _("Chữ ký số hợp lệ, thuộc chuỗi tin cậy của tỉnh; tệp không bị sửa sau khi ký."),
        "modified": _("Tệp đã bị sửa sau khi ký."),
        "untrusted": _("Chữ ký không thuộc chuỗi tin cậy của tỉnh."),
        "expired": _("Chứng thư số đã hết hạn hoặc chưa có hiệu lực."),
        "revoked": _("Chứng thư số đã bị thu hồi."),
        "unsigned": _("Tệp không có chữ ký số."),
        "malformed": _("Tệp không phải là tệp PDF hợp lệ hoặc chữ ký số bị hỏng."),
    }[code]


# ---------------------------------------------------------------------------------------------
# The agency's certificate


@dataclass(frozen=True)
class LoadedIdentity:
    """A PKCS#12's key and certificates, as the cryptography library reads them."""

    key: Any
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]


@dataclass(frozen=True)
class CertificateFacts:
    subject: str
    issuer: str
    serial: str
    fingerprint: str
    not_before: dt.datetime
    not_after: dt.datetime


def resolve_path(path: str) -> Path:
    """A configured path: absolute as written, else relative to DATA_DIR."""
    candidate = Path(path).expanduser()
    return candidate if candidate.is_absolute() else Path(settings.DATA_DIR) / candidate


def certificate_facts(certificate: x509.Certificate) -> CertificateFacts:
    return CertificateFacts(
        subject=certificate.subject.rfc4514_string(),
        issuer=certificate.issuer.rfc4514_string(),
        serial=format(certificate.serial_number, "x"),
        fingerprint=certificate.fingerprint(hashes.SHA256()).hex(),
        not_before=certificate.not_valid_before_utc,
        not_after=certificate.not_valid_after_utc,
    )


def common_name(certificate: x509.Certificate) -> str:
    names = certificate.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    return str(names[0].value) if names else certificate.subject.rfc4514_string()


def load_identity(*, pkcs12_path: str, password: bytes) -> LoadedIdentity:
    """Open a PKCS#12 file; SigningError (Vietnamese) when it is missing, locked or incomplete."""
    path = resolve_path(pkcs12_path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SigningError(
            _("Không tìm thấy tệp chứng thư số (PKCS#12) tại %(path)s.") % {"path": path},
            code="missing_file",
        ) from None
    except OSError as exc:
        raise SigningError(
            _("Không đọc được tệp chứng thư số %(path)s: %(error)s.")
            % {"path": path, "error": exc.strerror or exc},
            code="missing_file",
        ) from None
    try:
        key, certificate, chain = pkcs12.load_key_and_certificates(data, password or None)
    except ValueError:
        raise SigningError(
            _("Không mở được tệp chứng thư số %(path)s: sai mật khẩu hoặc tệp không phải PKCS#12.")
            % {"path": path},
            code="wrong_password",
        ) from None
    if key is None:
        raise SigningError(
            _("Tệp chứng thư số %(path)s không chứa khoá bí mật.") % {"path": path},
            code="missing_key",
        )
    if certificate is None:
        raise SigningError(
            _("Tệp chứng thư số %(path)s không chứa chứng thư của cơ quan.") % {"path": path},
            code="missing_certificate",
        )
    return LoadedIdentity(key=key, certificate=certificate, chain=tuple(chain or ()))


def read_password(*, password_env: str, password_file: str) -> bytes:
    """The PKCS#12 password from the variable or the file the row names (never from the DB)."""
    if password_env:
        # The variable's name is configuration data per agency, so it cannot be a fixed setting.
        value = os.environ.get(password_env)
        if value is None:
            raise SigningError(
                _("Biến môi trường %(name)s chứa mật khẩu chứng thư số chưa được đặt.")
                % {"name": password_env},
                code="missing_password",
            )
        return value.encode("utf-8")
    if password_file:
        path = resolve_path(password_file)
        try:
            return path.read_bytes().rstrip(b"\r\n")
        except OSError:
            raise SigningError(
                _("Không đọc được tệp mật khẩu chứng thư số %(path)s.") % {"path": path},
                code="missing_password",
            ) from None
    raise SigningError(
        _("Chưa cấu hình nguồn mật khẩu (biến môi trường hoặc tệp) cho chứng thư số."),
        code="missing_password",
    )


def check_validity(*, certificate: x509.Certificate, moments: list[dt.datetime]) -> None:
    """SigningError unless the certificate is within its validity at every moment given."""
    facts = certificate_facts(certificate)
    for moment in moments:
        if moment > facts.not_after:
            raise SigningError(
                _("Chứng thư số của cơ quan đã hết hạn từ %(date)s; không thể ký kết quả.")
                % {"date": facts.not_after.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M")},
                code="expired",
            )
        if moment < facts.not_before:
            raise SigningError(
                _("Chứng thư số của cơ quan chỉ có hiệu lực từ %(date)s; không thể ký kết quả.")
                % {"date": facts.not_before.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M")},
                code="not_yet_valid",
            )


def check_not_revoked(*, certificate: x509.Certificate) -> None:
    """SigningError when a configured CRL of the certificate's issuer lists it."""
    for path, _mtime, _size in _file_keys(crl_paths()):
        data = Path(path).read_bytes()
        try:
            crl = (
                x509.load_pem_x509_crl(data)
                if b"-----BEGIN" in data
                else x509.load_der_x509_crl(data)
            )
        except ValueError:
            logger.warning("CRL file %s cannot be read; it is ignored.", path)
            continue
        if crl.issuer != certificate.issuer:
            continue
        entry = crl.get_revoked_certificate_by_serial_number(certificate.serial_number)
        if entry is not None:
            raise SigningError(
                _("Chứng thư số của cơ quan đã bị thu hồi từ %(date)s; không thể ký kết quả.")
                % {"date": entry.revocation_date_utc.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M")},
                code="revoked",
            )


def certificate_for_unit(unit: Unit) -> SigningCertificate:
    """The unit's own active certificate, else its nearest ancestor's; SigningError if none."""
    ids = unit.ancestor_ids() or [unit.pk]
    rows = {
        row.unit_id: row
        for row in SigningCertificate.objects.filter(unit_id__in=ids, is_active=True)
    }
    for unit_id in reversed(ids):
        if unit_id in rows:
            return rows[unit_id]
    raise SigningError(
        _("Cơ quan %(unit)s chưa được cấu hình chứng thư số để ký kết quả.") % {"unit": unit.name},
        code="no_certificate",
    )


def certificate_identity(row: SigningCertificate) -> LoadedIdentity:
    return load_identity(
        pkcs12_path=row.pkcs12_path,
        password=read_password(password_env=row.password_env, password_file=row.password_file),
    )


def signing_certificate_save(
    *,
    unit: Unit,
    label: str,
    pkcs12_path: str,
    password_env: str = "",
    password_file: str = "",
    is_demo: bool = False,
) -> SigningCertificate:
    """Create or replace the unit's certificate after opening it (the admin form checks the same)."""
    identity = load_identity(
        pkcs12_path=pkcs12_path,
        password=read_password(password_env=password_env, password_file=password_file),
    )
    check_validity(certificate=identity.certificate, moments=[timezone.now()])
    facts = certificate_facts(identity.certificate)
    row, _created = SigningCertificate.objects.update_or_create(
        unit=unit,
        defaults={
            "label": label,
            "pkcs12_path": pkcs12_path,
            "password_env": password_env,
            "password_file": password_file,
            "is_demo": is_demo,
            "is_active": True,
            "subject": facts.subject,
            "issuer": facts.issuer,
            "serial": facts.serial,
            "fingerprint": facts.fingerprint,
            "not_before": facts.not_before,
            "not_after": facts.not_after,
        },
    )
    return row


# ---------------------------------------------------------------------------------------------
# Signing


def local_time_text(moment: dt.datetime) -> str:
    return moment.astimezone(VN_TZ).strftime("%H:%M:%S ngày %d/%m/%Y (GMT+7)")


def signature_block_pdf(*, signer: str, agency: str, moment: dt.datetime, demo: bool) -> bytes:
    """The visible signature block as a one-page PDF of the box's size (WeasyPrint, our fonts).

    pyHanko's own text stamps write glyph widths for 1000-unit fonts only, which spaces out the
    letters of Liberation Serif (2048 units); a page drawn by WeasyPrint, as every form is,
    keeps the Vietnamese text and the fonts of the documents.
    """
    width = SIGNATURE_BOX[2] - SIGNATURE_BOX[0]
    height = SIGNATURE_BOX[3] - SIGNATURE_BOX[1]
    return html_to_pdf(
        html=render_to_string(
            "documents/signature_block.html",
            {
                "width": width,
                "height": height,
                "signer": signer,
                "agency": agency,
                "time": local_time_text(moment),
                "demo": demo,
            },
        )
    )


def _stamp_style(block: bytes):  # type: ignore[no-untyped-def]
    from pyhanko.pdf_utils.content import PdfContent
    from pyhanko.pdf_utils.layout import BoxConstraints
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.stamp import StaticStampStyle

    class BlockPage(PdfContent):
        """ImportedPdfPage for bytes in memory (pyHanko's reads a file by name)."""

        def render(self) -> bytes:
            xobj = self._ensure_writer.import_page_as_xobject(
                PdfFileReader(io.BytesIO(block)), page_ix=0
            )
            self.resources.xobject["/SignatureBlock"] = xobj
            x1, y1, x2, y2 = xobj.get_object()["/BBox"]
            self.box = BoxConstraints(width=abs(x1 - x2), height=abs(y1 - y2))
            return b"/SignatureBlock Do"

    return StaticStampStyle(background=BlockPage(), border_width=0)


def _timestamper():  # type: ignore[no-untyped-def]
    url = getattr(settings, "MOTCUA_SIGNING_TSA_URL", "")
    if not url:
        return None
    from pyhanko.sign.timestamps import HTTPTimeStamper

    return HTTPTimeStamper(url, timeout=float(getattr(settings, "MOTCUA_SIGNING_TSA_TIMEOUT", 15)))


def sign_pdf(
    *,
    pdf: bytes,
    unit: Unit,
    signer_name: str,
    reason: str,
    location: str = "",
    at: dt.datetime | None = None,
) -> bytes:
    """The PDF signed (PAdES, visible block on the last page) with the unit's certificate."""
    row = certificate_for_unit(unit)
    return sign_pdf_with(
        pdf=pdf,
        identity=certificate_identity(row),
        agency=row.unit.name,
        signer_name=signer_name,
        reason=reason,
        location=location,
        at=at,
        demo=row.is_demo,
    )


def _off_the_event_loop(call: Any) -> Any:
    """pyHanko's synchronous API runs its own event loop (`asyncio.run`), which cannot start in a
    thread that already runs one (an ASGI server's, Playwright's sync API in the browser tests):
    there the call runs on a thread of its own, and its result or error comes back here."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return call()
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result()


def sign_pdf_with(
    *,
    pdf: bytes,
    identity: LoadedIdentity,
    agency: str,
    signer_name: str,
    reason: str,
    location: str = "",
    at: dt.datetime | None = None,
    demo: bool = False,
) -> bytes:
    """Sign with an identity already loaded (sign_pdf looks it up; tests bring other CAs)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.sign import fields, signers
    from pyhanko.sign.general import SigningError as HankoSigningError
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    if at is not None and timezone.is_naive(at):
        raise ValueError("sign_pdf needs an aware datetime for `at`")
    now = timezone.now()
    claimed = at or now
    check_validity(certificate=identity.certificate, moments=[now, claimed])
    check_not_revoked(certificate=identity.certificate)
    if not signer_name.strip():
        raise SigningError(_("Thiếu tên người ký."), code="signer_name")

    cert = asn1_x509.Certificate.load(identity.certificate.public_bytes(serialization.Encoding.DER))
    key = asn1_keys.PrivateKeyInfo.load(
        identity.key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    chain = [
        asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER))
        for c in identity.chain
    ]
    signer = signers.SimpleSigner(
        signing_cert=cert,
        signing_key=key,
        cert_registry=SimpleCertificateStore.from_certs(chain),
    )
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        pages = int(writer.root["/Pages"]["/Count"])
        existing = len(writer.prev.embedded_signatures)
    except (PdfError, KeyError, ValueError, TypeError):
        raise SigningError(_("Tệp cần ký không phải là tệp PDF hợp lệ."), code="bad_pdf") from None
    field_name = f"{SIGNATURE_FIELD_PREFIX}{existing + 1}"
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        reason=nfc(reason),
        location=nfc(location) or None,
        name=nfc(signer_name),
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    pdf_signer = _pdf_signer_class()(
        meta,
        signer=signer,
        timestamper=_timestamper(),
        stamp_style=_stamp_style(
            signature_block_pdf(
                signer=nfc(signer_name), agency=nfc(agency), moment=claimed, demo=demo
            )
        ),
        new_field_spec=fields.SigFieldSpec(
            sig_field_name=field_name, on_page=pages - 1, box=SIGNATURE_BOX
        ),
        system_time=claimed,
    )
    try:
        out = _off_the_event_loop(lambda: pdf_signer.sign_pdf(writer))
    except (HankoSigningError, PdfError) as exc:
        raise SigningError(
            _("Không ký được tài liệu: %(error)s") % {"error": exc}, code="pyhanko"
        ) from None
    except OSError as exc:
        # The timestamp authority could not be reached (or answered garbage).
        raise SigningError(
            _("Không lấy được dấu thời gian từ máy chủ cấp dấu thời gian: %(error)s")
            % {"error": exc},
            code="tsa",
        ) from None
    return out.getvalue()


@functools.cache
def _pdf_signer_class():  # type: ignore[no-untyped-def]
    # Built on first use: importing pyHanko costs about a second, not every process signs.
    from pyhanko.sign import signers

    class TimedPdfSigner(signers.PdfSigner):
        """A PdfSigner whose claimed signing time is the given moment instead of the clock."""

        def __init__(self, *args: Any, system_time: dt.datetime, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._system_time = system_time

        def init_signing_session(self, pdf_out, existing_fields_only=False):  # type: ignore[no-untyped-def]
            session = super().init_signing_session(pdf_out, existing_fields_only)
            session.system_time = self._system_time
            return session

    return TimedPdfSigner


# ---------------------------------------------------------------------------------------------
# Verification


def _default_demo_file(name: str) -> list[str]:
    path = Path(settings.DATA_DIR) / "signing" / name
    return [str(path)] if path.is_file() else []


def trust_root_paths() -> list[str]:
    configured = getattr(settings, "MOTCUA_SIGNING_TRUST_ROOTS", None)
    return list(configured) if configured else _default_demo_file("demo-root.pem")


def crl_paths() -> list[str]:
    configured = getattr(settings, "MOTCUA_SIGNING_CRLS", None)
    return list(configured) if configured else _default_demo_file("demo-root.crl")


def _file_keys(paths: list[str]) -> tuple[tuple[str, int, int], ...]:
    """(path, mtime, size) of each file that exists: a changed CRL is read again, not cached."""
    keys = []
    for path in paths:
        resolved = resolve_path(path)
        try:
            info = resolved.stat()
        except OSError:
            logger.warning("Signing trust file %s is missing; it is ignored.", resolved)
            continue
        keys.append((str(resolved), info.st_mtime_ns, info.st_size))
    return tuple(keys)


@functools.lru_cache(maxsize=16)
def _read_certificates(files: tuple[tuple[str, int, int], ...]) -> tuple[Any, ...]:
    certificates = []
    for path, _mtime, _size in files:
        data = Path(path).read_bytes()
        for cert in (
            x509.load_pem_x509_certificates(data)
            if b"-----BEGIN" in data
            else [x509.load_der_x509_certificate(data)]
        ):
            certificates.append(
                asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
            )
    return tuple(certificates)


@functools.lru_cache(maxsize=16)
def _read_crls(files: tuple[tuple[str, int, int], ...]) -> tuple[bytes, ...]:
    crls = []
    for path, _mtime, _size in files:
        data = Path(path).read_bytes()
        if b"-----BEGIN" in data:
            data = x509.load_pem_x509_crl(data).public_bytes(serialization.Encoding.DER)
        crls.append(data)
    return tuple(crls)


def validation_context(*, moment: dt.datetime | None = None):  # type: ignore[no-untyped-def]
    """pyHanko's context: our trust roots and CRLs, no network, optionally at a past moment."""
    from pyhanko_certvalidator import ValidationContext

    kwargs: dict[str, Any] = {
        "trust_roots": list(_read_certificates(_file_keys(trust_root_paths()))),
        "crls": list(_read_crls(_file_keys(crl_paths()))),
        "allow_fetching": False,
        # A CRL that lists the certificate fails it; a CA without a CRL does not block.
        "revocation_mode": "soft-fail",
    }
    if moment is not None:
        kwargs["moment"] = moment
        kwargs["retroactive_revinfo"] = True
    return ValidationContext(**kwargs)


def _result(code: str, **fields: Any) -> SignatureCheck:
    return SignatureCheck(valid=code == "ok", reason=check_reason(code), code=code, **fields)


def _classify(status: Any) -> str:
    from pyhanko.sign.ades.report import AdESIndeterminate
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    if not status.intact or not status.valid:
        return "modified"
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE and (
        status.coverage != SignatureCoverageLevel.ENTIRE_REVISION or not status.docmdp_ok
    ):
        return "modified"
    if status.revoked:
        return "revoked"
    indic = status.trust_problem_indic
    if indic in (
        AdESIndeterminate.EXPIRED,
        AdESIndeterminate.NOT_YET_VALID,
        AdESIndeterminate.OUT_OF_BOUNDS_NO_POE,
        AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED,
    ):
        return "expired"
    if indic in (AdESIndeterminate.REVOKED_NO_POE, AdESIndeterminate.REVOKED_CA_NO_POE):
        return "revoked"
    if not status.trusted:
        return "untrusted"
    return "ok"


def verify_pdf(pdf: bytes) -> SignatureCheck:
    """Check every signature of the PDF; the first problem found decides. Never raises."""
    try:
        return _verify(pdf)
    except Exception:  # a verifier answers about any bytes, it never crashes
        return _result("malformed")


def _verify(pdf: bytes) -> SignatureCheck:
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader

    if pdf.lstrip()[:5] != b"%PDF-":
        return _result("malformed")
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    except (PdfError, ValueError, KeyError, TypeError):
        # A signed PDF whose bytes were changed may no longer even parse.
        return _result("modified" if b"/ByteRange" in pdf else "malformed")
    if not signatures:
        # A file that still holds a signature dictionary the reader cannot reach was damaged.
        return _result("modified" if b"/ByteRange" in pdf else "unsigned")
    results = []
    for embedded in signatures:
        try:
            results.append(_check_signature(embedded))
        except Exception:  # the file names a signature whose bytes no longer make one
            logger.info("A signature could not be read back", exc_info=True)
            results.append(_result("modified"))
    # The last signature speaks for the file, unless an earlier one is already broken.
    return next((r for r in results if not r.valid), results[-1])


def _check_signature(embedded: Any) -> SignatureCheck:
    from pyhanko.sign.validation import validate_pdf_signature

    # The contexts are read here (they may read the database), only pyHanko runs off the loop.
    signer_context, ts_context = validation_context(), validation_context()
    status = _off_the_event_loop(
        lambda: validate_pdf_signature(
            embedded, signer_validation_context=signer_context, ts_validation_context=ts_context
        )
    )
    ts = status.timestamp_validity
    timestamp_valid = None if ts is None else bool(ts.intact and ts.valid and ts.trusted)
    code = _classify(status)
    if code in ("expired", "revoked") and timestamp_valid:
        # Judged at the time the TSA attests: a later expiry or revocation keeps it valid.
        signer_context, ts_context = validation_context(moment=ts.timestamp), validation_context()
        status = _off_the_event_loop(
            lambda: validate_pdf_signature(
                embedded, signer_validation_context=signer_context, ts_validation_context=ts_context
            )
        )
        code = _classify(status)
    cert = x509.load_der_x509_certificate(status.signing_cert.dump())
    name = embedded.sig_object.get("/Name")
    return _result(
        code,
        signer=str(name) if name else common_name(cert),
        signed_at=ts.timestamp if timestamp_valid else status.signer_reported_dt,
        timestamp_valid=timestamp_valid,
        agency=common_name(cert),
        certificate_serial=format(cert.serial_number, "x"),
    )
