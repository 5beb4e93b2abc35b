"""The periodic warnings: dossiers due within a working day or past due (every 15 minutes), and
each officer's morning digest (07:00). Run by the scheduler (settings.MOTCUA_JOBS).

Once per dossier and threshold, not at every run: a warning's source names the dossier, the
threshold and the due time it warns of, so the outbox's idempotency key refuses a second copy.
An apology's new appointment keeps the legal due time (the dossier stays late), so it does not
warn again. The sources a run would write are read in one query first, so a dossier already
warned costs nothing more.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.backoffice.selectors import (
    QueueFilters,
    due_soon_limit,
    officer_scope,
    queue_counts,
    queue_page,
)
from motcua.dossiers.constants import CLOCK_RUNNING_STATES
from motcua.dossiers.models import Dossier
from motcua.orgs.constants import OFFICER_ROLES, Role
from motcua.orgs.models import Membership, Unit
from motcua.public_url import public_base_url

from .constants import Event
from .models import Message
from .services import notify
from .values import dossier_values, members_of, moment_text, staff_recipient

# Overdue dossiers are looked at for this long after their due time: far enough back to cover a
# scheduler that was down for days, near enough that a run does not read the whole backlog of a
# province that never closed its old dossiers (those are warned of the day they went late).
OVERDUE_LOOKBACK = dt.timedelta(days=7)
# The dossiers a digest names (the counts cover them all).
DIGEST_LINES = 10


def _source(kind: str, dossier: Dossier) -> str:
    return f"{kind}:{dossier.pk}:{dossier.due_at:%Y%m%dT%H%M}"


def _running() -> QuerySet[Dossier]:
    return Dossier.objects.filter(
        status__in=sorted(CLOCK_RUNNING_STATES), due_at__isnull=False
    ).select_related("procedure", "receiving_unit", "current_step__assignee", "owner")


class _People:
    """Who is warned of a dossier, read once per unit and role in a run."""

    def __init__(self) -> None:
        self._members: dict[tuple[int, frozenset[str]], list[Any]] = {}

    def members(self, unit_id: int, roles: frozenset[str]) -> list[Any]:
        key = (unit_id, roles)
        if key not in self._members:
            self._members[key] = members_of(unit_id=unit_id, roles=roles)
        return self._members[key]

    def holders(self, dossier: Dossier) -> list[Any]:
        """Whoever holds the dossier now: its step's assignee, else the step's role at the
        step's unit; before any step (received, not started), the receiving desk."""
        step = dossier.current_step
        if step is not None and step.assignee_id:
            return [step.assignee]
        if step is not None and step.role:
            return self.members(step.unit_id, frozenset({step.role}))
        return self.members(dossier.receiving_unit_id, frozenset({Role.RECEPTION}))

    def leaders(self, dossier: Dossier) -> list[Any]:
        """The leaders of the unit that holds the dossier, else of the nearest unit above it
        that has any (an office's dossiers answer to its department's leader)."""
        unit_id = dossier.current_unit_id or dossier.receiving_unit_id
        while unit_id is not None:
            found = self.members(unit_id, frozenset({Role.UNIT_LEADER}))
            if found:
                return found
            unit_id = Unit.objects.filter(pk=unit_id).values_list("parent_id", flat=True).first()
        return []


def _warn(kind: str, dossiers: list[Dossier], people: _People, *, now: dt.datetime) -> int:
    sources = {_source(kind, d): d for d in dossiers}
    done = set(Message.objects.filter(source__in=list(sources)).values_list("source", flat=True))
    warned = 0
    for source, dossier in sources.items():
        if source in done:
            continue
        users = people.holders(dossier)
        if kind == Event.OVERDUE:
            users = users + people.leaders(dossier)
        recipients = [staff_recipient(u) for u in {u.pk: u for u in users}.values()]
        if not recipients:
            continue
        step = dossier.current_step
        with transaction.atomic():
            written = notify(
                event=kind,
                source=source,
                recipients=recipients,
                values={
                    **dossier_values(dossier, for_officer=True),
                    "hen_tra": moment_text(dossier.due_at),
                    "buoc": step.name if step is not None else str(dossier.get_status_display()),
                },
                dossier=dossier,
                now=now,
            )
        warned += bool(written)
    return warned


def dossiers_due_scan(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Warn the holders of every running dossier due within one working day, and the holders
    and their unit's leaders of every one past due; the number of dossiers warned of each."""
    now = now or timezone.now()
    people = _People()
    soon = list(_running().filter(due_at__gte=now, due_at__lte=due_soon_limit(now)))
    late = list(_running().filter(due_at__lt=now, due_at__gte=now - OVERDUE_LOOKBACK))
    return {
        "due_soon": _warn(Event.DUE_SOON, soon, people, now=now),
        "overdue": _warn(Event.OVERDUE, late, people, now=now),
    }


def _digest_lines(dossiers: list[Dossier], *, now: dt.datetime) -> str:
    lines = []
    for d in dossiers:
        late = d.due_at is not None and d.due_at < now
        lines.append(
            f"- {d.code} · {d.procedure.name} · "
            + (_("quá hạn từ %(due)s") if late else _("hạn %(due)s"))
            % {"due": moment_text(d.due_at) or "—"}
        )
    return "\n".join(lines)


def officers_digest_send(*, now: dt.datetime | None = None) -> int:
    """Each officer's work of the day, once a day: how many dossiers wait for them, how many are
    due soon or late, and the first of them in due order. Officers with nothing waiting are not
    written to. The number of digests written."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    officers = (
        Membership.objects.filter(role__in=sorted(OFFICER_ROLES), is_active=True)
        .filter(user__is_active=True)
        .values_list("user_id", flat=True)
        .distinct()
    )
    from motcua.accounts.models import User

    sent = 0
    for user in User.objects.filter(pk__in=list(officers)).order_by("pk"):
        scope = officer_scope(user=user)
        counts = queue_counts(scope=scope, now=now)
        waiting = counts["mine"] + counts["new"] * scope.has_role(Role.RECEPTION)
        if not (waiting or counts["overdue"]):
            continue
        first = queue_page(
            scope=scope,
            tab="mine" if counts["mine"] else "overdue" if counts["overdue"] else "new",
            now=now,
            filters=QueueFilters(),
            offset=0,
            limit=DIGEST_LINES,
        )
        with transaction.atomic():
            written = notify(
                event=Event.DIGEST,
                source=f"digest:{day:%Y%m%d}",
                recipients=[staff_recipient(user)],
                values={
                    "ngay": day.strftime("%d/%m/%Y"),
                    "so_viec": waiting,
                    "so_sap_den_han": counts["due_soon"],
                    "so_qua_han": counts["overdue"],
                    "danh_sach": _digest_lines(first, now=now),
                    "duong_dan": public_base_url() + reverse("backoffice:queues"),
                },
                now=now,
            )
        sent += bool(written)
    return sent
