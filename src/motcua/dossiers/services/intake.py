"""Actions from creation to reception: draft, submit, receive, accept, supplement, refuse, withdraw."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import User
from motcua.catalog.models import Procedure
from motcua.orgs.models import Unit
from motcua.workcal import working_hours_between

from ..codes import code_allocate
from ..constants import (
    Action,
    AttachmentKind,
    Channel,
    DossierStatus,
    ResultDelivery,
)
from ..exceptions import MissingDocuments, PaymentDue, ValidationFailed
from ..models import Dossier, SupplementRequest
from ..search import search_text_for
from ..workflow import Transition, check_transition
from .base import (
    Applicant,
    authorise,
    record_event,
    require_text,
    resolve_moment,
    run_transition,
    transitioning_send,
    use_case_atomic,
)
from .clock import clock_resume_after_supplement, clock_start

# The agency must ask for a supplement within 3 working days of receipt (docs/DOMAIN.md §2).
SUPPLEMENT_REQUEST_WINDOW_HOURS = 24


def fee_total_for(*, procedure: Procedure, channel: str) -> int:
    total = 0
    for fee in procedure.fees.all():
        if channel == Channel.ONLINE and fee.online_amount is not None:
            total += fee.online_amount
        else:
            total += fee.amount
    return total


def _check_delivery(procedure: Procedure, result_delivery: str) -> None:
    if result_delivery not in ResultDelivery.values:
        raise ValidationFailed(details={"result_delivery": "Hình thức nhận kết quả không hợp lệ."})
    if result_delivery == ResultDelivery.POSTAL and not procedure.accepts_postal_return:
        raise ValidationFailed(
            _("Thủ tục này không trả kết quả qua bưu chính."),
            details={"result_delivery": result_delivery},
        )


def dossier_create_draft(
    *,
    actor: User,
    procedure: Procedure,
    receiving_unit: Unit,
    applicant: Applicant | None = None,
    form_data: dict[str, Any] | None = None,
    result_delivery: str = ResultDelivery.IN_PERSON,
    external_code: str = "",
    at: dt.datetime | None = None,
) -> Dossier:
    """A citizen starts an online dossier (not yet submitted, no code yet)."""
    moment = resolve_moment(at)
    transition = check_transition(None, Action.CREATE_DRAFT)
    authorise(actor=actor, dossier=None, transition=transition)
    if not procedure.published or not procedure.accepts_online:
        raise ValidationFailed(
            _("Thủ tục này chưa cung cấp dịch vụ công trực tuyến."),
            details={"procedure": procedure.code},
        )
    _check_delivery(procedure, result_delivery)
    applicant = applicant or Applicant.from_user(actor)
    with use_case_atomic():
        dossier = Dossier(
            procedure=procedure,
            receiving_unit=receiving_unit,
            channel=Channel.ONLINE,
            status=transition.target,
            version=1,
            owner=actor,
            form_data=form_data or {},
            result_delivery=result_delivery,
            external_code=external_code,
            fee_total=fee_total_for(procedure=procedure, channel=Channel.ONLINE),
            created_at=moment,
            **applicant.as_fields(),
        )
        dossier.search_text = search_text_for(dossier)
        dossier.save()
        record_event(
            dossier=dossier,
            action=Action.CREATE_DRAFT,
            from_status="",
            actor=actor,
            actor_label="",
            moment=moment,
            payload={"procedure": procedure.code, "unit": receiving_unit.code},
            first=True,
        )
    return dossier


def missing_documents(dossier: Dossier) -> list[str]:
    """Names of the procedure's mandatory documents that have no attachment yet."""
    attached = set(
        dossier.attachments.filter(
            kind__in=[AttachmentKind.APPLICATION, AttachmentKind.SUPPLEMENT, AttachmentKind.SCAN],
            required_document__isnull=False,
        ).values_list("required_document_id", flat=True)
    )
    return [
        doc.name
        for doc in dossier.procedure.required_documents.filter(mandatory=True).order_by("order")
        if doc.pk not in attached
    ]


def dossier_submit(
    *,
    dossier: Dossier,
    actor: User,
    form_data: dict[str, Any] | None = None,
    by_post: bool = False,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """The citizen submits the draft: documents checked, the code allocated (codes.py).

    `by_post`: the papers come by the public postal service (the postal app orders the pickup
    in this transaction); the dossier's channel becomes postal and it is received when the
    postman hands it over at the desk.
    """

    def apply(d: Dossier, _t: Transition, moment: dt.datetime) -> dict[str, Any]:
        if form_data is not None:
            d.form_data = form_data
        missing = missing_documents(d)
        if missing:
            raise MissingDocuments(details={"missing": missing})
        if by_post:
            if not d.procedure.accepts_postal_pickup:
                raise ValidationFailed(
                    _("Thủ tục này không nhận hồ sơ qua bưu chính."),
                    details={"procedure": d.procedure.code},
                )
            d.channel = Channel.POSTAL
            d.fee_total = fee_total_for(procedure=d.procedure, channel=d.channel)
        if not d.code:
            d.code = code_allocate(unit=d.receiving_unit, at=moment)
        d.submitted_at = moment
        return {"code": d.code, "channel": d.channel} if by_post else {"code": d.code}

    return run_transition(
        dossier=dossier,
        action=Action.SUBMIT,
        actor=actor,
        apply=apply,
        expected_version=expected_version,
        at=at,
    )


def _receive_new(
    *,
    action: str,
    channel: str,
    actor: User | None,
    procedure: Procedure,
    receiving_unit: Unit,
    applicant: Applicant,
    form_data: dict[str, Any] | None,
    result_delivery: str,
    owner: User | None,
    external_code: str,
    at: dt.datetime | None,
    actor_label: str,
    extra: dict[str, Any] | None = None,
) -> Dossier:
    moment = resolve_moment(at)
    transition = check_transition(None, action)
    authorise(actor=actor, dossier=None, transition=transition, units=[receiving_unit])
    if channel == Channel.POSTAL and not procedure.accepts_postal_pickup:
        raise ValidationFailed(
            _("Thủ tục này không nhận hồ sơ qua bưu chính."),
            details={"procedure": procedure.code},
        )
    _check_delivery(procedure, result_delivery)
    with use_case_atomic():
        dossier = Dossier(
            procedure=procedure,
            receiving_unit=receiving_unit,
            channel=channel,
            status=transition.target,
            version=1,
            owner=owner,
            form_data=form_data or {},
            result_delivery=result_delivery,
            external_code=external_code,
            fee_total=fee_total_for(procedure=procedure, channel=channel),
            submitted_at=moment,
            received_by=actor,
            created_at=moment,
            **applicant.as_fields(),
        )
        dossier.code = code_allocate(unit=receiving_unit, at=moment)
        dossier.search_text = search_text_for(dossier)
        clock_start(dossier, moment)
        dossier.save()
        payload: dict[str, Any] = {
            "code": dossier.code,
            "procedure": procedure.code,
            "received_at": dossier.received_at,
            "due_at": dossier.due_at,
            **(extra or {}),
        }
        transitioning_send(
            dossier=dossier,
            action=action,
            from_status="",
            actor=actor,
            moment=moment,
            payload=payload,
        )
        if dossier.awaiting_payment:  # a fee due at the desk (the hooks set it)
            dossier.save(update_fields=["awaiting_payment"])
        record_event(
            dossier=dossier,
            action=action,
            from_status="",
            actor=actor,
            actor_label=actor_label,
            moment=moment,
            payload=payload,
            first=True,
        )
    return dossier


def dossier_receive_direct(
    *,
    actor: User,
    procedure: Procedure,
    receiving_unit: Unit,
    applicant: Applicant,
    form_data: dict[str, Any] | None = None,
    result_delivery: str = ResultDelivery.IN_PERSON,
    owner: User | None = None,
    external_code: str = "",
    at: dt.datetime | None = None,
) -> Dossier:
    """A reception officer receives a paper dossier at the desk (form 01 issued: t0)."""
    return _receive_new(
        action=Action.RECEIVE_DIRECT,
        channel=Channel.DIRECT,
        actor=actor,
        procedure=procedure,
        receiving_unit=receiving_unit,
        applicant=applicant,
        form_data=form_data,
        result_delivery=result_delivery,
        owner=owner,
        external_code=external_code,
        at=at,
        actor_label="",
    )


def dossier_receive_postal(
    *,
    actor: User,
    procedure: Procedure,
    receiving_unit: Unit,
    applicant: Applicant,
    form_data: dict[str, Any] | None = None,
    result_delivery: str = ResultDelivery.POSTAL,
    owner: User | None = None,
    external_code: str = "",
    tracking_number: str = "",
    at: dt.datetime | None = None,
) -> Dossier:
    """A reception officer signs the postal hand-over record (t0) of a parcel that arrived
    without an order placed here; `tracking_number` is the parcel's (the postal app records it)."""
    return _receive_new(
        extra={"tracking_number": tracking_number.strip().upper()} if tracking_number else {},
        action=Action.RECEIVE_POSTAL,
        channel=Channel.POSTAL,
        actor=actor,
        procedure=procedure,
        receiving_unit=receiving_unit,
        applicant=applicant,
        form_data=form_data,
        result_delivery=result_delivery,
        owner=owner,
        external_code=external_code,
        at=at,
        actor_label="",
    )


def dossier_accept(
    *,
    dossier: Dossier,
    actor: User,
    note: str = "",
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """The officer accepts an online dossier: t0 and the due time (form 01)."""

    def apply(d: Dossier, _t: Transition, moment: dt.datetime) -> dict[str, Any]:
        if d.awaiting_payment:
            raise PaymentDue()
        clock_start(d, moment)
        d.received_by = actor
        return {"received_at": d.received_at, "due_at": d.due_at, "note": note}

    return run_transition(
        dossier=dossier,
        action=Action.ACCEPT,
        actor=actor,
        apply=apply,
        expected_version=expected_version,
        at=at,
    )


def dossier_request_supplement(
    *,
    dossier: Dossier,
    actor: User,
    items: list[str],
    reason: str = "",
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """Ask, once and completely, for what is missing (form 02). After reception the clock stops."""
    items = [item.strip() for item in items if item and item.strip()]
    if not items:
        raise ValidationFailed(
            _("Cần liệt kê đầy đủ các nội dung phải bổ sung."), details={"items": []}
        )

    def apply(d: Dossier, t: Transition, moment: dt.datetime) -> dict[str, Any]:
        before_reception = t.source == DossierStatus.SUBMITTED
        d.resume_status = t.source
        d.supplement_requested_at = moment
        payload: dict[str, Any] = {"items": items, "reason": reason}
        if not before_reception:
            d.supplement_count += 1
            if d.received_at is not None:
                payload["within_window"] = (
                    working_hours_between(d.received_at, moment, org_unit=d.receiving_unit)
                    <= SUPPLEMENT_REQUEST_WINDOW_HOURS
                )
        SupplementRequest.objects.create(
            dossier=d,
            items=items,
            reason=reason,
            before_reception=before_reception,
            requested_by=actor,
            requested_at=moment,
        )
        payload["before_reception"] = before_reception
        return payload

    return run_transition(
        dossier=dossier,
        action=Action.REQUEST_SUPPLEMENT,
        actor=actor,
        apply=apply,
        expected_version=expected_version,
        at=at,
    )


def dossier_supplement(
    *,
    dossier: Dossier,
    actor: User,
    note: str = "",
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """The supplement is complete: back to where the dossier was; the deadline is recomputed."""

    def apply(d: Dossier, _t: Transition, moment: dt.datetime) -> dict[str, Any]:
        d.status = d.resume_status or DossierStatus.SUBMITTED
        payload: dict[str, Any] = {"note": note}
        if d.status == DossierStatus.PROCESSING and d.received_at is not None:
            payload.update(clock_resume_after_supplement(d, moment))
        SupplementRequest.objects.filter(dossier=d, fulfilled_at__isnull=True).update(
            fulfilled_at=moment
        )
        d.resume_status = ""
        d.supplement_requested_at = None
        return payload

    return run_transition(
        dossier=dossier,
        action=Action.SUPPLEMENT,
        actor=actor,
        apply=apply,
        expected_version=expected_version,
        at=at,
    )


def dossier_refuse(
    *,
    dossier: Dossier,
    actor: User,
    reason: str,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """Refuse to receive (form 03); a reason is required. Terminal."""
    reason = require_text(reason, "reason", _("Cần nêu rõ lý do từ chối."))

    def apply(d: Dossier, _t: Transition, moment: dt.datetime) -> dict[str, Any]:
        d.finished_at = moment
        return {"reason": reason}

    return run_transition(
        dossier=dossier,
        action=Action.REFUSE,
        actor=actor,
        apply=apply,
        expected_version=expected_version,
        at=at,
    )


def dossier_withdraw(
    *,
    dossier: Dossier,
    actor: User,
    reason: str = "",
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """The citizen withdraws (or an officer records the citizen's request). Terminal."""

    def apply(d: Dossier, _t: Transition, moment: dt.datetime) -> dict[str, Any]:
        d.finished_at = moment
        step = d.current_step
        if step is not None and step.finished_at is None:
            step.finished_at = moment
            step.save(update_fields=["finished_at"])
        d.set_current_step(None)
        d.assignee = None
        return {"reason": reason}

    return run_transition(
        dossier=dossier,
        action=Action.WITHDRAW,
        actor=actor,
        apply=apply,
        expected_version=expected_version,
        at=at,
    )
