"""One simulated day: the dossiers that arrive on it and their whole lives, as rows to bulk-load.

Each dossier lives the life the services would give it (docs/ARCHITECTURE.md §3): an online one is drafted,
submitted (its code is allocated then), maybe sent back for a supplement, accepted (t0) or
refused; a paper one is received at the desk or by post (t0 at once). Then processing walks the
procedure's steps, maybe with a supplement after reception (the clock restarts or pauses as the
procedure says), an apology when it runs late, the decision and the return of the result, and a
rating. A life stops at `now` (the end of the simulated period), which leaves the last weeks'
dossiers open. Events carry the payloads the services write and the hash chain of
`motcua.dossiers.audit`, so `verify_audit` accepts them.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from motcua.dossiers.codes import MAX_DAILY_SEQUENCE, format_code
from motcua.dossiers.constants import Action, Channel, DossierStatus, EventAction, ResultDelivery
from motcua.workcal import receipt_time

from .clock import MICROS_PER_HOUR, FastClock, Pos
from .fast import chain_rows, js, timing
from .world import LEADER, RECEPTION, SPECIALIST, ProcedurePlan, World

S = DossierStatus

FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi",
          "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Niê", "Mlô", "Êban", "Ksor", "H'Wing", "Y")  # fmt: skip
MIDDLE = ("Văn", "Thị", "Minh", "Thanh", "Đức", "Ngọc", "Hữu", "Thu", "Quốc", "Kim", "Xuân")
GIVEN = ("An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hạnh", "Hiếu", "Hoa", "Hùng", "Khánh",
         "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Trang",
         "Tuấn", "Uyên", "Việt", "Xuân", "Yến", "Đạt", "Điệp")  # fmt: skip
STREETS = ("Lê Duẩn", "Nguyễn Tất Thành", "Phan Bội Châu", "Hùng Vương", "Y Jút", "Trần Phú",
           "Lý Thường Kiệt", "Hai Bà Trưng", "Ngô Quyền", "Mai Hắc Đế", "Lê Thánh Tông")  # fmt: skip
COMPANIES = ("Công ty TNHH Cà phê Tây Nguyên", "Công ty CP Xây dựng Đắk Lắk",
             "Hợp tác xã Nông nghiệp Ea Kar", "Công ty TNHH Du lịch Buôn Đôn")  # fmt: skip
SUPPLEMENT_ITEMS = ("Bản sao Căn cước công dân có chứng thực", "Tờ khai ghi thiếu thông tin",
                    "Bản vẽ sơ đồ vị trí thửa đất", "Giấy ủy quyền có chứng thực",
                    "Bản chính giấy tờ để đối chiếu")  # fmt: skip
REFUSAL_REASONS = ("Hồ sơ không thuộc thẩm quyền giải quyết của cơ quan",
                   "Người nộp không thuộc đối tượng thực hiện thủ tục")  # fmt: skip
APOLOGY_REASON = "Hồ sơ cần lấy ý kiến cơ quan liên quan nên chưa kịp trả kết quả"
SATISFACTION = (("very_satisfied", 52), ("satisfied", 40), ("not_satisfied", 8))

# What becomes of a dossier if its life is not cut by the end of the period (weights).
FATES: tuple[tuple[str, float], ...] = (
    ("returned", 74.0),
    ("uncollected", 3.0),
    ("deny", 4.0),
    ("refuse", 3.5),
    ("withdraw", 3.5),
    ("stop", 1.5),
    ("abandon_draft", 3.0),
    ("abandon_supplement", 2.5),
    ("stall_submitted", 0.4),
    ("stall_received", 0.4),
)
_FATE_NAMES = tuple(name for name, _w in FATES)
_FATE_CUM = tuple(sum(w for _n, w in FATES[: i + 1]) for i in range(len(FATES)))
# Probability of a supplement request before / after reception, of paying online a fee-bearing
# level-4 online dossier, of a scan for a paper dossier, of a rating after the return.
P_SUPPLEMENT_BEFORE = 0.10
P_SUPPLEMENT_AFTER = 0.08
P_PAID_ONLINE = 0.85
P_SCANNED = 0.8
P_RATED = 0.35
P_APOLOGY_WHEN_LATE = 0.6


@dataclass
class DayRows:
    """The rows of one simulated day, per table, plus counters for the progress line."""

    day: dt.date
    dossiers: list[dict[str, Any]] = field(default_factory=list)
    events: list[tuple] = field(default_factory=list)
    steps: list[dict[str, Any]] = field(default_factory=list)
    supplements: list[dict[str, Any]] = field(default_factory=list)
    apologies: list[dict[str, Any]] = field(default_factory=list)
    ratings: list[dict[str, Any]] = field(default_factory=list)
    sequences: dict[int, int] = field(default_factory=dict)  # unit id -> last number of the day
    skipped: int = 0


class _Halt(Exception):
    """The next moment of the life is after `now`: the dossier stays as it is."""


class _Life:
    """One dossier's life; collects its row, events, steps and side rows."""

    def __init__(
        self,
        *,
        world: World,
        rng: random.Random,
        plan: ProcedurePlan,
        unit_id: int,
        channel: str,
        fate: str,
        now: dt.datetime,
        year_share: float,
    ) -> None:
        self.w, self.rng, self.plan, self.unit_id = world, rng, plan, unit_id
        self.unit = world.units[unit_id]
        self.clock: FastClock = world.clocks[unit_id]
        self.channel, self.fate, self.now = channel, fate, now
        self.year_share = year_share
        self.events: list[tuple[str, str, str, int | None, str, dt.datetime, dict]] = []
        self.steps: list[dict[str, Any]] = []
        self.supplements: list[dict[str, Any]] = []
        self.apology: dict[str, Any] | None = None
        self.rating: dict[str, Any] | None = None
        self.status = ""
        self.pos: Pos = (0, 0)
        self.t: dt.datetime = now
        self.d: dict[str, Any] = {}
        roll = rng.random()
        # The share of each step's allotted time it really takes: < 1 early, > 1 late.
        self.pace = (
            rng.uniform(0.2, 0.75)
            if roll < 0.66
            else rng.uniform(0.75, 0.97)
            if roll < 0.88
            else rng.uniform(1.05, 1.8)
        )

    # --- time and events ------------------------------------------------------------------
    def later(self, hours: float) -> dt.datetime:
        """Move on by `hours` of working time (plus a few minutes: people are not punctual)."""
        pos = self.clock.add_hours(self.pos, hours)
        jitter = self.rng.randrange(0, 600) * 1_000_000
        if pos[1] + jitter < self.clock.day:
            pos = (pos[0], pos[1] + jitter)
        moment = self.clock.at(pos)
        if moment > self.now:
            raise _Halt
        self.pos, self.t = pos, moment
        return moment

    def event(
        self,
        action: str,
        to: str,
        actor: tuple[int, str] | None,
        payload: dict[str, Any],
        *,
        label: str = "",
    ) -> None:
        actor_id, name = actor if actor is not None else (None, "Hệ thống")
        self.events.append(
            (str(action), self.status, str(to), actor_id, label or name, self.t, payload)
        )
        self.status = str(to)

    def pick(self, role: str, unit_id: int | None = None) -> tuple[int, str] | None:
        found = self.w.staff(role, unit_id or self.unit_id)
        return self.rng.choice(found) if found else None

    # --- the life ---------------------------------------------------------------------------
    def run(self, start: dt.datetime, code_for: Callable[[dt.datetime], str | None]) -> bool:
        """Live from `start`; False when no code could be allocated (the day is full)."""
        d = self.d
        self.t = start
        self.pos = self.clock.position(start)
        try:
            if self.channel == Channel.ONLINE:
                if not self._online(code_for):
                    return False
            else:
                code = code_for(start)
                if code is None:
                    return False
                self._paper(code)
            if self.status in (S.RECEIVED,):
                self._process()
        except _Halt:
            pass
        d["status"] = self.status
        d["version"] = len(self.events)
        d["updated_at"] = self.events[-1][5]
        return True

    def _online(self, code_for: Callable[[dt.datetime], str | None]) -> bool:
        rng, d, plan = self.rng, self.d, self.plan
        owner = rng.choice(self.w.citizens) if self.w.citizens else None
        citizen = (owner.id, owner.name) if owner else None
        d["owner_id"] = owner.id if owner else None
        self.event(
            Action.CREATE_DRAFT, S.DRAFT, citizen, {"procedure": plan.code, "unit": self.unit.code}
        )
        if self.fate == "abandon_draft":
            return True
        # Submitted a few minutes later, the same day (the code carries that date).
        self.t = self.t + dt.timedelta(minutes=rng.randint(2, 40), seconds=rng.randint(0, 59))
        self.pos = self.clock.position(self.t)
        if self.t > self.now:
            raise _Halt
        code = code_for(self.t)
        if code is None:
            return False
        d["code"] = code
        d["submitted_at"] = self.t
        if d["paid_online"]:  # paid through the gateway right after submitting
            d["paid_online_at"] = self.t + dt.timedelta(minutes=rng.randint(1, 15))
        self.event(Action.SUBMIT, S.SUBMITTED, citizen, {"code": code})
        if self.fate == "stall_submitted":
            return True
        if self.fate == "withdraw" and rng.random() < 0.4:
            self.later(rng.uniform(1, 8))
            d["finished_at"] = self.t
            self.event(Action.WITHDRAW, S.WITHDRAWN, citizen, {"reason": ""})
            return True
        reception = self.pick(RECEPTION)
        if rng.random() < P_SUPPLEMENT_BEFORE or (
            self.fate == "abandon_supplement" and rng.random() < 0.5
        ):
            self._request_supplement(reception, before_reception=True, hours=rng.uniform(1, 12))
            if self.fate == "abandon_supplement":
                return True
            self._supplement(citizen, rng.uniform(4, 40))
        if self.fate == "refuse":
            self.later(rng.uniform(1, 12))
            d["finished_at"] = self.t
            self.event(Action.REFUSE, S.REFUSED, reception, {"reason": rng.choice(REFUSAL_REASONS)})
            return True
        self.later(rng.uniform(0.5, 14))
        self._clock_start()
        d["received_by_id"] = reception[0] if reception else None
        self.event(
            Action.ACCEPT,
            S.RECEIVED,
            reception,
            {"received_at": js(d["received_at"]), "due_at": js(d["due_at"]), "note": ""},
        )
        return True

    def _paper(self, code: str) -> None:
        d, plan = self.d, self.plan
        reception = self.pick(RECEPTION)
        d["code"] = code
        d["submitted_at"] = self.t
        d["received_by_id"] = reception[0] if reception else None
        self._clock_start()
        action = Action.RECEIVE_POSTAL if self.channel == Channel.POSTAL else Action.RECEIVE_DIRECT
        self.event(
            action,
            S.RECEIVED,
            reception,
            {
                "code": code,
                "procedure": plan.code,
                "received_at": js(d["received_at"]),
                "due_at": js(d["due_at"]),
            },
        )
        if self.fate in ("refuse", "abandon_draft", "stall_submitted"):
            # A paper dossier is refused at the desk, never received: it lives as a withdrawal.
            self.fate = "withdraw" if self.fate == "refuse" else "returned"

    def _clock_start(self) -> None:
        d, plan = self.d, self.plan
        t0 = self._receipt(self.t)
        due = self.w.dues[self.unit_id].due(t0, plan.processing_time, plan.time_unit)
        d["received_at"] = t0
        d["due_at"] = due
        d["original_due_at"] = due

    def _receipt(self, moment: dt.datetime) -> dt.datetime:
        """receipt_time(moment): the moment itself inside a session (nearly always, here)."""
        if self.clock.is_working_time(moment):
            return moment
        return receipt_time(moment, org_unit=self.unit)

    def _request_supplement(
        self, actor: tuple[int, str] | None, *, before_reception: bool, hours: float
    ) -> None:
        rng, d = self.rng, self.d
        resume = self.status
        self.later(hours)
        items = rng.sample(SUPPLEMENT_ITEMS, rng.randint(1, 3))
        reason = (
            "Hồ sơ chưa đầy đủ theo quy định" if before_reception else "Cần bổ sung để thẩm định"
        )
        payload: dict[str, Any] = {"items": items, "reason": reason}
        if not before_reception:
            d["supplement_count"] = d.get("supplement_count", 0) + 1
            received = self.clock.position(d["received_at"])
            payload["within_window"] = (
                self.clock.between(received, self.pos) <= 24 * MICROS_PER_HOUR
            )
        payload["before_reception"] = before_reception
        d["resume_status"] = resume
        d["supplement_requested_at"] = self.t
        self.supplements.append(
            {
                "items": items,
                "reason": reason,
                "before_reception": before_reception,
                "requested_by_id": actor[0] if actor else None,
                "requested_at": self.t,
                "fulfilled_at": None,
            }
        )
        self.event(Action.REQUEST_SUPPLEMENT, S.AWAITING_SUPPLEMENT, actor, payload)

    def _supplement(self, actor: tuple[int, str] | None, hours: float) -> None:
        d, plan = self.d, self.plan
        requested_pos = self.pos
        self.later(hours)
        back = d.pop("resume_status", "") or S.SUBMITTED
        d["supplement_requested_at"] = None
        payload: dict[str, Any] = {"note": ""}
        if back == S.PROCESSING:
            old_due = d["due_at"]
            if plan.supplement_policy == "pause":
                waited = Decimal(self.clock.between(requested_pos, self.pos)) / MICROS_PER_HOUR
                waited = waited.quantize(Decimal("0.000001"))
                d["paused_hours"] = d.get("paused_hours", Decimal(0)) + waited
                shift = self.clock.between(requested_pos, self.pos)
                for key in ("due_at", "original_due_at"):
                    d[key] = self.clock.at(self.clock.add(self.clock.position(d[key]), shift))
                extra = {"waited_hours": str(waited)}
            else:
                restart = self._receipt(self.t)
                due = self.w.dues[self.unit_id].due(restart, plan.processing_time, plan.time_unit)
                d["due_at"] = d["original_due_at"] = due
                extra = {"restarted_at": restart.isoformat()}
            payload.update(
                {
                    "policy": plan.supplement_policy,
                    "old_due_at": old_due.isoformat(),
                    "due_at": d["due_at"].isoformat(),
                    **extra,
                }
            )
        self.supplements[-1]["fulfilled_at"] = self.t
        self.event(Action.SUPPLEMENT, back, actor, payload)

    # --- processing ------------------------------------------------------------------------
    def _open_step(self, *, index: int, sent_by: tuple[int, str] | None) -> dict[str, Any]:
        plan, d = self.plan, self.d
        if plan.steps:
            template = plan.steps[index]
            unit_id = template.unit_id or self.unit_id
            assignee = self.pick(template.role, unit_id) if index else None
            due = (
                self.clock.at(self.clock.add_hours(self.pos, template.hours))
                if template.hours
                else None
            )
            name, role, template_id = template.name, template.role, template.template_id
        else:
            unit_id, assignee, due = self.unit_id, None, d["due_at"]
            name, role, template_id = "Xử lý hồ sơ", SPECIALIST, None
        step = {
            "id": None,
            "template_id": template_id,
            "order": len(self.steps) + 1,
            "name": name,
            "unit_id": unit_id,
            "role": role,
            "assignee_id": assignee[0] if assignee else None,
            "sent_by_id": sent_by[0] if sent_by else None,
            "started_at": self.t,
            "due_at": due,
            "finished_at": None,
            "timing": "",
            "note": "",
        }
        self.steps.append(step)
        d["current_step"] = step
        d["assignee_id"] = step["assignee_id"]
        return step

    def _step_payload(self, step: dict[str, Any]) -> dict[str, Any]:
        return {
            "step": step["order"],
            "name": step["name"],
            "unit": self.w.units[step["unit_id"]].code,
            "assignee": step["assignee_id"],
            "due_at": js(step["due_at"]),
        }

    def _close_step(self, note: str = "") -> dict[str, Any] | None:
        step = self.d.get("current_step")
        if step is None or step["finished_at"] is not None:
            return None
        step["finished_at"] = self.t
        if step["due_at"] is not None:
            step["timing"] = timing(self.t, step["due_at"], self.clock.tz)
        if note:
            step["note"] = note
        return step

    def _process(self) -> None:
        rng, d, plan = self.rng, self.d, self.plan
        if self.fate == "stall_received":
            return
        reception = self.pick(RECEPTION)
        starter = reception if rng.random() < 0.7 else None
        self.later(rng.uniform(0.2, 3))
        step = self._open_step(index=0, sent_by=starter)
        self.event(Action.START, S.PROCESSING, starter, self._step_payload(step))
        if self.fate == "withdraw":
            self.later(rng.uniform(2, 16))
            self._close_step()
            d["finished_at"] = self.t
            d["current_step"], d["assignee_id"] = None, None
            owner = (d["owner_id"], "") if d.get("owner_id") else None
            actor = self._citizen() if owner else reception
            self.event(
                Action.WITHDRAW, S.WITHDRAWN, actor, {"reason": "Công dân đề nghị rút hồ sơ"}
            )
            return
        supplement_at = (
            rng.randrange(1, 3)
            if rng.random() < P_SUPPLEMENT_AFTER or self.fate == "abandon_supplement"
            else None
        )
        index = 0
        while True:
            current = d["current_step"]
            template = plan.steps[index] if plan.steps else None
            share = template.hours if template and template.hours else plan.limit_hours / 2
            work = max(0.2, share * self.pace)
            if supplement_at == index + 1:
                actor = self.pick(SPECIALIST, current["unit_id"]) or reception
                self._request_supplement(actor, before_reception=False, hours=work / 2)
                if self.fate == "abandon_supplement":
                    return
                citizen = self._citizen() if d.get("owner_id") else reception
                self._supplement(citizen, rng.uniform(8, 64))
            nxt = plan.steps[index + 1] if plan.steps and index + 1 < len(plan.steps) else None
            if (
                (template is None or template.role == LEADER)
                or nxt is None
                or nxt.role == RECEPTION
            ):
                break
            actor = self.pick(current["role"] or SPECIALIST, current["unit_id"]) or self.pick(
                SPECIALIST, current["unit_id"]
            )
            self.later(work)
            closed = self._close_step("Chuyển bước tiếp theo")
            index += 1
            step = self._open_step(index=index, sent_by=actor)
            payload = self._step_payload(step)
            payload["note"] = "Chuyển bước tiếp theo"
            if closed is not None:
                payload["closed_step"] = closed["order"]
                payload["closed_timing"] = closed["timing"]
            self.event(Action.FORWARD, S.PROCESSING, actor, payload)
        self._decide(index)

    def _citizen(self) -> tuple[int, str] | None:
        owner_id = self.d.get("owner_id")
        for person in self.w.citizens:
            if person.id == owner_id:
                return person.id, person.name
        return None

    def _decide(self, index: int) -> None:
        rng, d, plan = self.rng, self.d, self.plan
        step = d["current_step"]
        leader = self.pick(LEADER, step["unit_id"]) or self.pick(LEADER)
        hours = plan.steps[index].hours if plan.steps else 4.0
        decide_pos = self.clock.add_hours(self.pos, max(hours, 0.2) * self.pace)
        decide = self.clock.at(decide_pos)
        if decide > d["due_at"] and rng.random() < P_APOLOGY_WHEN_LATE:
            self._apologise(leader, decide_pos)
            decide_pos = max(decide_pos, self.clock.add(self.pos, 300_000_000))
        if self.clock.at(decide_pos) > self.now:
            raise _Halt
        self.pos, self.t = decide_pos, self.clock.at(decide_pos)
        self._close_step(self.fate if self.fate in ("deny", "stop") else "")
        d["current_step"], d["assignee_id"] = None, None
        d["finished_at"] = self.t
        d["timing"] = timing(self.t, d["original_due_at"], self.clock.tz)
        payload: dict[str, Any] = {
            "timing": d["timing"],
            "finished_at": js(self.t),
            "due_at": js(d["original_due_at"]),
        }
        if self.fate == "stop":
            payload["reason"] = "Hồ sơ có tranh chấp, chờ cơ quan có thẩm quyền giải quyết"
            self.event(Action.STOP, S.STOPPED, leader, payload)
            return
        if self.fate == "deny":
            payload.update({"decision": "deny", "reason": "Không đủ điều kiện theo quy định"})
            self.event(Action.DENY, S.RESULT_READY, leader, payload)
        else:
            payload.update({"decision": "approve", "note": ""})
            d["has_e_result"] = plan.level >= 4 and d["result_delivery"] == ResultDelivery.ONLINE
            self.event(Action.APPROVE, S.RESULT_READY, leader, payload)
        if self.fate == "uncollected":
            return
        if d["result_delivery"] == ResultDelivery.ONLINE:
            self.later(rng.uniform(0.5, 24))
            d["returned_at"] = self.t
            self.event(
                Action.RETURN_RESULT,
                S.RETURNED,
                None,
                {"delivery": d["result_delivery"], "note": ""},
                label="Tải kết quả trực tuyến",
            )
        else:
            self.later(rng.uniform(1, 40))
            d["returned_at"] = self.t
            self.event(
                Action.RETURN_RESULT,
                S.RETURNED,
                self.pick(RECEPTION),
                {"delivery": d["result_delivery"], "note": ""},
            )
        citizen = self._citizen()
        if citizen is not None and rng.random() < P_RATED:
            self.later(rng.uniform(0.5, 30))
            overall = rng.choices(
                [name for name, _w in SATISFACTION], weights=[w for _n, w in SATISFACTION]
            )[0]
            self.rating = {
                "overall": overall,
                "convenience": "",
                "timeliness": "",
                "attitude": "",
                "comment": "",
                "rated_by_id": citizen[0],
                "created_at": self.t,
            }
            self.event(EventAction.RATE, S.RETURNED, citizen, {"overall": overall})

    def _apologise(self, leader: tuple[int, str] | None, decide_pos: Pos) -> None:
        """Form 04, sent within the last working day before the due time (or just after)."""
        d, rng = self.d, self.rng
        due_pos = self.clock.position(d["due_at"])
        # It goes out after the last event, at most one working day before the due time.
        earliest = max(self.pos, (due_pos[0] - 1, due_pos[1]))
        span = max(self.clock.between(earliest, due_pos), 0)
        moment_pos = self.clock.add(earliest, max(1_000_000, int(span * rng.uniform(0.2, 0.9))))
        if self.clock.between(self.pos, moment_pos) <= 0:
            moment_pos = self.clock.add(self.pos, 60_000_000)
        moment = self.clock.at(moment_pos)
        if moment > self.now:
            raise _Halt
        new_due = self.clock.at(self.clock.add_hours(max(decide_pos, due_pos), 8.0))
        if new_due <= d["due_at"] or new_due <= moment:
            return
        self.pos, self.t = moment_pos, moment
        previous = d["due_at"]
        self.apology = {
            "reason": APOLOGY_REASON,
            "original_due_at": previous,
            "new_due_at": new_due,
            "signed_by_id": leader[0] if leader else None,
            "created_at": moment,
        }
        d["apologised"] = True
        d["apology_due_at"] = new_due
        d["due_at"] = new_due
        self.event(
            Action.APOLOGISE,
            S.PROCESSING,
            leader,
            {"reason": APOLOGY_REASON, "previous_due_at": js(previous), "new_due_at": js(new_due)},
        )


class DayGenerator:
    """Generates one calendar day of arrivals; deterministic from (seed, day)."""

    def __init__(self, *, world: World, seed: int, now: dt.datetime) -> None:
        self.w = world
        self.seed = seed
        self.now = now
        span = (world.last - world.first).days or 1
        self.span = span
        self._dated: dict[dt.date, str] = {}

    def _pick_plan(self, rng: random.Random, online_only: bool) -> ProcedurePlan:
        plans = self.w.online_plans if online_only else self.w.plans
        cum = self.w.online_cum_weights if online_only else self.w.cum_weights
        return plans[min(bisect.bisect_left(cum, rng.random() * cum[-1]), len(plans) - 1)]

    def _channel(self, rng: random.Random, plan: ProcedurePlan, share: float, working: bool) -> str:
        if not working:
            return Channel.ONLINE
        if plan.accepts_online:
            # The shift to online over the period: level 4 from 30 % to 70 %, level 3 15 % to 45 %.
            p = (0.30 + 0.40 * share) if plan.level >= 4 else (0.15 + 0.30 * share)
            if rng.random() < p:
                return Channel.ONLINE
        if plan.postal_pickup and rng.random() < 0.09:
            return Channel.POSTAL
        return Channel.DIRECT

    def _applicant(self, rng: random.Random, life: _Life) -> dict[str, Any]:
        d = life.d
        owner_id = d.get("owner_id")
        person = next((p for p in self.w.citizens if p.id == owner_id), None) if owner_id else None
        if person is not None:
            return {
                "applicant_kind": "person",
                "applicant_name": person.name,
                "applicant_citizen_id": person.citizen_id,
                "applicant_phone": person.phone,
                "applicant_email": person.email,
                "applicant_address": person.address,
                "applicant_tax_code": "",
                "applicant_organisation": "",
            }
        business = rng.random() < 0.1
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        return {
            "applicant_kind": "business" if business else "person",
            "applicant_name": name,
            "applicant_citizen_id": f"066{rng.randint(0, 3)}{rng.randint(0, 99):02d}{rng.randint(0, 999999):06d}",
            "applicant_phone": f"09{rng.randint(0, 99999999):08d}",
            "applicant_email": "",
            "applicant_address": f"Số {rng.randint(1, 300)} {rng.choice(STREETS)}, tỉnh Đắk Lắk",
            "applicant_tax_code": f"60{rng.randint(0, 99999999):08d}" if business else "",
            "applicant_organisation": rng.choice(COMPANIES) if business else "",
        }

    def _delivery(self, rng: random.Random, plan: ProcedurePlan, channel: str) -> str:
        roll = rng.random()
        if plan.level >= 4 and channel == Channel.ONLINE and roll < 0.5:
            return ResultDelivery.ONLINE
        if plan.postal_return and (channel == Channel.POSTAL or roll > 0.8):
            return ResultDelivery.POSTAL
        return ResultDelivery.IN_PERSON

    def day(self, day: dt.date, count: int, sequences: dict[int, int] | None = None) -> DayRows:
        """The `count` dossiers arriving on `day` (local date) and their lives."""
        rng = random.Random(f"{self.seed}-{day.isoformat()}")  # noqa: S311 - simulation
        rows = DayRows(day=day)
        last = dict(sequences or {})
        w = self.w
        share = min(max((day - w.first).days / self.span, 0.0), 1.0)
        any_clock = next(iter(w.clocks.values()))
        working = day in any_clock.index
        arrivals: list[tuple[dt.datetime, int, ProcedurePlan, str, int]] = []
        midnight = dt.datetime.combine(day, dt.time(0), tzinfo=any_clock.tz)
        for n in range(count):
            plan = self._pick_plan(rng, online_only=not working)
            channel = self._channel(rng, plan, share, working)
            candidates = plan.centres if plan.centres and rng.random() < 0.8 else plan.units
            unit_id = candidates[rng.randrange(len(candidates))]
            clock = w.clocks[unit_id]
            if channel == Channel.ONLINE and (not working or rng.random() < 0.35):
                # Citizens also apply in the evening and at weekends (06:00–21:00).
                start = midnight + dt.timedelta(seconds=rng.randrange(6 * 3600, 21 * 3600))
            else:
                start = clock.at(clock.random_office_pos(clock.day_index(day), rng)).replace(
                    microsecond=0
                )
            arrivals.append((start, n, plan, channel, unit_id))
        arrivals.sort(key=lambda a: (a[0], a[1]))
        for start, _n, plan, channel, unit_id in arrivals:
            roll = rng.random() * _FATE_CUM[-1]
            fate = _FATE_NAMES[bisect.bisect_left(_FATE_CUM, roll)]
            if channel != Channel.ONLINE and fate == "stall_submitted":
                fate = "returned"
            life = _Life(
                world=w,
                rng=rng,
                plan=plan,
                unit_id=unit_id,
                channel=channel,
                fate=fate,
                now=self.now,
                year_share=share,
            )
            life.d.update(self._new_dossier(rng, life))

            def code_for(moment: dt.datetime, life: _Life = life) -> str | None:
                return self._code(rows, last, life, moment)

            if not life.run(start, code_for):
                rows.skipped += 1
                continue
            self._collect(rows, life)
        rows.sequences = {unit: n for unit, n in last.items() if n > (sequences or {}).get(unit, 0)}
        return rows

    def _code(
        self, rows: DayRows, last: dict[int, int], life: _Life, moment: dt.datetime
    ) -> str | None:
        """The next code of the dossier's unit for `moment`'s day; another unit when it is full."""
        unit_id = life.unit_id
        if last.get(unit_id, 0) >= MAX_DAILY_SEQUENCE:
            unit_id = next(
                (u for u in life.plan.units if last.get(u, 0) < MAX_DAILY_SEQUENCE), None
            )
            if unit_id is None:
                return None
            life.unit_id, life.unit = unit_id, self.w.units[unit_id]
            life.clock = self.w.clocks[unit_id]
            life.d["receiving_unit_id"] = unit_id
        number = last[unit_id] = last.get(unit_id, 0) + 1
        dated = self._dated.get(rows.day)
        if dated is None:
            # format_code's text between the unit code and the number, once a day (strftime is
            # slow); tests/simulator checks the codes against format_code.
            dated = self._dated[rows.day] = format_code(unit_code="", day=rows.day, number=0)[:-4]
        return f"{self.w.units[unit_id].code}{dated}{number:04d}"

    def _new_dossier(self, rng: random.Random, life: _Life) -> dict[str, Any]:
        plan, channel = life.plan, life.channel
        fee = plan.fee_online if channel == Channel.ONLINE else plan.fee_other
        delivery = self._delivery(rng, plan, channel)
        paid = (
            channel == Channel.ONLINE
            and fee > 0
            and plan.level >= 4
            and rng.random() < P_PAID_ONLINE
        )
        return {
            "uuid": uuid.UUID(int=rng.getrandbits(128), version=4),
            "code": None,
            "procedure_id": plan.id,
            "receiving_unit_id": life.unit_id,
            "channel": str(channel),
            "result_delivery": str(delivery),
            "fee_total": fee,
            "paid_online": paid,
            "is_digitised": channel == Channel.ONLINE or rng.random() < P_SCANNED,
            "owner_id": None,
        }

    def _collect(self, rows: DayRows, life: _Life) -> None:
        d = life.d
        d.update(self._applicant(life.rng, life))
        if d["result_delivery"] == ResultDelivery.POSTAL:
            d["delivery_address"] = d["applicant_address"]
        d["created_at"] = life.events[0][5]
        index = len(rows.dossiers)
        d["_steps"] = life.steps
        rows.dossiers.append(d)
        # The payloads travel as their JSON text (the bulk load writes it as is).
        chain_rows(index, str(d["uuid"]), life.events, rows.events)
        for step in life.steps:
            step["_dossier"] = index
            rows.steps.append(step)
        for request in life.supplements:
            request["_dossier"] = index
            rows.supplements.append(request)
        if life.apology is not None:
            life.apology["_dossier"] = index
            rows.apologies.append(life.apology)
        if life.rating is not None:
            life.rating["_dossier"] = index
            rows.ratings.append(life.rating)
