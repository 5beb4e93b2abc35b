"""Attachments: content sniffing, size and name checks, hashes, who may attach, mandatory documents."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest

from motcua.dossiers import services as s
from motcua.dossiers.constants import AttachmentKind, DossierStatus
from motcua.dossiers.exceptions import (
    IllegalTransition,
    InvalidAttachment,
    MissingDocuments,
    PermissionDenied,
)
from tests.factories import RequiredDocumentFactory

from .helpers import PDF_BYTES, World, drive, image_bytes, pdf_file


def _named(data: bytes, name: str) -> io.BytesIO:
    stream = io.BytesIO(data)
    stream.name = name
    return stream


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


PNG = image_bytes("PNG")
JPEG = image_bytes("JPEG")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.mark.parametrize(
    ("data", "name", "content_type", "stored_name"),
    [
        (PDF_BYTES, "don de nghi.pdf", "application/pdf", "don de nghi.pdf"),
        (PNG, "anh.PNG", "image/png", "anh.png"),
        (JPEG, "chân dung.jpeg", "image/jpeg", "chân dung.jpg"),
        # Word only where the deployment adds it to MOTCUA_UPLOAD_CONTENT_TYPES (below).
        (_docx(), "tờ khai.docx", DOCX, "tờ khai.docx"),
        # The name's extension follows the content, and a path never survives.
        (PDF_BYTES, "../../etc/passwd", "application/pdf", "passwd.pdf"),
        (PNG, "C:\\Users\\a\\scan.exe", "image/png", "scan.png"),
    ],
)
def test_accepted_content(world: World, settings, data, name, content_type, stored_name) -> None:
    settings.MOTCUA_UPLOAD_CONTENT_TYPES = (*settings.MOTCUA_UPLOAD_CONTENT_TYPES, DOCX)
    d = drive(world, DossierStatus.DRAFT)
    attachment = s.attachment_add(
        dossier=d, actor=world.citizen, kind=AttachmentKind.APPLICATION, file=_named(data, name)
    )
    assert attachment.content_type == content_type
    assert attachment.original_name == stored_name
    assert attachment.size == len(data)
    assert attachment.sha256 == hashlib.sha256(data).hexdigest()
    with attachment.file.open("rb") as stored:
        assert stored.read() == data
    assert "/" not in attachment.file.name.rsplit("dossiers/", 1)[-1].split("/", 2)[-1]
    d.refresh_from_db()
    event = d.events.order_by("-seq").first()
    assert (event.action, event.from_status, event.to_status) == ("attach", "draft", "draft")
    assert event.payload["sha256"] == attachment.sha256
    assert d.version == 2


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"MZ\x90\x00 not a document", "virus.pdf"),
        (b"<html><script>alert(1)</script>", "trang.pdf"),
        (b"PK\x03\x04 broken zip", "tờ khai.docx"),
        (b"", "rong.pdf"),
        # Word is recognised but not accepted by default (PDF, JPEG and PNG only).
        (_docx(), "tờ khai.docx"),
    ],
)
def test_rejected_content(world: World, data, name) -> None:
    d = drive(world, DossierStatus.DRAFT)
    with pytest.raises(InvalidAttachment) as excinfo:
        s.attachment_add(
            dossier=d, actor=world.citizen, kind=AttachmentKind.APPLICATION, file=_named(data, name)
        )
    assert excinfo.value.code == "invalid_attachment"
    assert not d.attachments.exists()
    d.refresh_from_db()
    assert d.version == 1


def test_size_limit(world: World, settings) -> None:
    settings.MOTCUA_MAX_UPLOAD_BYTES = 1024 * 1024
    d = drive(world, DossierStatus.DRAFT)
    big = PDF_BYTES + b"0" * (1024 * 1024)
    with pytest.raises(InvalidAttachment) as excinfo:
        s.attachment_add(
            dossier=d,
            actor=world.citizen,
            kind=AttachmentKind.APPLICATION,
            file=_named(big, "lon.pdf"),
        )
    assert str(excinfo.value.message) == "Tệp vượt quá dung lượng cho phép (1 MB)."


def test_who_may_attach(world: World) -> None:
    d = drive(world, DossierStatus.PROCESSING)
    with pytest.raises(PermissionDenied):
        s.attachment_add(
            dossier=d, actor=world.citizen, kind=AttachmentKind.APPLICATION, file=pdf_file()
        )
    with pytest.raises(PermissionDenied):
        s.attachment_add(
            dossier=d, actor=world.other_reception, kind=AttachmentKind.SCAN, file=pdf_file()
        )
    scan = s.attachment_add(
        dossier=d, actor=world.reception, kind=AttachmentKind.SCAN, file=pdf_file()
    )
    d.refresh_from_db()
    assert d.is_digitised and scan.uploaded_by == world.reception
    result = s.attachment_add(
        dossier=d, actor=world.specialist, kind=AttachmentKind.RESULT, file=pdf_file("kq.pdf")
    )
    d = s.dossier_approve(dossier=d, actor=world.leader)
    assert d.has_e_result and result.kind == AttachmentKind.RESULT
    closed = drive(world, DossierStatus.RETURNED)
    with pytest.raises(IllegalTransition):
        s.attachment_add(
            dossier=closed, actor=world.reception, kind=AttachmentKind.SCAN, file=pdf_file()
        )


def test_submit_needs_the_mandatory_documents(world: World) -> None:
    form = RequiredDocumentFactory(procedure=world.procedure, name="Tờ khai", mandatory=True)
    RequiredDocumentFactory(procedure=world.procedure, name="Ảnh", mandatory=False)
    d = drive(world, DossierStatus.DRAFT)
    with pytest.raises(MissingDocuments) as excinfo:
        s.dossier_submit(dossier=d, actor=world.citizen)
    assert excinfo.value.details == {"missing": ["Tờ khai"]}
    d.refresh_from_db()
    assert (d.status, d.code) == (DossierStatus.DRAFT, None)
    s.attachment_add(
        dossier=d,
        actor=world.citizen,
        kind=AttachmentKind.APPLICATION,
        file=pdf_file(),
        required_document=form,
    )
    d = s.dossier_submit(dossier=d, actor=world.citizen)
    assert d.status == DossierStatus.SUBMITTED
