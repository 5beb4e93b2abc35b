"""The demo certificate authority: a root, a CRL and one PKCS#12 per agency of the demo province.

Everything lives under DATA_DIR/signing/ (or the folder given): ``demo-root.pem`` (the trust root
that `signing export-root` writes out), ``demo-root.key`` (0600), ``demo-root.crl`` and
``units/<agency code>.p12`` with its password in ``units/<agency code>.pass`` (0600). Every name
says DEMO — KHÔNG DÙNG THẬT: these certificates prove nothing outside a demonstration. Keys are
ECDSA P-256 so that a province's hundred-odd agencies are issued in about a second.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.utils import timezone

from motcua.orgs.constants import UnitKind
from motcua.orgs.models import Unit

from .models import SigningCertificate
from .signing import signing_certificate_save

DEMO_LABEL = "DEMO — KHÔNG DÙNG THẬT"
ROOT_NAME = "CA minh hoạ một cửa (DEMO)"
# Fixed and generous, so that demo dossiers dated in the past can be signed "at" their dates.
DEMO_NOT_BEFORE = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
ROOT_NOT_AFTER = dt.datetime(2045, 1, 1, tzinfo=dt.UTC)
AGENCY_NOT_AFTER = dt.datetime(2040, 1, 1, tzinfo=dt.UTC)
CRL_VALIDITY = dt.timedelta(days=365)
# Certificates must name where their CRL is published, or validators skip the revocation check.
# Nothing fetches it (verify_pdf reads the CRL file the CA writes); `.invalid` says it is no site.
DEMO_CRL_URL = "http://ca.demo.invalid/demo-root.crl"
# The agencies that issue results in their own name; centres and offices sign with their parent's.
SIGNING_KINDS = (UnitKind.PROVINCE, UnitKind.DEPARTMENT, UnitKind.DISTRICT, UnitKind.COMMUNE)

ROOT_CERT = "demo-root.pem"
ROOT_KEY = "demo-root.key"
ROOT_CRL = "demo-root.crl"


PrivateKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey


@dataclass
class Authority:
    key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate


@dataclass
class DemoCaSummary:
    directory: Path
    root_created: bool = False
    issued: list[str] = field(default_factory=list)
    registered: list[str] = field(default_factory=list)


def new_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _fit(text: str, limit: int = 64) -> str:
    """Cut to the 64 bytes (UTF-8) a CommonName may hold, on a character boundary."""
    while len(text.encode("utf-8")) > limit:
        text = text[:-1]
    return text


def _name(*, common_name: str, organisation: str = DEMO_LABEL, serial: str = "") -> x509.Name:
    attributes = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
        x509.NameAttribute(NameOID.COMMON_NAME, _fit(common_name)),
    ]
    if serial:
        attributes.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, serial))
    return x509.Name(attributes)


def make_authority(
    *,
    common_name: str = ROOT_NAME,
    organisation: str = DEMO_LABEL,
    not_before: dt.datetime = DEMO_NOT_BEFORE,
    not_after: dt.datetime = ROOT_NOT_AFTER,
) -> Authority:
    """A self-signed root that may issue end-entity certificates and CRLs."""
    key = new_key()
    name = _name(common_name=common_name, organisation=organisation)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Authority(key=key, certificate=certificate)


def issue_certificate(
    *,
    authority: Authority,
    common_name: str,
    serial: str = "",
    organisation: str = DEMO_LABEL,
    not_before: dt.datetime = DEMO_NOT_BEFORE,
    not_after: dt.datetime = AGENCY_NOT_AFTER,
    timestamping: bool = False,
    crl_url: str = DEMO_CRL_URL,
    key: PrivateKey | None = None,
) -> tuple[PrivateKey, x509.Certificate]:
    """An end-entity key and certificate for signing documents (or, with timestamping, a TSA)."""
    key = key or new_key()
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name=common_name, organisation=organisation, serial=serial))
        .issuer_name(authority.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=not timestamping,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(authority.key.public_key()),
            critical=False,
        )
    )
    if crl_url:
        builder = builder.add_extension(
            x509.CRLDistributionPoints(
                [
                    x509.DistributionPoint(
                        full_name=[x509.UniformResourceIdentifier(crl_url)],
                        relative_name=None,
                        reasons=None,
                        crl_issuer=None,
                    )
                ]
            ),
            critical=False,
        )
    if timestamping:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([x509.ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
        )
    return key, builder.sign(authority.key, hashes.SHA256())


def make_crl(
    *, authority: Authority, revoked: Iterable[tuple[int, dt.datetime]] = ()
) -> x509.CertificateRevocationList:
    now = timezone.now()
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(authority.certificate.subject)
        .last_update(now - dt.timedelta(minutes=5))
        .next_update(now + CRL_VALIDITY)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(authority.key.public_key()),
            critical=False,
        )
        .add_extension(x509.CRLNumber(int(now.timestamp())), critical=False)
    )
    for serial, when in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(when).build()
        )
    return builder.sign(authority.key, hashes.SHA256())


def _write_private(path: Path, data: bytes) -> None:
    """Write a secret readable by its owner only (0600), from the first byte on."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(path, 0o600)


def write_pkcs12(
    *,
    path: Path,
    key: PrivateKey,
    certificate: x509.Certificate,
    chain: Iterable[x509.Certificate],
    password: bytes,
    friendly_name: str = "",
) -> None:
    data = pkcs12.serialize_key_and_certificates(
        (friendly_name or "motcua").encode("utf-8"),
        key,
        certificate,
        list(chain),
        serialization.BestAvailableEncryption(password),
    )
    _write_private(path, data)


def default_directory() -> Path:
    return Path(settings.DATA_DIR) / "signing"


def load_or_create_root(directory: Path) -> tuple[Authority, bool]:
    cert_path, key_path = directory / ROOT_CERT, directory / ROOT_KEY
    if cert_path.is_file() and key_path.is_file():
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
        assert isinstance(key, ec.EllipticCurvePrivateKey)
        certificate = x509.load_pem_x509_certificate(cert_path.read_bytes())
        return Authority(key=key, certificate=certificate), False
    authority = make_authority()
    directory.mkdir(parents=True, exist_ok=True)
    _write_private(
        key_path,
        authority.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )
    cert_path.write_bytes(authority.certificate.public_bytes(serialization.Encoding.PEM))
    (directory / ROOT_CRL).write_bytes(
        make_crl(authority=authority).public_bytes(serialization.Encoding.DER)
    )
    return authority, True


def _stored_path(path: Path) -> str:
    """Relative to DATA_DIR when inside it, so that the data folder can move as a whole."""
    try:
        return str(path.relative_to(Path(settings.DATA_DIR)))
    except ValueError:
        return str(path)


def demo_units() -> list[Unit]:
    """The demo province's agencies: a real province's units never get demo certificates."""
    return list(
        Unit.objects.filter(kind__in=SIGNING_KINDS, is_active=True, is_demo=True).order_by("path")
    )


def demo_ca_create(
    *,
    directory: Path | None = None,
    units: Iterable[Unit] | None = None,
    stdout: TextIO | None = None,
) -> DemoCaSummary:
    """Create the demo CA (once) and a certificate for every agency that has none; idempotent."""
    directory = directory or default_directory()
    authority, created = load_or_create_root(directory)
    summary = DemoCaSummary(directory=directory, root_created=created)
    units = list(units) if units is not None else demo_units()
    existing = {row.unit_id: row for row in SigningCertificate.objects.filter(unit__in=units)}
    for unit in units:
        row = existing.get(unit.pk)
        if row is not None and not row.is_demo:
            continue  # a real certificate configured by the province is never replaced
        p12_path = directory / "units" / f"{unit.code}.p12"
        pass_path = directory / "units" / f"{unit.code}.pass"
        if not (p12_path.is_file() and pass_path.is_file()):
            key, certificate = issue_certificate(
                authority=authority, common_name=unit.name, serial=unit.code
            )
            password = secrets.token_urlsafe(24).encode("ascii")
            write_pkcs12(
                path=p12_path,
                key=key,
                certificate=certificate,
                chain=[authority.certificate],
                password=password,
                friendly_name=unit.code,
            )
            _write_private(pass_path, password)
            summary.issued.append(unit.code)
        if row is None or row.pkcs12_path != _stored_path(p12_path):
            signing_certificate_save(
                unit=unit,
                label=f"{unit.name} ({DEMO_LABEL})",
                pkcs12_path=_stored_path(p12_path),
                password_file=_stored_path(pass_path),
                is_demo=True,
            )
            summary.registered.append(unit.code)
    if stdout:
        stdout.write(
            f"CA minh hoạ: {directory / ROOT_CERT}"
            f"{' (mới tạo)' if created else ''}; cấp mới {len(summary.issued)} chứng thư, "
            f"đăng ký {len(summary.registered)} cơ quan.\n"
        )
    return summary


def revoked_entries(directory: Path) -> list[tuple[int, dt.datetime]]:
    path = directory / ROOT_CRL
    if not path.is_file():
        return []
    crl = x509.load_der_x509_crl(path.read_bytes())
    return [(entry.serial_number, entry.revocation_date_utc) for entry in crl]


def demo_ca_revoke(
    *, serial: int, at: dt.datetime | None = None, directory: Path | None = None
) -> Path:
    """Add a certificate to the demo CRL (re-signed, with the earlier entries kept)."""
    directory = directory or default_directory()
    authority, _created = load_or_create_root(directory)
    entries = [entry for entry in revoked_entries(directory) if entry[0] != serial]
    entries.append((serial, at or timezone.now()))
    path = directory / ROOT_CRL
    path.write_bytes(
        make_crl(authority=authority, revoked=entries).public_bytes(serialization.Encoding.DER)
    )
    return path


def export_root(*, target: Path, directory: Path | None = None) -> Path:
    """Write the trust root (the configured ones, else the demo root) as PEM to `target`."""
    from .signing import trust_root_paths

    sources = trust_root_paths() or [str((directory or default_directory()) / ROOT_CERT)]
    pem = b""
    for source in sources:
        data = Path(source).read_bytes()
        certificates = (
            x509.load_pem_x509_certificates(data)
            if b"-----BEGIN" in data
            else [x509.load_der_x509_certificate(data)]
        )
        pem += b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certificates)
    target.write_bytes(pem)
    return target
