"""The `demo` command and `load_demo`: loads on an empty database, refuses a second time, resets."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from motcua.accounts.models import User, UserKind
from motcua.catalog.models import Field, Procedure
from motcua.demo.loader import DemoAlreadyLoaded, database_has_data, demo_is_loaded, load_demo
from motcua.demo.users import DEMO_PASSWORD, demo_logins
from motcua.orgs.constants import Role
from motcua.orgs.models import Membership, Unit

pytestmark = pytest.mark.django_db

DOSSIERS = 20


def test_demo_on_empty_database_then_refuses():
    assert not database_has_data() and not demo_is_loaded()
    out = StringIO()
    call_command("demo", dossiers=DOSSIERS, stdout=out)
    output = out.getvalue()
    assert demo_is_loaded()
    assert Unit.objects.count() == 1 + 1 + 14 + 31 + 2 * 102
    assert Procedure.objects.count() >= 60
    assert Field.objects.count() >= 12
    assert f"{Unit.objects.count()} đơn vị" in output
    assert f"{Procedure.objects.count()} thủ tục" in output
    # The logins table: every role, the citizens and the business, with the password.
    for role in Role:
        assert Membership.objects.filter(role=role).exists(), role
        assert str(role.label) in output
    for username in ("quantri", "tiepnhan.ttpvhcc", "tiepnhan.stp", "congdan1", "doanhnghiep1"):
        assert username in output
    assert DEMO_PASSWORD in output

    admin = User.objects.get(username="quantri")
    assert admin.is_superuser and admin.is_staff
    assert authenticate(username="quantri", password=DEMO_PASSWORD) == admin
    citizens = User.objects.filter(kind=UserKind.CITIZEN)
    assert citizens.count() == 3
    for citizen in citizens:
        assert len(citizen.citizen_id) == 12 and citizen.citizen_id.startswith("066")
        assert citizen.phone[:3] in {"032", "033", "034", "035", "036", "037", "038", "039",
                                     "070", "076", "077", "078", "079", "081", "082", "083",
                                     "084", "085", "086", "088", "089", "090", "091", "093",
                                     "094", "096", "097", "098", "056", "058", "059"}  # fmt: skip
    assert User.objects.get(kind=UserKind.BUSINESS).tax_code == "6001234567"
    assert {login.username for login in demo_logins()} >= {"quantri", "congdan3"}

    again = StringIO()
    call_command("demo", stdout=again)
    assert "đã có dữ liệu" in again.getvalue()
    assert "--reset" in again.getvalue()
    assert Unit.objects.count() == 1 + 1 + 14 + 31 + 2 * 102


def test_load_demo_refuses_then_resets_everything():
    first = load_demo(dossiers=0)
    assert first.procedures == Procedure.objects.count()
    stray = User.objects.create_user(username="nguoi-la", password="x")
    with pytest.raises(DemoAlreadyLoaded):
        load_demo(dossiers=0)
    second = load_demo(dossiers=0, reset=True)
    assert (second.units, second.procedures, second.users) == (
        first.units,
        first.procedures,
        first.users,
    )
    assert not User.objects.filter(pk=stray.pk).exists()
    assert Unit.objects.filter(code="000.00.00.H16").count() == 1
