"""Loads the whole demo province in one transaction: org tree, staff and citizens, catalogue, dossiers."""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TextIO

from django.core.management import call_command
from django.db import connection, transaction

from motcua.catalog.demo import load_demo_catalogue
from motcua.catalog.models import Field, Procedure
from motcua.documents.demo import demo_ca_create
from motcua.orgs.demo import agency_code, load_demo_org_tree
from motcua.orgs.models import Unit
from motcua.payments.demo import (
    demo_invoice_states,
    demo_pay,
    demo_statement_hint,
    load_demo_payments,
)
from motcua.postal.demo import (
    DemoPostman,
    demo_postal_hint,
    demo_shipment_states,
    load_demo_postal,
)

from .users import DemoLogin, load_demo_users

DossierLoader = Callable[..., int]


class DemoAlreadyLoaded(Exception):
    """The database already holds units or procedures; loading again needs `reset=True`."""


@dataclass
class DemoSummary:
    units: int = 0
    fields: int = 0
    procedures: int = 0
    users: int = 0
    dossiers: int = 0
    seconds: float = 0.0
    logins: list[DemoLogin] = field(default_factory=list)


def database_has_data() -> bool:
    """True when the organisation tree or the catalogue holds anything (demo or real)."""
    return Unit.objects.exists() or Procedure.objects.exists() or Field.objects.exists()


def demo_is_loaded() -> bool:
    """True when the demo province (its root unit and demo procedures) is in the database."""
    return (
        Unit.objects.filter(code=agency_code(), is_demo=True).exists()
        and Procedure.objects.filter(is_demo=True).exists()
    )


def _empty_database() -> None:
    """Delete every row of every table (as `flush` does) inside the current transaction."""
    postgres = connection.vendor == "postgresql"
    if postgres:
        # TRUNCATE refuses tables with pending deferred FK checks from earlier in the same
        # transaction; checking them now leaves none pending.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _dossier_loader() -> DossierLoader | None:
    """`motcua.dossiers.demo.load_demo_dossiers`, when the dossier app provides it."""
    try:
        module = importlib.import_module("motcua.dossiers.demo")
    except ModuleNotFoundError as exc:
        if exc.name == "motcua.dossiers.demo":
            return None
        raise
    return getattr(module, "load_demo_dossiers", None)


def load_demo(
    *,
    dossiers: int = 300,
    seed: int = 2026,
    reset: bool = False,
    stdout: TextIO | None = None,
) -> DemoSummary:
    """Load the demo province; all or nothing.

    Refuses (DemoAlreadyLoaded) when units or procedures exist, unless `reset`, which empties
    the whole database first (every table, as `flush` does) inside the same transaction.
    """
    started = time.monotonic()
    summary = DemoSummary()
    with transaction.atomic():
        if reset:
            _empty_database()
        elif database_has_data():
            raise DemoAlreadyLoaded
        units = load_demo_org_tree()
        summary.logins = load_demo_users(units=units)
        summary.procedures = load_demo_catalogue(units=units)
        load_demo_payments()
        load_demo_postal()
        # Before the dossiers: approving one signs its result with the agency's certificate.
        demo_ca_create(stdout=stdout)
        loader = _dossier_loader()
        if loader is not None and dossiers > 0:
            summary.dossiers = loader(
                count=dossiers, seed=seed, stdout=stdout, payer=demo_pay, postman=DemoPostman(seed)
            )
            invoices = demo_invoice_states()
            shipments = demo_shipment_states(seed=seed)
            if stdout:
                stdout.write(
                    "Hoá đơn phí, lệ phí minh hoạ: "
                    + ", ".join(f"{key}: {value}" for key, value in sorted(invoices.items()))
                    + ".\n"
                )
                stdout.write(demo_statement_hint())
                stdout.write(
                    "Bưu gửi minh hoạ (bưu điện thử nghiệm): "
                    + (
                        ", ".join(f"{key}: {value}" for key, value in sorted(shipments.items()))
                        or "không có (bưu điện thử nghiệm đang tắt, MOTCUA_POSTAL_SANDBOX=0)"
                    )
                    + ".\n"
                )
                stdout.write(demo_postal_hint())
    summary.units = Unit.objects.count()
    summary.fields = Field.objects.count()
    summary.users = len(summary.logins)
    summary.seconds = time.monotonic() - started
    return summary
