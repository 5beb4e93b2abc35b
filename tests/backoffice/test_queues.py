"""Work queues: tabs and their counts, search, filters, pagination, a bounded number of queries."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.urls import reverse
from django.utils import timezone

from motcua.dossiers.constants import Channel, DossierStatus
from motcua.workcal import add_working_time
from tests.dossiers.helpers import drive
from tests.factories import DossierFactory

from .conftest import World

_numbers = itertools.count(1)


def _dossier(**kwargs):
    """A dossier row written directly (no events), with a code the services never allocate."""
    kwargs.setdefault("code", f"000.00.21.H16-260101-{next(_numbers):04d}")
    return DossierFactory(**kwargs)


def _dossiers(size: int, **kwargs) -> list:
    return [_dossier(**kwargs) for _ in range(size)]


def _counts(response) -> dict[str, int]:
    return {tab.key: count for tab, count in response.context["tabs"]}


def _codes(response) -> list[str]:
    return [d.code for d in response.context["page"].object_list]


def test_tabs_sort_dossiers_by_what_is_to_be_done(as_user, world: World) -> None:
    submitted = drive(world, DossierStatus.SUBMITTED)
    processing = drive(world, DossierStatus.PROCESSING)  # due July 2025: overdue now
    ready = drive(world, DossierStatus.RESULT_READY)
    waiting = drive(world, DossierStatus.AWAITING_SUPPLEMENT)
    now = timezone.now()
    soon = _dossier(
        receiving_unit=world.unit,
        procedure=world.procedure,
        status=DossierStatus.PROCESSING,
        due_at=add_working_time(now, 4, "hours"),
    )
    later = _dossier(
        receiving_unit=world.unit,
        procedure=world.procedure,
        status=DossierStatus.RECEIVED,
        due_at=now + dt.timedelta(days=30),
    )
    reception = as_user(world.reception)
    response = reception.get(reverse("backoffice:queues"), {"tab": "new"})
    assert response.status_code == 200
    assert _codes(response) == [submitted.code]
    counts = _counts(response)
    assert counts["new"] == 1
    assert counts["to_start"] == 1
    assert counts["overdue"] == 1
    assert counts["due_soon"] == 1
    assert counts["supplement"] == 1
    assert counts["results"] == 1
    assert counts["all"] == 6
    # The reception officer accepted three of them; the submitted one is untouched.
    assert counts["handled"] == 3
    assert _codes(reception.get(reverse("backoffice:queues"), {"tab": "overdue"})) == [
        processing.code
    ]
    assert _codes(reception.get(reverse("backoffice:queues"), {"tab": "due_soon"})) == [soon.code]
    assert _codes(reception.get(reverse("backoffice:queues"), {"tab": "results"})) == [ready.code]
    assert _codes(reception.get(reverse("backoffice:queues"), {"tab": "supplement"})) == [
        waiting.code
    ]
    assert _codes(reception.get(reverse("backoffice:queues"), {"tab": "to_start"})) == [later.code]
    # The overdue row carries the red badge and the "no apology" flag.
    body = reception.get(reverse("backoffice:queues"), {"tab": "overdue"}).content.decode()
    assert "deadline-late" in body and "Quá hạn, chưa xin lỗi" in body
    body = reception.get(reverse("backoffice:queues"), {"tab": "due_soon"}).content.decode()
    assert "deadline-soon" in body
    # The specialist's tasks: the step assigned to them.
    specialist = as_user(world.specialist)
    mine = specialist.get(reverse("backoffice:queues"))
    assert _codes(mine) == [processing.code]


def test_unassigned_step_of_my_role_is_in_my_tasks(as_user, world: World) -> None:
    from motcua.dossiers import services as s

    d = drive(world, DossierStatus.PROCESSING)
    s.dossier_forward(dossier=d, actor=world.specialist)  # to "Phê duyệt", a leader's step
    leader = as_user(world.leader)
    assert _codes(leader.get(reverse("backoffice:queues"), {"tab": "mine"})) == [d.code]


def test_search_by_code_name_or_id_and_filters(as_user, world: World) -> None:
    a = _dossier(
        receiving_unit=world.unit,
        procedure=world.procedure,
        applicant_name="Phạm Minh Châu",
        applicant_citizen_id="066099000111",
        channel=Channel.ONLINE,
    )
    b = _dossier(receiving_unit=world.unit, procedure=world.procedure, applicant_name="Lê Văn Bảy")
    officer = as_user(world.reception)
    url = reverse("backoffice:queues")
    assert _codes(officer.get(url, {"tab": "all", "q": "Minh Châu"})) == [a.code]
    # Without diacritics, in capitals, words in any order: every word must match.
    assert _codes(officer.get(url, {"tab": "all", "q": "pham minh chau"})) == [a.code]
    assert _codes(officer.get(url, {"tab": "all", "q": "CHAU PHAM"})) == [a.code]
    assert _codes(officer.get(url, {"tab": "all", "q": "chau bay"})) == []
    assert _codes(officer.get(url, {"tab": "all", "q": "le van bay"})) == [b.code]
    assert _codes(officer.get(url, {"tab": "all", "q": "066099000111"})) == [a.code]
    assert _codes(officer.get(url, {"tab": "all", "q": b.code[-4:]})) == [b.code]
    assert _codes(officer.get(url, {"tab": "all", "channel": "online"})) == [a.code]
    assert _codes(officer.get(url, {"tab": "all", "sort": "applicant"})) == [b.code, a.code]
    response = officer.get(url, {"tab": "all", "q": "Minh Châu"})
    assert _counts(response)["all"] == 1  # counts follow the filters


def test_search_treats_dj_as_d_for_dossiers_received_through_the_services(
    as_user, world: World
) -> None:
    from motcua.dossiers import services as s

    dang = s.dossier_receive_direct(
        actor=world.reception,
        procedure=world.procedure,
        receiving_unit=world.unit,
        applicant=s.Applicant(name="Đặng Văn Đức", citizen_id="001080000123"),
    )
    hung = s.dossier_receive_direct(
        actor=world.reception,
        procedure=world.procedure,
        receiving_unit=world.unit,
        applicant=s.Applicant(name="Nguyễn Văn Hùng", phone="0987654321"),
    )
    officer = as_user(world.reception)
    url = reverse("backoffice:queues")
    assert _codes(officer.get(url, {"tab": "all", "q": "DANG"})) == [dang.code]
    assert _codes(officer.get(url, {"tab": "all", "q": "dang van duc"})) == [dang.code]
    assert _codes(officer.get(url, {"tab": "all", "q": "nguyen van hung"})) == [hung.code]
    assert _codes(officer.get(url, {"tab": "all", "q": "0987654321"})) == [hung.code]
    assert set(_codes(officer.get(url, {"tab": "all", "q": "van"}))) == {dang.code, hung.code}
    # Another unit's officer finds nothing, whatever they type.
    other = as_user(world.other_reception)
    assert _codes(other.get(url, {"tab": "all", "q": "dang van duc"})) == []


def test_pagination(as_user, world: World) -> None:
    _dossiers(30, receiving_unit=world.unit, procedure=world.procedure)
    officer = as_user(world.reception)
    first = officer.get(reverse("backoffice:queues"), {"tab": "all"})
    second = officer.get(reverse("backoffice:queues"), {"tab": "all", "page": 2})
    assert len(_codes(first)) == 25 and len(_codes(second)) == 5
    assert not set(_codes(first)) & set(_codes(second))


@pytest.mark.parametrize(
    ("tab", "status", "query"),
    [
        ("overdue", DossierStatus.PROCESSING, ""),
        ("overdue", DossierStatus.PROCESSING, "tran thi"),
        # Rows with one-click actions (start; return at the desk) and their forms.
        ("to_start", DossierStatus.RECEIVED, ""),
        ("results", DossierStatus.RESULT_READY, "tran"),
    ],
)
@pytest.mark.parametrize("size", [5, 50])
def test_queue_page_queries_do_not_grow_with_the_data(
    as_user,
    world: World,
    django_assert_max_num_queries,
    size: int,
    tab: str,
    status: str,
    query: str,
) -> None:
    now = timezone.now()
    _dossiers(
        size,
        receiving_unit=world.unit,
        procedure=world.procedure,
        status=status,
        due_at=now - dt.timedelta(hours=2),
    )
    officer = as_user(world.reception)
    params = {"tab": tab, "q": query}
    officer.get(reverse("backoffice:queues"), params)  # warm the calendar cache
    with django_assert_max_num_queries(QUEUE_PAGE_QUERIES) as captured:
        response = officer.get(reverse("backoffice:queues"), params)
    print(f"queue page {tab}, {size} dossiers, q={query!r}: {len(captured)} queries")
    rows = response.context["page"].object_list
    assert len(rows) == min(size, 25)
    if tab != "overdue":
        assert all(len(d.quick) == 1 for d in rows)


# session, user, calendar for "due soon" (overrides, office hours: the tests always ask), the
# tab counts (one statement), the page's keys, its rows, the rows' process steps (quick
# actions), the receiving unit's calendar once per page and the header's count of unread
# notices (one indexed COUNT). The officer's units and the filter lists come from the cache.
QUEUE_PAGE_QUERIES = 11


def test_a_tab_past_the_count_cap_shows_the_capped_label(
    as_user, world: World, monkeypatch
) -> None:
    from motcua.backoffice import selectors

    # The cap is 999 in production; 3 here so that the test writes a handful of rows.
    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    _dossiers(
        5, receiving_unit=world.unit, procedure=world.procedure, status=DossierStatus.RESULT_READY
    )
    _dossiers(
        2, receiving_unit=world.unit, procedure=world.procedure, status=DossierStatus.RECEIVED
    )
    officer = as_user(world.reception)
    response = officer.get(reverse("backoffice:queues"), {"tab": "all"})
    counts = _counts(response)
    assert counts["all"] == 4  # counted up to the cap + 1, no further
    assert counts["results"] == 4
    assert counts["to_start"] == 2  # below the cap: exact
    body = response.content.decode()
    assert '<span class="tab-count" data-tab="all">3+</span>' in body
    assert '<span class="tab-count" data-tab="results">3+</span>' in body
    assert '<span class="tab-count" data-tab="to_start">2</span>' in body
    assert len(_codes(response)) == 7  # the list itself is not capped


def test_counts_take_dossiers_at_my_step_received_elsewhere_once(as_user, world: World) -> None:
    from motcua.dossiers.models import DossierStep

    forwarded = _dossier(
        receiving_unit=world.other_unit, procedure=world.procedure, status=DossierStatus.PROCESSING
    )
    forwarded.set_current_step(
        DossierStep.objects.create(
            dossier=forwarded, order=1, name="Thẩm định", unit=world.unit, started_at=timezone.now()
        )
    )
    forwarded.save(update_fields=["current_step", "current_unit"])
    # Received here and now at a step here too: in the first half only, not counted twice.
    here = _dossier(
        receiving_unit=world.unit, procedure=world.procedure, status=DossierStatus.PROCESSING
    )
    here.set_current_step(
        DossierStep.objects.create(
            dossier=here, order=1, name="Thẩm định", unit=world.unit, started_at=timezone.now()
        )
    )
    here.save(update_fields=["current_step", "current_unit"])
    response = as_user(world.reception).get(reverse("backoffice:queues"), {"tab": "all"})
    assert _counts(response)["all"] == 2
    assert set(_codes(response)) == {forwarded.code, here.code}


@pytest.mark.parametrize(
    ("tab", "status", "steps_read"),
    [
        ("results", DossierStatus.RESULT_READY, False),
        ("to_start", DossierStatus.RECEIVED, True),
    ],
)
def test_the_procedures_steps_are_read_only_for_rows_that_may_start(
    as_user, world: World, tab: str, status: str, steps_read: bool
) -> None:
    """ "Start" (the only quick action that needs the procedure's first step) is offered only on
    received dossiers: a page without any reads no process steps; with some, one query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _dossiers(3, receiving_unit=world.unit, procedure=world.procedure, status=status)
    officer = as_user(world.reception)
    officer.get(reverse("backoffice:queues"), {"tab": tab})
    with CaptureQueriesContext(connection) as captured:
        response = officer.get(reverse("backoffice:queues"), {"tab": tab})
    assert len(response.context["page"].object_list) == 3
    step_queries = [q for q in captured if "catalog_processstep" in q["sql"]]
    assert len(step_queries) == (1 if steps_read else 0)
    assert all(len(d.quick) == 1 for d in response.context["page"].object_list)
