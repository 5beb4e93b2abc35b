"""Attachments: checked by content (opened with a real parser, see dossiers.uploads), size,
count and name, stored under a random name with size, type and SHA-256."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import unicodedata
import uuid
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import User
from motcua.catalog.models import RequiredDocument
from motcua.orgs.constants import OFFICER_ROLES

from ..constants import FINAL_STATES, AttachmentKind, DossierStatus, EventAction
from ..exceptions import IllegalTransition, InvalidAttachment, PermissionDenied
from ..models import Attachment, Dossier
from ..uploads import DOC, DOCX, JPEG, PDF, PNG, UploadRefused, inspect, sniff
from ..workflow import staff_roles_for
from .base import record_event, resolve_moment, use_case_atomic

EXTENSIONS = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png", DOCX: ".docx", DOC: ".doc"}

# At most this many files per required document (a scan in a few pages) and per dossier
# (settings.MOTCUA_MAX_FILES_PER_DOCUMENT / MOTCUA_MAX_FILES_PER_DOSSIER).
TOO_MANY_FOR_DOCUMENT = _("Mỗi thành phần hồ sơ đính kèm tối đa %(n)s tệp.")
TOO_MANY_FOR_DOSSIER = _("Hồ sơ đã có quá nhiều tệp đính kèm (tối đa %(n)s tệp).")

# What a citizen may attach, and when.
OWNER_KINDS = frozenset({AttachmentKind.APPLICATION, AttachmentKind.SUPPLEMENT})
OWNER_STATES = frozenset({DossierStatus.DRAFT, DossierStatus.AWAITING_SUPPLEMENT})


@dataclass(frozen=True)
class CheckedUpload:
    content_type: str
    safe_name: str
    size: int
    sha256: str


def sniff_content_type(stream: IO[bytes]) -> str | None:
    """The content type from the first bytes (and, for DOCX, the zip's own parts)."""
    stream.seek(0)
    data = stream.read()
    stream.seek(0)
    return sniff(data)


_UNSAFE = re.compile(r"[^\w\-. ]+", re.UNICODE)


def safe_file_name(name: str, *, extension: str) -> str:
    """A display name without path, control characters or a misleading extension."""
    base = unicodedata.normalize("NFC", name or "")
    base = base.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    stem = os.path.splitext(base)[0]
    stem = _UNSAFE.sub("_", stem).strip(" ._")[:120]
    return f"{stem or 'tep'}{extension}"


def upload_check(*, stream: IO[bytes], name: str) -> CheckedUpload:
    """Validate an upload; raises InvalidAttachment with a Vietnamese reason."""
    limit = settings.MOTCUA_MAX_UPLOAD_BYTES
    digest = hashlib.sha256()
    size = 0
    stream.seek(0)
    for chunk in iter(lambda: stream.read(64 * 1024), b""):
        size += len(chunk)
        if size > limit:
            raise InvalidAttachment(
                _("Tệp vượt quá dung lượng cho phép (%(mb)s MB).") % {"mb": limit // (1024 * 1024)},
                details={"max_bytes": limit},
            )
        digest.update(chunk)
    if size == 0:
        raise InvalidAttachment(_("Tệp rỗng."), details={"size": 0})
    try:
        content_type = inspect(
            stream,
            allowed=tuple(settings.MOTCUA_UPLOAD_CONTENT_TYPES),
            max_pixels=settings.MOTCUA_MAX_IMAGE_PIXELS,
        )
    except UploadRefused as refused:
        raise InvalidAttachment(
            refused.message, details={"name": name, "reason": refused.reason}
        ) from None
    return CheckedUpload(
        content_type=content_type,
        safe_name=safe_file_name(name, extension=EXTENSIONS[content_type]),
        size=size,
        sha256=digest.hexdigest(),
    )


def attachment_store(
    *,
    dossier: Dossier,
    actor: User | None,
    kind: str,
    file: IO[bytes] | File,
    checked: CheckedUpload,
    moment: dt.datetime,
    required_document: RequiredDocument | None = None,
) -> Attachment:
    """Save a file already passed through `upload_check` (inside the caller's transaction).

    No event and no version bump: the caller (attachment_add, or a transition such as approve
    with its result documents) records them.
    """
    attachment = Attachment(
        dossier=dossier,
        kind=kind,
        required_document=required_document,
        original_name=checked.safe_name,
        size=checked.size,
        content_type=checked.content_type,
        sha256=checked.sha256,
        uploaded_by=actor,
        created_at=moment,
    )
    file.seek(0)
    stored_name = f"{uuid.uuid4().hex}{EXTENSIONS[checked.content_type]}"
    attachment.file.save(stored_name, ContentFile(file.read()), save=False)
    attachment.save()
    return attachment


def _check_count(
    *, dossier: Dossier, kind: str, required_document: RequiredDocument | None
) -> None:
    """Bound how many files a dossier holds (results and scans by officers are not counted)."""
    if kind not in OWNER_KINDS:
        return
    per_document = settings.MOTCUA_MAX_FILES_PER_DOCUMENT
    per_dossier = settings.MOTCUA_MAX_FILES_PER_DOSSIER
    files = Attachment.objects.filter(dossier=dossier, kind__in=OWNER_KINDS)
    if required_document is not None:
        on_document = files.filter(required_document=required_document).count()
        if on_document >= per_document:
            raise InvalidAttachment(
                TOO_MANY_FOR_DOCUMENT % {"n": per_document},
                details={"required_document": required_document.pk, "count": on_document},
            )
    if files.count() >= per_dossier:
        raise InvalidAttachment(
            TOO_MANY_FOR_DOSSIER % {"n": per_dossier},
            details={"max_files": per_dossier},
        )


def attachment_add(
    *,
    dossier: Dossier,
    actor: User | None,
    kind: str,
    file: IO[bytes] | File,
    name: str | None = None,
    required_document: RequiredDocument | None = None,
    at: dt.datetime | None = None,
) -> Attachment:
    """Attach a checked file to the dossier; writes an `attach` event (the status is unchanged).

    The owner may attach application and supplement files to a draft or while a supplement is
    awaited; officers of the dossier's units may attach any kind until the dossier is closed.
    """
    moment = resolve_moment(at)
    if kind not in AttachmentKind.values:
        raise InvalidAttachment(details={"kind": kind})
    file_name = name or getattr(file, "name", "") or ""
    checked = upload_check(stream=file, name=file_name)
    with use_case_atomic():
        locked = (
            Dossier.objects.select_for_update(of=("self",))
            .select_related("receiving_unit", "current_step__unit", "procedure")
            .get(pk=dossier.pk)
        )
        if locked.status in FINAL_STATES:
            raise IllegalTransition(details={"status": locked.status, "action": "attach"})
        is_owner = actor is not None and locked.owner_id == actor.pk
        is_officer = bool(staff_roles_for(user=actor, dossier=locked) & OFFICER_ROLES)
        owner_ok = is_owner and kind in OWNER_KINDS and locked.status in OWNER_STATES
        if not (owner_ok or is_officer):
            raise PermissionDenied(details={"action": "attach", "kind": kind})
        if required_document is not None and required_document.procedure_id != locked.procedure_id:
            raise InvalidAttachment(details={"required_document": required_document.pk})
        _check_count(dossier=locked, kind=kind, required_document=required_document)
        attachment = attachment_store(
            dossier=locked,
            actor=actor,
            kind=kind,
            file=file,
            checked=checked,
            required_document=required_document,
            moment=moment,
        )
        if kind == AttachmentKind.SCAN:
            locked.is_digitised = True
        locked.version += 1
        locked.save()
        payload: dict[str, Any] = {
            "attachment": attachment.pk,
            "kind": kind,
            "name": checked.safe_name,
            "sha256": checked.sha256,
            "size": checked.size,
        }
        record_event(
            dossier=locked,
            action=EventAction.ATTACH,
            from_status=locked.status,
            actor=actor,
            actor_label="",
            moment=moment,
            payload=payload,
        )
    return attachment
