"""Dossiers moved by the real services land in the right columns (timestamps as the services
write them)."""

from __future__ import annotations

from motcua.dossiers import services as s
from motcua.dossiers.constants import DossierStatus
from motcua.reports.constants import COLUMN_KEYS
from motcua.reports.counts import report_dossier_queryset
from motcua.reports.monthly import report_monthly
from motcua.reports.periods import period_containing
from tests.dossiers.conftest import world  # noqa: F401  (fixture)
from tests.dossiers.helpers import World, drive


def test_services_timestamps_feed_the_report(world: World) -> None:  # noqa: F811
    returned = drive(world, DossierStatus.RETURNED)
    refused = drive(world, DossierStatus.REFUSED)
    withdrawn_before_reception = drive(world, DossierStatus.WITHDRAWN)
    stopped = drive(world, DossierStatus.STOPPED)
    waiting = drive(world, DossierStatus.AWAITING_SUPPLEMENT)
    processing = drive(world, DossierStatus.PROCESSING)
    draft = drive(world, DossierStatus.DRAFT)
    direct = s.dossier_receive_direct(
        actor=world.reception,
        procedure=world.procedure,
        receiving_unit=world.unit,
        applicant=world.applicant(),
        at=world.clock.tick(),
    )
    period = period_containing(returned.received_at)
    assert period.key == "2025-07"
    report = report_monthly(period=period, agency=world.unit)
    expected = dict.fromkeys(COLUMN_KEYS, 0) | {
        "received_online": 5,  # returned, refused (at reception), stopped, waiting, processing
        "received_direct": 1,
        "resolved_early": 1,
        "refused": 1,
        "stopped": 1,
        # waiting, processing, direct: 5 working days from 14 July, still open on 1 August
        "pending_overdue": 3,
    }
    assert {k: report.totals[k] for k in COLUMN_KEYS} == expected
    codes = {
        column: {
            d.pk
            for d in report_dossier_queryset(period=period, column=column, unit_ids=report.unit_ids)
        }
        for column in ("resolved_early", "refused", "stopped", "pending_overdue")
    }
    assert codes == {
        "resolved_early": {returned.pk},
        "refused": {refused.pk},
        "stopped": {stopped.pk},
        "pending_overdue": {waiting.pk, processing.pk, direct.pk},
    }
    everything = {
        d.pk for d in report_dossier_queryset(period=period, column="received_total", unit_ids=None)
    }
    assert withdrawn_before_reception.pk not in everything and draft.pk not in everything
    # The next month: the three open dossiers are carried over (still open today).
    following = report_monthly(period=period.following(), agency=world.unit)
    assert following.totals["carried_over"] == 3
