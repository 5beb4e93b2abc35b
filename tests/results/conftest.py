"""Fixtures of the e-result tests: the dossier tests' world, with a demo CA that certifies its
agencies (documents.demo), e-results switched on, and helpers to reach each state."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pytest

from motcua.documents.demo import demo_ca_create
from motcua.dossiers import services as s
from motcua.dossiers.constants import DossierStatus
from motcua.dossiers.models import Dossier
from tests.dossiers.helpers import World, build_world, drive


@dataclass
class Signing:
    directory: Path


@pytest.fixture(autouse=True)
def _e_results_on(settings, tmp_path) -> None:
    settings.MOTCUA_E_RESULTS = True
    settings.DATA_DIR = tmp_path / "data"
    settings.MOTCUA_PUBLIC_BASE_URL = "https://dichvucong.example.gov.vn"
    settings.MOTCUA_SIGNING_TRUST_ROOTS = None
    settings.MOTCUA_SIGNING_CRLS = None
    # The public API's per-address counters outlive a test; tests of the limit set their own.
    settings.MOTCUA_API_PUBLIC_RATE_LIMIT_PER_MINUTE = 1_000_000


@pytest.fixture
def world(db) -> World:
    return build_world(processing_time=5, result="Giấy chứng nhận kết hôn")


@pytest.fixture
def signing(world: World, settings) -> Signing:
    directory = Path(settings.DATA_DIR) / "signing"
    demo_ca_create(directory=directory, units=[world.unit, world.other_unit])
    return Signing(directory=directory)


def approved(world: World, *, online: bool = False, now: bool = False, **kwargs) -> Dossier:
    """A dossier of the world's citizen approved by the leader (results issued); `now`: signed
    at the real clock's time rather than the world's (July 2025)."""
    d = drive(world, DossierStatus.PROCESSING)
    if online:
        Dossier.objects.filter(pk=d.pk).update(result_delivery="online")
        d.refresh_from_db()
    at = None if now else world.clock.tick()
    return s.dossier_approve(dossier=d, actor=world.leader, at=at, **kwargs)


def pdf_upload(content: bytes, name: str = "ket-qua.pdf") -> io.BytesIO:
    stream = io.BytesIO(content)
    stream.name = name
    return stream
