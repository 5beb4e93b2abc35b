"""What the simulator reads once from the database: procedures, units, staff, citizens, calendars."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.conf import settings

from motcua.accounts.models import User, UserKind
from motcua.catalog.models import Procedure
from motcua.orgs.constants import GovLevel, Role, UnitKind
from motcua.orgs.models import Membership, Unit
from motcua.workcal import working_calendar

from .clock import DueTimes, FastClock

# Popularity of the procedures: the r-th most used gets a share proportional to 1 / r**ZIPF.
ZIPF = 1.1


@dataclass(frozen=True)
class StepPlan:
    template_id: int | None
    order: int
    name: str
    role: str
    unit_id: int | None
    hours: float


@dataclass(frozen=True)
class ProcedurePlan:
    id: int
    code: str
    level: int
    accepts_online: bool
    postal_pickup: bool
    postal_return: bool
    processing_time: int
    time_unit: str
    supplement_policy: str
    fee_online: int
    fee_other: int
    steps: tuple[StepPlan, ...]
    units: tuple[int, ...]
    centres: tuple[int, ...]
    limit_hours: float


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    citizen_id: str
    phone: str
    email: str
    address: str


@dataclass
class World:
    plans: list[ProcedurePlan]
    cum_weights: list[float]
    online_plans: list[ProcedurePlan]
    online_cum_weights: list[float]
    units: dict[int, Unit]
    clocks: dict[int, FastClock]
    dues: dict[int, DueTimes]
    citizens: list[Person]
    grants: list[tuple[int, str, str, str]]  # user id, label, role, unit path
    first: dt.date
    last: dt.date
    _staff: dict[tuple[str, int], tuple[tuple[int, str], ...]] = field(default_factory=dict)

    def staff(self, role: str, unit_id: int) -> tuple[tuple[int, str], ...]:
        """(user id, label) of the active officers with `role` covering `unit_id`."""
        key = (role, unit_id)
        found = self._staff.get(key)
        if found is None:
            path = self.units[unit_id].path
            found = tuple(
                (user_id, label)
                for user_id, label, grant_role, prefix in self.grants
                if grant_role == role and path.startswith(prefix)
            )
            self._staff[key] = found
        return found


def _fees(procedure: Procedure) -> tuple[int, int]:
    online = other = 0
    for fee in procedure.fees.all():
        other += fee.amount
        online += fee.amount if fee.online_amount is None else fee.online_amount
    return online, other


def world_load(*, first: dt.date, last: dt.date, seed: int) -> World:
    """Read the province (units, staff, catalogue) and build the calendars for the period."""
    units = {unit.pk: unit for unit in Unit.objects.filter(is_active=True)}
    children: dict[int, list[int]] = {}
    for unit in units.values():
        if unit.kind == UnitKind.CENTRE and unit.parent_id:
            children.setdefault(unit.parent_id, []).append(unit.pk)
    province_centres = sorted(
        pk
        for pk, unit in units.items()
        if unit.kind == UnitKind.CENTRE and unit.level == GovLevel.PROVINCE
    )
    procedures = list(
        Procedure.objects.filter(published=True)
        .prefetch_related("performing_units", "fees", "process_steps")
        .order_by("code")
    )
    plans: list[ProcedurePlan] = []
    for p in procedures:
        options: list[int] = []
        for unit in p.performing_units.all():
            if unit.pk in units:
                options += sorted(children.get(unit.pk, []))
                options.append(unit.pk)
        if p.gov_level == GovLevel.PROVINCE:
            options = province_centres + options
        options = list(dict.fromkeys(options))
        if not options:
            continue
        steps = tuple(
            StepPlan(
                template_id=step.pk,
                order=step.order,
                name=step.name,
                role=step.role,
                unit_id=step.unit_id,
                hours=float(step.allotted_hours or 0),
            )
            for step in sorted(p.process_steps.all(), key=lambda s: (s.order, s.pk))
        )
        limit = sum(step.hours for step in steps) or 8.0 * max(p.processing_time, 1)
        fee_online, fee_other = _fees(p)
        plans.append(
            ProcedurePlan(
                id=p.pk,
                code=p.code,
                level=p.online_level,
                accepts_online=p.accepts_online,
                postal_pickup=p.accepts_postal_pickup,
                postal_return=p.accepts_postal_return,
                processing_time=p.processing_time,
                time_unit=p.time_unit,
                supplement_policy=p.supplement_policy or settings.MOTCUA_SUPPLEMENT_POLICY,
                fee_online=fee_online,
                fee_other=fee_other,
                steps=steps,
                units=tuple(options),
                centres=tuple(pk for pk in options if units[pk].kind == UnitKind.CENTRE),
                limit_hours=limit,
            )
        )
    # The popularity order is part of the scenario: fixed by the seed, not by the catalogue order.
    random.Random(f"popularity-{seed}").shuffle(plans)  # noqa: S311 - simulation, not secrets
    cum: list[float] = []
    total = 0.0
    for rank, _plan in enumerate(plans, start=1):
        total += 1.0 / rank**ZIPF
        cum.append(total)
    online = [plan for plan in plans if plan.accepts_online]
    online_cum: list[float] = []
    total = 0.0
    for rank, _plan in enumerate(online, start=1):
        total += 1.0 / rank**ZIPF
        online_cum.append(total)

    clocks: dict[int, FastClock] = {}
    dues: dict[int, DueTimes] = {}
    shared: dict[int, FastClock] = {}
    used = {pk for plan in plans for pk in plan.units} | {
        step.unit_id for plan in plans for step in plan.steps if step.unit_id
    }
    for pk in sorted(used):
        calendar = working_calendar(org_unit=units[pk])
        clock = shared.get(id(calendar))
        if clock is None:
            clock = FastClock(calendar=calendar, first=first, last=last)
            shared[id(calendar)] = clock
        clocks[pk] = clock
        dues[pk] = DueTimes(clock=clock, unit=units[pk], rounding=settings.MOTCUA_DUE_ROUNDING)

    grants = [
        (m.user_id, str(m.user), m.role, m.unit.path)
        for m in Membership.objects.filter(is_active=True, user__is_active=True)
        .select_related("user", "unit")
        .order_by("pk")
    ]
    citizens = [
        Person(
            id=user.pk,
            name=str(user),
            citizen_id=user.citizen_id,
            phone=user.phone,
            email=user.email,
            address=user.address,
        )
        for user in User.objects.filter(
            kind__in=[UserKind.CITIZEN, UserKind.BUSINESS], is_active=True
        ).order_by("pk")
    ]
    return World(
        plans=plans,
        cum_weights=cum,
        online_plans=online,
        online_cum_weights=online_cum,
        units=units,
        clocks=clocks,
        dues=dues,
        citizens=citizens,
        grants=grants,
        first=first,
        last=last,
    )


RECEPTION, SPECIALIST, LEADER = Role.RECEPTION, Role.SPECIALIST, Role.UNIT_LEADER
