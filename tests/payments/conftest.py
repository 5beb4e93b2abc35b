"""Fixtures of the payment tests: the dossier world of tests/dossiers with fees and the unit's
three payment accounts (the sandbox gateway, a demo VietQR account, cash)."""

from __future__ import annotations

import pytest

from motcua.catalog.constants import FeeStage
from motcua.catalog.models import Fee
from motcua.dossiers import services as s
from motcua.payments.constants import Provider
from motcua.payments.models import Invoice, PaymentAccount
from tests.dossiers.helpers import World, build_world, new_online, pdf_file

SECRET = "bi-mat-thu-nghiem-0123456789"
TMN = "TEST0001"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _gateway(settings, monkeypatch) -> None:
    settings.MOTCUA_VNPAY_TMN_CODE = TMN
    settings.MOTCUA_VNPAY_HASH_SECRET = SECRET
    monkeypatch.setenv("MOTCUA_VNPAY_HASH_SECRET", SECRET)


def add_accounts(unit) -> dict[str, PaymentAccount]:
    return {
        Provider.VNPAY: PaymentAccount.objects.create(
            unit=unit, provider=Provider.VNPAY, tmn_code=TMN
        ),
        Provider.VIETQR: PaymentAccount.objects.create(
            unit=unit,
            provider=Provider.VIETQR,
            bank_bin="970436",
            bank_name="Vietcombank",
            account_number="0011001234567",
            account_name="SO TU PHAP DAK LAK",
            is_demo=True,
        ),
        Provider.CASH: PaymentAccount.objects.create(unit=unit, provider=Provider.CASH),
    }


def fee_world(stage: str = FeeStage.SUBMISSION) -> World:
    w = build_world(processing_time=5, fee_stage=stage)
    Fee.objects.create(
        procedure=w.procedure, name="Lệ phí cấp giấy phép", amount=100_000, online_amount=80_000
    )
    Fee.objects.create(procedure=w.procedure, name="Phí thẩm định", amount=50_000)
    add_accounts(w.unit)
    return w


@pytest.fixture
def world(db) -> World:
    return fee_world()


def submitted(w: World):
    """An online dossier of the world's citizen, submitted (its invoice falls due now)."""
    d = new_online(w)
    for doc in w.procedure.required_documents.filter(mandatory=True):
        s.attachment_add(
            dossier=d, actor=w.citizen, kind="application", file=pdf_file(), required_document=doc
        )
    return s.dossier_submit(dossier=d, actor=w.citizen, at=w.clock.tick(0.2))


def invoice_of(dossier) -> Invoice:
    return Invoice.objects.get(dossier=dossier)
