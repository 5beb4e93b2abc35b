"""What an officer sees first: the queue opens on the first tab with work for the officer's
roles, and a search says in which of all the officer's tabs it found dossiers."""

from __future__ import annotations

from django.urls import reverse

from motcua.dossiers.constants import DossierStatus
from tests.dossiers.helpers import drive

from .conftest import World


def _tab(response) -> str:
    return response.context["tab"]


def test_a_reception_officer_opens_on_the_dossiers_waiting_at_the_desk(
    as_user, world: World
) -> None:
    waiting = drive(world, DossierStatus.SUBMITTED)
    response = as_user(world.reception).get(reverse("backoffice:queues"))
    assert _tab(response) == "new"  # not "Việc của tôi" with nothing in it
    assert [d.code for d in response.context["page"].object_list] == [waiting.code]
    assert waiting.code in response.content.decode()
    # Asked for explicitly, a tab is shown even when empty.
    assert _tab(as_user(world.reception).get(reverse("backoffice:queues"), {"tab": "mine"})) == (
        "mine"
    )


def test_the_desks_tabs_are_not_a_specialists_first_page(as_user, world: World) -> None:
    drive(world, DossierStatus.SUBMITTED)
    # The department's leader sees the dossier waiting at its desk, but reception is not theirs.
    leader = as_user(world.leader).get(reverse("backoffice:queues"))
    assert {tab.key: count for tab, count in leader.context["tabs"]}["new"] == 1
    assert _tab(leader) == "mine"
    assert _tab(as_user(world.specialist).get(reverse("backoffice:queues"))) == "mine"
    mine = drive(world, DossierStatus.PROCESSING)  # at the specialist's step: their work
    response = as_user(world.specialist).get(reverse("backoffice:queues"))
    assert _tab(response) == "mine"
    assert [d.code for d in response.context["page"].object_list] == [mine.code]


def test_with_no_work_anywhere_the_queue_opens_on_my_tasks(as_user, world: World) -> None:
    assert _tab(as_user(world.reception).get(reverse("backoffice:queues"))) == "mine"


def test_a_code_searched_on_another_tab_is_found_and_its_tab_named(as_user, world: World) -> None:
    waiting = drive(world, DossierStatus.SUBMITTED)
    officer = as_user(world.reception)
    response = officer.get(reverse("backoffice:queues"), {"tab": "mine", "q": waiting.code})
    assert response.context["page"].object_list == []  # not in "Việc của tôi"…
    hits = [(tab.key, count) for tab, count in response.context["hits"]]
    assert hits == [("new", 1)]  # … but in "Chờ tiếp nhận", and the page says so
    body = response.content.decode()
    assert "trong mọi thẻ, có ở:" in body and "Chờ tiếp nhận (1)" in body
    assert f'href="?tab=new&amp;q={waiting.code}"' in body


def test_the_search_never_finds_another_agencys_dossier(as_user, world: World) -> None:
    from motcua.dossiers import services as s

    theirs = s.dossier_receive_direct(
        actor=world.other_reception,
        procedure=world.procedure,
        receiving_unit=world.other_unit,
        applicant=world.applicant(),
    )
    response = as_user(world.reception).get(
        reverse("backoffice:queues"), {"tab": "mine", "q": theirs.code}
    )
    assert response.context["hits"] == []
    assert "Không tìm thấy" in response.content.decode()
    assert response.context["page"].object_list == []
    assert all(count == 0 for _tab, count in response.context["tabs"])
