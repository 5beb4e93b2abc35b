"""The public lookup /tra-cuu/: minimal by code, timeline with the second factor, no leaks."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from motcua.dossiers.constants import DossierStatus
from motcua.portal.dossier_views import LOOKUP_LIMIT
from tests.dossiers.helpers import drive

pytestmark = pytest.mark.django_db

LOOKUP = reverse("portal:lookup")


@pytest.fixture
def processing(world):
    dossier = drive(world, DossierStatus.PROCESSING)
    dossier.applicant_phone = "0912345678"
    dossier.applicant_citizen_id = "066090004321"
    dossier.applicant_address = "12 Lê Duẩn"
    dossier.form_data = {"bi_mat": "Nội dung tờ khai riêng tư"}
    dossier.save()
    return dossier


def private_values(dossier, world) -> list[str]:
    return [
        dossier.applicant_name,
        dossier.applicant_phone,
        dossier.applicant_citizen_id,
        dossier.applicant_address,
        "Nội dung tờ khai riêng tư",
        world.reception.full_name,
        world.specialist.full_name,
        world.leader.full_name,
    ]


def visible_text(html: str) -> str:
    main = html.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def test_the_nav_links_to_the_lookup(client, db):
    assert f'href="{LOOKUP}"' in client.get("/").content.decode()


def test_code_alone_shows_status_and_appointment_only(client, processing, world):
    html = client.get(LOOKUP, {"code": processing.code}).content.decode()
    text = visible_text(html)
    assert "Đang xử lý" in text
    assert timezone.localtime(processing.due_at).strftime("%d/%m/%Y") in text
    assert "Quá trình xử lý" not in text
    assert processing.procedure.name not in text
    for value in private_values(processing, world):
        assert value not in html


@pytest.mark.parametrize("factor", ["5678", "4321"])
def test_code_and_last_four_digits_show_the_public_timeline(client, processing, world, factor):
    html = client.get(LOOKUP, {"code": processing.code, "factor": factor}).content.decode()
    text = visible_text(html)
    assert "Quá trình xử lý" in text
    assert "Nộp hồ sơ" in text and "Tiếp nhận hồ sơ" in text and "Bắt đầu xử lý" in text
    assert "Phòng Hành chính tư pháp" in text  # the unit of the step, not the officer
    for value in private_values(processing, world):
        assert value not in html


def test_a_wrong_code_and_a_wrong_factor_answer_alike(client, processing):
    wrong_factor = client.get(LOOKUP, {"code": processing.code, "factor": "0000"})
    wrong_code = client.get(LOOKUP, {"code": "000.00.21.H16-250714-9999", "factor": "0000"})
    assert wrong_factor.status_code == wrong_code.status_code == 200
    # The typed code sits in the input's value (a tag); the visible text is the same.
    assert visible_text(wrong_factor.content.decode()) == visible_text(wrong_code.content.decode())
    assert "Không tìm thấy hồ sơ" in wrong_code.content.decode()
    assert "Đang xử lý" not in wrong_factor.content.decode()


def test_drafts_are_never_found(client, world):
    draft = drive(world, DossierStatus.DRAFT)
    assert draft.code is None
    response = client.get(LOOKUP, {"code": "None"})
    assert "Không tìm thấy hồ sơ" in response.content.decode()


def test_the_signed_in_owner_sees_the_timeline_without_the_factor(client, processing, world):
    client.force_login(world.citizen)
    text = visible_text(client.get(LOOKUP, {"code": processing.code}).content.decode())
    assert "Quá trình xử lý" in text
    client.force_login(world.other_citizen)
    text = visible_text(client.get(LOOKUP, {"code": processing.code}).content.decode())
    assert "Quá trình xử lý" not in text


def test_lookups_are_rate_limited_per_address(client, processing):
    cache.clear()
    for _ in range(LOOKUP_LIMIT):
        assert client.get(LOOKUP, {"code": processing.code}).status_code == 200
    response = client.get(LOOKUP, {"code": processing.code})
    assert response.status_code == 429
    assert "Bạn tra cứu quá nhiều lần" in response.content.decode()
    assert "Đang xử lý" not in response.content.decode()
    # Another address is not affected.
    other = client.get(LOOKUP, {"code": processing.code}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


def test_the_empty_form_is_labelled_and_not_counted(client, db):
    cache.clear()
    html = client.get(LOOKUP).content.decode()
    assert '<label for="id_code">' in html and '<label for="id_factor">' in html
    for _ in range(LOOKUP_LIMIT + 5):
        assert client.get(LOOKUP).status_code == 200


def test_lookup_responses_are_not_cached(client, processing):
    response = client.get(LOOKUP, {"code": processing.code, "factor": "5678"})
    assert "no-store" in response["Cache-Control"]
