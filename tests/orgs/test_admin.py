"""The org admin: units, memberships and the user page with its roles load for a superuser."""

import pytest
from django.urls import reverse

from motcua.orgs.constants import GovLevel, Role, UnitKind
from motcua.orgs.services import membership_grant, unit_create

pytestmark = pytest.mark.django_db


def test_unit_membership_and_user_pages_load(admin_client, admin_user):
    province = unit_create(
        code="000.00.00.H16", name="Tỉnh Đắk Lắk", kind=UnitKind.PROVINCE, level=GovLevel.PROVINCE
    )
    department = unit_create(
        code="000.00.11.H16",
        name="Sở Tư pháp",
        kind=UnitKind.DEPARTMENT,
        level=GovLevel.PROVINCE,
        parent=province,
    )
    membership = membership_grant(user=admin_user, unit=department, role=Role.RECEPTION)
    urls = [
        reverse("admin:orgs_unit_changelist"),
        reverse("admin:orgs_unit_changelist") + "?q=11.H16&kind__exact=department",
        reverse("admin:orgs_unit_change", args=[department.pk]),
        reverse("admin:orgs_unit_add"),
        reverse("admin:orgs_membership_changelist"),
        reverse("admin:orgs_membership_change", args=[membership.pk]),
        reverse("admin:accounts_user_change", args=[admin_user.pk]),
        reverse("admin:autocomplete") + "?app_label=orgs&model_name=unit&field_name=parent&term=tư",
    ]
    for url in urls:
        response = admin_client.get(url)
        assert response.status_code == 200, url
    changelist = admin_client.get(reverse("admin:orgs_unit_changelist")).content.decode()
    assert "— Sở Tư pháp" in changelist
    user_page = admin_client.get(reverse("admin:accounts_user_change", args=[admin_user.pk]))
    assert "Sở Tư pháp" in user_page.content.decode()


def test_unit_admin_refuses_a_malformed_code(admin_client):
    response = admin_client.post(
        reverse("admin:orgs_unit_add"),
        {
            "code": "SO-TU-PHAP",
            "name": "Sở Tư pháp",
            "kind": UnitKind.DEPARTMENT,
            "level": GovLevel.PROVINCE,
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 200
    assert "V1V2V3.Z1Z2.Y1Y2.MX1X2" in response.content.decode()
