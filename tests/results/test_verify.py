"""Verification, on the page /xac-thuc/<code>/ and at POST /api/v1/verify: an issued result is
valid; a modified byte, a copy re-signed with another key, an expired or a revoked certificate
and a file never issued each fail with their own reason."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.documents.demo import (
    Authority,
    demo_ca_revoke,
    issue_certificate,
    load_or_create_root,
    make_authority,
)
from motcua.documents.pdf import html_to_pdf
from motcua.documents.signing import sign_pdf
from motcua.results.models import ResultDocument
from tests.dossiers.helpers import World

from .conftest import Signing, approved
from .helpers import sign_with_pyhanko


def _issued(world: World, *, now: bool = False) -> tuple[ResultDocument, bytes]:
    d = approved(world, now=now)
    document = ResultDocument.objects.get(dossier=d)
    with document.file.open("rb") as handle:
        return document, handle.read()


def _api(client: Client, content: bytes, code: str | None = None) -> dict:
    data: dict = {"file": SimpleUploadedFile("kq.pdf", content, "application/pdf")}
    if code:
        data["code"] = code
    response = client.post("/api/v1/verify", data)
    assert response.status_code == 200, response.content
    return response.json()


def _page(client: Client, code: str, content: bytes) -> str:
    # A fresh address each time: the page's per-address counters outlive a test.
    response = client.post(
        f"/xac-thuc/{code}/",
        {"file": SimpleUploadedFile("kq.pdf", content, "application/pdf")},
        REMOTE_ADDR=f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}",
    )
    assert response.status_code == 200, response.content
    return response.content.decode()


def _modified(content: bytes) -> bytes:
    # One byte inside the signed page content: the Producer string WeasyPrint writes.
    at = content.index(b"WeasyPrint")
    return content[:at] + b"X" + content[at + 1 :]


def _other_key_copy(content: bytes) -> bytes:
    forger = make_authority(common_name="CA giả mạo", organisation="Không phải của tỉnh")
    key, certificate = issue_certificate(authority=forger, common_name="Sở Tư pháp")
    return sign_with_pyhanko(content, key=key, certificate=certificate, chain=[forger.certificate])


def _expired_copy(content: bytes, root: Authority) -> bytes:
    key, certificate = issue_certificate(
        authority=root,
        common_name="Sở Tư pháp (chứng thư cũ)",
        not_before=dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
        not_after=dt.datetime(2021, 1, 1, tzinfo=dt.UTC),
    )
    return sign_with_pyhanko(content, key=key, certificate=certificate, chain=[root.certificate])


def test_an_issued_result_verifies_on_the_page_and_the_api(
    world: World, signing: Signing, client: Client
) -> None:
    document, content = _issued(world)
    answer = _api(client, content)
    assert set(answer) >= {
        "valid",
        "reason",
        "signer",
        "signed_at",
        "issued",
        "superseded",
        "audit_intact",
    }
    assert answer["valid"] is True and answer["issued"] is True
    assert answer["superseded"] is None and answer["audit_intact"] is True
    assert answer["signer"] == world.leader.full_name
    assert answer["code"] == document.code
    assert _api(client, content, code=document.code)["valid"] is True
    page = client.get(f"/xac-thuc/{document.code}/").content.decode()
    assert document.code in page and world.unit.name in page and document.signer in page
    assert "Phiên bản hiện hành" in page and "Toàn vẹn" in page
    assert "Tệp hợp lệ" in _page(client, document.code, content)


@pytest.mark.parametrize(
    ("case", "reason_code", "sentence"),
    [
        ("modified", "modified", "Tệp đã bị sửa sau khi ký."),
        ("other_key", "untrusted", "Chữ ký không thuộc chuỗi tin cậy của tỉnh."),
        ("expired", "expired", "Chứng thư số đã hết hạn"),
        ("never_issued", "never_issued", "không phải kết quả do hệ thống cấp"),
    ],
)
def test_each_bad_file_fails_with_its_own_reason(
    world: World, signing: Signing, client: Client, case: str, reason_code: str, sentence: str
) -> None:
    document, content = _issued(world)
    if case == "modified":
        bad = _modified(content)
    elif case == "other_key":
        bad = _other_key_copy(content)
    elif case == "expired":
        root, _created = load_or_create_root(signing.directory)
        bad = _expired_copy(content, root)
    else:
        # Signed by the agency's own key, but never issued by the system.
        bad = sign_pdf(
            pdf=html_to_pdf(html="<p>Giấy chứng nhận kết hôn (bản tự làm)</p>"),
            unit=world.unit,
            signer_name="Người lạ",
            reason="thử",
        )
    assert bad != content
    answer = _api(client, bad)
    assert answer["valid"] is False
    assert answer["reason_code"] == reason_code
    assert sentence in answer["reason"]
    assert answer["issued"] is False
    page = _page(client, document.code, bad)
    assert "Tệp không hợp lệ" in page and sentence in page


def test_a_revoked_certificate_fails_the_result_it_signed(
    world: World, signing: Signing, client: Client
) -> None:
    # Issued (and signed) before the CA published the revocation; no timestamp: judged now.
    document, content = _issued(world)
    assert _api(client, content)["valid"] is True
    serial = int(world.unit.signing_certificate.serial, 16)
    demo_ca_revoke(serial=serial, directory=signing.directory)
    answer = _api(client, content)
    assert (answer["valid"], answer["reason_code"]) == (False, "revoked")
    assert "Chứng thư số đã bị thu hồi." in answer["reason"]
    assert "Chứng thư số đã bị thu hồi." in _page(client, document.code, content)


def test_a_genuine_file_checked_against_another_code_is_not_that_result(
    world: World, signing: Signing, client: Client
) -> None:
    _first, content = _issued(world)
    other, _other = _issued(world)
    answer = _api(client, content, code=other.code)
    assert (answer["valid"], answer["issued"], answer["reason_code"]) == (
        False,
        False,
        "not_this_result",
    )
    assert other.code in answer["reason"]
    assert _api(client, content, code="KHONG-CO-KQ9")["reason_code"] == "unknown_code"


def test_bad_uploads_get_a_clear_message(world: World, client: Client) -> None:
    response = client.post(
        "/api/v1/verify", {"file": SimpleUploadedFile("a.txt", b"hello", "text/plain")}
    )
    assert response.status_code == 422
    assert "Chỉ kiểm tra được tệp PDF" in response.json()["error"]["message"]
    assert client.post("/api/v1/verify", {}).status_code == 422


def test_the_verification_page_of_an_unknown_code_is_404(db, client: Client) -> None:
    assert client.get("/xac-thuc/000.00.21.H16-250714-9999-KQ1/").status_code == 404


def test_the_verify_api_is_rate_limited_per_address(
    world: World, signing: Signing, client: Client, settings
) -> None:
    settings.MOTCUA_API_PUBLIC_RATE_LIMIT_PER_MINUTE = 2
    _document, content = _issued(world)
    address = f"10.77.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"
    codes = [
        client.post(
            "/api/v1/verify",
            {"file": SimpleUploadedFile("k.pdf", content, "application/pdf")},
            REMOTE_ADDR=address,
        ).status_code
        for _ in range(3)
    ]
    assert codes == [200, 200, 429]


def test_the_page_of_a_dossier_code_lists_its_results_and_the_page_reads_little(
    world: World, signing: Signing, client: Client, django_assert_max_num_queries
) -> None:
    from motcua.results.services import result_correct

    document, _content = _issued(world)
    newer = result_correct(result=document, actor=world.leader, reason="Sai tên người được cấp.")
    listing = client.get(f"/xac-thuc/{document.dossier.code}/").content.decode()
    assert document.code in listing and newer.code in listing and "đã được thay thế" in listing
    with django_assert_max_num_queries(8):
        page = client.get(f"/xac-thuc/{document.code}/")
    text = page.content.decode()
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    assert f"Đã được thay thế bởi kết quả {newer.code}" in text
    assert "Sai tên người được cấp." in text
    # Nothing of the applicant is shown to the public.
    assert document.dossier.applicant_name not in text
