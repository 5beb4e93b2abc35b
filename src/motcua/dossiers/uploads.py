"""What an uploaded file really is: decided by its content, opened with a real parser.

The name and the browser's content type are never trusted. A PDF is opened with pypdf and must
have pages, a catalogue and an end; a JPEG or PNG is opened and fully decoded with Pillow under a
pixel limit (decompression bombs); a file that is also something else (a ZIP, an HTML page or a
script appended to or hidden in it), and any HTML, SVG or XML file, is refused. Each refusal is an
`UploadRefused` with a Vietnamese reason the caller shows as it is.
"""

from __future__ import annotations

import io
import logging
import re
import struct
import warnings
import zipfile
import zlib
from typing import IO

from django.http import FileResponse
from django.utils.translation import gettext_lazy as _

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOC = "application/msword"

LABELS = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG", DOCX: "Word (DOCX)", DOC: "Word (DOC)"}

NOT_ALLOWED = _("Chỉ nhận tệp %(types)s (kiểm tra theo nội dung tệp, không theo tên tệp).")
MARKUP = _(
    "Tệp là trang HTML, SVG hoặc XML (có thể chứa mã kịch bản), không được nhận; "
    "chỉ nhận tệp %(types)s."
)
SCRIPT_IN_SVG = _("Tệp SVG có chứa mã kịch bản (script), không được nhận; chỉ nhận tệp %(types)s.")
POLYGLOT = _(
    "Tệp chứa thêm nội dung khác (tệp nén ZIP, trang HTML hoặc mã kịch bản) lẫn trong tệp "
    "%(type)s, không được nhận. Hãy xuất hoặc quét lại tệp."
)
BROKEN_PDF = _(
    "Tệp PDF bị hỏng hoặc không đầy đủ, không mở được. Hãy xuất hoặc quét lại tệp rồi đính kèm."
)
PDF_SCRIPT = _("Tệp PDF có chứa mã lệnh tự chạy (JavaScript), không được nhận.")
PDF_ENCRYPTED = _(
    "Tệp PDF đặt mật khẩu hoặc mã hoá, không được nhận; hãy gỡ mật khẩu rồi đính kèm."
)
BROKEN_IMAGE = _(
    "Tệp ảnh %(type)s bị hỏng hoặc không đầy đủ, không mở được. Hãy chụp hoặc quét lại."
)
IMAGE_TOO_LARGE = _(
    "Ảnh quá lớn (%(width)s × %(height)s điểm ảnh, tối đa %(mp)s triệu điểm ảnh). "
    "Hãy giảm độ phân giải rồi đính kèm lại."
)

# Markers of a page a browser would run, looked for in the first bytes of every file (where
# browsers sniff) and anywhere in an image (compressed pixels never spell them by chance).
_MARKUP = re.compile(
    rb"<\s*(?:script|html|body|iframe|object|embed|svg|!doctype\s+html|\?php)\b|javascript:",
    re.IGNORECASE,
)
_HEAD = 1024
_PDF_EOF = re.compile(rb"%%EOF[\r\n\t \x00]*\Z")


class UploadRefused(Exception):
    """An upload refused for its content; `message` is the reason shown to the person."""

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(str(message))
        self.message = message
        self.reason = reason


def types_label(allowed: tuple[str, ...] | list[str] | frozenset[str]) -> str:
    names = [LABELS[t] for t in LABELS if t in allowed]
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} {_('hoặc')} {names[-1]}"


def sniff(data: bytes) -> str | None:
    """The content type from the first bytes (and, for DOCX, the zip's own parts)."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return DOC
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return DOCX
    return None


def _is_markup(data: bytes) -> bool:
    text = data[:_HEAD].lstrip(b"\xef\xbb\xbf\xfe\xff\x00 \t\r\n")
    return text.startswith(b"<")


def inspect(stream: IO[bytes], *, allowed: tuple[str, ...], max_pixels: int) -> str:
    """The checked content type of the stream, or UploadRefused; the stream is left at 0."""
    stream.seek(0)
    data = stream.read()
    stream.seek(0)
    label = types_label(allowed)
    content_type = sniff(data)
    if content_type is None:
        if _is_markup(data):
            if re.search(rb"<svg\b", data[: _HEAD * 8], re.IGNORECASE) and re.search(
                rb"<\s*script\b|\bon\w+\s*=|javascript:", data, re.IGNORECASE
            ):
                raise UploadRefused(SCRIPT_IN_SVG % {"types": label}, reason="svg_script")
            raise UploadRefused(MARKUP % {"types": label}, reason="markup")
        raise UploadRefused(NOT_ALLOWED % {"types": label}, reason="type")
    if content_type not in allowed:
        raise UploadRefused(NOT_ALLOWED % {"types": label}, reason="type")
    if content_type in (PDF, JPEG, PNG):
        kind = LABELS[content_type]
        if _MARKUP.search(data[:_HEAD]) or _has_zip(data):
            raise UploadRefused(POLYGLOT % {"type": kind}, reason="polyglot")
    if content_type == PDF:
        _check_pdf(data)
    elif content_type in (JPEG, PNG):
        _check_image(data, content_type=content_type, max_pixels=max_pixels)
    return content_type


def _has_zip(data: bytes) -> bool:
    """A ZIP archive anywhere in the file: its end record is found from the end, as unzip does."""
    return zipfile.is_zipfile(io.BytesIO(data))


def _check_pdf(data: bytes) -> None:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    # Nothing but line ends may follow the last %%EOF: a truncated file has none, a polyglot
    # carries its other self (a ZIP, a page) after it.
    if not _PDF_EOF.search(data[-64:]):
        if b"%%EOF" in data[-_HEAD * 64 :]:
            raise UploadRefused(POLYGLOT % {"type": "PDF"}, reason="polyglot")
        raise UploadRefused(BROKEN_PDF, reason="pdf_broken")
    pypdf_logger = logging.getLogger("pypdf")
    previous = pypdf_logger.level
    pypdf_logger.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                raise UploadRefused(PDF_ENCRYPTED, reason="pdf_encrypted")
            root = reader.trailer["/Root"].get_object()
            pages = len(reader.pages)
            for page in reader.pages:
                page.mediabox  # noqa: B018 - each page must resolve
            script = _pdf_has_script(root)
    except UploadRefused:
        raise
    except (PyPdfError, KeyError, ValueError, TypeError, AttributeError, IndexError, OSError,
            RecursionError, AssertionError):  # fmt: skip
        raise UploadRefused(BROKEN_PDF, reason="pdf_broken") from None
    finally:
        pypdf_logger.setLevel(previous)
    if pages < 1:
        raise UploadRefused(BROKEN_PDF, reason="pdf_broken")
    if script:
        raise UploadRefused(PDF_SCRIPT, reason="pdf_script")


def _pdf_has_script(root) -> bool:  # type: ignore[no-untyped-def]
    """JavaScript named in the catalogue, run on opening, or on a document action."""
    names = root.get("/Names")
    if names is not None and "/JavaScript" in names.get_object():
        return True
    if "/AA" in root:
        return True
    action = root.get("/OpenAction")
    if action is not None:
        action = action.get_object()
        if hasattr(action, "get") and action.get("/S") in ("/JavaScript", "/Launch"):
            return True
    return False


def _check_image(data: bytes, *, content_type: str, max_pixels: int) -> None:
    from PIL import Image

    kind = LABELS[content_type]
    if _MARKUP.search(data):
        raise UploadRefused(POLYGLOT % {"type": kind}, reason="polyglot")
    # The marker every well-formed file ends with: nothing hidden after it.
    tail = data.rstrip(b"\x00\r\n\t ")
    if content_type == PNG and not tail.endswith(b"IEND\xaeB`\x82"):
        raise UploadRefused(BROKEN_IMAGE % {"type": kind}, reason="image_broken")
    if content_type == JPEG and not tail.endswith(b"\xff\xd9"):
        raise UploadRefused(BROKEN_IMAGE % {"type": kind}, reason="image_broken")
    size = _dimensions(data, content_type)
    if size is None:
        raise UploadRefused(BROKEN_IMAGE % {"type": kind}, reason="image_broken")
    width, height = size
    if width * height > max_pixels:
        raise UploadRefused(
            IMAGE_TOO_LARGE % {"width": width, "height": height, "mp": max_pixels // 1_000_000},
            reason="image_bomb",
        )
    if content_type == PNG and not _png_pixels_complete(data, width=width, height=height):
        raise UploadRefused(BROKEN_IMAGE % {"type": kind}, reason="image_broken")
    expected = "PNG" if content_type == PNG else "JPEG"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format not in (expected, "MPO"):
                    raise UploadRefused(BROKEN_IMAGE % {"type": kind}, reason="image_broken")
                if image.size != (width, height):
                    raise UploadRefused(BROKEN_IMAGE % {"type": kind}, reason="image_broken")
                image.verify()
            with Image.open(io.BytesIO(data)) as image:
                if content_type == JPEG:
                    # Decoded at 1/8 scale: every coded block is still read, in far less memory.
                    image.draft("RGB", (max(1, width // 8), max(1, height // 8)))
                image.load()
    except UploadRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UploadRefused(
            IMAGE_TOO_LARGE % {"width": "?", "height": "?", "mp": max_pixels // 1_000_000},
            reason="image_bomb",
        ) from None
    except (OSError, SyntaxError, ValueError, EOFError, MemoryError, TypeError, IndexError,
            struct.error):  # fmt: skip
        raise UploadRefused(BROKEN_IMAGE % {"type": kind}, reason="image_broken") from None


_ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2),
          (0, 1, 1, 2))  # fmt: skip
_PNG_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


def _png_pixels_complete(data: bytes, *, width: int, height: int) -> bool:
    """Every chunk's checksum holds and the pixel data inflates to exactly the rows it must.

    Checked here rather than left to Pillow, which WeasyPrint sets, for the whole process, to
    load truncated images without complaint (ImageFile.LOAD_TRUNCATED_IMAGES).
    """
    depth, color, _compression, _filter, interlace = struct.unpack(">BBBBB", data[24:29])
    channels = _PNG_CHANNELS.get(color)
    if channels is None or width == 0 or height == 0:
        return False
    bits = channels * depth

    def rows(w: int, h: int) -> int:
        return h * (1 + (w * bits + 7) // 8) if w and h else 0

    if interlace:
        expected = sum(
            rows((width - x + dx - 1) // dx, (height - y + dy - 1) // dy) for x, y, dx, dy in _ADAM7
        )
    else:
        expected = rows(width, height)
    inflater = zlib.decompressobj()
    produced = 0
    i = 8
    while i + 12 <= len(data):
        (length,) = struct.unpack(">I", data[i : i + 4])
        kind = data[i + 4 : i + 8]
        body = data[i + 8 : i + 8 + length]
        crc = data[i + 8 + length : i + 12 + length]
        if len(body) != length or len(crc) != 4 or zlib.crc32(kind + body) != int.from_bytes(crc):
            return False
        if kind == b"IDAT":
            try:
                pending = body
                while pending and not inflater.eof:
                    produced += len(inflater.decompress(pending, 1 << 20))
                    pending = inflater.unconsumed_tail
                    if produced > expected:
                        return False
            except zlib.error:
                return False
        if kind == b"IEND":
            break
        i += 12 + length
    return inflater.eof and produced == expected


_JPEG_FRAMES = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def _dimensions(data: bytes, content_type: str) -> tuple[int, int] | None:
    """Width and height read from the header, before any decoder allocates a pixel."""
    if content_type == PNG:
        if len(data) < 24 or data[12:16] != b"IHDR":
            return None
        width, height = struct.unpack(">II", data[16:24])
        return width, height
    i = 2
    while i + 4 <= len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker in (0x01, *range(0xD0, 0xD8)):
            i += 2
            continue
        (length,) = struct.unpack(">H", data[i + 2 : i + 4])
        if marker in _JPEG_FRAMES:
            if i + 9 > len(data):
                return None
            height, width = struct.unpack(">HH", data[i + 5 : i + 9])
            return width, height
        if marker in (0xD9, 0xDA) or length < 2:
            return None
        i += 2 + length
    return None


def minimal_pdf(*, text: str = "") -> bytes:
    """A small, well-formed one-page PDF (the demo's placeholder attachments)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if text:
        writer.add_metadata({"/Title": text})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def download_response(handle: IO[bytes], *, filename: str, content_type: str) -> FileResponse:
    """A stored file, sent only as a download: never shown inline, never sniffed, never cached.

    Every view that serves an attachment or a result (portal, back office, API) answers with
    this, after its own authorisation; the media directory itself is never served.
    """
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Should a browser still render it, nothing in it may run or load.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
