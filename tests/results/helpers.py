"""Independent checks the e-result tests compare against: pyHanko's own validator against the
demo root, hashlib, and a QR decoder reading the rendered page."""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2
import zxingcpp
from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext


def pyhanko_status(content: bytes, root_pem: Path):  # type: ignore[no-untyped-def]
    """pyHanko's verdict on the file's last signature, trusting only the demo root."""
    data = root_pem.read_bytes()
    _type, _headers, der = pem.unarmor(data)
    root = asn1_x509.Certificate.load(der)
    context = ValidationContext(trust_roots=[root], allow_fetching=False)
    reader = PdfFileReader(io.BytesIO(content), strict=False)
    return validate_pdf_signature(reader.embedded_signatures[-1], signer_validation_context=context)


def qr_texts_on_first_page(content: bytes) -> list[str]:
    document = pypdfium2.PdfDocument(content)
    try:
        image = document[0].render(scale=4).to_pil()
    finally:
        document.close()
    return [r.text for r in zxingcpp.read_barcodes(image)]


def sign_with_pyhanko(content: bytes, *, key, certificate, chain=()) -> bytes:  # type: ignore[no-untyped-def]
    """Sign with pyHanko directly (no validity check at signing, unlike documents.signing), as a
    forger or an agency whose certificate has since expired would have."""
    from asn1crypto import keys as asn1_keys
    from cryptography.hazmat.primitives import serialization
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    def der(c):  # type: ignore[no-untyped-def]
        return asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER))

    signer = signers.SimpleSigner(
        signing_cert=der(certificate),
        signing_key=asn1_keys.PrivateKeyInfo.load(
            key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        ),
        cert_registry=SimpleCertificateStore.from_certs([der(c) for c in chain]),
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(content), strict=False)
    meta = signers.PdfSignatureMetadata(
        field_name=f"Forged{len(writer.prev.embedded_signatures) + 1}",
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    return signers.sign_pdf(writer, meta, signer=signer).getvalue()
