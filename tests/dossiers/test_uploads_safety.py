"""Uploads are judged by their content, opened with real parsers, and only ever sent as downloads.

Every hostile file is built here, byte by byte or with pypdf and Pillow, and sent both through
the service (attachment_add) and through the portal's upload step; each must be refused with its
own Vietnamese reason and leave the dossier as it was.
"""

from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from motcua.dossiers import services as s
from motcua.dossiers.constants import AttachmentKind, DossierStatus
from motcua.dossiers.exceptions import InvalidAttachment
from motcua.dossiers.models import Dossier
from tests.integration.conftest import make_caller
from tests.portal.submission_fixtures import make_portal

from .helpers import World, drive

# --- Real files, made here -------------------------------------------------------------------


def good_pdf(pages: int = 1, *, javascript: str = "") -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if javascript:  # run on opening: /OpenAction << /S /JavaScript /JS (...) >>
        action = DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject(javascript),
            }
        )
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def good_image(fmt: str, size: tuple[int, int] = (16, 12)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(buffer, fmt)
    return buffer.getvalue()


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_bomb(side: int = 20000) -> bytes:
    """A valid 1-bit PNG of side × side pixels: a few hundred kB that decode to 400 megapixels."""
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    packer = zlib.compressobj(9)
    row = b"\x00" * (1 + (side + 7) // 8)
    data = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", data)
        + _chunk(b"IEND", b"")
    )


def a_zip(payload: str = "<script>alert(document.cookie)</script>") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("payload.html", payload)
    return buffer.getvalue()


def noisy_image(fmt: str) -> bytes:
    """A photo-like image (random pixels), so its coded data is long."""
    rng = random.Random(7)
    image = Image.frombytes("RGB", (64, 64), rng.randbytes(64 * 64 * 3))
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return buffer.getvalue()


def png_bad_checksum() -> bytes:
    data = bytearray(noisy_image("PNG"))
    data[data.index(b"IDAT") + 40] ^= 0xFF
    return bytes(data)


def png_cut_inside() -> bytes:
    """A PNG whose pixel data stops halfway, in chunks whose checksums are all correct."""
    data = noisy_image("PNG")
    start = data.index(b"IDAT") - 4
    (length,) = struct.unpack(">I", data[start : start + 4])
    pixels = data[start + 8 : start + 8 + length]
    return data[:start] + _chunk(b"IDAT", pixels[: length // 2]) + _chunk(b"IEND", b"")


NOISE = random.Random(19).randbytes(4096)
VALID_PDF = good_pdf()

SVG_SCRIPT = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.domain)</script></svg>"
)
HTML = b"<!DOCTYPE html><html><body><script>fetch('/can-bo/')</script></body></html>"

BROKEN_PDF = "Tệp PDF bị hỏng hoặc không đầy đủ"
POLYGLOT = "Tệp chứa thêm nội dung khác (tệp nén ZIP, trang HTML hoặc mã kịch bản)"
BROKEN_PNG = "Tệp ảnh PNG bị hỏng hoặc không đầy đủ"
BROKEN_JPEG = "Tệp ảnh JPEG bị hỏng hoặc không đầy đủ"
BOMB = "Ảnh quá lớn (20000 × 20000 điểm ảnh, tối đa 40 triệu điểm ảnh)"
SVG = "Tệp SVG có chứa mã kịch bản (script), không được nhận; chỉ nhận tệp PDF, JPEG hoặc PNG."
MARKUP = "Tệp là trang HTML, SVG hoặc XML (có thể chứa mã kịch bản), không được nhận"
PDF_JS = "Tệp PDF có chứa mã lệnh tự chạy (JavaScript), không được nhận."
NOT_ALLOWED = "Chỉ nhận tệp PDF, JPEG hoặc PNG (kiểm tra theo nội dung tệp, không theo tên tệp)."

REFUSED = [
    pytest.param("nhieu.pdf", b"%PDF-1.7\n" + NOISE, BROKEN_PDF, id="noise-after-%PDF-"),
    pytest.param(
        "nhieu-eof.pdf", b"%PDF-1.7\n" + NOISE + b"\n%%EOF\n", BROKEN_PDF, id="noise-with-an-end"
    ),
    pytest.param("cut.pdf", VALID_PDF[: len(VALID_PDF) // 2], BROKEN_PDF, id="truncated-pdf"),
    pytest.param(
        "cut-eof.pdf",
        VALID_PDF[: len(VALID_PDF) // 2] + b"\n%%EOF\n",
        BROKEN_PDF,
        id="truncated-pdf-with-an-end",
    ),
    pytest.param("pdf-zip.pdf", VALID_PDF + a_zip(), POLYGLOT, id="pdf+zip"),
    pytest.param("pdf-html.pdf", VALID_PDF + HTML, POLYGLOT, id="pdf+html"),
    pytest.param(
        "html-pdf.pdf", b"%PDF-1.4\n%" + HTML + b"\n" + VALID_PDF[9:], POLYGLOT, id="pdf-head-html"
    ),
    pytest.param("js.pdf", good_pdf(javascript="app.alert(1)"), PDF_JS, id="pdf-javascript"),
    pytest.param("bom.png", png_bomb(), BOMB, id="png-bomb-20000x20000"),
    pytest.param("cut.png", good_image("PNG")[:-30], BROKEN_PNG, id="truncated-png"),
    pytest.param(
        "fake.png", b"\x89PNG\r\n\x1a\n" + NOISE + b"IEND\xaeB`\x82", BROKEN_PNG, id="png-noise"
    ),
    pytest.param("cut.jpg", good_image("JPEG")[:-40], BROKEN_JPEG, id="truncated-jpeg"),
    pytest.param(
        "fake.jpg", b"\xff\xd8\xff\xe0" + NOISE + b"\xff\xd9", BROKEN_JPEG, id="jpeg-noise"
    ),
    pytest.param("anh.jpg", good_image("JPEG") + a_zip(), POLYGLOT, id="jpeg+zip"),
    pytest.param(
        "anh3.jpg", good_image("JPEG") + a_zip("x" * 500), POLYGLOT, id="jpeg+zip-of-text"
    ),
    pytest.param("anh3.png", good_image("PNG") + a_zip("x" * 500), POLYGLOT, id="png+zip-of-text"),
    pytest.param("cut2.png", png_cut_inside(), BROKEN_PNG, id="png-cut-inside"),
    pytest.param("crc.png", png_bad_checksum(), BROKEN_PNG, id="png-bad-checksum"),
    pytest.param(
        "anh2.jpg", good_image("JPEG") + b"<script>alert(1)</script>", POLYGLOT, id="jpeg+script"
    ),
    pytest.param("anh.png", good_image("PNG") + HTML, POLYGLOT, id="png+html"),
    pytest.param("logo.svg", SVG_SCRIPT, SVG, id="svg-script"),
    pytest.param("logo.png", SVG_SCRIPT, SVG, id="svg-script-named-png"),
    pytest.param("don.pdf", HTML, MARKUP, id="html-named-pdf"),
    pytest.param("virus.pdf", b"MZ\x90\x00" + NOISE, NOT_ALLOWED, id="exe-named-pdf"),
    pytest.param("a.gif", b"GIF89a" + NOISE, NOT_ALLOWED, id="gif"),
]


def _named(data: bytes, name: str) -> io.BytesIO:
    stream = io.BytesIO(data)
    stream.name = name
    return stream


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


# --- Through the service ---------------------------------------------------------------------


@pytest.mark.parametrize(("name", "data", "message"), REFUSED)
def test_the_service_refuses_each_hostile_file_with_its_reason(world: World, name, data, message):
    d = drive(world, DossierStatus.DRAFT)
    with pytest.raises(InvalidAttachment) as excinfo:
        s.attachment_add(
            dossier=d, actor=world.citizen, kind=AttachmentKind.APPLICATION, file=_named(data, name)
        )
    assert message in str(excinfo.value.message)
    assert not d.attachments.exists()
    d.refresh_from_db()
    assert d.version == 1


@pytest.mark.parametrize(
    ("name", "data", "content_type", "stored"),
    [
        ("đơn đề nghị.pdf", VALID_PDF, "application/pdf", "đơn đề nghị.pdf"),
        ("ba-trang.pdf", good_pdf(3), "application/pdf", "ba-trang.pdf"),
        ("ảnh.jpeg", good_image("JPEG", (640, 480)), "image/jpeg", "ảnh.jpg"),
        ("cccd.PNG", good_image("PNG", (640, 480)), "image/png", "cccd.png"),
        # The browser's name lies; the content decides, and the name follows it.
        ("scan.exe", VALID_PDF, "application/pdf", "scan.pdf"),
    ],
)
def test_well_formed_pdfs_and_images_are_accepted(world: World, name, data, content_type, stored):
    d = drive(world, DossierStatus.DRAFT)
    attachment = s.attachment_add(
        dossier=d, actor=world.citizen, kind=AttachmentKind.APPLICATION, file=_named(data, name)
    )
    assert (attachment.content_type, attachment.original_name) == (content_type, stored)


def test_a_weasyprint_pdf_is_accepted(world: World):
    from weasyprint import HTML as Page

    data = Page(string="<p>Tờ khai</p>").write_pdf()
    d = drive(world, DossierStatus.DRAFT)
    attachment = s.attachment_add(
        dossier=d, actor=world.citizen, kind="application", file=_named(data, "to-khai.pdf")
    )
    assert attachment.content_type == "application/pdf"


def test_the_pixel_limit_is_a_setting(world: World, settings):
    settings.MOTCUA_MAX_IMAGE_PIXELS = 100 * 100
    d = drive(world, DossierStatus.DRAFT)
    with pytest.raises(InvalidAttachment) as excinfo:
        s.attachment_add(
            dossier=d,
            actor=world.citizen,
            kind="application",
            file=_named(good_image("PNG", (101, 100)), "a.png"),
        )
    assert "Ảnh quá lớn (101 × 100 điểm ảnh" in str(excinfo.value.message)
    s.attachment_add(
        dossier=d,
        actor=world.citizen,
        kind="application",
        file=_named(good_image("PNG", (100, 100)), "b.png"),
    )


def test_a_dossier_holds_at_most_the_configured_number_of_files(world: World, settings):
    settings.MOTCUA_MAX_FILES_PER_DOSSIER = 2
    d = drive(world, DossierStatus.DRAFT)
    for i in range(2):
        s.attachment_add(
            dossier=d, actor=world.citizen, kind="application", file=_named(VALID_PDF, f"{i}.pdf")
        )
    with pytest.raises(InvalidAttachment) as excinfo:
        s.attachment_add(
            dossier=d, actor=world.citizen, kind="application", file=_named(VALID_PDF, "3.pdf")
        )
    assert str(excinfo.value.message) == "Hồ sơ đã có quá nhiều tệp đính kèm (tối đa 2 tệp)."
    assert d.attachments.count() == 2


def test_the_size_limit_holds_before_any_parsing(world: World, settings):
    settings.MOTCUA_MAX_UPLOAD_BYTES = len(VALID_PDF) - 1
    d = drive(world, DossierStatus.DRAFT)
    with pytest.raises(InvalidAttachment) as excinfo:
        s.attachment_add(
            dossier=d, actor=world.citizen, kind="application", file=_named(VALID_PDF, "a.pdf")
        )
    assert "Tệp vượt quá dung lượng cho phép" in str(excinfo.value.message)


def test_the_name_is_never_a_path_and_is_kept_only_as_clean_text(world: World, settings):
    d = drive(world, DossierStatus.DRAFT)
    name = '..\\../../etc/cron.d/x"; filename=evil.html\r\n.pdf'
    attachment = s.attachment_add(
        dossier=d, actor=world.citizen, kind="application", file=_named(VALID_PDF, name)
    )
    stored = attachment.file.name
    # dossiers/<year>/<month>/<32 hex>.pdf, whatever the name said.
    parts = stored.split("/")
    assert parts[0] == "dossiers" and len(parts) == 4
    assert len(parts[3]) == len("0" * 32 + ".pdf") and parts[3].endswith(".pdf")
    assert "cron" not in stored and ".." not in stored
    shown = attachment.original_name
    assert shown.endswith(".pdf")
    assert not any(ch in shown for ch in '/\\"\r\n;=')


# --- Through the portal's upload step --------------------------------------------------------


@pytest.fixture
def portal(db):
    return make_portal()


def _step(dossier: Dossier) -> str:
    return reverse("portal:submit_step", args=[dossier.uuid, "giay-to"])


@pytest.mark.parametrize(("name", "data", "message"), REFUSED)
def test_the_portal_upload_step_refuses_each_hostile_file(
    client: Client, portal, name, data, message
):
    client.force_login(portal.citizen)
    client.post(reverse("portal:submit", args=[portal.procedure.code]))
    dossier = Dossier.objects.get(owner=portal.citizen, status=DossierStatus.DRAFT)
    response = client.post(
        _step(dossier),
        {
            f"doc-{portal.form_doc.pk}": _named(VALID_PDF, "don.pdf"),
            f"doc-{portal.id_doc.pk}": _named(data, name),
            "action": "next",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Tệp “{name}”: " in html
    assert message.replace("“", "&ldquo;") in html or _escaped(message) in html
    assert list(dossier.attachments.values_list("original_name", flat=True)) == ["don.pdf"]


def _escaped(text: str) -> str:
    from django.utils.html import escape

    return str(escape(text))


# --- Sent only as downloads, by every view that serves a file --------------------------------


def _assert_download_headers(response, name: str) -> None:
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert name in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]


def test_portal_backoffice_and_api_send_attachments_as_downloads(world: World, settings):
    settings.SECURE_CONTENT_TYPE_NOSNIFF = False  # the views say it themselves
    d = drive(world, DossierStatus.AWAITING_SUPPLEMENT)
    attachment = s.attachment_add(
        dossier=d, actor=world.citizen, kind="supplement", file=_named(VALID_PDF, "don.pdf")
    )
    portal = Client()
    portal.force_login(world.citizen)
    response = portal.get(reverse("portal:attachment", args=[d.code, attachment.pk]))
    _assert_download_headers(response, "don.pdf")
    other = Client()
    other.force_login(world.other_citizen)
    assert other.get(reverse("portal:attachment", args=[d.code, attachment.pk])).status_code == 404

    submitted = drive(world, DossierStatus.SUBMITTED)
    scan = s.attachment_add(
        dossier=submitted, actor=world.reception, kind="scan", file=_named(VALID_PDF, "quet.pdf")
    )
    office = Client()
    office.force_login(world.reception)
    url = reverse("backoffice:attachment", args=[submitted.code, scan.pk])
    _assert_download_headers(office.get(url), "quet.pdf")

    caller = make_caller(world)
    response = caller.get(f"dossiers/{submitted.code}/attachments/{scan.pk}")
    _assert_download_headers(response, "quet.pdf")


def test_the_api_upload_refuses_a_polyglot_with_its_reason(world: World):
    from django.core.files.uploadedfile import SimpleUploadedFile

    caller = make_caller(world)
    dossier = drive(world, DossierStatus.PROCESSING)
    upload = SimpleUploadedFile("anh.jpg", good_image("JPEG") + a_zip(), content_type="image/jpeg")
    response = caller.http.post(
        f"/api/v1/dossiers/{dossier.code}/attachments",
        {"file": upload, "kind": "scan"},
        headers={"Authorization": f"Bearer {caller.key}"},
    )
    assert response.status_code in (400, 422), response.content
    assert POLYGLOT in response.json()["error"]["message"]
    assert not dossier.attachments.exists()
