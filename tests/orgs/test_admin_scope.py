"""An agency administrator's Django admin holds their own agency only: units, memberships, the
unit pickers, and no province administrator role to hand out (the model permissions alone would
let them edit every agency and grant themselves a role anywhere)."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from motcua.orgs.constants import GovLevel, Role, UnitKind
from motcua.orgs.models import Membership, Unit
from motcua.orgs.services import membership_grant, unit_create
from tests.factories import ProcedureFactory, StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    province = unit_create(
        code="000.00.00.H16", name="Tỉnh Đắk Lắk", kind=UnitKind.PROVINCE, level=GovLevel.PROVINCE
    )
    justice = unit_create(
        code="000.00.11.H16",
        name="Sở Tư pháp",
        kind=UnitKind.DEPARTMENT,
        level=GovLevel.PROVINCE,
        parent=province,
    )
    office = unit_create(
        code="000.01.11.H16",
        name="Phòng Hành chính tư pháp",
        kind=UnitKind.OFFICE,
        level=GovLevel.PROVINCE,
        parent=justice,
    )
    health = unit_create(
        code="000.00.12.H16",
        name="Sở Y tế",
        kind=UnitKind.DEPARTMENT,
        level=GovLevel.PROVINCE,
        parent=province,
    )
    return province, justice, office, health


@pytest.fixture
def agency_admin(tree) -> Client:
    """The justice department's administrator, with the demo's model permissions."""
    _, justice, _, _ = tree
    user = StaffFactory(is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["catalog", "orgs"])
    )
    membership_grant(user=user, unit=justice, role=Role.AGENCY_ADMIN)
    client = Client()
    client.force_login(user)
    return client


def _membership_form(user_pk: int, unit_pk: int, role: str) -> dict[str, str]:
    return {
        "user": str(user_pk),
        "unit": str(unit_pk),
        "role": role,
        "title": "",
        "is_active": "on",
    }


def test_lists_and_pages_hold_only_the_agency(agency_admin: Client, tree) -> None:
    _, _, office, health = tree
    units = agency_admin.get(reverse("admin:orgs_unit_changelist")).content.decode()
    assert "Sở Tư pháp" in units and "Phòng Hành chính tư pháp" in units
    assert "Sở Y tế" not in units and "Tỉnh Đắk Lắk" not in units
    assert agency_admin.get(reverse("admin:orgs_unit_change", args=[office.pk])).status_code == 200
    # Another agency's unit is "not found" (Django admin redirects to the index with a message).
    other = agency_admin.get(reverse("admin:orgs_unit_change", args=[health.pk]))
    assert other.status_code == 302
    picker = agency_admin.get(
        reverse("admin:autocomplete") + "?app_label=orgs&model_name=unit&field_name=parent&term=Sở"
    ).json()
    assert [r["text"] for r in picker["results"]] == ["Sở Tư pháp"]


def test_memberships_outside_the_agency_are_neither_seen_nor_granted(
    agency_admin: Client, tree
) -> None:
    _, _, office, health = tree
    elsewhere = membership_grant(user=StaffFactory(), unit=health, role=Role.RECEPTION)
    listing = agency_admin.get(reverse("admin:orgs_membership_changelist")).content.decode()
    assert "Sở Y tế" not in listing
    change = reverse("admin:orgs_membership_change", args=[elsewhere.pk])
    assert agency_admin.get(change).status_code == 302

    someone = StaffFactory()
    add = reverse("admin:orgs_membership_add")
    refused = agency_admin.post(add, _membership_form(someone.pk, health.pk, Role.RECEPTION))
    assert refused.status_code == 200 and "unit" in refused.context["adminform"].form.errors
    escalate = agency_admin.post(add, _membership_form(someone.pk, office.pk, Role.PROVINCE_ADMIN))
    assert escalate.status_code == 200 and "role" in escalate.context["adminform"].form.errors
    assert not Membership.objects.filter(user=someone).exists()

    granted = agency_admin.post(add, _membership_form(someone.pk, office.pk, Role.RECEPTION))
    assert granted.status_code == 302
    assert Membership.objects.get(user=someone).unit == office


def test_a_new_unit_must_sit_inside_the_agency(agency_admin: Client, tree) -> None:
    _, justice, _, health = tree
    form = {
        "code": "000.02.11.H16",
        "name": "Phòng Bổ trợ tư pháp",
        "kind": UnitKind.OFFICE,
        "level": GovLevel.PROVINCE,
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    add = reverse("admin:orgs_unit_add")
    for parent in ("", str(health.pk)):  # a new root, or under another agency
        refused = agency_admin.post(add, {**form, "parent": parent})
        assert refused.status_code == 200
        assert "parent" in refused.context["adminform"].form.errors
    assert agency_admin.post(add, {**form, "parent": str(justice.pk)}).status_code == 302
    assert Unit.objects.get(code="000.02.11.H16").parent == justice


def test_a_province_administrator_keeps_every_unit(tree) -> None:
    province, _, _, health = tree
    user = StaffFactory(is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="orgs"))
    membership_grant(user=user, unit=province, role=Role.PROVINCE_ADMIN)
    client = Client()
    client.force_login(user)
    units = client.get(reverse("admin:orgs_unit_changelist")).content.decode()
    assert "Sở Y tế" in units and "Sở Tư pháp" in units
    assert client.get(reverse("admin:orgs_unit_change", args=[health.pk])).status_code == 200


def test_procedures_the_agency_alone_performs_are_its_to_change(agency_admin: Client, tree) -> None:
    _, justice, office, health = tree
    own = ProcedureFactory(name="Chứng thực bản sao")
    own.performing_units.set([office])
    shared = ProcedureFactory(name="Cấp phiếu lý lịch tư pháp")
    shared.performing_units.set([justice, health])
    theirs = ProcedureFactory(name="Cấp giấy phép hành nghề y")
    theirs.performing_units.set([health])

    listing = agency_admin.get(reverse("admin:catalog_procedure_changelist")).content.decode()
    assert "Chứng thực bản sao" in listing and "Cấp phiếu lý lịch tư pháp" in listing
    assert "Cấp giấy phép hành nghề y" not in listing
    assert (
        agency_admin.get(reverse("admin:catalog_procedure_change", args=[theirs.pk])).status_code
        == 302
    )
    # A shared procedure is shown read-only, and a change to it is refused.
    shared_url = reverse("admin:catalog_procedure_change", args=[shared.pk])
    page = agency_admin.get(shared_url)
    assert page.status_code == 200 and not page.context["has_change_permission"]
    assert agency_admin.post(shared_url, {"name": "Đổi tên"}).status_code == 403
    own_page = agency_admin.get(reverse("admin:catalog_procedure_change", args=[own.pk]))
    assert own_page.context["has_change_permission"]
    # The performing units offered are the agency's only.
    units = own_page.context["adminform"].form.fields["performing_units"].queryset
    assert set(units) == {justice, office}
    # The province's list of fields is read-only to an agency.
    field_url = reverse("admin:catalog_field_change", args=[own.field.pk])
    assert not agency_admin.get(field_url).context["has_change_permission"]
    assert agency_admin.get(reverse("admin:catalog_field_add")).status_code == 403
