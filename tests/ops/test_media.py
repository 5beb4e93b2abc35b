"""Files no row refers to (a rolled-back upload) are found, and removed once old enough."""

from __future__ import annotations

import datetime as dt
import io
import os

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from motcua.dossiers import services as s
from motcua.dossiers.constants import AttachmentKind, DossierStatus
from motcua.ops.media import orphans, orphans_delete
from tests.dossiers.helpers import World, build_world, drive, pdf_file


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(db) -> World:
    return build_world()


class Interrupted(Exception):
    pass


def age(name: str, hours: float) -> None:
    """Make a stored file look written `hours` ago (the file storage reads the mtime)."""
    moment = (timezone.now() - dt.timedelta(hours=hours)).timestamp()
    os.utime(default_storage.path(name), (moment, moment))


def test_a_rolled_back_upload_is_found_and_deleted_but_kept_files_stay(world: World) -> None:
    dossier = drive(world, DossierStatus.DRAFT)
    kept = s.attachment_add(
        dossier=dossier, actor=world.citizen, kind=AttachmentKind.APPLICATION, file=pdf_file()
    )
    with pytest.raises(Interrupted), transaction.atomic():
        lost = s.attachment_add(
            dossier=dossier, actor=world.citizen, kind=AttachmentKind.APPLICATION, file=pdf_file()
        )
        raise Interrupted  # the use case's caller fails after the upload: the row is undone
    assert default_storage.exists(lost.file.name)  # ... and the file stayed behind
    fresh = default_storage.save("dossiers/2026/11/fresh.pdf", ContentFile(b"%PDF-1.4 x"))
    age(kept.file.name, 48)
    age(lost.file.name, 48)

    assert sorted(o.name for o in orphans()) == sorted([lost.file.name, fresh])
    deleted = orphans_delete()
    # Only the old orphan: a fresh one may belong to a transaction still in progress.
    assert [o.name for o in deleted] == [lost.file.name]
    assert not default_storage.exists(lost.file.name)
    assert default_storage.exists(fresh)
    assert default_storage.exists(kept.file.name)
    with kept.file.open("rb") as stored:
        assert stored.read().startswith(b"%PDF")


def test_the_command_lists_then_deletes(world: World) -> None:
    name = default_storage.save("catalog/forms/cu.docx", ContentFile(b"old form"))
    age(name, 30)
    out = io.StringIO()
    call_command("media", "--orphans", stdout=out)
    assert name in out.getvalue() and "1 tệp mồ côi, 8 byte" in out.getvalue()
    assert default_storage.exists(name)  # listing deletes nothing
    out = io.StringIO()
    call_command("media", "--orphans", "--delete", "--older-than-hours", "48", stdout=out)
    assert "Đã xoá 0 tệp" in out.getvalue() and default_storage.exists(name)
    out = io.StringIO()
    call_command("media", "--orphans", "--delete", stdout=out)
    assert "Đã xoá 1 tệp mồ côi, 8 byte." in out.getvalue()
    assert not default_storage.exists(name)
