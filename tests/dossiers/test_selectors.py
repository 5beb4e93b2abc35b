"""Scoped reads: membership subtrees, officer and citizen lists, the admin pages."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.dossiers import selectors as sel
from motcua.dossiers import services as s
from motcua.dossiers.constants import DossierStatus
from motcua.dossiers.exceptions import PermissionDenied
from motcua.orgs.constants import Role
from motcua.orgs.selectors import roles_for_user_in_unit, unit_ids_for_user, user_has_role
from tests.factories import UnitFactory

from .helpers import World, drive


def test_membership_scope_covers_subtrees(world: World) -> None:
    office = world.unit.children.get()
    grandchild = UnitFactory(code="000.02.21.H16", parent=office)
    assert unit_ids_for_user(user=world.reception) == {world.unit.pk, office.pk, grandchild.pk}
    assert unit_ids_for_user(user=world.specialist) == {office.pk, grandchild.pk}
    assert unit_ids_for_user(user=world.specialist, roles=[Role.UNIT_LEADER]) == set()
    assert unit_ids_for_user(user=world.citizen) == set()
    assert user_has_role(user=world.leader, unit=grandchild, roles=[Role.UNIT_LEADER])
    assert not user_has_role(user=world.specialist, unit=world.unit, roles=[Role.SPECIALIST])
    assert roles_for_user_in_unit(user=world.reception, unit=world.other_unit) == set()


def test_inactive_membership_grants_nothing(world: World) -> None:
    world.reception.memberships.update(is_active=False)
    assert unit_ids_for_user(user=world.reception) == set()


def test_officer_lists_are_scoped(world: World, django_assert_max_num_queries) -> None:
    mine = drive(world, DossierStatus.PROCESSING)
    drive(world, DossierStatus.DRAFT)
    elsewhere = s.dossier_receive_direct(
        actor=world.other_reception,
        procedure=world.procedure,
        receiving_unit=world.other_unit,
        applicant=world.applicant(),
    )
    with django_assert_max_num_queries(3):
        codes = [d.code for d in sel.dossier_list_for_officer(user=world.reception)]
        assert codes == [mine.code]
    assert [d.code for d in sel.dossier_list_for_officer(user=world.other_reception)] == [
        elsewhere.code
    ]
    # The specialist sees the dossier while its current step is in their office.
    assert [d.code for d in sel.dossier_list_for_officer(user=world.specialist)] == [mine.code]
    assert sel.dossier_get_for_officer(user=world.leader, code=mine.code) == mine
    with pytest.raises(PermissionDenied):
        sel.dossier_get_for_officer(user=world.other_reception, code=mine.code)
    assert list(sel.dossier_list_for_officer(user=world.citizen)) == []


def test_citizen_sees_only_their_dossiers(world: World) -> None:
    mine = drive(world, DossierStatus.SUBMITTED)
    assert sel.dossier_get_for_citizen(user=world.citizen, code=mine.code) == mine
    with pytest.raises(PermissionDenied):
        sel.dossier_get_for_citizen(user=world.other_citizen, code=mine.code)
    assert sel.dossier_lookup_public(code=mine.code) == mine


def test_updated_since_and_overdue(world: World) -> None:
    d = drive(world, DossierStatus.PROCESSING)
    qs = sel.dossier_list_for_officer(user=world.reception)
    assert list(sel.dossier_list_updated_since(queryset=qs, since=d.updated_at)) == []
    earlier = d.updated_at - dt.timedelta(seconds=1)
    assert list(sel.dossier_list_updated_since(queryset=qs, since=earlier)) == [d]
    assert list(sel.dossier_list_overdue(queryset=qs, at=d.due_at + dt.timedelta(hours=1))) == [d]
    assert list(sel.dossier_list_overdue(queryset=qs, at=d.due_at)) == []


def test_admin_pages_are_read_only(world: World, admin_client) -> None:
    d = drive(world, DossierStatus.RETURNED)
    assert admin_client.get("/admin/dossiers/dossier/").status_code == 200
    page = admin_client.get(f"/admin/dossiers/dossier/{d.pk}/change/")
    assert page.status_code == 200
    assert "Đã trả kết quả" in page.content.decode()
    # No add, no edit of the status through the admin.
    assert admin_client.get("/admin/dossiers/dossier/add/").status_code == 403
    admin_client.post(f"/admin/dossiers/dossier/{d.pk}/change/", {"status": "draft"})
    d.refresh_from_db()
    assert d.status == DossierStatus.RETURNED
    event = d.events.first()
    assert admin_client.get(f"/admin/dossiers/dossierevent/{event.pk}/change/").status_code == 200
    assert admin_client.get(f"/admin/dossiers/dossierevent/{event.pk}/delete/").status_code == 403
