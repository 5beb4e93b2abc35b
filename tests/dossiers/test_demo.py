"""The demo dossiers: every state, real chains, past times, deterministic."""

from __future__ import annotations

import datetime as dt
import io

from motcua.dossiers.audit import chains_verify
from motcua.dossiers.constants import DossierStatus
from motcua.dossiers.demo import load_demo_dossiers
from motcua.dossiers.models import Dossier, DossierEvent

from .helpers import VN, World

NOW = dt.datetime(2025, 11, 20, 10, 0, tzinfo=VN)


def test_demo_dossiers_in_every_state(world: World) -> None:
    out = io.StringIO()
    created = load_demo_dossiers(count=20, seed=7, stdout=out, now=NOW)
    assert created >= 15
    assert Dossier.objects.count() == created
    assert set(Dossier.objects.values_list("status", flat=True)) == set(DossierStatus.values)
    assert list(chains_verify()) == []
    # Spread over the past months, never in the future.
    times = list(DossierEvent.objects.values_list("created_at", flat=True))
    assert max(times) <= NOW
    assert min(times) < NOW - dt.timedelta(days=60)
    assert "Đã tạo" in out.getvalue()
