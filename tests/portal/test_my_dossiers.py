"""/ho-so-cua-toi/: list, detail, supplement, withdraw, result download, rating — and that no
citizen reads or acts on another's dossier, by URL or by guessing codes."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse

from motcua.dossiers import services as s
from motcua.dossiers.constants import DossierStatus
from motcua.dossiers.models import DossierRating
from tests.dossiers.helpers import drive, pdf_file

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def with_result(world, *, delivery: str = "in_person"):
    dossier = drive(world, DossierStatus.PROCESSING)
    dossier.result_delivery = delivery
    dossier.save()
    return s.dossier_approve(
        dossier=dossier, actor=world.leader, result_files=[pdf_file("ket-qua.pdf")]
    )


def test_list_shows_own_dossiers_with_status_and_paginates(world, django_assert_max_num_queries):
    mine = [drive(world, DossierStatus.SUBMITTED) for _ in range(3)]
    client = signed_in(world.citizen)
    with django_assert_max_num_queries(12):
        html = client.get(reverse("portal:my_dossiers")).content.decode()
    for dossier in mine:
        assert dossier.code in html
    assert "Chờ tiếp nhận" in html
    html = signed_in(world.other_citizen).get(reverse("portal:my_dossiers")).content.decode()
    assert "Bạn chưa nộp hồ sơ nào." in html
    for dossier in mine:
        assert dossier.code not in html


def test_list_requires_sign_in(client, db):
    response = client.get(reverse("portal:my_dossiers"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_detail_shows_the_timeline(world):
    dossier = drive(world, DossierStatus.PROCESSING)
    html = signed_in(world.citizen).get(reverse("portal:my_dossier", args=[dossier.code])).content
    html = html.decode()
    assert "Quá trình xử lý" in html
    assert "Tiếp nhận hồ sơ" in html and "Bắt đầu xử lý" in html
    assert world.specialist.full_name not in html


def every_url(code: str, attachment_pk: int) -> list[tuple[str, str]]:
    return [
        ("get", reverse("portal:my_dossier", args=[code])),
        ("get", reverse("portal:receipt", args=[code])),
        ("get", reverse("portal:receipt_pdf", args=[code])),
        ("get", reverse("portal:attachment", args=[code, attachment_pk])),
        ("get", reverse("portal:withdraw", args=[code])),
        ("post", reverse("portal:withdraw", args=[code])),
        ("post", reverse("portal:supplement", args=[code])),
        ("post", reverse("portal:rate", args=[code])),
    ]


@pytest.mark.parametrize(
    "status",
    [DossierStatus.AWAITING_SUPPLEMENT, DossierStatus.RESULT_READY, DossierStatus.RETURNED],
)
def test_another_citizen_gets_404_everywhere_and_changes_nothing(world, status):
    if status == DossierStatus.AWAITING_SUPPLEMENT:
        dossier = drive(world, status)
        s.attachment_add(dossier=dossier, actor=world.citizen, kind="supplement", file=pdf_file())
        dossier.refresh_from_db()
    else:
        dossier = with_result(world)
        if status == DossierStatus.RETURNED:
            dossier = s.dossier_return_result(dossier=dossier, actor=world.reception)
    attachment = dossier.attachments.first()
    version = dossier.version
    intruder = signed_in(world.other_citizen)
    data = {"reason": "x", "confirm": "on", "overall": "satisfied", "files": pdf_file()}
    for method, url in every_url(dossier.code, attachment.pk):
        response = getattr(intruder, method)(url, data) if method == "post" else intruder.get(url)
        assert response.status_code == 404, url
    dossier.refresh_from_db()
    assert dossier.version == version and dossier.status == status
    assert not DossierRating.objects.exists()


def test_guessing_codes_gives_the_same_404(world):
    dossier = drive(world, DossierStatus.SUBMITTED)
    intruder = signed_in(world.other_citizen)
    prefix, number = dossier.code.rsplit("-", 1)
    for guess in [dossier.code, f"{prefix}-{int(number) + 1:04d}", "000.00.21.H16-991231-0001"]:
        response = intruder.get(reverse("portal:my_dossier", args=[guess]))
        assert response.status_code == 404
    # Even an officer's account is not a citizen's window onto others' dossiers.
    assert (
        signed_in(world.reception)
        .get(reverse("portal:my_dossier", args=[dossier.code]))
        .status_code
        == 404
    )


def test_supplement_lists_the_request_and_sends_the_dossier_back(world):
    dossier = drive(world, DossierStatus.AWAITING_SUPPLEMENT)
    client = signed_in(world.citizen)
    html = client.get(reverse("portal:my_dossier", args=[dossier.code])).content.decode()
    assert "Cơ quan yêu cầu bổ sung hồ sơ" in html and "Bản vẽ hiện trạng" in html
    url = reverse("portal:supplement", args=[dossier.code])
    # Without a file: refused with a message, nothing changes.
    response = client.post(url, {"note": "Đã có"})
    assert "Vui lòng đính kèm ít nhất một tệp bổ sung." in response.content.decode()
    # A bad file: named, refused.
    bad = io.BytesIO(b"MZ not a pdf")
    bad.name = "ban-ve.exe"
    response = client.post(url, {"files": bad})
    assert "Tệp “ban-ve.exe”: Chỉ nhận tệp PDF" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.AWAITING_SUPPLEMENT
    response = client.post(url, {"files": pdf_file("ban-ve.pdf"), "note": "Bản vẽ mới"})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.PROCESSING
    assert dossier.attachments.filter(kind="supplement", original_name="ban-ve.pdf").exists()


def test_withdraw_needs_a_reason_and_confirmation(world):
    dossier = drive(world, DossierStatus.SUBMITTED)
    client = signed_in(world.citizen)
    url = reverse("portal:withdraw", args=[dossier.code])
    assert "Lý do rút hồ sơ" in client.get(url).content.decode()
    response = client.post(url, {"reason": ""})
    html = response.content.decode()
    assert "Vui lòng nêu lý do rút hồ sơ." in html and "Vui lòng xác nhận để rút hồ sơ." in html
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUBMITTED
    response = client.post(url, {"reason": "Nộp nhầm thủ tục", "confirm": "on"})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.WITHDRAWN
    assert dossier.events.order_by("-seq").first().payload["reason"] == "Nộp nhầm thủ tục"
    # A closed dossier offers no withdrawal.
    html = client.get(reverse("portal:my_dossier", args=[dossier.code])).content.decode()
    assert url not in html
    assert client.post(url, {"reason": "x", "confirm": "on"}).status_code == 302


def test_result_download_only_when_ready_and_online_download_returns_it(world):
    processing = drive(world, DossierStatus.PROCESSING)
    client = signed_in(world.citizen)
    html = client.get(reverse("portal:my_dossier", args=[processing.code])).content.decode()
    assert "Kết quả" not in html.split("Quá trình xử lý")[0].split("<h1>")[1]
    dossier = with_result(world, delivery="online")
    result = dossier.attachments.get(kind="result")
    html = client.get(reverse("portal:my_dossier", args=[dossier.code])).content.decode()
    url = reverse("portal:attachment", args=[dossier.code, result.pk])
    assert url in html
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert 'attachment; filename="ket-qua.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.RETURNED  # the e-result was handed over online


def test_result_is_hidden_before_it_is_ready(world):
    dossier = drive(world, DossierStatus.PROCESSING)
    result = s.attachment_add(dossier=dossier, actor=world.leader, kind="result", file=pdf_file())
    client = signed_in(world.citizen)
    assert (
        client.get(reverse("portal:attachment", args=[dossier.code, result.pk])).status_code == 404
    )


def test_rating_once_after_return(world):
    dossier = s.dossier_return_result(dossier=with_result(world), actor=world.reception)
    client = signed_in(world.citizen)
    html = client.get(reverse("portal:my_dossier", args=[dossier.code])).content.decode()
    assert "Đánh giá mức độ hài lòng" in html and "Rất hài lòng" in html
    url = reverse("portal:rate", args=[dossier.code])
    response = client.post(url, {"timeliness": "satisfied"})
    assert "Vui lòng chọn mức độ hài lòng chung." in response.content.decode()
    assert (
        client.post(url, {"overall": "very_satisfied", "attitude": "satisfied"}).status_code == 302
    )
    rating = DossierRating.objects.get(dossier=dossier)
    assert (rating.overall, rating.attitude, rating.convenience) == (
        "very_satisfied",
        "satisfied",
        "",
    )
    client.post(url, {"overall": "not_satisfied"})
    assert DossierRating.objects.get(dossier=dossier).overall == "very_satisfied"
    html = client.get(reverse("portal:my_dossier", args=[dossier.code])).content.decode()
    assert "Đánh giá của bạn" in html and "Gửi đánh giá" not in html


def test_no_rating_before_return(world):
    dossier = with_result(world)
    client = signed_in(world.citizen)
    html = client.get(reverse("portal:my_dossier", args=[dossier.code])).content.decode()
    assert "Gửi đánh giá" not in html
    client.post(reverse("portal:rate", args=[dossier.code]), {"overall": "satisfied"})
    assert not DossierRating.objects.exists()


def test_dossier_pages_switch_to_english(world):
    dossier = drive(world, DossierStatus.AWAITING_SUPPLEMENT)
    client = signed_in(world.citizen)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("portal:my_dossier", args=[dossier.code])).content.decode()
    assert "The agency asks for a supplement" in html and "Progress" in html
    assert "Supplement requested" in html
    html = client.get(reverse("portal:lookup"), {"code": dossier.code}).content.decode()
    assert "Dossier code" in html and "Look up" in html


def test_a_draft_can_be_discarded_after_confirmation(world):
    draft = drive(world, DossierStatus.DRAFT)
    kept = drive(world, DossierStatus.DRAFT)
    client = signed_in(world.citizen)
    url = reverse("portal:discard_draft", args=[draft.uuid])
    html = client.get(reverse("portal:my_dossiers")).content.decode()
    assert url in html and "Hủy bản nháp" in html
    # The link asks first: nothing happens on GET.
    page = client.get(url)
    assert page.status_code == 200
    assert (
        "Hủy hồ sơ nháp" in page.content.decode() and world.procedure.name in page.content.decode()
    )
    draft.refresh_from_db()
    assert draft.status == DossierStatus.DRAFT
    response = client.post(url, {"version": draft.version})
    assert response.status_code == 302 and response["Location"] == reverse("portal:my_dossiers")
    draft.refresh_from_db()
    assert draft.status == DossierStatus.WITHDRAWN and draft.code is None
    event = draft.events.order_by("-seq").first()
    assert event.action == "withdraw" and event.actor == world.citizen
    assert event.from_status == DossierStatus.DRAFT
    page = client.get(reverse("portal:my_dossiers"))
    html = page.content.decode()
    assert "Đã hủy hồ sơ nháp" in html
    assert url not in html  # gone from the drafts
    assert reverse("portal:discard_draft", args=[kept.uuid]) in html  # the other one stays
    assert [d.pk for d in page.context["drafts"]] == [kept.pk]
    assert draft.pk not in [d.pk for d in page.context["page"].object_list]
    # It cannot be resumed nor discarded twice.
    assert (
        client.get(reverse("portal:submit_step", args=[draft.uuid, "nguoi-nop"])).status_code == 404
    )
    assert client.post(url, {"version": draft.version}).status_code == 404


def test_a_discarded_draft_never_reaches_the_back_office(world):
    draft = drive(world, DossierStatus.DRAFT)
    signed_in(world.citizen).post(
        reverse("portal:discard_draft", args=[draft.uuid]), {"version": draft.version}
    )
    officer = signed_in(world.reception)
    page = officer.get(reverse("backoffice:queues"), {"tab": "all"})
    assert page.status_code == 200
    assert draft.pk not in [d.pk for d in page.context["page"].object_list]


def test_discarding_is_for_the_owners_drafts_only(world):
    draft = drive(world, DossierStatus.DRAFT)
    submitted = drive(world, DossierStatus.SUBMITTED)
    other = signed_in(world.other_citizen)
    url = reverse("portal:discard_draft", args=[draft.uuid])
    assert other.get(url).status_code == 404
    assert other.post(url, {"version": draft.version}).status_code == 404
    owner = signed_in(world.citizen)
    # A submitted dossier is withdrawn with a reason on its own page, not discarded.
    submitted_url = reverse("portal:discard_draft", args=[submitted.uuid])
    assert owner.post(submitted_url, {"version": submitted.version}).status_code == 404
    # A stale page (the draft changed in another tab) changes nothing and says so.
    response = owner.post(url, {"version": draft.version - 1}, follow=True)
    assert "Hồ sơ vừa được người khác cập nhật." in response.content.decode()
    draft.refresh_from_db()
    submitted.refresh_from_db()
    assert draft.status == DossierStatus.DRAFT
    assert submitted.status == DossierStatus.SUBMITTED
    assert signed_in(world.citizen).get(url).status_code == 200
    assert Client().get(url).status_code == 302  # anonymous: sign in first
