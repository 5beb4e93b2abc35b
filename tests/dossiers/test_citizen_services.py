"""The applicant's own writes: draft edits, removing a draft's file, rating; file-count limits."""

from __future__ import annotations

import pytest
from django.conf import settings

from motcua.dossiers import services as s
from motcua.dossiers.constants import DossierStatus, EventAction, ResultDelivery
from motcua.dossiers.exceptions import (
    IllegalTransition,
    InvalidAttachment,
    PermissionDenied,
    StaleDossier,
    ValidationFailed,
)
from motcua.dossiers.models import Attachment, DossierRating
from motcua.dossiers.selectors import dossier_get_draft_for_citizen
from tests.factories import RequiredDocumentFactory

from .helpers import World, drive, pdf_file

pytestmark = pytest.mark.django_db


def test_update_draft_saves_parts_and_writes_one_event(world: World):
    draft = drive(world, DossierStatus.DRAFT)
    version = draft.version
    updated = s.dossier_update_draft(
        dossier=draft,
        actor=world.citizen,
        form_data={"a": 1},
        result_delivery=ResultDelivery.POSTAL,
        delivery_address="12 Lê Duẩn, Buôn Ma Thuột",
        expected_version=version,
    )
    assert updated.version == version + 1
    assert updated.form_data == {"a": 1}
    assert updated.delivery_address == "12 Lê Duẩn, Buôn Ma Thuột"
    event = updated.events.order_by("-seq").first()
    assert event.action == EventAction.UPDATE_DRAFT
    assert event.payload == {"changed": ["form_data", "result_delivery", "delivery_address"]}
    # Saving the same again changes nothing and writes nothing.
    again = s.dossier_update_draft(dossier=draft, actor=world.citizen, form_data={"a": 1})
    assert again.version == updated.version


def test_update_draft_refuses_others_stale_and_submitted(world: World):
    draft = drive(world, DossierStatus.DRAFT)
    with pytest.raises(PermissionDenied):
        s.dossier_update_draft(dossier=draft, actor=world.other_citizen, form_data={"x": 1})
    with pytest.raises(StaleDossier):
        s.dossier_update_draft(
            dossier=draft, actor=world.citizen, form_data={"x": 1}, expected_version=0
        )
    submitted = drive(world, DossierStatus.SUBMITTED)
    with pytest.raises(IllegalTransition):
        s.dossier_update_draft(dossier=submitted, actor=world.citizen, form_data={"x": 1})


def test_update_draft_checks_the_delivery_choice(world: World):
    draft = drive(world, DossierStatus.DRAFT)
    with pytest.raises(ValidationFailed) as missing_address:
        s.dossier_update_draft(
            dossier=draft, actor=world.citizen, result_delivery=ResultDelivery.POSTAL
        )
    assert "delivery_address" in missing_address.value.details
    with pytest.raises(ValidationFailed):
        s.dossier_update_draft(dossier=draft, actor=world.citizen, result_delivery="drone")
    world.procedure.online_level = 3
    world.procedure.accepts_postal_return = False
    world.procedure.save()
    with pytest.raises(ValidationFailed):
        s.dossier_update_draft(
            dossier=draft, actor=world.citizen, result_delivery=ResultDelivery.ONLINE
        )
    with pytest.raises(ValidationFailed):
        s.dossier_update_draft(
            dossier=draft,
            actor=world.citizen,
            result_delivery=ResultDelivery.POSTAL,
            delivery_address="12 Lê Duẩn",
        )
    draft.refresh_from_db()
    assert draft.result_delivery == ResultDelivery.IN_PERSON


def test_owner_removes_a_draft_file_but_no_one_else(world: World):
    doc = RequiredDocumentFactory(procedure=world.procedure)
    draft = drive(world, DossierStatus.DRAFT)
    attachment = s.attachment_add(
        dossier=draft,
        actor=world.citizen,
        kind="application",
        file=pdf_file(),
        required_document=doc,
    )
    with pytest.raises(PermissionDenied):
        s.attachment_remove(attachment=attachment, actor=world.other_citizen)
    s.attachment_remove(attachment=attachment, actor=world.citizen)
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert draft.events.order_by("-seq").first().action == EventAction.DETACH


def test_too_many_files_for_one_document_are_refused(world: World):
    doc = RequiredDocumentFactory(procedure=world.procedure)
    draft = drive(world, DossierStatus.DRAFT)
    for i in range(settings.MOTCUA_MAX_FILES_PER_DOCUMENT):
        s.attachment_add(
            dossier=draft,
            actor=world.citizen,
            kind="application",
            file=pdf_file(f"trang{i}.pdf"),
            required_document=doc,
        )
    with pytest.raises(InvalidAttachment) as error:
        s.attachment_add(
            dossier=draft,
            actor=world.citizen,
            kind="application",
            file=pdf_file("them.pdf"),
            required_document=doc,
        )
    assert "tối đa 5 tệp" in str(error.value.message)
    assert draft.attachments.count() == settings.MOTCUA_MAX_FILES_PER_DOCUMENT


def test_rating_once_only_when_returned_only_by_owner(world: World):
    processing = drive(world, DossierStatus.PROCESSING)
    with pytest.raises(IllegalTransition):
        s.dossier_rate(dossier=processing, actor=world.citizen, overall="satisfied")
    returned = drive(world, DossierStatus.RETURNED)
    with pytest.raises(PermissionDenied):
        s.dossier_rate(dossier=returned, actor=world.other_citizen, overall="satisfied")
    with pytest.raises(ValidationFailed):
        s.dossier_rate(dossier=returned, actor=world.citizen, overall="")
    rating = s.dossier_rate(
        dossier=returned,
        actor=world.citizen,
        overall="very_satisfied",
        timeliness="not_satisfied",
        comment="Nhanh",
    )
    assert rating.get_overall_display() == "Rất hài lòng"
    with pytest.raises(IllegalTransition):
        s.dossier_rate(dossier=returned, actor=world.citizen, overall="satisfied")
    assert DossierRating.objects.filter(dossier=returned).count() == 1
    event = returned.events.order_by("-seq").first()
    assert event.action == EventAction.RATE
    assert event.payload == {"overall": "very_satisfied", "timeliness": "not_satisfied"}


def test_draft_selector_is_scoped_to_the_owner(world: World):
    draft = drive(world, DossierStatus.DRAFT)
    assert dossier_get_draft_for_citizen(user=world.citizen, uuid=draft.uuid) == draft
    with pytest.raises(PermissionDenied):
        dossier_get_draft_for_citizen(user=world.other_citizen, uuid=draft.uuid)
