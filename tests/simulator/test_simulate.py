"""The workload simulator: realistic, reproducible, and accepted by the audit and the calendar."""

from __future__ import annotations

import datetime as dt
import io
import random
import re
from collections import Counter

import pytest
from django.core.management import call_command
from django.db.models import F, Max

from motcua.catalog.models import Procedure
from motcua.demo.loader import load_demo
from motcua.dossiers.audit import chains_verify
from motcua.dossiers.constants import Channel, DossierStatus
from motcua.dossiers.models import (
    Apology,
    Dossier,
    DossierCodeSequence,
    DossierRating,
    DossierStep,
    SupplementRequest,
)
from motcua.simulator.clock import DueTimes, FastClock
from motcua.simulator.life import DayGenerator
from motcua.simulator.runner import simulate
from motcua.simulator.world import world_load
from motcua.workcal import add_working_time, classify, compute_due, working_calendar

pytestmark = pytest.mark.django_db

CODE = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.H16-(\d{6})-(\d{4})$")
FIRST, LAST = dt.date(2020, 1, 1), dt.date(2020, 12, 31)


@pytest.fixture
def province() -> None:
    load_demo(dossiers=0)


@pytest.fixture
def a_dossier(province: None) -> Dossier:
    simulate(dossiers=20, first=FIRST, last=dt.date(2020, 1, 10), seed=1)
    return Dossier.objects.order_by("pk").first()


def test_a_simulated_year_is_realistic_and_verifiable(province: None) -> None:
    out = io.StringIO()
    summary = simulate(dossiers=2000, first=FIRST, last=LAST, seed=7, stdout=out)
    assert summary.dossiers == Dossier.objects.count() == 2000
    assert "2020-12-31" in out.getvalue()  # progress, day by day

    # Every state of the machine is present.
    statuses = Counter(Dossier.objects.values_list("status", flat=True))
    assert set(statuses) == set(DossierStatus.values), statuses

    # Codes: unique, well formed, dated on the local day of submission/reception, gap-free.
    rows = list(
        Dossier.objects.exclude(status=DossierStatus.DRAFT).values_list(
            "code", "submitted_at", "receiving_unit_id"
        )
    )
    codes = [code for code, _at, _unit in rows]
    assert len(codes) == len(set(codes))
    assert not Dossier.objects.filter(status=DossierStatus.DRAFT, code__isnull=False).exists()
    per_day: Counter = Counter()
    for code, submitted_at, unit in rows:
        match = CODE.match(code)
        assert match, code
        local = submitted_at.astimezone(dt.timezone(dt.timedelta(hours=7))).date()
        assert match.group(1) == f"{local:%y%m%d}", (code, submitted_at)
        per_day[(unit, local)] = max(per_day[(unit, local)], int(match.group(2)))
    sequences = {(s.unit_id, s.day): s.last for s in DossierCodeSequence.objects.all()}
    assert sequences == dict(per_day)

    # The audit chains are intact, as the command sees them too.
    assert list(chains_verify()) == []
    call_command("verify_audit", stdout=io.StringIO())

    # Due dates and timings agree with motcua.workcal.
    procedures = {p.pk: p for p in Procedure.objects.all()}
    checked = 0
    for d in Dossier.objects.filter(received_at__isnull=False).select_related("receiving_unit"):
        p = procedures[d.procedure_id]
        if d.supplement_count == 0:
            expected = compute_due(
                d.received_at, p.processing_time, p.time_unit, org_unit=d.receiving_unit
            )
            assert d.original_due_at == expected, d.code
            checked += 1
        if d.timing:
            assert d.timing == classify(d.finished_at, d.original_due_at), d.code
        if d.apologised:
            assert d.apology_due_at == d.due_at > d.original_due_at
    assert checked > 1000
    for step in DossierStep.objects.filter(template__isnull=False).select_related("template")[:300]:
        expected = add_working_time(
            step.started_at, step.template.allotted_hours, "hours", org_unit=step.unit
        )
        assert abs(step.due_at - expected) < dt.timedelta(milliseconds=1)

    # Realistic mixes.
    late = Dossier.objects.filter(timing="late").count()
    resolved = Dossier.objects.exclude(timing="").count()
    assert 0.03 < late / resolved < 0.3
    assert Apology.objects.count() > 0
    assert SupplementRequest.objects.filter(before_reception=True).exists()
    assert SupplementRequest.objects.filter(before_reception=False).exists()
    assert Dossier.objects.filter(paid_online=True).exists()
    assert Dossier.objects.filter(channel=Channel.POSTAL).exists()
    assert Dossier.objects.filter(result_delivery="postal").exists()
    assert DossierRating.objects.exists()

    def online_share(months: tuple[int, ...]) -> float:
        qs = Dossier.objects.filter(created_at__month__in=months)
        return qs.filter(channel=Channel.ONLINE).count() / qs.count()

    assert online_share((11, 12)) > online_share((1, 2)) + 0.1

    popularity = sorted(Counter(Dossier.objects.values_list("procedure_id", flat=True)).values())
    assert popularity[-1] > 10 * popularity[len(popularity) // 2]  # a long tail


def test_same_seed_same_dossiers(province: None) -> None:
    def generate(seed: int) -> list[tuple]:
        world = world_load(first=FIRST, last=LAST, seed=seed)
        now = dt.datetime(2020, 12, 31, 23, 59, tzinfo=dt.UTC)
        generator = DayGenerator(world=world, seed=seed, now=now)
        found = []
        for day in (dt.date(2020, 3, 2), dt.date(2020, 3, 7), dt.date(2020, 11, 20)):
            rows = generator.day(day, 60)
            found += [(d.get("code"), d["status"], str(d["uuid"])) for d in rows.dossiers]
            found += [e[-1] for e in rows.events]
        return found

    assert generate(5) == generate(5)
    assert generate(5) != generate(6)


def test_the_command_prints_progress_and_a_summary(province: None) -> None:
    out = io.StringIO()
    call_command(
        "simulate", "--dossiers", "150", "--from", "2021-03-01", "--to", "2021-03-31", stdout=out
    )
    text = out.getvalue()
    assert "2021-03-31" in text and "Đã nạp 150 hồ sơ" in text
    assert Dossier.objects.aggregate(m=Max("created_at"))["m"].date() <= dt.date(2021, 3, 31)


def test_fast_clock_and_due_times_agree_with_workcal(province: None) -> None:
    from motcua.orgs.models import Unit

    unit = Unit.objects.filter(kind="centre").order_by("pk").first()
    calendar = working_calendar(org_unit=unit)
    clock = FastClock(calendar=calendar, first=FIRST, last=LAST)
    dues = DueTimes(clock=clock, unit=unit, rounding="exact", check_every=1)
    rng = random.Random(3)
    for _ in range(400):
        i = clock.day_index(FIRST + dt.timedelta(days=rng.randrange(366)))
        pos = clock.random_office_pos(i, rng)
        start = clock.at(pos)
        hours = rng.choice([0.5, 1, 2.5, 4.25, 8, 14.5, 30])
        moved = clock.at(clock.add_hours(pos, hours))
        assert abs(moved - add_working_time(start, hours, "hours", org_unit=unit)) < dt.timedelta(
            milliseconds=1
        )
    day = clock.days[clock.day_index(dt.date(2020, 4, 28))]
    tz = clock.tz
    for hh, mm in ((7, 30), (9, 5), (11, 30), (13, 30), (16, 59), (17, 0)):
        t0 = dt.datetime.combine(day, dt.time(hh, mm), tzinfo=tz)
        for amount, unit_name in ((3, "working_days"), (1, "same_day"), (15, "calendar_days")):
            assert dues.due(t0, amount, unit_name) == compute_due(
                t0, amount, unit_name, org_unit=unit
            )


def _random_payload(rng: random.Random) -> dict:
    words = ["Hồ sơ", "đ", 'quote " and \\ back', "tab\tline\nnew", "emoji 🙂", "", "Z", "\u2028"]

    def value(depth: int):
        kind = rng.randrange(9 if depth < 2 else 6)
        if kind == 0:
            return None
        if kind == 1:
            return rng.random() < 0.5
        if kind == 2:
            return rng.randint(-(10**12), 10**12)
        if kind == 3:
            return rng.choice(words) + str(rng.randint(0, 99))
        if kind == 4:
            return rng.uniform(-1e6, 1e6)
        if kind == 5:
            return "".join(chr(rng.randrange(1, 0x2FFF)) for _ in range(rng.randrange(0, 12)))
        if kind in (6, 7):
            return {rng.choice(words) + str(i): value(depth + 1) for i in range(rng.randrange(4))}
        return [value(depth + 1) for _ in range(rng.randrange(4))]

    return {rng.choice(words) + str(i): value(0) for i in range(rng.randrange(6))}


def test_fast_hash_is_compute_hash_byte_for_byte() -> None:
    import json
    import uuid
    import zoneinfo

    from django.core.serializers.json import DjangoJSONEncoder

    from motcua.dossiers.audit import GENESIS_HASH, compute_hash
    from motcua.simulator.fast import event_hash, js, payload_json, timing

    rng = random.Random(2026)
    zones = [dt.UTC, zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh"), dt.timezone(dt.timedelta(hours=-5))]
    encoder = DjangoJSONEncoder()
    for _ in range(5000):
        at = dt.datetime(2020, 1, 1, tzinfo=dt.UTC) + dt.timedelta(
            seconds=rng.randrange(0, 10**8), microseconds=rng.choice([0, rng.randrange(10**6)])
        )
        at = at.astimezone(rng.choice(zones))
        payload = _random_payload(rng)
        payload = json.loads(json.dumps(payload))  # as the JSON column reads it back
        fields = {
            "dossier_uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "seq": rng.randint(1, 10**6),
            "action": rng.choice(["accept", "submit", 'Hồ sơ "x"', "create_draft"]),
            "from_status": rng.choice(["", "draft", "received", "đã nhận"]),
            "to_status": rng.choice(["received", "processing", "trả \\ kết quả"]),
            "actor_id": rng.choice([None, rng.randint(1, 10**9)]),
            "created_at": at,
            "prev_hash": rng.choice([GENESIS_HASH, f"{rng.getrandbits(256):064x}"]),
        }
        expected = compute_hash(payload=payload, **fields)
        assert event_hash(payload_text=payload_json(payload), **fields) == expected
        assert json.loads(payload_json(payload)) == payload
        assert js(at) == encoder.default(at)
        due = at + dt.timedelta(seconds=rng.randrange(-3 * 86400, 3 * 86400))
        local = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
        assert timing(at, due, local) == str(classify(at, due))


def test_generated_events_hash_as_the_audit_does(province: None) -> None:
    import json

    from motcua.dossiers.audit import GENESIS_HASH, compute_hash

    world = world_load(first=FIRST, last=LAST, seed=3)
    now = dt.datetime(2020, 12, 31, 23, 59, tzinfo=dt.UTC)
    generator = DayGenerator(world=world, seed=3, now=now)
    checked = 0
    for day in (dt.date(2020, 2, 3), dt.date(2020, 6, 6), dt.date(2020, 12, 30)):
        rows = generator.day(day, 150)
        prev: dict[int, str] = {}
        for index, seq, action, frm, to, actor, _label, at, text, prev_hash, digest in rows.events:
            assert prev_hash == prev.get(index, GENESIS_HASH)
            assert digest == compute_hash(
                dossier_uuid=str(rows.dossiers[index]["uuid"]),
                seq=seq,
                action=action,
                from_status=frm,
                to_status=to,
                actor_id=actor,
                created_at=at,
                payload=json.loads(text),
                prev_hash=prev_hash,
            )
            prev[index] = digest
            checked += 1
    assert checked > 1000


def test_copy_text_escapes_what_copy_reads_specially() -> None:
    from motcua.simulator.writer import copy_text

    assert copy_text(None) == "\\N"
    assert copy_text("Hồ sơ\tsố 1\nđã nhận\r\\") == "Hồ sơ\\tsố 1\\nđã nhận\\r\\\\"
    assert copy_text("\\N") == "\\\\N"  # the text, not NULL
    assert copy_text(12) == "12" and copy_text("") == ""


def test_bulk_write_stores_every_value_as_given(a_dossier: Dossier) -> None:
    """Awkward texts, NULLs, booleans, decimals and JSON survive the load unchanged."""
    from decimal import Decimal

    from motcua.simulator.writer import Table, reserve_ids

    dossier = a_dossier
    awkward = 'tab\tnewline\nreturn\rback\\slash \\N "quote" Đắk Lắk 🙂'
    table = Table(SupplementRequest, with_id=False)
    at = dt.datetime(2020, 5, 6, 9, 30, 12, 345678, tzinfo=dt.UTC)
    rows = [
        {"dossier_id": dossier.pk, "items": [awkward, {"k": None}], "reason": awkward,
         "before_reception": True, "requested_at": at, "fulfilled_at": None},
        {"dossier_id": dossier.pk, "items": [], "reason": "", "before_reception": False,
         "requested_at": at, "fulfilled_at": at},
    ]  # fmt: skip
    assert table.write(table.row(r) for r in rows) == 2
    stored = list(SupplementRequest.objects.filter(dossier=dossier).order_by("pk"))[-2:]
    assert [(s.items, s.reason, s.before_reception, s.requested_at, s.fulfilled_at)
            for s in stored] == [([awkward, {"k": None}], awkward, True, at, None),
                                 ([], "", False, at, at)]  # fmt: skip

    steps = Table(Dossier, with_id=True)
    pk = reserve_ids(Dossier, 1)[0]
    values = {f.attname: getattr(dossier, f.attname) for f in Dossier._meta.concrete_fields}
    values.update(id=pk, uuid=dossier.uuid.__class__(int=pk), code=None, applicant_name=awkward,
                  paused_hours=Decimal("1.250000"), apologised=True, form_data={"a": awkward})  # fmt: skip
    steps.write([steps.row(values)])
    copy = Dossier.objects.get(pk=pk)
    assert (copy.applicant_name, copy.paused_hours, copy.apologised, copy.form_data, copy.code) == (
        awkward, Decimal("1.250000"), True, {"a": awkward}, None
    )  # fmt: skip
    assert (
        copy.created_at == dossier.created_at
        and copy.receiving_unit_id == dossier.receiving_unit_id
    )


def test_fast_search_text_is_search_text_for(province: None) -> None:
    from types import SimpleNamespace

    from motcua.dossiers.search import SEARCH_FIELDS, search_text_for
    from motcua.simulator.fast import search_text

    world = world_load(first=FIRST, last=LAST, seed=9)
    generator = DayGenerator(world=world, seed=9, now=dt.datetime(2021, 1, 1, tzinfo=dt.UTC))
    dossiers = generator.day(dt.date(2020, 4, 2), 300).dossiers
    dossiers += [
        {"code": "  A\tB  ", "applicant_name": "ĐẶNG  Thị\u00a0Ánh", "applicant_phone": None},
        {"applicant_organisation": "Công ty Σ ΣΑΣ", "applicant_citizen_id": 66012345678},
        {},
    ]
    for d in dossiers:
        assert search_text(d, SEARCH_FIELDS) == search_text_for(SimpleNamespace(**d)), d


def test_codes_are_format_code(province: None) -> None:
    from motcua.dossiers.codes import format_code
    from motcua.orgs.models import Unit

    world = world_load(first=FIRST, last=LAST, seed=9)
    generator = DayGenerator(world=world, seed=9, now=dt.datetime(2021, 1, 1, tzinfo=dt.UTC))
    units = dict(Unit.objects.values_list("pk", "code"))
    day = dt.date(2020, 10, 5)
    checked = 0
    for d in generator.day(day, 200).dossiers:
        if d.get("code"):
            number = int(d["code"].rsplit("-", 1)[1])
            unit_code = units[d["receiving_unit_id"]]
            assert d["code"] == format_code(unit_code=unit_code, day=day, number=number)
            checked += 1
    assert checked > 150


def _schema() -> set[tuple]:
    from django.db import connection

    from motcua.simulator.runner import LOADED_MODELS

    tables = [m._meta.db_table for m in LOADED_MODELS]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s)", [tables]
            )
            found = set(cursor.fetchall())
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid), conindid::regclass::text "
                "FROM pg_constraint WHERE conrelid::regclass::text = ANY(%s)",
                [tables],
            )
            return found | set(cursor.fetchall())
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE tbl_name IN (%s, %s, %s, %s, %s, %s)",
            tables,
        )
        return set(cursor.fetchall())


def _content() -> list[tuple]:
    """The loaded rows without their ids (which depend on what was loaded before)."""
    dossiers = list(
        Dossier.objects.order_by("uuid").values_list(
            "uuid", "code", "status", "search_text", "due_at", "finished_at", "current_step__order"
        )
    )
    from motcua.dossiers.models import DossierEvent

    events = list(
        DossierEvent.objects.order_by("hash").values_list(
            "dossier__uuid", "seq", "action", "actor_id", "created_at", "payload", "hash"
        )
    )
    steps = list(
        DossierStep.objects.order_by("dossier__uuid", "order").values_list(
            "dossier__uuid", "order", "assignee_id", "due_at", "timing"
        )
    )
    return dossiers + events + steps


def test_defer_indexes_loads_the_same_rows_and_rebuilds_the_schema(province: None) -> None:
    from django.db import transaction

    before = _schema()
    with transaction.atomic():
        simulate(dossiers=300, first=FIRST, last=LAST, seed=11)
        plain = _content()
        transaction.set_rollback(True)
    assert not Dossier.objects.exists()
    out = io.StringIO()
    summary = simulate(
        dossiers=300, first=FIRST, last=LAST, seed=11, defer_indexes=True, stdout=out, verbosity=2
    )
    assert summary.dossiers == 300
    assert "Tạm bỏ" in out.getvalue() and "Đã tạo lại chỉ mục" in out.getvalue()
    assert _schema() == before
    assert _content() == plain
    call_command("verify_audit", stdout=io.StringIO())


def test_defer_indexes_refuses_rows_that_break_a_constraint(a_dossier: Dossier) -> None:
    from django.db import connection, transaction

    from motcua.simulator.indexes import RestoreError, indexes_defer, indexes_restore
    from motcua.simulator.runner import LOADED_MODELS

    dossier = a_dossier
    with pytest.raises(RestoreError), transaction.atomic():
        deferred = indexes_defer(tables=LOADED_MODELS)
        with connection.cursor() as cursor:
            # A step of a dossier that does not exist: the foreign key is checked again after.
            cursor.execute(
                'INSERT INTO dossiers_dossierstep (dossier_id, template_id, "order", name, '
                "unit_id, role, assignee_id, sent_by_id, started_at, due_at, finished_at, timing, "
                "note) VALUES (%s, NULL, 1, 'x', %s, '', NULL, NULL, %s, NULL, NULL, '', '')",
                [10**9, dossier.receiving_unit_id, dossier.created_at],
            )
        indexes_restore(deferred)


def test_a_load_forgets_the_frozen_months_it_changes(province: None) -> None:
    from motcua.reports.models import MonthFigures
    from tests.reports.conftest import report_kept

    before = report_kept(period="2020-02").totals["received_online"]
    report_kept(period="2019-12")
    assert set(MonthFigures.objects.values_list("period", flat=True)) == {"2019-12", "2020-02"}
    simulate(dossiers=200, first=dt.date(2020, 2, 1), last=dt.date(2020, 2, 29), seed=3)
    # December 2019 is untouched; February is counted again, with the new dossiers.
    assert list(MonthFigures.objects.values_list("period", flat=True)) == ["2019-12"]
    after = report_kept(period="2020-02")
    assert after.totals["received_online"] > before
    assert after.pair_counts == report_kept(period="2020-02", live=True).pair_counts


def test_simulated_dossiers_keep_the_unit_of_their_current_step(province: None) -> None:
    from tests.dossiers.helpers import current_unit_mismatches

    # The last weeks before the simulator's "now": many dossiers are still at a step.
    simulate(dossiers=300, first=dt.date(2020, 12, 1), last=LAST, seed=5)
    assert current_unit_mismatches() == []
    at_step = Dossier.objects.filter(current_unit__isnull=False)
    assert at_step.count() > 20
    # Some sit at a step away from the unit that received them (the queues' second half).
    assert at_step.exclude(current_unit=F("receiving_unit")).exists()
