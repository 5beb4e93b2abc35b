"""National portal sync: every change pushed by the worker, retried until acknowledged."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from motcua.dossiers import services as ds
from motcua.dossiers.constants import DossierStatus
from motcua.dossiers.models import Dossier
from motcua.integration.constants import SyncStatus
from motcua.integration.delivery import national_payload, national_sync_push
from motcua.integration.models import NationalPortalReceipt, NationalSyncState
from motcua.integration.selectors import national_sync_share
from motcua.integration.tasks import integration_send_due
from tests.dossiers.helpers import drive, new_direct

from .conftest import Caller, build_world
from .receiver import http_receiver


def test_sandbox_receives_every_change(world, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        dossier = drive(world, DossierStatus.RETURNED)
        draft = drive(world, DossierStatus.DRAFT)
    state = NationalSyncState.objects.get(dossier=dossier)
    assert state.status == SyncStatus.SYNCED
    assert state.acked_version == dossier.version
    assert not NationalSyncState.objects.filter(dossier=draft).exists()
    last = NationalPortalReceipt.objects.filter(dossier_code=dossier.code).order_by("id").last()
    record = last.payload
    assert record["TrangThaiHoSo"] == "returned"
    assert record["KenhThucHien"] == 2
    assert record["NgayTiepNhan"] and record["NgayHenTra"] and record["NgayKetThucXuLy"]
    assert record["MaTTHC"] == world.procedure.code
    assert {
        "PhiLePhi",
        "DuocThanhToanTrucTuyen",
        "HoSoCoThanhPhanSoHoa",
        "DuocLayTuKhoDMQG",
    } <= set(record)
    assert national_sync_share().synced == 1
    assert national_sync_share().total == 1


def test_share_counts_only_acknowledged_latest_versions(
    world, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        synced = drive(world, DossierStatus.RECEIVED)
    # A change made without the worker (its dispatch never ran) leaves the dossier behind.
    ds.dossier_start(dossier=synced, actor=world.reception, at=world.clock.tick())
    with django_capture_on_commit_callbacks(execute=True):
        drive(world, DossierStatus.SUBMITTED)
    share = national_sync_share()
    assert (share.synced, share.total) == (1, 2)
    assert share.share == 0.5
    scoped = national_sync_share(unit_ids={world.other_unit.pk})
    assert (scoped.synced, scoped.total, scoped.share) == (0, 0, None)


def test_http_portal_is_retried_until_it_acknowledges(
    world, settings, caller: Caller, django_capture_on_commit_callbacks
) -> None:
    with http_receiver(script=[503, 500]) as portal:
        settings.MOTCUA_NATIONAL_PORTAL_PROVIDER = "http"
        settings.MOTCUA_NATIONAL_PORTAL_URL = portal.url
        settings.MOTCUA_NATIONAL_PORTAL_TOKEN = "bi-mat"
        with django_capture_on_commit_callbacks(execute=True):
            dossier = new_direct(world)
        state = NationalSyncState.objects.get(dossier=dossier)
        assert state.status == SyncStatus.RETRYING
        assert state.attempts == 1
        assert caller.get(f"dossiers/{dossier.code}/national-sync").json()["status"] == "retrying"
        now = timezone.now()
        integration_send_due(now=now + dt.timedelta(hours=1))
        integration_send_due(now=now + dt.timedelta(hours=3))
        assert integration_send_due(now=now + dt.timedelta(hours=5))["national"] == 0
    state.refresh_from_db()
    assert state.status == SyncStatus.SYNCED
    assert state.attempts == 0
    assert len(portal.requests) == 3
    assert portal.requests[0].headers["Authorization"] == "Bearer bi-mat"
    record = json.loads(portal.requests[-1].body)
    assert record["MaHoSo"] == dossier.code
    assert record["KenhThucHien"] == 1  # direct
    assert caller.get(f"dossiers/{dossier.code}/national-sync").json()["status"] == "synced"


def test_payload_of_a_digitised_dossier_with_an_e_result(world) -> None:
    dossier = drive(world, DossierStatus.RESULT_READY)
    Dossier.objects.filter(pk=dossier.pk).update(
        is_digitised=True, has_e_result=True, paid_online=True
    )
    dossier.refresh_from_db()
    record = national_payload(dossier=dossier)
    # The flag alone, no e-result issued: no code, no link (tests/results: the issued case).
    assert record["MaKetQua"] == ""
    assert record["DuongDanTepTinKetQua"] == ""
    assert record["HoSoCoThanhPhanSoHoa"] == 1
    assert record["DuocThanhToanTrucTuyen"] == 2


def test_sync_can_be_switched_off(world, settings, django_capture_on_commit_callbacks) -> None:
    settings.MOTCUA_NATIONAL_PORTAL_PROVIDER = ""
    with django_capture_on_commit_callbacks(execute=True):
        drive(world, DossierStatus.SUBMITTED)
    assert not NationalSyncState.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_round_trip_through_the_sandbox_receiver_over_http(live_server, settings) -> None:
    world = build_world()
    settings.MOTCUA_NATIONAL_PORTAL_PROVIDER = "http"
    settings.MOTCUA_NATIONAL_PORTAL_URL = (
        f"{live_server.url}/api/v1/sandbox/national-portal/dossiers"
    )
    settings.MOTCUA_NATIONAL_PORTAL_TOKEN = ""
    dossier = new_direct(world)  # transaction=True: the worker (immediate backend) runs on commit
    state = NationalSyncState.objects.get(dossier=dossier)
    assert state.status == SyncStatus.SYNCED, (state.last_error, state.last_response)
    assert NationalPortalReceipt.objects.filter(dossier_code=dossier.code).exists()
    assert national_sync_push(dossier_id=dossier.pk) is None  # nothing left to push


def test_sandbox_receiver_validates(world) -> None:
    response = Client().post(
        "/api/v1/sandbox/national-portal/dossiers", {"x": 1}, content_type="application/json"
    )
    assert response.status_code == 422
    response = Client().post(
        "/api/v1/sandbox/national-portal/dossiers",
        {"MaHoSo": "000.00.21.H16-250714-0001", "KenhThucHien": 2},
        content_type="application/json",
    )
    assert response.json()["ack"] is True
