"""Signing and checking result PDFs: every verdict is cross-checked with pyHanko's own validator."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import shutil
import stat
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from django.core.management import call_command
from django.utils import timezone
from PIL import Image
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from motcua.documents.admin import SigningCertificateForm
from motcua.documents.demo import (
    ROOT_CERT,
    ROOT_CRL,
    Authority,
    demo_ca_create,
    demo_ca_revoke,
    issue_certificate,
    load_or_create_root,
    make_authority,
    write_pkcs12,
)
from motcua.documents.models import SigningCertificate
from motcua.documents.pdf import html_to_pdf
from motcua.documents.signing import (
    SIGNATURE_BOX,
    LoadedIdentity,
    SigningError,
    check_reason,
    sign_pdf,
    sign_pdf_with,
    verify_pdf,
)
from motcua.orgs.models import Unit

from .conftest import pdf_text

SIGNER = "Trần Đức Thắng"
REASON = "Phê duyệt kết quả giải quyết thủ tục hành chính"
AT = dt.datetime(2025, 7, 25, 9, 30, tzinfo=dt.UTC)

# ---------------------------------------------------------------------------------------------
# Fixtures: one demo CA for the session (ECDSA keys, fast), its files in a temporary folder.


@pytest.fixture(scope="session")
def ca_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("signing")
    load_or_create_root(directory)
    return directory


@pytest.fixture(scope="session")
def authority(ca_dir: Path) -> Authority:
    return load_or_create_root(ca_dir)[0]


@pytest.fixture
def trust(settings, ca_dir: Path) -> Path:  # type: ignore[no-untyped-def]
    """The demo root and its CRL are the province's trust anchors; no TSA."""
    settings.DATA_DIR = ca_dir.parent
    settings.MOTCUA_SIGNING_TRUST_ROOTS = [str(ca_dir / ROOT_CERT)]
    settings.MOTCUA_SIGNING_CRLS = [str(ca_dir / ROOT_CRL)]
    settings.MOTCUA_SIGNING_TSA_URL = ""
    return ca_dir


@pytest.fixture
def certified(trust: Path, province: Unit, department: Unit) -> Path:
    """The province and its department hold demo certificates (the centre has none of its own)."""
    demo_ca_create(directory=trust, units=[province, department])
    return trust


@pytest.fixture(scope="session")
def document() -> bytes:
    return html_to_pdf(
        html="<html lang='vi'><body><h1>QUYẾT ĐỊNH</h1>"
        "<p>Về việc cấp Giấy đăng ký hoạt động Văn phòng công chứng Đắk Lắk</p></body></html>"
    )


@pytest.fixture(scope="session")
def two_pages() -> bytes:
    return html_to_pdf(
        html="<html><body><p>Trang một</p><p style='page-break-before: always'>Trang hai</p>"
        "</body></html>"
    )


def pyhanko_status(pdf: bytes, root_pem: Path, crl: Path | None = None):  # type: ignore[no-untyped-def]
    """pyHanko's own verdict, with a context built here from the files (not from our code)."""
    root = asn1_x509.Certificate.load(
        x509.load_pem_x509_certificate(root_pem.read_bytes()).public_bytes(
            serialization.Encoding.DER
        )
    )
    context = ValidationContext(
        trust_roots=[root],
        crls=[crl.read_bytes()] if crl else [],
        allow_fetching=False,
        revocation_mode="soft-fail",
    )
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    return validate_pdf_signature(reader.embedded_signatures[-1], context)


def identity(key, certificate: x509.Certificate, chain: list[x509.Certificate]) -> LoadedIdentity:  # type: ignore[no-untyped-def]
    return LoadedIdentity(key=key, certificate=certificate, chain=tuple(chain))


def register_p12(
    *,
    tmp_path: Path,
    unit: Unit,
    key,  # type: ignore[no-untyped-def]
    certificate: x509.Certificate | None,
    chain: list[x509.Certificate],
    password: bytes = b"mat-khau-thu",
) -> SigningCertificate:
    """A row written as an earlier admin might have left it (no checks), for signing to refuse."""
    path = tmp_path / f"{unit.code}.p12"
    path.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"test", key, certificate, chain, serialization.BestAvailableEncryption(password)
        )
    )
    pass_file = tmp_path / f"{unit.code}.pass"
    pass_file.write_bytes(password)
    SigningCertificate.objects.filter(unit=unit).delete()
    return SigningCertificate.objects.create(
        unit=unit, label="thử", pkcs12_path=str(path), password_file=str(pass_file)
    )


# ---------------------------------------------------------------------------------------------
# A valid signature


def test_a_signed_pdf_validates_against_the_demo_root(
    certified: Path, department: Unit, document: bytes
) -> None:
    signed = sign_pdf(pdf=document, unit=department, signer_name=SIGNER, reason=REASON, at=AT)

    check = verify_pdf(signed)
    assert check.valid and check.code == "ok", check
    assert check.reason == check_reason("ok")
    assert check.signer == SIGNER
    assert check.agency == department.name
    assert check.signed_at == AT
    assert check.timestamp_valid is None

    # The independent check: pyHanko's validator with a context built from the root's file.
    status = pyhanko_status(signed, certified / ROOT_CERT, certified / ROOT_CRL)
    assert status.bottom_line and status.trusted and status.intact
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    reader = PdfFileReader(io.BytesIO(signed), strict=False)
    assert reader.embedded_signatures[0].sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert reader.embedded_signatures[0].sig_object["/Reason"] == REASON
    # The original document's bytes are untouched: signing appends an incremental update.
    assert signed.startswith(document)
    assert hashlib.sha256(signed).hexdigest() != hashlib.sha256(document).hexdigest()


def test_signing_and_checking_work_where_an_event_loop_is_running(
    certified: Path, department: Unit, document: bytes
) -> None:
    """pyHanko's synchronous calls start an event loop of their own (`asyncio.run`): beside
    Playwright's sync API in this suite, or under an ASGI server, one is already running in the
    thread, and they failed with "asyncio.run() cannot be called from a running event loop".
    The loop is marked running here as Playwright's sync API leaves it."""
    import asyncio

    from motcua.documents.signing import certificate_for_unit, certificate_identity

    # The certificate is read before (the ORM beside a running loop takes another connection,
    # which would not see this test's rows); pyHanko's part is what runs beside the loop.
    row = certificate_for_unit(department)
    loaded, agency = certificate_identity(row), row.unit.name
    loop = asyncio.new_event_loop()
    asyncio._set_running_loop(loop)
    try:
        signed = sign_pdf_with(
            pdf=document,
            identity=loaded,
            agency=agency,
            signer_name=SIGNER,
            reason=REASON,
            at=AT,
            demo=row.is_demo,
        )
        check = verify_pdf(signed)
    finally:
        asyncio._set_running_loop(None)
        loop.close()
    assert check.valid and check.code == "ok", check


def test_a_unit_without_its_own_certificate_signs_with_its_nearest_ancestors(
    certified: Path, centre: Unit, province: Unit, document: bytes
) -> None:
    signed = sign_pdf(pdf=document, unit=centre, signer_name=SIGNER, reason=REASON)
    check = verify_pdf(signed)
    assert check.valid
    assert check.agency == province.name


def test_no_certificate_up_the_chain_stops_signing(
    trust: Path, centre: Unit, document: bytes
) -> None:
    with pytest.raises(SigningError) as caught:
        sign_pdf(pdf=document, unit=centre, signer_name=SIGNER, reason=REASON)
    assert caught.value.code == "no_certificate"
    assert "chưa được cấu hình chứng thư số" in caught.value.message


def test_the_block_is_on_the_last_page(certified: Path, department: Unit, two_pages: bytes) -> None:
    signed = sign_pdf(pdf=two_pages, unit=department, signer_name=SIGNER, reason=REASON)
    reader = PdfFileReader(io.BytesIO(signed), strict=False)
    pages = [reader.root["/Pages"]["/Kids"][i] for i in range(2)]
    annots = [[a.get_object() for a in page.get("/Annots", [])] for page in pages]
    assert not any(a.get("/FT") == "/Sig" for a in annots[0])
    [widget] = [a for a in annots[1] if a.get("/FT") == "/Sig"]
    assert [float(v) for v in widget["/Rect"]] == [float(v) for v in SIGNATURE_BOX]
    assert verify_pdf(signed).valid


def test_a_second_signature_keeps_both_valid(
    certified: Path, department: Unit, province: Unit, document: bytes
) -> None:
    once = sign_pdf(pdf=document, unit=department, signer_name=SIGNER, reason=REASON)
    twice = sign_pdf(pdf=once, unit=province, signer_name="Y Ngọc Niê", reason="Phê duyệt")
    check = verify_pdf(twice)
    assert check.valid and check.signer == "Y Ngọc Niê" and check.agency == province.name


# ---------------------------------------------------------------------------------------------
# What fails, and why


def _byte_inside_a_stream(pdf: bytes) -> int:
    """An offset inside the first content stream (the signed range), away from the xref."""
    start = pdf.index(b"stream", pdf.index(b"/Length")) + len(b"stream\n") + 10
    return start


def test_a_modified_byte_fails_as_modified(
    certified: Path, department: Unit, document: bytes
) -> None:
    signed = sign_pdf(pdf=document, unit=department, signer_name=SIGNER, reason=REASON)
    at = _byte_inside_a_stream(signed)
    tampered = bytearray(signed)
    tampered[at] ^= 0x01

    check = verify_pdf(bytes(tampered))
    assert not check.valid
    assert check.code == "modified"
    assert check.reason == "Tệp đã bị sửa sau khi ký."
    assert not pyhanko_status(bytes(tampered), certified / ROOT_CERT).intact


def test_no_single_changed_byte_of_the_signed_ranges_passes(
    certified: Path, department: Unit, document: bytes
) -> None:
    """Every byte outside the signature's own /Contents is covered: a flip anywhere fails."""
    signed = sign_pdf(pdf=document, unit=department, signer_name=SIGNER, reason=REASON)
    reader = PdfFileReader(io.BytesIO(signed), strict=False)
    start1, length1, start2, length2 = (
        int(v) for v in reader.embedded_signatures[0].sig_object["/ByteRange"]
    )
    assert start1 == 0 and start2 + length2 == len(signed)
    covered = list(range(start1, start1 + length1)) + list(range(start2, start2 + length2))
    step = max(1, len(covered) // 60)
    for at in covered[::step]:
        tampered = bytearray(signed)
        tampered[at] ^= 0x01
        check = verify_pdf(bytes(tampered))
        assert not check.valid, at
        assert check.code in ("modified", "malformed"), (at, check.code)
    # A changed digit of the signature value itself (inside /Contents) fails too.
    contents_at = start1 + length1 + 1 + 40
    tampered = bytearray(signed)
    tampered[contents_at] = ord("0") if tampered[contents_at] != ord("0") else ord("1")
    assert verify_pdf(bytes(tampered)).code == "modified"


def test_content_appended_after_signing_fails_as_modified(
    certified: Path, department: Unit, document: bytes
) -> None:
    from pyhanko.pdf_utils.generic import NameObject, TextStringObject
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    signed = sign_pdf(pdf=document, unit=department, signer_name=SIGNER, reason=REASON)
    writer = IncrementalPdfFileWriter(io.BytesIO(signed), strict=False)
    # Someone changes the document's title in a later revision, leaving the signature in place.
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    page[NameObject("/Rotate")] = TextStringObject("90")
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)

    check = verify_pdf(out.getvalue())
    assert check.code == "modified", check
    assert not pyhanko_status(out.getvalue(), certified / ROOT_CERT).bottom_line


def test_a_copy_resigned_with_another_cas_key_fails_as_untrusted(
    certified: Path, department: Unit, document: bytes
) -> None:
    forger = make_authority(common_name="CA giả mạo", organisation="Không phải tỉnh")
    key, certificate = issue_certificate(authority=forger, common_name=department.name)
    copy = sign_pdf_with(
        pdf=document,
        identity=identity(key, certificate, [forger.certificate]),
        agency=department.name,
        signer_name=SIGNER,
        reason=REASON,
    )
    check = verify_pdf(copy)
    assert not check.valid
    assert check.code == "untrusted"
    assert check.reason == "Chữ ký không thuộc chuỗi tin cậy của tỉnh."
    status = pyhanko_status(copy, certified / ROOT_CERT)
    assert status.intact and not status.trusted


def test_a_revoked_certificate_fails_as_revoked(
    settings, certified: Path, department: Unit, document: bytes, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    signed = sign_pdf(pdf=document, unit=department, signer_name=SIGNER, reason=REASON)
    assert verify_pdf(signed).valid

    # The CA publishes a CRL listing the department's certificate (in a copy of the CA folder,
    # so that the session's CRL stays clean for the other tests).
    revoked_dir = tmp_path / "ca"
    shutil.copytree(certified, revoked_dir)
    serial = int(SigningCertificate.objects.get(unit=department).serial, 16)
    crl = demo_ca_revoke(serial=serial, directory=revoked_dir)
    settings.MOTCUA_SIGNING_CRLS = [str(crl)]

    check = verify_pdf(signed)
    assert not check.valid
    assert check.code == "revoked"
    assert check.reason == "Chứng thư số đã bị thu hồi."
    status = pyhanko_status(signed, certified / ROOT_CERT, crl)
    assert status.revoked and not status.trusted


def test_signing_with_an_expired_certificate_is_refused(
    certified: Path, authority: Authority, department: Unit, document: bytes, tmp_path: Path
) -> None:
    key, certificate = issue_certificate(
        authority=authority,
        common_name=department.name,
        not_before=dt.datetime(2021, 1, 1, tzinfo=dt.UTC),
        not_after=dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
    )
    register_p12(
        tmp_path=tmp_path,
        unit=department,
        key=key,
        certificate=certificate,
        chain=[authority.certificate],
    )
    with pytest.raises(SigningError) as caught:
        sign_pdf(pdf=document, unit=department, signer_name=SIGNER, reason=REASON)
    assert caught.value.code == "expired"
    assert caught.value.message == (
        "Chứng thư số của cơ quan đã hết hạn từ 01/01/2024 07:00; không thể ký kết quả."
    )


def test_signing_before_the_certificate_is_valid_is_refused(
    certified: Path, authority: Authority, department: Unit, document: bytes, tmp_path: Path
) -> None:
    key, certificate = issue_certificate(
        authority=authority,
        common_name=department.name,
        not_before=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
    )
    register_p12(
        tmp_path=tmp_path,
        unit=department,
        key=key,
        certificate=certificate,
        chain=[authority.certificate],
    )
    # The document claims a moment before the certificate existed.
    with pytest.raises(SigningError) as caught:
        sign_pdf(
            pdf=document,
            unit=department,
            signer_name=SIGNER,
            reason=REASON,
            at=dt.datetime(2024, 6, 1, tzinfo=dt.UTC),
        )
    assert caught.value.code == "not_yet_valid"
    assert "chỉ có hiệu lực từ 01/01/2025" in caught.value.message


def test_a_signature_checked_after_its_certificate_expired_without_a_timestamp_fails(
    certified: Path, authority: Authority, department: Unit, document: bytes
) -> None:
    """Without a timestamp nothing proves when it was signed: it is judged now, and fails."""
    key, certificate = issue_certificate(
        authority=authority,
        common_name=department.name,
        not_after=timezone.now() + dt.timedelta(seconds=1),
    )
    signed = sign_pdf_with(
        pdf=document,
        identity=identity(key, certificate, [authority.certificate]),
        agency=department.name,
        signer_name=SIGNER,
        reason=REASON,
    )
    assert verify_pdf(signed).valid
    time.sleep(3.5)
    check = verify_pdf(signed)
    assert check.code == "expired", check
    assert check.reason == check_reason("expired")
    assert not pyhanko_status(signed, certified / ROOT_CERT).trusted


def test_wrong_password_missing_key_and_missing_file_are_clear_errors(
    certified: Path, authority: Authority, department: Unit, document: bytes, tmp_path: Path
) -> None:
    row = SigningCertificate.objects.get(unit=department)
    wrong = tmp_path / "wrong.pass"
    wrong.write_text("sai-mat-khau")
    SigningCertificate.objects.filter(pk=row.pk).update(password_file=str(wrong))
    with pytest.raises(SigningError) as caught:
        sign_pdf(pdf=document, unit=department, signer_name=SIGNER, reason=REASON)
    assert caught.value.code == "wrong_password"
    assert "sai mật khẩu" in caught.value.message

    SigningCertificate.objects.filter(pk=row.pk).update(pkcs12_path=str(tmp_path / "none.p12"))
    with pytest.raises(SigningError) as caught:
        sign_pdf(pdf=document, unit=department, signer_name=SIGNER, reason=REASON)
    assert caught.value.code == "missing_file"
    assert "Không tìm thấy tệp chứng thư số" in caught.value.message

    _key, certificate = issue_certificate(authority=authority, common_name=department.name)
    register_p12(tmp_path=tmp_path, unit=department, key=None, certificate=certificate, chain=[])
    with pytest.raises(SigningError) as caught:
        sign_pdf(pdf=document, unit=department, signer_name=SIGNER, reason=REASON)
    assert caught.value.code == "missing_key"
    assert "không chứa khoá bí mật" in caught.value.message

    SigningCertificate.objects.filter(unit=department).update(
        password_file="", password_env="MOTCUA_TEST_P12_UNSET"
    )
    os.environ.pop("MOTCUA_TEST_P12_UNSET", None)
    with pytest.raises(SigningError) as caught:
        sign_pdf(pdf=document, unit=department, signer_name=SIGNER, reason=REASON)
    assert caught.value.code == "missing_password"
    assert "MOTCUA_TEST_P12_UNSET" in caught.value.message


def test_the_password_may_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, certified: Path, department: Unit, document: bytes
) -> None:
    row = SigningCertificate.objects.get(unit=department)
    password = (certified.parent / row.password_file).read_text()
    monkeypatch.setenv("MOTCUA_TEST_P12_PASSWORD", password)
    SigningCertificate.objects.filter(pk=row.pk).update(
        password_file="", password_env="MOTCUA_TEST_P12_PASSWORD"
    )
    assert verify_pdf(
        sign_pdf(pdf=document, unit=department, signer_name=SIGNER, reason=REASON)
    ).valid


def test_an_unsigned_pdf_and_garbage_are_told_apart(trust: Path, document: bytes) -> None:
    assert verify_pdf(document).code == "unsigned"
    assert verify_pdf(document).reason == "Tệp không có chữ ký số."
    for junk in (b"", b"not a pdf at all", b"%PDF-1.7\n\x00\x01garbage", os.urandom(2048)):
        check = verify_pdf(junk)
        assert not check.valid and check.code == "malformed", junk[:20]


def test_a_truncated_signed_pdf_never_validates(
    certified: Path, department: Unit, document: bytes
) -> None:
    signed = sign_pdf(pdf=document, unit=department, signer_name=SIGNER, reason=REASON)
    for cut in (len(signed) // 2, len(signed) - 40):
        check = verify_pdf(signed[:cut])
        assert not check.valid and check.code in ("modified", "malformed", "unsigned")


def test_signing_a_non_pdf_is_a_clear_error(certified: Path, department: Unit) -> None:
    with pytest.raises(SigningError) as caught:
        sign_pdf(pdf=b"hello", unit=department, signer_name=SIGNER, reason=REASON)
    assert caught.value.code == "bad_pdf"


# ---------------------------------------------------------------------------------------------
# RFC 3161: a timestamp authority of our own, over HTTP


@pytest.fixture
def tsa(settings, authority: Authority) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """A timestamp server (pyHanko's dummy TSA behind http.server) certified by the demo root."""
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    # pyHanko's dummy TSA signs with RSA only.
    key, certificate = issue_certificate(
        authority=authority,
        common_name="Máy chủ dấu thời gian (DEMO)",
        timestamping=True,
        key=rsa.generate_private_key(public_exponent=65537, key_size=2048),
    )
    stamper = DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER)),
        tsa_key=asn1_keys.PrivateKeyInfo.load(
            key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        ),
    )

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            answer = stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/tsa"
    settings.MOTCUA_SIGNING_TSA_URL = url
    yield url
    server.shutdown()
    server.server_close()


def test_a_timestamped_signature_stays_valid_after_the_certificate_expires(
    certified: Path, tsa: str, authority: Authority, department: Unit, document: bytes
) -> None:
    """PAdES with a timestamp: the certificate is judged at the time the TSA attests."""
    key, certificate = issue_certificate(
        authority=authority,
        common_name=department.name,
        not_after=timezone.now() + dt.timedelta(seconds=1),
    )
    signed = sign_pdf_with(
        pdf=document,
        identity=identity(key, certificate, [authority.certificate]),
        agency=department.name,
        signer_name=SIGNER,
        reason=REASON,
    )
    first = verify_pdf(signed)
    assert first.valid and first.timestamp_valid is True, first
    reader = PdfFileReader(io.BytesIO(signed), strict=False)
    assert reader.embedded_signatures[0].signer_info["unsigned_attrs"].native is not None

    time.sleep(3.5)
    later = verify_pdf(signed)
    assert later.valid and later.timestamp_valid is True, later
    assert abs((later.signed_at - timezone.now()).total_seconds()) < 60
    # pyHanko judging now (without the timestamp rule) would refuse it: the rule matters.
    assert not pyhanko_status(signed, certified / ROOT_CERT).trusted


def test_revocation_counts_from_its_date_for_a_timestamped_signature(
    settings,
    certified: Path,
    tsa: str,
    department: Unit,
    document: bytes,
    tmp_path: Path,
) -> None:  # type: ignore[no-untyped-def]
    """Revoked after the timestamp: still valid; revoked (dated) before it: revoked."""
    signed = sign_pdf(pdf=document, unit=department, signer_name=SIGNER, reason=REASON)
    assert verify_pdf(signed).timestamp_valid is True
    serial = int(SigningCertificate.objects.get(unit=department).serial, 16)

    after = tmp_path / "after"
    shutil.copytree(certified, after)
    time.sleep(1.5)  # past pyHanko's one-second tolerance
    settings.MOTCUA_SIGNING_CRLS = [str(demo_ca_revoke(serial=serial, directory=after))]
    later = verify_pdf(signed)
    assert later.valid and later.code == "ok", later

    before = tmp_path / "before"
    shutil.copytree(certified, before)
    settings.MOTCUA_SIGNING_CRLS = [
        str(
            demo_ca_revoke(
                serial=serial,
                at=timezone.now() - dt.timedelta(hours=1),
                directory=before,
            )
        )
    ]
    check = verify_pdf(signed)
    assert check.code == "revoked", check


def test_signing_with_a_revoked_certificate_is_refused(
    settings, certified: Path, department: Unit, document: bytes, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    revoked_dir = tmp_path / "ca"
    shutil.copytree(certified, revoked_dir)
    serial = int(SigningCertificate.objects.get(unit=department).serial, 16)
    settings.MOTCUA_SIGNING_CRLS = [str(demo_ca_revoke(serial=serial, directory=revoked_dir))]
    with pytest.raises(SigningError) as caught:
        sign_pdf(pdf=document, unit=department, signer_name=SIGNER, reason=REASON)
    assert caught.value.code == "revoked"
    assert "đã bị thu hồi" in caught.value.message


def test_an_unreachable_tsa_stops_signing(
    settings, certified: Path, department: Unit, document: bytes
) -> None:  # type: ignore[no-untyped-def]
    settings.MOTCUA_SIGNING_TSA_URL = "http://127.0.0.1:9/tsa"
    with pytest.raises(SigningError) as caught:
        sign_pdf(pdf=document, unit=department, signer_name=SIGNER, reason=REASON)
    assert caught.value.code == "tsa"


# ---------------------------------------------------------------------------------------------
# The visible block, as a reader sees it


def test_the_signature_block_is_visible_on_the_rendered_page(
    certified: Path, department: Unit, document: bytes, tmp_path: Path, keep
) -> None:  # type: ignore[no-untyped-def]
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm is missing: scripts/_system.sh installs poppler-utils")
    signed = sign_pdf(pdf=document, unit=department, signer_name=SIGNER, reason=REASON, at=AT)
    keep("signed.pdf", signed)

    def render(pdf: bytes, name: str) -> Image.Image:
        source = tmp_path / f"{name}.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "72",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                source,
                tmp_path / name,
            ],
            check=True,
        )
        return Image.open(tmp_path / f"{name}.png").convert("L")

    signed_page, plain_page = render(signed, "signed"), render(document, "plain")
    height = signed_page.height  # 72 dpi: one pixel per point
    x1, y1, x2, y2 = SIGNATURE_BOX
    box = (x1, height - y2, x2, height - y1)

    def dark_pixels(image: Image.Image) -> int:
        return sum(image.crop(box).histogram()[:200])

    assert dark_pixels(plain_page) == 0
    assert dark_pixels(signed_page) > 500
    # The block's text names the signer, the agency and the local time (poppler reads the
    # annotation's appearance; the page's own text is unchanged).
    text = " ".join(
        subprocess.run(
            ["pdftotext", "-f", "1", "-l", "1", tmp_path / "signed.pdf", "-"],
            capture_output=True,
            check=True,
        )
        .stdout.decode("utf-8")
        .split()
    )
    assert f"Người ký: {SIGNER}" in text
    assert f"Cơ quan: {department.name}" in text
    assert "Thời gian ký: 16:30:00 ngày 25/07/2025 (GMT+7)" in text
    assert "BẢN MINH HOẠ" in text
    assert pdf_text(signed) == pdf_text(document)


# ---------------------------------------------------------------------------------------------
# The demo CA, its commands and the admin


def test_demo_ca_is_idempotent_marks_itself_demo_and_keeps_secrets_private(
    settings, tmp_path: Path, province: Unit, department: Unit, centre: Unit
) -> None:  # type: ignore[no-untyped-def]
    settings.DATA_DIR = tmp_path
    settings.MOTCUA_SIGNING_TRUST_ROOTS = None
    settings.MOTCUA_SIGNING_CRLS = None
    real = Unit.objects.create(
        code="000.00.30.H16",
        name="Sở Xây dựng",
        kind="department",
        level="province",
        parent=province,
    )
    Unit.objects.exclude(pk=real.pk).update(is_demo=True)
    call_command("signing", "demo-ca", stdout=io.StringIO())
    directory = tmp_path / "signing"
    rows = {row.unit.code: row for row in SigningCertificate.objects.select_related("unit")}
    # Demo agencies get their own; the one-stop centre signs with its province's; a unit that is
    # not part of the demo never gets a demo certificate.
    assert set(rows) == {province.code, department.code}
    assert real.code not in rows
    root = x509.load_pem_x509_certificate((directory / ROOT_CERT).read_bytes())
    assert "DEMO" in root.subject.rfc4514_string()
    for row in rows.values():
        assert row.is_demo and "DEMO — KHÔNG DÙNG THẬT" in row.subject
        assert row.issuer == root.subject.rfc4514_string()
        assert not Path(row.pkcs12_path).is_absolute()  # relative to DATA_DIR: the folder moves
        for secret in (row.pkcs12_path, row.password_file):
            mode = stat.S_IMODE((tmp_path / secret).stat().st_mode)
            assert mode == 0o600, (secret, oct(mode))
        password = (tmp_path / row.password_file).read_text()
        # The password is nowhere in the row.
        assert all(
            password not in str(getattr(row, f.attname)) for f in SigningCertificate._meta.fields
        )
    assert stat.S_IMODE((directory / "demo-root.key").stat().st_mode) == 0o600
    before = {code: row.fingerprint for code, row in rows.items()}
    out = io.StringIO()
    call_command("signing", "demo-ca", stdout=out)
    assert "cấp mới 0 chứng thư" in out.getvalue()
    assert {
        row.unit.code: row.fingerprint for row in SigningCertificate.objects.select_related("unit")
    } == before

    # Without MOTCUA_SIGNING_TRUST_ROOTS the demo root under DATA_DIR is trusted.
    signed = sign_pdf(
        pdf=html_to_pdf(html="<p>Kết quả</p>"), unit=centre, signer_name=SIGNER, reason=REASON
    )
    assert verify_pdf(signed).valid

    target = tmp_path / "root.pem"
    call_command("signing", "export-root", str(target), stdout=io.StringIO())
    assert x509.load_pem_x509_certificate(target.read_bytes()) == root
    assert pyhanko_status(signed, target).trusted


def test_the_revoke_command_lists_the_certificate_in_the_crl(
    settings, tmp_path: Path, province: Unit, department: Unit
) -> None:  # type: ignore[no-untyped-def]
    settings.DATA_DIR = tmp_path
    settings.MOTCUA_SIGNING_TRUST_ROOTS = None
    settings.MOTCUA_SIGNING_CRLS = None
    Unit.objects.update(is_demo=True)
    call_command("signing", "demo-ca", stdout=io.StringIO())
    signed = sign_pdf(
        pdf=html_to_pdf(html="<p>Kết quả</p>"), unit=department, signer_name=SIGNER, reason=REASON
    )
    call_command("signing", "revoke", department.code, stdout=io.StringIO())
    crl = x509.load_der_x509_crl((tmp_path / "signing" / ROOT_CRL).read_bytes())
    serial = int(SigningCertificate.objects.get(unit=department).serial, 16)
    assert crl.get_revoked_certificate_by_serial_number(serial) is not None
    assert verify_pdf(signed).code == "revoked"


def _form(**overrides: object) -> SigningCertificateForm:
    return SigningCertificateForm(data=overrides)


def test_the_admin_form_checks_the_file_with_its_password(
    certified: Path, authority: Authority, province: Unit, centre: Unit, tmp_path: Path
) -> None:
    row = SigningCertificate.objects.get(unit=province)
    base = {
        "unit": centre.pk,
        "label": "Chứng thư của trung tâm",
        "pkcs12_path": row.pkcs12_path,
        "password_file": row.password_file,
        "password_env": "",
        "is_active": "on",
    }
    form = _form(**base)
    assert form.is_valid(), form.errors
    saved = form.save()
    assert saved.serial == row.serial and saved.not_after == row.not_after
    assert "DEMO" in saved.subject

    wrong = tmp_path / "wrong.pass"
    wrong.write_text("sai")
    form = _form(**(base | {"password_file": str(wrong)}))
    assert not form.is_valid()
    assert "sai mật khẩu" in str(form.errors)

    form = _form(**(base | {"password_env": "MOTCUA_P12_X"}))
    assert not form.is_valid()
    assert "Chọn đúng một nguồn mật khẩu" in str(form.errors)
    form = _form(**(base | {"password_file": ""}))
    assert not form.is_valid()
    assert "Chọn đúng một nguồn mật khẩu" in str(form.errors)

    form = _form(**(base | {"pkcs12_path": str(tmp_path / "khong-co.p12")}))
    assert not form.is_valid()
    assert "Không tìm thấy tệp chứng thư số" in str(form.errors)

    key, certificate = issue_certificate(
        authority=authority,
        common_name=centre.name,
        not_before=dt.datetime(2021, 1, 1, tzinfo=dt.UTC),
        not_after=dt.datetime(2023, 1, 1, tzinfo=dt.UTC),
    )
    expired = tmp_path / "expired.p12"
    write_pkcs12(
        path=expired,
        key=key,
        certificate=certificate,
        chain=[authority.certificate],
        password=b"mk",
    )
    (tmp_path / "expired.pass").write_text("mk")
    form = _form(
        **(base | {"pkcs12_path": str(expired), "password_file": str(tmp_path / "expired.pass")})
    )
    assert not form.is_valid()
    assert "đã hết hạn từ 01/01/2023" in str(form.errors)
    # The form has no password field at all: nothing to store, nothing to show again.
    assert not any(name == "password" for name in form.fields)


def test_the_admin_pages_add_a_certificate_and_never_show_a_password(
    client, certified: Path, province: Unit, centre: Unit
) -> None:  # type: ignore[no-untyped-def]
    from motcua.accounts.models import User

    admin_user = User.objects.create_superuser(username="quantri", password="x")
    client.force_login(admin_user)
    row = SigningCertificate.objects.get(unit=province)
    password = (certified.parent / row.password_file).read_text()
    url = "/admin/documents/signingcertificate/add/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "unit": centre.pk,
            "label": "Trung tâm",
            "pkcs12_path": row.pkcs12_path,
            "password_env": "",
            "password_file": row.password_file,
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = SigningCertificate.objects.get(unit=centre)
    assert saved.fingerprint == row.fingerprint
    page = client.get(f"/admin/documents/signingcertificate/{saved.pk}/change/").content.decode()
    assert row.serial in page and password not in page


def test_the_admin_form_refuses_a_second_certificate_for_a_unit(
    certified: Path, province: Unit
) -> None:
    row = SigningCertificate.objects.get(unit=province)
    form = _form(
        unit=province.pk,
        label="Thêm lần hai",
        pkcs12_path=row.pkcs12_path,
        password_file=row.password_file,
        password_env="",
        is_active="on",
    )
    assert not form.is_valid()
    assert "Cơ quan này đã có chứng thư số" in str(form.errors)


def test_the_verify_command_says_what_verify_pdf_says(
    certified: Path, department: Unit, document: bytes, tmp_path: Path
) -> None:
    from django.core.management.base import CommandError

    signed = tmp_path / "ket-qua.pdf"
    signed.write_bytes(sign_pdf(pdf=document, unit=department, signer_name=SIGNER, reason=REASON))
    out = io.StringIO()
    call_command("signing", "verify", str(signed), stdout=out)
    assert out.getvalue().startswith("ok: ") and SIGNER in out.getvalue()
    plain = tmp_path / "khong-ky.pdf"
    plain.write_bytes(document)
    with pytest.raises(CommandError, match="Tệp không có chữ ký số"):
        call_command("signing", "verify", str(plain), stdout=io.StringIO())


def test_an_official_form_rendered_by_the_project_signs_and_verifies(
    certified: Path, dossier, department: Unit
) -> None:  # type: ignore[no-untyped-def]
    """The forms' WeasyPrint output (fonts, QR, several revisions) takes a signature cleanly."""
    from motcua.documents.renderers import render_receipt

    receipt = render_receipt(dossier=dossier)
    signed = sign_pdf(pdf=receipt, unit=department, signer_name=SIGNER, reason=REASON)
    check = verify_pdf(signed)
    assert check.valid, check
    assert pdf_text(signed) == pdf_text(receipt)
    assert pyhanko_status(signed, certified / ROOT_CERT).bottom_line
