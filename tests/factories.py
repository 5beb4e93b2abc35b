"""factory_boy factories shared by every app's tests."""

from __future__ import annotations

from decimal import Decimal

import factory
from django.utils import timezone

from motcua.accounts.models import User, UserKind
from motcua.catalog.constants import OnlineLevel, SupplementPolicy, TimeUnit
from motcua.catalog.models import Field, Procedure, ProcessStep, RequiredDocument
from motcua.dossiers.constants import Channel, DossierStatus
from motcua.dossiers.models import Dossier
from motcua.dossiers.search import search_text_for
from motcua.orgs.constants import GovLevel, Role, UnitKind
from motcua.orgs.models import Membership, Unit


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.vn")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn {n}")
    kind = UserKind.CITIZEN
    citizen_id = factory.Sequence(lambda n: f"{66000000000 + n:012d}")
    phone = factory.Sequence(lambda n: f"09{n:08d}")
    password = factory.django.Password("mat-khau-thu-nghiem")


class StaffFactory(UserFactory):
    username = factory.Sequence(lambda n: f"canbo{n}")
    kind = UserKind.STAFF
    full_name = factory.Sequence(lambda n: f"Cán bộ {n}")
    citizen_id = ""


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    code = factory.Sequence(lambda n: f"{n % 1000:03d}.{(n // 1000) % 100:02d}.21.H16")
    name = factory.Sequence(lambda n: f"Sở thử nghiệm {n}")
    kind = UnitKind.DEPARTMENT
    level = GovLevel.PROVINCE
    parent = None


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(StaffFactory)
    unit = factory.SubFactory(UnitFactory)
    role = Role.RECEPTION


class FieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Field
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"LV{n:03d}")
    name = factory.Sequence(lambda n: f"Lĩnh vực {n}")


class ProcedureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Procedure

    code = factory.Sequence(lambda n: f"1.{n:06d}")
    name = factory.Sequence(lambda n: f"Thủ tục thử nghiệm {n}")
    field = factory.SubFactory(FieldFactory)
    gov_level = GovLevel.PROVINCE
    online_level = OnlineLevel.LEVEL_4
    full_online_eligible = True
    processing_time = 5
    time_unit = TimeUnit.WORKING_DAYS
    supplement_policy = SupplementPolicy.RESTART
    accepts_postal_pickup = True
    accepts_postal_return = True
    published = True


class RequiredDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RequiredDocument

    procedure = factory.SubFactory(ProcedureFactory)
    order = factory.Sequence(lambda n: n)
    name = factory.Sequence(lambda n: f"Giấy tờ {n}")
    originals = 1
    mandatory = True


class ProcessStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProcessStep

    procedure = factory.SubFactory(ProcedureFactory)
    order = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Bước {n}")
    role = Role.SPECIALIST
    unit = None
    allotted_hours = Decimal("8")


class DossierFactory(factory.django.DjangoModelFactory):
    """A dossier row written directly, without events: for reads and lists, not for workflow
    tests (those go through the services, see tests/dossiers/helpers.py)."""

    class Meta:
        model = Dossier

    code = factory.Sequence(lambda n: f"000.00.21.H16-250714-{n % 10000:04d}")
    procedure = factory.SubFactory(ProcedureFactory)
    receiving_unit = factory.SubFactory(UnitFactory)
    channel = Channel.DIRECT
    status = DossierStatus.RECEIVED
    applicant_name = factory.Sequence(lambda n: f"Trần Thị {n}")
    submitted_at = factory.LazyFunction(timezone.now)
    received_at = factory.LazyFunction(timezone.now)
    # What the services would store, so rows written directly are found by the officers' search.
    search_text = factory.LazyAttribute(search_text_for)
