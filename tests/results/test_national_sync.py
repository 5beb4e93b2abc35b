"""The national sync's MaKetQua is the dossier's current e-result code (the correction's after a
correction), and empty when no e-result was issued."""

from __future__ import annotations

from motcua.dossiers import services as s
from motcua.dossiers.constants import DossierStatus
from motcua.dossiers.models import Dossier
from motcua.integration.delivery import national_payload
from motcua.integration.models import NationalPortalReceipt
from motcua.results.models import ResultDocument
from motcua.results.services import result_correct
from tests.dossiers.helpers import World, drive

from .conftest import Signing, approved

BASE = "https://dichvucong.example.gov.vn"


def test_maketqua_is_the_current_result_code_and_follows_a_correction(
    world: World, signing: Signing
) -> None:
    d = approved(world)
    first = ResultDocument.objects.get(dossier=d)
    record = national_payload(dossier=Dossier.objects.get(pk=d.pk))
    assert record["MaKetQua"] == first.code == f"{d.code}-KQ1"
    assert record["DuongDanTepTinKetQua"] == f"{BASE}/xac-thuc/{d.code}/"
    second = result_correct(result=first, actor=world.leader, reason="Sai họ tên người được cấp.")
    record = national_payload(dossier=Dossier.objects.get(pk=d.pk))
    assert record["MaKetQua"] == second.code == f"{d.code}-KQ2"
    third = result_correct(result=second, actor=world.leader, reason="Sai số định danh.")
    record = national_payload(dossier=Dossier.objects.get(pk=d.pk))
    assert record["MaKetQua"] == third.code == f"{d.code}-KQ3"


def test_maketqua_is_empty_without_an_issued_e_result(world: World, signing: Signing) -> None:
    d = drive(world, DossierStatus.PROCESSING)
    record = national_payload(dossier=d)
    assert (record["MaKetQua"], record["DuongDanTepTinKetQua"]) == ("", "")
    # The flag alone (a historical load, e-results switched off) names no code never issued.
    Dossier.objects.filter(pk=d.pk).update(has_e_result=True)
    record = national_payload(dossier=Dossier.objects.get(pk=d.pk))
    assert (record["MaKetQua"], record["DuongDanTepTinKetQua"]) == ("", "")


def test_maketqua_of_a_refused_dossier_is_its_signed_refusal(
    world: World, signing: Signing
) -> None:
    d = drive(world, DossierStatus.SUBMITTED)
    d = s.dossier_refuse(
        dossier=d, actor=world.reception, reason="Sai thẩm quyền", at=world.clock.tick()
    )
    record = national_payload(dossier=d)
    assert record["MaKetQua"] == f"{d.code}-KQ1"


def test_the_correction_is_pushed_to_the_national_portal_with_the_new_code(
    world: World, signing: Signing, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        d = approved(world)
    first = ResultDocument.objects.get(dossier=d)
    last = NationalPortalReceipt.objects.filter(dossier_code=d.code).order_by("id").last()
    assert last.payload["MaKetQua"] == first.code
    with django_capture_on_commit_callbacks(execute=True):
        second = result_correct(result=first, actor=world.leader, reason="Sai họ tên.")
    last = NationalPortalReceipt.objects.filter(dossier_code=d.code).order_by("id").last()
    assert last.payload["MaKetQua"] == second.code
    assert last.payload["PhienBan"] == Dossier.objects.get(pk=d.pk).version
