"""Result documents attached with the approval, and who collected the result at the desk."""

from __future__ import annotations

import io

import pytest

from motcua.dossiers import services as s
from motcua.dossiers.constants import AttachmentKind, DossierStatus
from motcua.dossiers.exceptions import InvalidAttachment, StaleDossier
from motcua.dossiers.models import Attachment

from .helpers import World, drive, pdf_file


def test_approve_stores_the_result_documents_with_the_transition(world: World) -> None:
    d = drive(world, DossierStatus.PROCESSING)
    d = s.dossier_approve(
        dossier=d,
        actor=world.leader,
        result_files=[pdf_file("giay-chung-nhan.pdf")],
        expected_version=d.version,
        at=world.clock.tick(),
    )
    result = Attachment.objects.get(dossier=d, kind=AttachmentKind.RESULT)
    assert result.original_name == "giay-chung-nhan.pdf"
    assert d.has_e_result
    event = d.events.order_by("-seq").first()
    assert event.action == "approve"
    assert event.payload["results"][0]["attachment"] == result.pk
    # One transition, one version step, whatever the number of files.
    assert d.version == event.seq


def test_a_bad_result_file_or_a_stale_version_leaves_nothing(world: World) -> None:
    d = drive(world, DossierStatus.PROCESSING)
    bad = io.BytesIO(b"not a pdf")
    bad.name = "ket-qua.pdf"
    with pytest.raises(InvalidAttachment):
        s.dossier_approve(dossier=d, actor=world.leader, result_files=[bad])
    with pytest.raises(StaleDossier):
        s.dossier_approve(
            dossier=d,
            actor=world.leader,
            result_files=[pdf_file()],
            expected_version=d.version - 1,
        )
    d.refresh_from_db()
    assert d.status == DossierStatus.PROCESSING
    assert not Attachment.objects.filter(dossier=d, kind=AttachmentKind.RESULT).exists()


def test_return_result_records_who_collected_it(world: World) -> None:
    d = drive(world, DossierStatus.RESULT_READY)
    d = s.dossier_return_result(
        dossier=d, actor=world.reception, delivery="in_person", collector=" Lê Văn Tám "
    )
    event = d.events.order_by("-seq").first()
    assert (event.action, event.payload["collector"]) == ("return_result", "Lê Văn Tám")
