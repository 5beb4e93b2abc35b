"""What the applicant does to an online dossier besides the transitions: edit the draft, remove a
draft's file, rate the service once the result was returned."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import User

from ..constants import DossierStatus, EventAction, ResultDelivery, Satisfaction
from ..exceptions import IllegalTransition, PermissionDenied, StaleDossier, ValidationFailed
from ..models import Attachment, Dossier, DossierRating
from ..search import search_text_for
from .base import Applicant, record_event, resolve_moment
from .intake import _check_delivery

DELIVERY_NEEDS_LEVEL_4 = _("Chỉ thủ tục trực tuyến toàn trình (mức độ 4) trả kết quả trực tuyến.")
DELIVERY_ADDRESS_REQUIRED = _("Cần nhập địa chỉ nhận kết quả qua bưu chính.")
ALREADY_RATED = _("Hồ sơ này đã được đánh giá.")
RATE_ONLY_RETURNED = _("Chỉ đánh giá được khi hồ sơ đã trả kết quả.")
OVERALL_REQUIRED = _("Cần chọn mức độ hài lòng chung.")


def _lock_owned(*, dossier: Dossier, actor: User, action: str) -> Dossier:
    locked = (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("procedure", "receiving_unit")
        .get(pk=dossier.pk)
    )
    if actor is None or not actor.is_authenticated or locked.owner_id != actor.pk:
        raise PermissionDenied(details={"action": action})
    return locked


def dossier_update_draft(
    *,
    dossier: Dossier,
    actor: User,
    applicant: Applicant | None = None,
    form_data: dict[str, Any] | None = None,
    result_delivery: str | None = None,
    delivery_address: str | None = None,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """The owner saves a part of the draft (the portal saves at every step). Parts left None stay.

    Writes an `update_draft` event naming the parts changed (not their content); nothing is
    written when nothing changed.
    """
    moment = resolve_moment(at)
    with transaction.atomic():
        locked = _lock_owned(dossier=dossier, actor=actor, action=EventAction.UPDATE_DRAFT)
        if locked.status != DossierStatus.DRAFT:
            raise IllegalTransition(
                details={"status": locked.status, "action": EventAction.UPDATE_DRAFT}
            )
        if expected_version is not None and locked.version != expected_version:
            raise StaleDossier(details={"expected": expected_version, "actual": locked.version})
        changed: list[str] = []
        if applicant is not None:
            for name, value in applicant.as_fields().items():
                if getattr(locked, name) != value:
                    setattr(locked, name, value)
                    changed.append(name)
        if form_data is not None and form_data != locked.form_data:
            locked.form_data = form_data
            changed.append("form_data")
        if result_delivery is not None:
            _check_delivery(locked.procedure, result_delivery)
            if result_delivery == ResultDelivery.ONLINE and locked.procedure.online_level < 4:
                raise ValidationFailed(
                    DELIVERY_NEEDS_LEVEL_4, details={"result_delivery": result_delivery}
                )
            address = (delivery_address or "").strip()
            if result_delivery == ResultDelivery.POSTAL and not address:
                raise ValidationFailed(DELIVERY_ADDRESS_REQUIRED, details={"delivery_address": ""})
            if result_delivery != ResultDelivery.POSTAL:
                address = ""
            if locked.result_delivery != result_delivery:
                locked.result_delivery = result_delivery
                changed.append("result_delivery")
            if locked.delivery_address != address:
                locked.delivery_address = address
                changed.append("delivery_address")
        if not changed:
            return locked
        locked.search_text = search_text_for(locked)
        locked.version += 1
        locked.save()
        record_event(
            dossier=locked,
            action=EventAction.UPDATE_DRAFT,
            from_status=locked.status,
            actor=actor,
            actor_label="",
            moment=moment,
            payload={"changed": changed},
        )
    return locked


def attachment_remove(
    *, attachment: Attachment, actor: User, at: dt.datetime | None = None
) -> Dossier:
    """The owner removes a file from the draft (a wrong scan); the stored file goes too."""
    moment = resolve_moment(at)
    with transaction.atomic():
        locked = _lock_owned(dossier=attachment.dossier, actor=actor, action=EventAction.DETACH)
        if locked.status != DossierStatus.DRAFT:
            raise IllegalTransition(details={"status": locked.status, "action": EventAction.DETACH})
        row = Attachment.objects.filter(pk=attachment.pk, dossier=locked).first()
        if row is None:
            raise PermissionDenied(details={"action": EventAction.DETACH})
        payload = {"attachment": row.pk, "name": row.original_name, "sha256": row.sha256}
        stored = row.file
        row.delete()
        transaction.on_commit(lambda: stored.delete(save=False))
        locked.version += 1
        locked.save()
        record_event(
            dossier=locked,
            action=EventAction.DETACH,
            from_status=locked.status,
            actor=actor,
            actor_label="",
            moment=moment,
            payload=payload,
        )
    return locked


def dossier_rate(
    *,
    dossier: Dossier,
    actor: User,
    overall: str,
    convenience: str = "",
    timeliness: str = "",
    attitude: str = "",
    comment: str = "",
    at: dt.datetime | None = None,
) -> DossierRating:
    """The owner rates the service once, after the result was returned (docs/DOMAIN.md §8)."""
    moment = resolve_moment(at)
    if overall not in Satisfaction.values:
        raise ValidationFailed(OVERALL_REQUIRED, details={"overall": overall})
    optional = {"convenience": convenience, "timeliness": timeliness, "attitude": attitude}
    for name, value in optional.items():
        if value and value not in Satisfaction.values:
            raise ValidationFailed(details={name: value})
    with transaction.atomic():
        locked = _lock_owned(dossier=dossier, actor=actor, action=EventAction.RATE)
        if locked.status != DossierStatus.RETURNED:
            raise IllegalTransition(
                RATE_ONLY_RETURNED, details={"status": locked.status, "action": EventAction.RATE}
            )
        if DossierRating.objects.filter(dossier=locked).exists():
            raise IllegalTransition(ALREADY_RATED, details={"action": EventAction.RATE})
        rating = DossierRating.objects.create(
            dossier=locked,
            overall=overall,
            rated_by=actor,
            created_at=moment,
            comment=comment.strip()[:2000],
            **optional,
        )
        locked.version += 1
        locked.save()
        record_event(
            dossier=locked,
            action=EventAction.RATE,
            from_status=locked.status,
            actor=actor,
            actor_label="",
            moment=moment,
            payload={"overall": overall, **{k: v for k, v in optional.items() if v}},
        )
    return rating
