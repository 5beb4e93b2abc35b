"""An online dossier from "new online" to "returned" through the back office, in a few clicks a step.

Reception accepts it against the checklist, hands it to processing from the queue row, the
specialist forwards it, the leader approves with the signed result, the desk returns it from the
queue row. Each officer has their own browser session; the clicks of each step are counted.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import expect

from motcua.dossiers import services as s
from motcua.dossiers.constants import Action, AttachmentKind, DossierStatus
from motcua.dossiers.models import Dossier
from tests.dossiers.conftest import world  # noqa: F401 - the dossier tests' world, as is
from tests.dossiers.helpers import PDF_BYTES, World, pdf_file
from tests.factories import RequiredDocumentFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# "A few clicks per step" (issue 4): open the queue tab, open the row or the dossier, act.
MAX_CLICKS_PER_STEP = 4


def _session_cookie(user: Any, base_url: str) -> dict[str, Any]:
    client = Client()
    client.force_login(user)
    name = django_settings.SESSION_COOKIE_NAME
    return {"name": name, "value": client.cookies[name].value, "url": base_url}


def _submitted(world: World) -> Dossier:  # noqa: F811 - `world` is the fixture's value
    doc = RequiredDocumentFactory(procedure=world.procedure, name="Tờ khai đề nghị", order=1)
    world.citizen.full_name = "Đặng Thị Thu Hà"
    world.citizen.save()
    draft = s.dossier_create_draft(
        actor=world.citizen, procedure=world.procedure, receiving_unit=world.unit
    )
    s.attachment_add(
        dossier=draft,
        actor=world.citizen,
        kind=AttachmentKind.APPLICATION,
        file=pdf_file("to-khai.pdf"),
        required_document=doc,
    )
    draft.refresh_from_db()
    return s.dossier_submit(dossier=draft, actor=world.citizen)


class Officer:
    """One officer's browser tab, counting the clicks of the current step."""

    def __init__(self, browser: Any, base_url: str, user: Any, shots: Path) -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
        self.context.add_cookies([_session_cookie(user, base_url)])
        self.page = self.context.new_page()
        self.page.set_default_timeout(45_000)
        self.page.on("dialog", lambda dialog: dialog.accept())
        self.base_url = base_url
        self.shots = shots
        self.clicks = 0

    def open_queues(self) -> None:
        self.clicks = 0
        self.page.goto(self.base_url + "/can-bo/")

    def click(self, locator: Any) -> None:
        self.clicks += 1
        locator.click()

    def shot(self, name: str) -> None:
        self.page.screenshot(path=str(self.shots / f"backoffice-{name}.png"), full_page=True)

    def close(self) -> None:
        self.context.close()


def test_new_online_to_returned_in_a_few_clicks_per_step(
    browser: Any,
    live_server: Any,
    world: World,  # noqa: F811
    screenshots: Path,
) -> None:
    dossier = _submitted(world)
    code = dossier.code
    clicks: dict[str, int] = {}
    officers: list[Officer] = []

    def officer(user: Any) -> Officer:
        tab = Officer(browser, live_server.url, user, screenshots)
        officers.append(tab)
        return tab

    try:
        # 1. Reception: the "new online" tab, the dossier, tick the checklist, accept.
        desk = officer(world.reception)
        desk.open_queues()
        desk.click(desk.page.locator("a.tab-new"))
        desk.page.wait_for_url(re.compile(r"tab=new"))
        row = desk.page.locator("tr", has_text=code)
        assert "Đặng Thị Thu Hà" in row.inner_text()
        desk.shot("01-new-online")
        desk.click(row.get_by_role("link", name=code, exact=True))
        desk.page.wait_for_url(re.compile(re.escape(f"/can-bo/ho-so/{code}/")))
        desk.click(desk.page.locator(".action-accept").get_by_label("Tờ khai đề nghị"))
        desk.shot("02-accept-checklist")
        desk.click(
            desk.page.locator(".action-accept").get_by_role("button", name="Tiếp nhận hồ sơ")
        )
        desk.page.get_by_text("Đã tiếp nhận hồ sơ.").first.wait_for()
        assert "mẫu 01" in desk.page.locator(".bo-callout").inner_text()
        desk.shot("03-accepted")
        clicks["accept"] = desk.clicks
        dossier.refresh_from_db()
        assert dossier.status == DossierStatus.RECEIVED and dossier.due_at is not None

        # 2. Reception hands it to processing from the queue row (htmx: only the row changes).
        desk.open_queues()
        desk.click(desk.page.locator("a.tab-to_start"))
        desk.page.wait_for_url(re.compile(r"tab=to_start"))
        expect(desk.page.locator('.tab-count[data-tab="to_start"]')).to_have_text("1")
        row = desk.page.locator(f"#row-{dossier.pk}")
        desk.click(row.get_by_role("button", name="Chuyển xử lý"))
        row.get_by_text("Đã chuyển hồ sơ cho bộ phận xử lý.").wait_for()
        assert "Đang xử lý" in row.inner_text() and "Thẩm định" in row.inner_text()
        # The tab counts followed without a reload.
        expect(desk.page.locator('.tab-count[data-tab="to_start"]')).to_have_text("0")
        assert desk.page.url.endswith("tab=to_start")
        desk.shot("04-row-started")
        clicks["start"] = desk.clicks

        # 3. The specialist: "my tasks" (the default tab), the dossier, forward to the next step.
        specialist = officer(world.specialist)
        specialist.open_queues()
        row = specialist.page.locator("tr", has_text=code)
        specialist.shot("05-specialist-tasks")
        specialist.click(row.get_by_role("link", name=code, exact=True))
        specialist.page.wait_for_url(re.compile(re.escape(f"/can-bo/ho-so/{code}/")))
        specialist.click(
            specialist.page.locator(".action-forward").get_by_role("button", name="Chuyển xử lý")
        )
        specialist.page.get_by_text("Đã chuyển hồ sơ.").first.wait_for()
        specialist.shot("06-forwarded")
        clicks["forward"] = specialist.clicks
        dossier.refresh_from_db()
        assert dossier.current_step.name == "Phê duyệt"

        # 4. The leader: "my tasks", the dossier, attach the signed result, approve.
        leader = officer(world.leader)
        leader.open_queues()
        leader.click(
            leader.page.locator("tr", has_text=code).get_by_role("link", name=code, exact=True)
        )
        leader.page.wait_for_url(re.compile(re.escape(f"/can-bo/ho-so/{code}/")))
        leader.clicks += 1  # choosing the file counts as a click
        leader.page.locator(".action-approve").get_by_label(
            "Kết quả giải quyết đã ký (PDF, ảnh)"
        ).set_input_files(
            files=[{"name": "ket-qua.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}]
        )
        leader.shot("07-approve")
        leader.click(
            leader.page.locator(".action-approve").get_by_role("button", name="Phê duyệt kết quả")
        )
        leader.page.get_by_text("Đã phê duyệt kết quả giải quyết.").first.wait_for()
        leader.shot("08-approved")
        clicks["approve"] = leader.clicks
        dossier.refresh_from_db()
        assert dossier.status == DossierStatus.RESULT_READY
        assert dossier.attachments.filter(kind=AttachmentKind.RESULT).count() == 1

        # 5. Reception: "results to return", return at the desk from the row (confirmed).
        desk.open_queues()
        desk.click(desk.page.locator("a.tab-results"))
        desk.page.wait_for_url(re.compile(r"tab=results"))
        row = desk.page.locator(f"#row-{dossier.pk}")
        collector = row.get_by_label("Người nhận kết quả")
        assert collector.input_value() == "Đặng Thị Thu Hà"
        desk.shot("09-results")
        desk.click(row.get_by_role("button", name="Trả kết quả tại quầy"))
        row.get_by_text("Đã trả kết quả cho người nộp.").wait_for()
        expect(desk.page.locator('.tab-count[data-tab="results"]')).to_have_text("0")
        desk.shot("10-returned")
        clicks["return"] = desk.clicks
    finally:
        for tab in officers:
            tab.close()

    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.RETURNED
    actions = list(dossier.events.order_by("seq").values_list("action", flat=True))
    assert actions[-5:] == [
        Action.ACCEPT,
        Action.START,
        Action.FORWARD,
        Action.APPROVE,
        Action.RETURN_RESULT,
    ]
    assert dossier.events.order_by("-seq").first().payload["collector"] == "Đặng Thị Thu Hà"
    print("clicks per step:", clicks)
    assert all(count <= MAX_CLICKS_PER_STEP for count in clicks.values()), clicks
