"""Every write of the e-results: issue and sign at approve/deny, correct (a new version), and
record a download (the first online one hands the result over).

Issuing runs inside the dossier's transition (receivers.py, dossiers.hooks): a signing failure
raises `SigningFailed`, a DossierError, so the approval stops with the signer's message and
nothing is written. Each issued version's SHA-256 (of the exact signed bytes) goes into the
event's payload, so the audit chain vouches for it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import IO, Any

from django.core.files.base import ContentFile
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import User
from motcua.dossiers.constants import AttachmentKind, DossierStatus, ResultDelivery
from motcua.dossiers.exceptions import PermissionDenied
from motcua.dossiers.models import Attachment, Dossier
from motcua.dossiers.services import dossier_return_result, upload_check, use_case_atomic
from motcua.dossiers.services.base import record_event, require_text, resolve_moment
from motcua.orgs.models import Unit

from .constants import (
    CITIZEN_CHANNELS,
    EVENT_RESULT_CORRECT,
    ISSUING_ACTIONS,
    ONLINE_DOWNLOAD_LABEL,
    ResultKind,
    ResultSource,
)
from .errors import CorrectionNotAllowed, ResultNotSignable, SigningFailed
from .kinds import result_kind_for, result_title_for
from .models import ResultDocument, ResultDownload
from .render import ResultSheet, image_to_pdf, render_result_pdf
from .selectors import result_correctable_by

PDF = "application/pdf"
IMAGES = frozenset({"image/jpeg", "image/png"})

# A dossier whose results a unit leader may still correct.
CORRECTABLE_STATES = frozenset({DossierStatus.RESULT_READY, DossierStatus.RETURNED})


def result_code(*, dossier: Dossier, number: int) -> str:
    """docs/DOMAIN.md §3: `<dossier code>-KQ<n>`."""
    return f"{dossier.code}-KQ{number}"


def _signer_name(actor: User | None) -> str:
    if actor is None:
        return ""
    return actor.full_name or actor.get_full_name() or actor.username


def _sign(*, pdf: bytes, unit: Unit, signer_name: str, code: str, at: dt.datetime) -> bytes:
    from motcua.documents.signing import SigningError, sign_pdf

    try:
        return sign_pdf(
            pdf=pdf,
            unit=unit,
            signer_name=signer_name,
            reason=f"Kết quả giải quyết thủ tục hành chính, mã {code}",
            location=unit.name,
            at=at,
        )
    except SigningError as error:
        raise SigningFailed(
            _("Không ký số được kết quả %(code)s: %(reason)s")
            % {"code": code, "reason": error.message},
            details={"code": code, "unit": unit.code},
        ) from error


def _next_number(dossier: Dossier) -> int:
    # The dossier's row is locked by the caller, so no other number is handed out meanwhile.
    last = ResultDocument.objects.filter(dossier=dossier).aggregate(m=Max("number"))["m"]
    return (last or 0) + 1


def _store(
    *,
    dossier: Dossier,
    number: int,
    kind: str,
    title: str,
    source: str,
    signed: bytes,
    signer: str,
    moment: dt.datetime,
    actor: User | None,
    attachment: Attachment | None = None,
    supersedes: ResultDocument | None = None,
    correction_reason: str = "",
) -> ResultDocument:
    code = result_code(dossier=dossier, number=number)
    document = ResultDocument(
        dossier=dossier,
        number=number,
        code=code,
        kind=kind,
        title=title,
        source=source,
        attachment=attachment,
        unit=dossier.receiving_unit,
        supersedes=supersedes,
        correction_reason=correction_reason,
        size=len(signed),
        sha256=hashlib.sha256(signed).hexdigest(),
        signer=signer,
        signed_at=moment,
        created_by=actor,
        created_at=moment,
    )
    document.file.save(f"{code}.pdf", ContentFile(signed), save=False)
    document.save()
    return document


def _entry(document: ResultDocument) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "code": document.code,
        "kind": document.kind,
        "source": document.source,
        "sha256": document.sha256,
        "signer": document.signer,
    }
    if document.attachment_id:
        entry["attachment"] = document.attachment_id
    if document.supersedes_id:
        entry["supersedes"] = document.supersedes.code
        entry["reason"] = document.correction_reason
    return entry


def _uploaded_pdf(*, attachment: Attachment, code: str, title: str) -> bytes:
    with attachment.file.open("rb") as handle:
        content = handle.read()
    if attachment.content_type == PDF:
        return content
    if attachment.content_type in IMAGES:
        return image_to_pdf(
            content=content, content_type=attachment.content_type, code=code, title=title
        )
    raise ResultNotSignable(details={"attachment": attachment.pk, "name": attachment.original_name})


def results_issue_on_transition(
    *,
    dossier: Dossier,
    action: str,
    actor: User | None,
    moment: dt.datetime,
    payload: dict[str, Any],
) -> list[ResultDocument]:
    """Inside approve/deny (the dossier locked): sign the results and note them in `payload`.

    Approve: every uploaded result file (kind RESULT, attached by a specialist beforehand or with
    the approval, from the pages or the API) not yet issued is signed as is (a scan is first
    laid on a PDF page with its code and QR); without any, the result is generated from the
    procedure kind's template. Deny: the written answer with the reasons; refuse (at reception):
    the written refusal with its reasons. All are signed before anything is stored, so a failure
    leaves nothing (the transition stops with the signer's message).
    """
    if action not in ISSUING_ACTIONS:
        return []
    procedure = dossier.procedure
    signer = _signer_name(actor)
    unit = dossier.receiving_unit
    number = _next_number(dossier)
    pending: list[dict[str, Any]] = []
    if action in ("deny", "refuse"):
        kind = ResultKind.DENIAL if action == "deny" else ResultKind.REFUSAL
        title = result_title_for(kind=kind, procedure_result="")
        code = result_code(dossier=dossier, number=number)
        sheet = ResultSheet(
            code=code,
            kind=kind,
            title=title,
            signer_name=signer,
            issued_at=moment,
            reason=str(payload.get("reason", "")),
        )
        pdf = render_result_pdf(dossier=dossier, unit=unit, sheet=sheet)
        pending.append({"kind": kind, "title": title, "pdf": pdf, "source": ResultSource.GENERATED})
    else:
        kind = result_kind_for(procedure_result=procedure.result, procedure_name=procedure.name)
        title = result_title_for(kind=kind, procedure_result=procedure.result)
        issued = set(
            ResultDocument.objects.filter(dossier=dossier, attachment__isnull=False).values_list(
                "attachment_id", flat=True
            )
        )
        uploads = [
            a
            for a in Attachment.objects.filter(
                dossier=dossier, kind=AttachmentKind.RESULT
            ).order_by("pk")
            if a.pk not in issued
        ]
        for offset, attachment in enumerate(uploads):
            code = result_code(dossier=dossier, number=number + offset)
            pdf = _uploaded_pdf(attachment=attachment, code=code, title=title)
            pending.append(
                {
                    "kind": kind,
                    "title": title,
                    "pdf": pdf,
                    "source": ResultSource.UPLOADED,
                    "attachment": attachment,
                }
            )
        if not uploads:
            code = result_code(dossier=dossier, number=number)
            sheet = ResultSheet(
                code=code,
                kind=kind,
                title=title,
                signer_name=signer,
                issued_at=moment,
                note=str(payload.get("note", "") or ""),
            )
            pdf = render_result_pdf(dossier=dossier, unit=unit, sheet=sheet)
            pending.append(
                {"kind": kind, "title": title, "pdf": pdf, "source": ResultSource.GENERATED}
            )
    signed = [
        _sign(
            pdf=item["pdf"],
            unit=unit,
            signer_name=signer,
            code=result_code(dossier=dossier, number=number + i),
            at=moment,
        )
        for i, item in enumerate(pending)
    ]
    documents = [
        _store(
            dossier=dossier,
            number=number + i,
            kind=item["kind"],
            title=item["title"],
            source=item["source"],
            signed=content,
            signer=signer,
            moment=moment,
            actor=actor,
            attachment=item.get("attachment"),
        )
        for i, (item, content) in enumerate(zip(pending, signed, strict=True))
    ]
    payload["e_results"] = [_entry(d) for d in documents]
    if action != "refuse":
        # Decision 766 indicator 4.1 counts the results of resolved dossiers; a refusal at
        # reception is signed and verifiable all the same, but the dossier was never resolved.
        dossier.has_e_result = True
    return documents


def result_correct(
    *,
    result: ResultDocument,
    actor: User,
    reason: str,
    file: IO[bytes] | None = None,
    file_name: str = "",
    at: dt.datetime | None = None,
) -> ResultDocument:
    """Issue a corrected version of a current result: a new code, signed anew, linked to the one
    it replaces with the reason; the old one is kept and verifies as superseded. With `file`
    (a corrected PDF or scan) that file is signed; without, the template is rendered again."""
    reason = require_text(reason, "reason", _("Cần nêu rõ lý do đính chính kết quả."))
    moment = resolve_moment(at)
    checked = upload_check(stream=file, name=file_name or "ket-qua.pdf") if file else None
    if checked is not None and checked.content_type not in IMAGES | {PDF}:
        raise ResultNotSignable(details={"name": checked.safe_name})
    with use_case_atomic():
        dossier = (
            Dossier.objects.select_for_update(of=("self",))
            .select_related("procedure", "receiving_unit", "current_step__unit")
            .get(pk=result.dossier_id)
        )
        old = ResultDocument.objects.select_for_update().get(pk=result.pk)
        if not result_correctable_by(user=actor, dossier=dossier):
            raise PermissionDenied(details={"action": EVENT_RESULT_CORRECT})
        if not old.is_current or dossier.status not in CORRECTABLE_STATES:
            raise CorrectionNotAllowed(details={"code": old.code, "status": dossier.status})
        number = _next_number(dossier)
        code = result_code(dossier=dossier, number=number)
        signer = _signer_name(actor)
        if file is not None and checked is not None:
            file.seek(0)
            content = file.read()
            pdf = (
                content
                if checked.content_type == PDF
                else image_to_pdf(
                    content=content, content_type=checked.content_type, code=code, title=old.title
                )
            )
            source = ResultSource.UPLOADED
        else:
            sheet = ResultSheet(
                code=code,
                kind=old.kind,
                title=old.title,
                signer_name=signer,
                issued_at=moment,
                reason=_denial_reason(dossier) if old.kind == ResultKind.DENIAL else "",
                replaces=old.code,
                correction_reason=reason,
            )
            pdf = render_result_pdf(dossier=dossier, unit=dossier.receiving_unit, sheet=sheet)
            source = ResultSource.GENERATED
        signed = _sign(
            pdf=pdf, unit=dossier.receiving_unit, signer_name=signer, code=code, at=moment
        )
        old.is_current = False
        old.save(update_fields=["is_current"])
        new = _store(
            dossier=dossier,
            number=number,
            kind=old.kind,
            title=old.title,
            source=source,
            signed=signed,
            signer=signer,
            moment=moment,
            actor=actor,
            supersedes=old,
            correction_reason=reason,
        )
        dossier.version += 1
        dossier.save()
        record_event(
            dossier=dossier,
            action=EVENT_RESULT_CORRECT,
            from_status=dossier.status,
            actor=actor,
            actor_label="",
            moment=moment,
            payload={"e_results": [_entry(new)], "superseded": old.code, "reason": reason},
        )
    return new


def _denial_reason(dossier: Dossier) -> str:
    event = dossier.events.filter(action="deny").order_by("-seq").first()
    return str(event.payload.get("reason", "")) if event is not None else ""


def result_download_record(
    *,
    result: ResultDocument,
    channel: str,
    user: User | None = None,
    api_client: Any = None,
    address: str = "",
    at: dt.datetime | None = None,
) -> ResultDownload:
    """Record one download (the caller has authorised it). The applicant's first download of a
    result they chose to receive online (from my dossiers or the tracking page) is the
    hand-over: the dossier becomes returned. An officer's or an API client's never is."""
    if user is not None and not user.is_authenticated:
        user = None
    moment = resolve_moment(at)
    with use_case_atomic():
        dossier = Dossier.objects.select_for_update(of=("self",)).get(pk=result.dossier_id)
        download = ResultDownload.objects.create(
            result=result,
            dossier=dossier,
            user=user,
            api_client=api_client,
            channel=channel,
            address=address[:64],
            at=moment,
        )
        hands_over = (
            api_client is None
            and channel in CITIZEN_CHANNELS
            and dossier.status == DossierStatus.RESULT_READY
            and dossier.result_delivery == ResultDelivery.ONLINE
        )
        if hands_over:
            who = _signer_name(user) if user is not None else ""
            dossier_return_result(
                dossier=dossier,
                actor=None,
                delivery=ResultDelivery.ONLINE,
                note=f"{result.code}",
                actor_label=f"{ONLINE_DOWNLOAD_LABEL}: {who}" if who else ONLINE_DOWNLOAD_LABEL,
                at=moment,
            )
    return download
