"""Actions after reception: start, forward, approve, deny, apologise, stop, return the result."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import IO, Any

from django.conf import settings
from django.core.files.base import File
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import User
from motcua.catalog.models import ProcessStep
from motcua.orgs.constants import OFFICER_ROLES, Role
from motcua.orgs.models import Unit
from motcua.orgs.selectors import roles_for_user_in_unit
from motcua.workcal import add_working_time, classify, working_hours_between

from ..constants import Action, AttachmentKind, ResultDelivery
from ..exceptions import ApologyNotAllowed, PaymentDue, ValidationFailed
from ..models import Apology, Dossier, DossierStep
from ..workflow import Transition
from .attachments import attachment_store, upload_check
from .base import require_text, run_transition
from .clock import clock_stop


def _check_assignee(assignee: User | None, unit: Unit) -> None:
    if assignee is None:
        return
    if not roles_for_user_in_unit(user=assignee, unit=unit) & OFFICER_ROLES:
        raise ValidationFailed(
            _("Cán bộ được giao không thuộc đơn vị xử lý."),
            details={"assignee": assignee.pk, "unit": unit.code},
        )


def _close_current_step(d: Dossier, moment: dt.datetime, note: str = "") -> DossierStep | None:
    step = d.current_step
    if step is None or step.finished_at is not None:
        return None
    step.finished_at = moment
    if step.due_at is not None:
        step.timing = classify(moment, step.due_at)
    if note:
        step.note = f"{step.note}\n{note}".strip()
    step.save(update_fields=["finished_at", "timing", "note"])
    return step


def _open_step(
    d: Dossier,
    moment: dt.datetime,
    *,
    name: str,
    unit: Unit,
    role: str,
    template: ProcessStep | None,
    assignee: User | None,
    sent_by: User | None,
    hours: Decimal | int | None,
) -> DossierStep:
    _check_assignee(assignee, unit)
    due = add_working_time(moment, hours, "hours", org_unit=unit) if hours else None
    step = DossierStep.objects.create(
        dossier=d,
        template=template,
        order=d.steps.count() + 1,
        name=name,
        unit=unit,
        role=role,
        assignee=assignee,
        sent_by=sent_by,
        started_at=moment,
        due_at=due,
    )
    d.set_current_step(step)
    d.assignee = assignee
    return step


def _step_payload(step: DossierStep) -> dict[str, Any]:
    return {
        "step": step.order,
        "name": step.name,
        "unit": step.unit.code,
        "assignee": step.assignee_id,
        "due_at": step.due_at,
    }


def _next_template_step(d: Dossier) -> ProcessStep | None:
    reached = (
        d.steps.filter(template__isnull=False)
        .order_by("-template__order")
        .values_list("template__order", flat=True)
        .first()
    )
    steps = d.procedure.process_steps.select_related("unit").order_by("order")
    if reached is not None:
        steps = steps.filter(order__gt=reached)
    return steps.first()


def dossier_start(
    *,
    dossier: Dossier,
    actor: User | None = None,
    assignee: User | None = None,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """Hand the received dossier to processing: the first step of the process template opens.

    Without a template, one step "Xử lý hồ sơ" at the receiving unit, due with the dossier.
    """

    def apply(d: Dossier, _t: Transition, moment: dt.datetime) -> dict[str, Any]:
        first = _next_template_step(d)
        if first is not None:
            step = _open_step(
                d,
                moment,
                name=first.name,
                unit=first.unit or d.receiving_unit,
                role=first.role,
                template=first,
                assignee=assignee,
                sent_by=actor,
                hours=first.allotted_hours,
            )
        else:
            step = _open_step(
                d,
                moment,
                name=str(_("Xử lý hồ sơ")),
                unit=d.receiving_unit,
                role=Role.SPECIALIST,
                template=None,
                assignee=assignee,
                sent_by=actor,
                hours=None,
            )
            step.due_at = d.due_at
            step.save(update_fields=["due_at"])
        return _step_payload(step)

    return run_transition(
        dossier=dossier,
        action=Action.START,
        actor=actor,
        apply=apply,
        expected_version=expected_version,
        at=at,
    )


def dossier_forward(
    *,
    dossier: Dossier,
    actor: User,
    to_unit: Unit | None = None,
    assignee: User | None = None,
    step_name: str = "",
    role: str = "",
    hours: Decimal | int | None = None,
    note: str = "",
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """Close the current step and open the next one.

    Without `to_unit` the next step of the process template opens (its assignee may be named).
    With `to_unit` the dossier goes to another unit (inter-agency work) as an extra step that
    does not advance the template. With only `assignee` and no template step left, it is handed
    to that officer within the current step's unit.
    """

    def apply(d: Dossier, _t: Transition, moment: dt.datetime) -> dict[str, Any]:
        current = d.current_step
        closed = _close_current_step(d, moment, note)
        template = None if to_unit is not None else _next_template_step(d)
        if to_unit is not None:
            step = _open_step(
                d,
                moment,
                name=step_name or str(_("Phối hợp xử lý: %(unit)s") % {"unit": to_unit.name}),
                unit=to_unit,
                role=role,
                template=None,
                assignee=assignee,
                sent_by=actor,
                hours=hours,
            )
        elif template is not None:
            step = _open_step(
                d,
                moment,
                name=template.name,
                unit=template.unit or d.receiving_unit,
                role=template.role,
                template=template,
                assignee=assignee,
                sent_by=actor,
                hours=template.allotted_hours if hours is None else hours,
            )
        elif assignee is not None:
            step = _open_step(
                d,
                moment,
                name=step_name or (current.name if current else str(_("Xử lý hồ sơ"))),
                unit=current.unit if current else d.receiving_unit,
                role=role,
                template=None,
                assignee=assignee,
                sent_by=actor,
                hours=hours,
            )
        else:
            raise ValidationFailed(
                _("Quy trình không còn bước tiếp theo; hãy chọn đơn vị hoặc cán bộ nhận."),
                details={"to_unit": None},
            )
        payload = _step_payload(step)
        payload["note"] = note
        if closed is not None:
            payload["closed_step"] = closed.order
            payload["closed_timing"] = closed.timing
        return payload

    return run_transition(
        dossier=dossier,
        action=Action.FORWARD,
        actor=actor,
        apply=apply,
        expected_version=expected_version,
        at=at,
    )


def _finish(d: Dossier, moment: dt.datetime, note: str) -> dict[str, Any]:
    _close_current_step(d, moment, note)
    d.set_current_step(None)
    d.assignee = None
    clock_stop(d, moment)
    return {"timing": d.timing, "finished_at": moment, "due_at": d.original_due_at}


def dossier_approve(
    *,
    dossier: Dossier,
    actor: User,
    note: str = "",
    result_files: Sequence[IO[bytes] | File] = (),
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """The leader signs the result: result ready, the clock ends and is classified.

    `result_files` (the result documents) are checked first and stored with the transition, so
    a bad file or a stale version leaves nothing behind.
    """
    checked = [
        (file, upload_check(stream=file, name=getattr(file, "name", "") or ""))
        for file in result_files
    ]

    def apply(d: Dossier, _t: Transition, moment: dt.datetime) -> dict[str, Any]:
        stored = [
            attachment_store(
                dossier=d,
                actor=actor,
                kind=AttachmentKind.RESULT,
                file=file,
                checked=check,
                moment=moment,
            )
            for file, check in checked
        ]
        d.has_e_result = d.attachments.filter(kind=AttachmentKind.RESULT).exists()
        payload = _finish(d, moment, note)
        payload.update({"decision": "approve", "note": note})
        if stored:
            payload["results"] = [
                {"attachment": a.pk, "name": a.original_name, "sha256": a.sha256} for a in stored
            ]
        return payload

    return run_transition(
        dossier=dossier,
        action=Action.APPROVE,
        actor=actor,
        apply=apply,
        expected_version=expected_version,
        at=at,
    )


def dossier_deny(
    *,
    dossier: Dossier,
    actor: User,
    reason: str,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """The leader refuses after appraisal: a written answer with reasons is the result."""
    reason = require_text(reason, "reason", _("Cần nêu rõ lý do không giải quyết."))

    def apply(d: Dossier, _t: Transition, moment: dt.datetime) -> dict[str, Any]:
        payload = _finish(d, moment, reason)
        payload.update({"decision": "deny", "reason": reason})
        return payload

    return run_transition(
        dossier=dossier,
        action=Action.DENY,
        actor=actor,
        apply=apply,
        expected_version=expected_version,
        at=at,
    )


def dossier_stop(
    *,
    dossier: Dossier,
    actor: User,
    reason: str,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """The agency stops processing ("dừng xử lý") with written reasons. Terminal."""
    reason = require_text(reason, "reason", _("Cần nêu rõ lý do dừng xử lý."))

    def apply(d: Dossier, _t: Transition, moment: dt.datetime) -> dict[str, Any]:
        payload = _finish(d, moment, reason)
        payload["reason"] = reason
        return payload

    return run_transition(
        dossier=dossier,
        action=Action.STOP,
        actor=actor,
        apply=apply,
        expected_version=expected_version,
        at=at,
    )


def apology_allowed(dossier: Dossier, moment: dt.datetime) -> bool:
    """Late already, or due within one working day; and no apology yet (one per dossier)."""
    if dossier.apologised or dossier.due_at is None:
        return False
    left = working_hours_between(moment, dossier.due_at, org_unit=dossier.receiving_unit)
    return left <= settings.MOTCUA_HOURS_PER_WORKING_DAY


def dossier_apologise(
    *,
    dossier: Dossier,
    actor: User,
    reason: str,
    new_due_at: dt.datetime,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """Apology letter and the one new appointment (form 04); the legal due time is kept."""
    reason = require_text(reason, "reason", _("Cần nêu rõ lý do chậm trễ."))

    def apply(d: Dossier, _t: Transition, moment: dt.datetime) -> dict[str, Any]:
        if not apology_allowed(d, moment):
            raise ApologyNotAllowed(
                details={"apologised": d.apologised, "due_at": d.due_at and d.due_at.isoformat()}
            )
        if new_due_at <= d.due_at or new_due_at <= moment:
            raise ValidationFailed(
                _("Ngày hẹn lại phải sau hạn trả kết quả hiện tại."),
                details={"new_due_at": new_due_at.isoformat()},
            )
        Apology.objects.create(
            dossier=d,
            reason=reason,
            original_due_at=d.due_at,
            new_due_at=new_due_at,
            signed_by=actor,
            created_at=moment,
        )
        previous = d.due_at
        d.apologised = True
        d.apology_due_at = new_due_at
        d.due_at = new_due_at
        return {"reason": reason, "previous_due_at": previous, "new_due_at": new_due_at}

    return run_transition(
        dossier=dossier,
        action=Action.APOLOGISE,
        actor=actor,
        apply=apply,
        expected_version=expected_version,
        at=at,
    )


def dossier_return_result(
    *,
    dossier: Dossier,
    actor: User | None = None,
    delivery: str | None = None,
    note: str = "",
    collector: str = "",
    expected_version: int | None = None,
    at: dt.datetime | None = None,
    actor_label: str = "",
) -> Dossier:
    """The result is handed over (desk, post, or the applicant's online download). Terminal.

    `collector` is who took the result at the desk (the applicant or an authorised person).
    """
    if delivery is not None and delivery not in ResultDelivery.values:
        raise ValidationFailed(details={"delivery": delivery})

    def apply(d: Dossier, _t: Transition, moment: dt.datetime) -> dict[str, Any]:
        if d.awaiting_payment:
            raise PaymentDue()
        if delivery is not None:
            d.result_delivery = delivery
        d.returned_at = moment
        payload: dict[str, Any] = {"delivery": d.result_delivery, "note": note}
        if collector.strip():
            payload["collector"] = collector.strip()
        return payload

    return run_transition(
        dossier=dossier,
        action=Action.RETURN_RESULT,
        actor=actor,
        apply=apply,
        expected_version=expected_version,
        at=at,
        actor_label=actor_label,
    )
