"""Approve and deny issue signed results (-KQ<n>), their SHA-256 in the audit chain; a signing
failure stops the approval; a correction is a new version superseding the old one."""

from __future__ import annotations

import hashlib
import io
import shutil

import pypdf
import pytest

from motcua.documents.pdf import html_to_pdf
from motcua.dossiers import services as s
from motcua.dossiers.audit import chain_verify
from motcua.dossiers.constants import AttachmentKind, DossierStatus
from motcua.dossiers.models import Dossier
from motcua.results.constants import ResultKind, ResultSource
from motcua.results.errors import CorrectionNotAllowed, SigningFailed
from motcua.results.kinds import result_kind_for
from motcua.results.models import ResultDocument
from motcua.results.services import result_correct
from motcua.results.verification import result_verify_file
from tests.dossiers.helpers import World, drive

from .conftest import Signing, approved, pdf_upload
from .helpers import pyhanko_status, qr_texts_on_first_page


def _bytes(document: ResultDocument) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


def _text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


def test_approve_issues_a_signed_result_kq1_whose_hash_is_in_the_audit_chain(
    world: World, signing: Signing
) -> None:
    d = approved(world)
    result = ResultDocument.objects.get(dossier=d)
    content = _bytes(result)
    assert result.code == f"{d.code}-KQ1"
    assert result.kind == ResultKind.CERTIFICATE
    assert result.title == "Giấy chứng nhận kết hôn"
    assert result.source == ResultSource.GENERATED
    assert result.is_current and result.signer == world.leader.full_name
    digest = hashlib.sha256(content).hexdigest()
    assert result.sha256 == digest
    event = d.events.order_by("-seq").first()
    assert event.action == "approve"
    assert event.payload["e_results"][0]["code"] == result.code
    assert event.payload["e_results"][0]["sha256"] == digest
    assert chain_verify(d) is None
    assert d.has_e_result
    # pyHanko's own validator, trusting only the demo root, accepts the signature.
    status = pyhanko_status(content, signing.directory / "demo-root.pem")
    assert status.intact and status.valid and status.trusted
    text = _text(content)
    assert result.code in text and "GIẤY CHỨNG NHẬN KẾT HÔN" in text
    assert d.applicant_name in text


def test_the_qr_on_the_result_decodes_to_its_verification_url(
    world: World, signing: Signing
) -> None:
    d = approved(world)
    result = ResultDocument.objects.get(dossier=d)
    url = f"https://dichvucong.example.gov.vn/xac-thuc/{result.code}/"
    assert url in qr_texts_on_first_page(_bytes(result))


def test_deny_issues_the_written_answer_with_its_reasons(world: World, signing: Signing) -> None:
    d = drive(world, DossierStatus.PROCESSING)
    reason = "Thửa đất đang có tranh chấp, chưa đủ điều kiện cấp giấy chứng nhận."
    d = s.dossier_deny(dossier=d, actor=world.leader, reason=reason, at=world.clock.tick())
    result = ResultDocument.objects.get(dossier=d)
    assert (result.kind, result.code) == (ResultKind.DENIAL, f"{d.code}-KQ1")
    text = " ".join(_text(_bytes(result)).split())
    assert "Thửa đất đang có tranh chấp" in text
    assert "KHÔNG GIẢI QUYẾT" in text
    assert d.events.order_by("-seq").first().payload["e_results"][0]["sha256"] == result.sha256


def test_uploaded_result_files_are_signed_at_approval(world: World, signing: Signing) -> None:
    scan = html_to_pdf(html="<p>Giấy phép xây dựng số 12/GPXD (bản quét)</p>")
    d = drive(world, DossierStatus.PROCESSING)
    s.attachment_add(
        dossier=d,
        actor=world.specialist,
        kind=AttachmentKind.RESULT,
        file=pdf_upload(scan, "giay-phep.pdf"),
        at=world.clock.tick(),
    )
    d.refresh_from_db()
    d = s.dossier_approve(dossier=d, actor=world.leader, at=world.clock.tick())
    result = ResultDocument.objects.get(dossier=d)
    assert result.source == ResultSource.UPLOADED and result.attachment is not None
    content = _bytes(result)
    assert content.startswith(scan[:8]) and content != scan  # the upload, signed
    assert "Giấy phép xây dựng số 12/GPXD" in _text(content)
    status = pyhanko_status(content, signing.directory / "demo-root.pem")
    assert status.intact and status.valid and status.trusted
    payload = d.events.order_by("-seq").first().payload
    assert payload["e_results"][0]["attachment"] == result.attachment_id


def test_a_signing_failure_stops_the_approval_and_changes_nothing(world: World) -> None:
    # No certificate configured for the agency (no demo CA here).
    d = drive(world, DossierStatus.PROCESSING)
    before = (d.status, d.version, d.events.count())
    with pytest.raises(SigningFailed) as caught:
        s.dossier_approve(dossier=d, actor=world.leader, at=world.clock.tick())
    assert "chưa được cấu hình chứng thư số" in str(caught.value.message)
    assert f"{d.code}-KQ1" in str(caught.value.message)
    d.refresh_from_db()
    assert (d.status, d.version, d.events.count()) == before
    assert not ResultDocument.objects.exists()
    assert not d.has_e_result


def test_a_correction_is_a_new_signed_version_and_the_old_one_verifies_as_superseded(
    world: World, signing: Signing
) -> None:
    d = approved(world)
    first = ResultDocument.objects.get(dossier=d)
    with pytest.raises(Exception) as caught:
        result_correct(result=first, actor=world.leader, reason="  ")
    assert "lý do đính chính" in str(caught.value)
    second = result_correct(
        result=first, actor=world.leader, reason="Sai ngày sinh của người được cấp."
    )
    first.refresh_from_db()
    assert second.code == f"{d.code}-KQ2"
    assert second.supersedes == first and first.superseding() == second
    assert not first.is_current and second.is_current
    assert second.sha256 == hashlib.sha256(_bytes(second)).hexdigest()
    assert first.sha256 == hashlib.sha256(_bytes(first)).hexdigest()  # never overwritten
    text = " ".join(_text(_bytes(second)).split())
    assert first.code in text and "Sai ngày sinh" in text
    d = Dossier.objects.get(pk=d.pk)
    event = d.events.order_by("-seq").first()
    assert event.action == "result_correct"
    assert event.payload["superseded"] == first.code
    assert event.payload["e_results"][0]["sha256"] == second.sha256
    assert chain_verify(d) is None
    old = result_verify_file(content=_bytes(first))
    assert (old.valid, old.issued, old.superseded) == (False, True, second.code)
    assert second.code in old.reason and "thay thế" in old.reason
    new = result_verify_file(content=_bytes(second))
    assert (new.valid, new.issued, new.superseded) == (True, True, None)
    # The superseded version cannot be corrected again; another officer may not correct.
    with pytest.raises(CorrectionNotAllowed):
        result_correct(result=first, actor=world.leader, reason="Lần nữa")
    with pytest.raises(Exception, match="không có quyền"):
        result_correct(result=second, actor=world.reception, reason="Sửa")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Giấy chứng nhận kết hôn", ResultKind.CERTIFICATE),
        ("Trích lục khai tử", ResultKind.CERTIFICATE),
        ("Giấy phép xây dựng", ResultKind.PERMIT),
        ("Giấy phép kinh doanh vận tải", ResultKind.LICENCE),
        ("Quyết định cho thuê đất", ResultKind.DECISION),
        ("", ResultKind.DECISION),
    ],
)
def test_the_kind_of_result_follows_the_procedures_result_text(text: str, kind: str) -> None:
    assert result_kind_for(procedure_result=text) == kind


def test_a_scanned_image_is_laid_on_a_page_with_its_code_and_signed(
    world: World, signing: Signing
) -> None:
    import segno

    buffer = io.BytesIO()
    segno.make("bản quét giấy phép").save(buffer, kind="png", scale=8)
    d = drive(world, DossierStatus.PROCESSING)
    s.attachment_add(
        dossier=d,
        actor=world.specialist,
        kind=AttachmentKind.RESULT,
        file=pdf_upload(buffer.getvalue(), "ban-quet.png"),
        at=world.clock.tick(),
    )
    d = s.dossier_approve(
        dossier=Dossier.objects.get(pk=d.pk), actor=world.leader, at=world.clock.tick()
    )
    result = ResultDocument.objects.get(dossier=d)
    content = _bytes(result)
    assert content.startswith(b"%PDF-") and result.source == ResultSource.UPLOADED
    assert result.code in " ".join(_text(content).split())
    texts = qr_texts_on_first_page(content)
    assert "bản quét giấy phép" in texts
    assert f"https://dichvucong.example.gov.vn/xac-thuc/{result.code}/" in texts
    assert pyhanko_status(content, signing.directory / "demo-root.pem").trusted


def test_a_word_result_cannot_be_signed_and_stops_the_approval(
    world: World, signing: Signing, settings
) -> None:
    import zipfile

    # Word is recognised, and accepted only where a deployment adds it to the upload types.
    settings.MOTCUA_UPLOAD_CONTENT_TYPES = (
        *settings.MOTCUA_UPLOAD_CONTENT_TYPES,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    d = drive(world, DossierStatus.PROCESSING)
    s.attachment_add(
        dossier=d,
        actor=world.specialist,
        kind=AttachmentKind.RESULT,
        file=pdf_upload(buffer.getvalue(), "ket-qua.docx"),
        at=world.clock.tick(),
    )
    d = Dossier.objects.get(pk=d.pk)
    with pytest.raises(Exception, match="PDF hoặc ảnh quét"):
        s.dossier_approve(dossier=d, actor=world.leader, at=world.clock.tick())
    assert Dossier.objects.get(pk=d.pk).status == DossierStatus.PROCESSING
    assert not ResultDocument.objects.exists()


def test_the_correction_command_issues_a_new_version_from_a_file(
    world: World, signing: Signing, tmp_path
) -> None:
    from django.core.management import CommandError, call_command

    d = approved(world)
    first = ResultDocument.objects.get(dossier=d)
    corrected = tmp_path / "sua.pdf"
    corrected.write_bytes(html_to_pdf(html="<p>Giấy chứng nhận kết hôn (bản đã sửa)</p>"))
    out = io.StringIO()
    call_command(
        "result_correct",
        first.code,
        by=world.leader.username,
        reason="Sai quê quán.",
        file=str(corrected),
        stdout=out,
    )
    second = ResultDocument.objects.get(supersedes=first)
    assert second.source == ResultSource.UPLOADED and second.code in out.getvalue()
    assert "bản đã sửa" in _text(_bytes(second))
    with pytest.raises(CommandError, match="Chỉ đính chính được kết quả hiện hành"):
        call_command("result_correct", first.code, by=world.leader.username, reason="Lại")
    with pytest.raises(CommandError, match="Không có kết quả điện tử"):
        call_command("result_correct", "KHONG-CO", by=world.leader.username, reason="x")


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler-utils (pdftoppm)")
def test_page_one_rendered_by_pdftoppm_shows_the_qr_and_the_signature_block(
    world: World, signing: Signing, tmp_path
) -> None:
    import subprocess

    import zxingcpp
    from PIL import Image

    d = approved(world)
    result = ResultDocument.objects.get(dossier=d)
    pdf = tmp_path / "kq.pdf"
    pdf.write_bytes(_bytes(result))
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")],
        check=True,
        timeout=60,
    )
    (png,) = tmp_path.glob("p*.png")
    image = Image.open(png).convert("RGB")
    texts = [r.text for r in zxingcpp.read_barcodes(image)]
    assert f"https://dichvucong.example.gov.vn/xac-thuc/{result.code}/" in texts
    # The signature block (documents.signing.SIGNATURE_BOX, points from the lower left of A4)
    # is drawn: its area holds ink, where the template left the page blank.
    from motcua.documents.signing import SIGNATURE_BOX

    scale = image.width / 595
    x0, y0, x1, y1 = (round(v * scale) for v in SIGNATURE_BOX)
    box = image.crop((x0, image.height - y1, x1, image.height - y0))
    inked = sum(1 for pixel in box.getdata() if sum(pixel) < 600)
    assert inked > 0.01 * box.width * box.height
