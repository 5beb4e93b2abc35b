"""Files in storage that no row refers to (tệp mồ côi), found and removed.

A file is written to storage when its row is saved, inside the use case's transaction; when that
transaction is rolled back (a validation error after the upload, a lost lock, a crash), the row
is gone but the file stays: a citizen's identity card left on disk with nothing to find or
delete it by. `orphans()` walks the folders the file fields write to and keeps the files that no
row names; `orphans_delete()` removes those older than a grace period, so that a file saved by a
transaction still in progress (not yet visible to this one) is never taken.
Run weekly by the scheduler: `python -m motcua media --orphans --delete` (docs/DEPLOYMENT.md).
"""

from __future__ import annotations

import datetime as dt
import posixpath
from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import models
from django.utils import timezone

GRACE = dt.timedelta(hours=24)
BATCH = 1000


@dataclass(frozen=True)
class Orphan:
    name: str
    size: int
    modified_at: dt.datetime


def _file_fields() -> list[tuple[type[models.Model], str, str]]:
    """(model, field name, top folder) of every file field stored in the default storage."""
    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField) and isinstance(field.upload_to, str):
                top = field.upload_to.strip("/").split("/", 1)[0]
                if top and "%" not in top:
                    found.append((model, field.name, top))
    return found


def _walk(folder: str) -> Iterator[str]:
    try:
        folders, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in sorted(files):
        yield posixpath.join(folder, name)
    for name in sorted(folders):
        yield from _walk(posixpath.join(folder, name))


def _referenced(names: list[str], fields: list[tuple[type[models.Model], str]]) -> set[str]:
    found: set[str] = set()
    for model, field in fields:
        found.update(
            model._default_manager.filter(**{f"{field}__in": names}).values_list(field, flat=True)
        )
    return found


def orphans() -> Iterator[Orphan]:
    """The files under the file fields' folders that no row names, oldest folders first."""
    by_folder: dict[str, list[tuple[type[models.Model], str]]] = {}
    for model, field, top in _file_fields():
        by_folder.setdefault(top, []).append((model, field))
    for top, fields in sorted(by_folder.items()):
        batch: list[str] = []
        for name in _walk(top):
            batch.append(name)
            if len(batch) == BATCH:
                yield from _unreferenced(batch, fields)
                batch = []
        if batch:
            yield from _unreferenced(batch, fields)


def _unreferenced(
    names: list[str], fields: list[tuple[type[models.Model], str]]
) -> Iterator[Orphan]:
    known = _referenced(names, fields)
    for name in names:
        if name not in known:
            yield Orphan(
                name=name,
                size=default_storage.size(name),
                modified_at=default_storage.get_modified_time(name),
            )


def orphans_delete(*, now: dt.datetime | None = None, grace: dt.timedelta = GRACE) -> list[Orphan]:
    """Delete the orphans last written before `now - grace`; returns those deleted."""
    limit = (now or timezone.now()) - grace
    deleted = []
    for orphan in list(orphans()):
        if orphan.modified_at < limit:
            default_storage.delete(orphan.name)
            deleted.append(orphan)
    return deleted
