"""Fixtures of the postal tests: the dossier world of tests/dossiers with a procedure that takes
and returns dossiers by post, the unit's sandbox postal account and its postage."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import time
from typing import Any

import pytest

from motcua.dossiers import services as s
from motcua.dossiers.models import Dossier
from motcua.postal import services as postal
from motcua.postal.constants import AddressPurpose, Provider, Zone
from motcua.postal.models import PostageRate, PostalAccount, Shipment
from tests.dossiers.helpers import World, build_world, new_online, pdf_file

SECRET = "bi-mat-buu-chinh-thu-nghiem-42"
# Đắk Lắk (66), Phường Buôn Ma Thuột (24133); Hà Nội (1), Phường Hoàn Kiếm (70).
HOME = postal.Address("Nguyễn Thị Hoà", "0912345678", "66", "24133", "12 Lê Duẩn")
AWAY = postal.Address("Trần Văn Đức", "0987654321", "1", "70", "5 Tràng Tiền")


@pytest.fixture(autouse=True)
def _sandbox(settings) -> None:
    settings.MOTCUA_POSTAL_SANDBOX = True
    settings.MOTCUA_POSTAL_SANDBOX_SECRET = SECRET


def postal_world(**procedure_fields: Any) -> World:
    fields = {"accepts_postal_pickup": True, "accepts_postal_return": True, **procedure_fields}
    w = build_world(processing_time=5, **fields)
    province = w.unit.__class__.objects.create(
        code="000.00.00.H16", name="Tỉnh Đắk Lắk", kind="province", level="province",
        admin_code="66",
    )  # fmt: skip
    w.unit.parent = province
    w.unit.save()
    w.other_unit.parent = province
    w.other_unit.save()
    PostalAccount.objects.create(
        unit=province,
        provider=Provider.SANDBOX,
        contact_name="Bộ phận một cửa",
        phone="02623812345",
        address="Số 9 Ngô Quyền, Phường Buôn Ma Thuột, Đắk Lắk",
    )
    PostageRate.objects.create(unit=province, zone=Zone.INTRA, amount=22_000)
    PostageRate.objects.create(unit=province, zone=Zone.INTER, amount=35_000)
    for unit in (w.unit, w.other_unit):
        unit.refresh_from_db()
    return w


@pytest.fixture
def world(db) -> World:
    return postal_world()


def sign(body: bytes, *, secret: str = SECRET, t: int | None = None) -> str:
    """The X-Postal-Signature header, computed here (not by the code under test)."""
    t = int(time.time()) if t is None else t
    mac = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={t},v1={mac}"


def callback_body(shipment: Shipment, status: str, at: dt.datetime | None = None) -> bytes:
    at = at or dt.datetime.now(dt.UTC)
    return json.dumps(
        {"tracking_number": shipment.tracking_number, "status": status, "at": at.isoformat()}
    ).encode()


def submitted_by_post(w: World, *, delivery: bool = True) -> Dossier:
    """An online dossier of the world's citizen, its papers to be picked up by post."""
    d = new_online(w)
    for doc in w.procedure.required_documents.filter(mandatory=True):
        s.attachment_add(
            dossier=d, actor=w.citizen, kind="application", file=pdf_file(), required_document=doc
        )
    postal.address_save(dossier=d, purpose=AddressPurpose.PICKUP, address=HOME)
    if delivery:
        postal.address_save(dossier=d, purpose=AddressPurpose.DELIVERY, address=HOME)
        d = s.dossier_update_draft(
            dossier=d, actor=w.citizen, result_delivery="postal", delivery_address=HOME.street
        )
    return s.dossier_submit(dossier=d, actor=w.citizen, by_post=True, at=w.clock.tick(0.2))
