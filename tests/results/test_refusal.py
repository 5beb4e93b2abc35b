"""The refusal at reception is a signed written refusal with its reasons (issue 18 point 2):
code -KQ<n>, SHA-256 in the audit chain, verifiable; a signing failure stops the refusal."""

from __future__ import annotations

import hashlib
import io

import pypdf
import pytest
from django.test import Client

from motcua.documents.signing import verify_pdf
from motcua.dossiers import services as s
from motcua.dossiers.audit import chain_verify
from motcua.dossiers.constants import DossierStatus
from motcua.dossiers.models import Dossier
from motcua.results.constants import ResultKind, ResultSource
from motcua.results.errors import SigningFailed
from motcua.results.models import ResultDocument
from motcua.results.verification import result_verify_file
from tests.dossiers.helpers import World, drive

from .conftest import Signing
from .helpers import pyhanko_status, qr_texts_on_first_page

REASON = "Hồ sơ thuộc thẩm quyền giải quyết của Ủy ban nhân dân cấp xã nơi cư trú."


def _bytes(document: ResultDocument) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


def _text(content: bytes) -> str:
    pages = pypdf.PdfReader(io.BytesIO(content)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def test_a_refusal_at_reception_issues_a_signed_written_refusal_with_its_reasons(
    world: World, signing: Signing
) -> None:
    d = drive(world, DossierStatus.SUBMITTED)
    d = s.dossier_refuse(dossier=d, actor=world.reception, reason=REASON, at=world.clock.tick())
    assert d.status == DossierStatus.REFUSED
    result = ResultDocument.objects.get(dossier=d)
    assert (result.code, result.kind, result.source) == (
        f"{d.code}-KQ1",
        ResultKind.REFUSAL,
        ResultSource.GENERATED,
    )
    assert result.title == "Phiếu từ chối tiếp nhận giải quyết hồ sơ"
    assert result.signer == world.reception.full_name and result.unit == world.unit
    content = _bytes(result)
    digest = hashlib.sha256(content).hexdigest()
    assert result.sha256 == digest
    event = d.events.order_by("-seq").first()
    assert event.action == "refuse" and event.payload["reason"] == REASON
    assert event.payload["e_results"][0] == {
        "code": result.code,
        "kind": ResultKind.REFUSAL,
        "source": ResultSource.GENERATED,
        "sha256": digest,
        "signer": world.reception.full_name,
    }
    assert chain_verify(d) is None
    # Our verifier and pyHanko's own, trusting only the demo root, accept the signature.
    check = verify_pdf(content)
    assert check.valid and check.code == "ok", check.reason
    status = pyhanko_status(content, signing.directory / "demo-root.pem")
    assert status.intact and status.valid and status.trusted
    verdict = result_verify_file(content=content, code=result.code)
    assert (verdict.valid, verdict.issued, verdict.superseded) == (True, True, None)
    text = _text(content)
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in text
    assert "từ chối tiếp nhận, giải quyết hồ sơ này" in text
    assert REASON in text and d.applicant_name in text and result.code in text
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ" in text
    url = f"https://dichvucong.example.gov.vn/xac-thuc/{result.code}/"
    assert url in qr_texts_on_first_page(content)
    # A refusal is not a resolved dossier's result (Decision 766 indicator 4.1).
    assert not d.has_e_result


def test_the_refusal_verifies_on_its_public_page(
    world: World, signing: Signing, client: Client
) -> None:
    d = drive(world, DossierStatus.SUBMITTED)
    d = s.dossier_refuse(dossier=d, actor=world.reception, reason=REASON, at=world.clock.tick())
    result = ResultDocument.objects.get(dossier=d)
    stream = io.BytesIO(_bytes(result))
    stream.name = "tu-choi.pdf"
    page = client.post(f"/xac-thuc/{result.code}/", {"file": stream}).content.decode()
    assert 'data-reason="valid"' in page and "Phiếu từ chối tiếp nhận" in page


def test_a_signing_failure_stops_the_refusal_with_the_message_and_changes_nothing(
    world: World,
) -> None:
    # No certificate configured for the agency (no demo CA here).
    d = drive(world, DossierStatus.SUBMITTED)
    before = (d.status, d.version, d.events.count())
    with pytest.raises(SigningFailed) as caught:
        s.dossier_refuse(dossier=d, actor=world.reception, reason=REASON, at=world.clock.tick())
    assert f"{d.code}-KQ1" in str(caught.value.message)
    assert "chưa được cấu hình chứng thư số" in str(caught.value.message)
    d.refresh_from_db()
    assert (d.status, d.version, d.events.count()) == before
    assert d.finished_at is None
    assert not ResultDocument.objects.exists()


def test_the_back_office_refusal_shows_the_signing_failure_and_keeps_the_dossier(
    world: World, client: Client
) -> None:
    d = drive(world, DossierStatus.SUBMITTED)
    client.force_login(world.reception)
    response = client.post(
        f"/can-bo/ho-so/{d.code}/thao-tac/refuse/",
        {"refuse-version": d.version, "refuse-reason": REASON},
        follow=True,
    )
    page = " ".join(response.content.decode().split())
    assert f"Không ký số được kết quả {d.code}-KQ1" in page
    assert Dossier.objects.get(pk=d.pk).status == DossierStatus.SUBMITTED
    assert not ResultDocument.objects.exists()


def test_the_back_office_refusal_issues_the_signed_refusal_listed_on_the_page(
    world: World, signing: Signing, client: Client
) -> None:
    d = drive(world, DossierStatus.SUBMITTED)
    client.force_login(world.reception)
    response = client.post(
        f"/can-bo/ho-so/{d.code}/thao-tac/refuse/",
        {"refuse-version": d.version, "refuse-reason": REASON},
        follow=True,
    )
    assert Dossier.objects.get(pk=d.pk).status == DossierStatus.REFUSED
    result = ResultDocument.objects.get(dossier=d)
    page = response.content.decode()
    assert result.code in page and f"/can-bo/ho-so/{d.code}/ket-qua/{result.code}/" in page
    # A refusal is final: nothing to correct on a refused dossier.
    client.force_login(world.leader)
    assert "/dinh-chinh/" not in client.get(f"/can-bo/ho-so/{d.code}/").content.decode()


def test_without_e_results_the_refusal_issues_nothing(
    world: World, signing: Signing, settings
) -> None:
    settings.MOTCUA_E_RESULTS = False
    d = drive(world, DossierStatus.SUBMITTED)
    d = s.dossier_refuse(dossier=d, actor=world.reception, reason=REASON, at=world.clock.tick())
    assert d.status == DossierStatus.REFUSED
    assert not ResultDocument.objects.exists()
    assert "e_results" not in d.events.order_by("-seq").first().payload


def test_the_applicant_downloads_the_signed_refusal_from_their_dossier(
    world: World, signing: Signing
) -> None:
    from django.urls import reverse

    d = drive(world, DossierStatus.SUBMITTED)
    d = s.dossier_refuse(dossier=d, actor=world.reception, reason=REASON, at=world.clock.tick())
    result = ResultDocument.objects.get(dossier=d)
    owner = Client()
    owner.force_login(world.citizen)
    page = owner.get(reverse("portal:my_dossier", args=[d.code]))
    assert result.code in page.content.decode()
    download = owner.get(reverse("portal:result_pdf", args=[d.code, result.code]))
    assert download.status_code == 200
    content = b"".join(download.streaming_content) if download.streaming else download.content
    assert hashlib.sha256(content).hexdigest() == result.sha256
    other = Client()
    other.force_login(world.other_citizen)
    assert other.get(reverse("portal:result_pdf", args=[d.code, result.code])).status_code == 404
