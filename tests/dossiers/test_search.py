"""The officers' search column: kept by the services, backfilled by its migration, indexed on PG."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from motcua.dossiers import services as s
from motcua.dossiers.constants import DossierStatus
from motcua.dossiers.models import Dossier
from motcua.dossiers.search import search_condition, search_text_for

from .helpers import World, drive, new_online


def _stored(dossier: Dossier) -> str:
    return Dossier.objects.values_list("search_text", flat=True).get(pk=dossier.pk)


def test_draft_carries_the_applicant_then_the_code_once_submitted(world: World) -> None:
    world.citizen.full_name = "Đặng Thị Hương"
    world.citizen.save()
    draft = new_online(world)
    text = _stored(draft)
    assert "dang thi huong" in text
    assert world.citizen.citizen_id in text and world.citizen.phone in text
    submitted = s.dossier_submit(dossier=draft, actor=world.citizen, at=world.clock.tick())
    assert submitted.code
    assert submitted.code.lower() in _stored(submitted)


def test_draft_update_recomputes_it(world: World) -> None:
    draft = new_online(world)
    changed = s.Applicant(
        name="Nguyễn Văn Hùng",
        kind="business",
        citizen_id="079199001234",
        phone="0912345678",
        tax_code="0312345678",
        organisation="Công ty TNHH Đông Á",
    )
    s.dossier_update_draft(dossier=draft, actor=world.citizen, applicant=changed)
    text = _stored(draft)
    for part in ("nguyen van hung", "cong ty tnhh dong a", "079199001234", "0312345678"):
        assert part in text
    assert "nguyen van 0" not in text  # the factory's old name is gone


@pytest.mark.parametrize("channel", ["direct", "postal"])
def test_desk_and_postal_intake_store_it_with_the_code(world: World, channel: str) -> None:
    receive = s.dossier_receive_direct if channel == "direct" else s.dossier_receive_postal
    dossier = receive(
        actor=world.reception,
        procedure=world.procedure,
        receiving_unit=world.unit,
        applicant=s.Applicant(name="Trần Đình Bảo", citizen_id="001088000777"),
        at=world.clock.tick(),
    )
    text = _stored(dossier)
    assert text == search_text_for(dossier)
    assert dossier.code.lower() in text and "tran dinh bao" in text and "001088000777" in text


def test_every_word_must_match_whatever_the_case_and_diacritics(world: World) -> None:
    world.citizen.full_name = "Nguyễn Văn Hùng"
    world.citizen.save()
    hung = drive(world, DossierStatus.SUBMITTED)
    world.citizen.full_name = "Đặng Thị Mai"
    world.citizen.save()
    mai = drive(world, DossierStatus.SUBMITTED)

    def found(query: str) -> set[str]:
        return set(Dossier.objects.filter(search_condition(query)).values_list("code", flat=True))

    assert found("nguyen van hung") == {hung.code}
    assert found("NGUYỄN   hùng") == {hung.code}
    # Combining marks typed by some keyboards (NFD) match the precomposed stored name.
    assert found("Nguye\u0302\u0303n Hu\u0300ng") == {hung.code}
    assert found("DANG") == {mai.code}
    assert found("đặng mai") == {mai.code}
    assert found("hung mai") == set()  # each word must match the same dossier
    assert found(mai.code[-4:]) >= {mai.code}
    assert found(mai.code.upper()) == {mai.code}


def test_the_migration_backfills_existing_rows(transactional_db, world: World) -> None:
    dossier = drive(world, DossierStatus.RECEIVED)
    executor = MigrationExecutor(connection)
    before = [("dossiers", "0002_delivery_address_rating")]
    executor.migrate(before)
    executor.loader.build_graph()
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE dossiers_dossier SET applicant_name = %s WHERE id = %s",
                ["Phùng Đức Lộc", dossier.pk],
            )
        executor.migrate(executor.loader.graph.leaf_nodes())
    finally:
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
    text = _stored(dossier)
    assert "phung duc loc" in text and dossier.code.lower() in text


@pytest.mark.postgres
def test_postgres_serves_the_search_with_a_trigram_index(db) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'dossier_search_trgm'")
        row = cursor.fetchone()
    assert row is not None and "gin_trgm_ops" in row[0]
