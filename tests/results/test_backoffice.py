"""The back office's e-results panel on the dossier page (/can-bo/ho-so/<code>/): every version
with its signer, hash and links; a unit leader's correction (a new signed version KQn+1
superseding the current one, with the reason); officers' downloads recorded; everyone else
refused."""

from __future__ import annotations

import hashlib

import pytest
from django.test import Client

from motcua.documents.models import SigningCertificate
from motcua.documents.pdf import html_to_pdf
from motcua.dossiers.audit import chain_verify
from motcua.dossiers.constants import DossierStatus
from motcua.dossiers.models import Dossier
from motcua.orgs.constants import Role
from motcua.results.constants import DownloadChannel
from motcua.results.models import ResultDocument, ResultDownload
from tests.dossiers.helpers import World
from tests.factories import MembershipFactory, StaffFactory

from .conftest import Signing, approved, pdf_upload
from .helpers import pyhanko_status

REASON = "Sai ngày sinh của người được cấp: 12/03/1990, không phải 21/03/1990."


def _page(d: Dossier) -> str:
    return f"/can-bo/ho-so/{d.code}/"


def _download(d: Dossier, code: str) -> str:
    return f"/can-bo/ho-so/{d.code}/ket-qua/{code}/"


def _correct(d: Dossier, code: str) -> str:
    return f"/can-bo/ho-so/{d.code}/ket-qua/{code}/dinh-chinh/"


def _field(code: str, name: str) -> str:
    return f"dinh-chinh-{code}-{name}"


def _body(response) -> bytes:  # type: ignore[no-untyped-def]
    return b"".join(response.streaming_content)


def _staff(world: World, role: str, unit=None):  # type: ignore[no-untyped-def]
    user = StaffFactory()
    MembershipFactory(user=user, unit=unit or world.unit, role=role)
    return user


def _unchanged(d: Dossier) -> tuple:
    fresh = Dossier.objects.get(pk=d.pk)
    return (
        fresh.status,
        fresh.version,
        fresh.events.count(),
        ResultDocument.objects.filter(dossier=d).count(),
        list(ResultDocument.objects.filter(dossier=d, is_current=True).values_list("code")),
    )


def test_the_panel_lists_the_result_and_a_correction_makes_kq2_superseding_kq1(
    world: World, signing: Signing, client: Client
) -> None:
    d = approved(world)
    first = ResultDocument.objects.get(dossier=d)
    client.force_login(world.leader)
    page = client.get(_page(d)).content.decode()
    assert 'id="e-results-title"' in page
    assert first.code in page and first.title in page and world.leader.full_name in page
    assert first.sha256[:16] in page and "Hiện hành" in page
    assert _download(d, first.code) in page and f"/xac-thuc/{first.code}/" in page
    assert _correct(d, first.code) in page and "csrfmiddlewaretoken" in page

    response = client.post(_correct(d, first.code), {_field(first.code, "reason"): REASON})
    assert response.status_code == 302
    assert response["Location"].startswith(_page(d))
    second = ResultDocument.objects.get(dossier=d, number=2)
    first.refresh_from_db()
    assert second.code == f"{d.code}-KQ2"
    assert second.supersedes == first and second.correction_reason == REASON
    assert second.is_current and not first.is_current
    assert second.signer == world.leader.full_name

    # The new version's bytes, downloaded from the page: hashlib equals the stored hash and the
    # audit event's; pyHanko's validator accepts the signature against the demo root.
    downloaded = client.get(_download(d, second.code))
    assert downloaded.status_code == 200 and downloaded["Content-Type"] == "application/pdf"
    content = _body(downloaded)
    digest = hashlib.sha256(content).hexdigest()
    assert digest == second.sha256
    fresh = Dossier.objects.get(pk=d.pk)
    event = fresh.events.order_by("-seq").first()
    assert event.action == "result_correct" and event.actor == world.leader
    assert event.payload["e_results"][0]["sha256"] == digest
    assert event.payload["superseded"] == first.code and event.payload["reason"] == REASON
    assert chain_verify(fresh) is None
    status = pyhanko_status(content, signing.directory / "demo-root.pem")
    assert status.intact and status.valid and status.trusted

    # Both versions listed, the old one "replaced by KQ2" with the reason; only KQ2 correctable.
    page = client.get(_page(d)).content.decode()
    assert f"Đã được thay thế bởi {second.code}" in page and REASON in page
    assert _correct(d, second.code) in page and _correct(d, first.code) not in page
    assert "Đính chính kết quả điện tử" in page  # the timeline names the event

    # The old file still verifies on its page, as superseded by KQ2.
    old_bytes = _body(client.get(_download(d, first.code)))
    assert hashlib.sha256(old_bytes).hexdigest() == first.sha256  # never overwritten
    public = Client()
    shown = public.get(f"/xac-thuc/{first.code}/").content.decode()
    assert f"Đã được thay thế bởi kết quả {second.code}" in shown
    checked = public.post(
        f"/xac-thuc/{first.code}/", {"file": pdf_upload(old_bytes, "kq1.pdf")}
    ).content.decode()
    assert 'data-reason="superseded"' in checked and second.code in checked
    checked = public.post(
        f"/xac-thuc/{second.code}/", {"file": pdf_upload(content, "kq2.pdf")}
    ).content.decode()
    assert 'data-reason="valid"' in checked


def test_a_correction_from_an_uploaded_pdf_signs_that_file(
    world: World, signing: Signing, client: Client
) -> None:
    d = approved(world)
    first = ResultDocument.objects.get(dossier=d)
    corrected = html_to_pdf(html="<p>Giấy chứng nhận kết hôn (bản đính chính, tải lên)</p>")
    client.force_login(world.leader)
    response = client.post(
        _correct(d, first.code),
        {
            _field(first.code, "reason"): REASON,
            _field(first.code, "file"): pdf_upload(corrected, "dinh-chinh.pdf"),
        },
    )
    assert response.status_code == 302
    second = ResultDocument.objects.get(dossier=d, number=2)
    assert second.source == "uploaded" and second.supersedes == first
    with second.file.open("rb") as handle:
        content = handle.read()
    # The uploaded bytes, signed incrementally: the original revision is kept as it was.
    assert content.startswith(corrected[: len(corrected) - 64])
    assert hashlib.sha256(content).hexdigest() == second.sha256
    status = pyhanko_status(content, signing.directory / "demo-root.pem")
    assert status.intact and status.valid and status.trusted


@pytest.mark.parametrize("reason", ["", "   \n  "])
def test_a_correction_without_a_reason_is_refused_with_nothing_changed(
    world: World, signing: Signing, client: Client, reason: str
) -> None:
    d = approved(world)
    first = ResultDocument.objects.get(dossier=d)
    before = _unchanged(d)
    client.force_login(world.leader)
    response = client.post(_correct(d, first.code), {_field(first.code, "reason"): reason})
    assert response.status_code == 422
    page = response.content.decode()
    assert "Cần nêu rõ lý do đính chính kết quả." in page
    assert f'id="correct-{first.code}" open' in page
    assert _unchanged(d) == before


def test_a_word_file_is_refused_with_the_reason_and_nothing_changed(
    world: World, signing: Signing, client: Client
) -> None:
    d = approved(world)
    first = ResultDocument.objects.get(dossier=d)
    before = _unchanged(d)
    client.force_login(world.leader)
    docx = b"PK\x03\x04" + b"\x00" * 200
    response = client.post(
        _correct(d, first.code),
        {
            _field(first.code, "reason"): REASON,
            _field(first.code, "file"): pdf_upload(docx, "a.docx"),
        },
    )
    assert response.status_code == 422
    assert "phải là PDF hoặc ảnh quét" in response.content.decode()
    assert _unchanged(d) == before


def test_a_signing_failure_is_shown_on_the_page_and_changes_nothing(
    world: World, signing: Signing, client: Client
) -> None:
    d = approved(world)
    first = ResultDocument.objects.get(dossier=d)
    SigningCertificate.objects.filter(unit=world.unit).delete()
    before = _unchanged(d)
    client.force_login(world.leader)
    response = client.post(_correct(d, first.code), {_field(first.code, "reason"): REASON})
    assert response.status_code == 422
    page = " ".join(response.content.decode().split())
    assert f"Không ký số được kết quả {d.code}-KQ2" in page
    assert "chưa được cấu hình chứng thư số" in page
    assert REASON in page  # what the leader typed is kept
    assert _unchanged(d) == before
    first.refresh_from_db()
    assert first.is_current


def test_specialists_reception_and_another_units_leader_cannot_correct(
    world: World, signing: Signing, client: Client
) -> None:
    d = approved(world)
    first = ResultDocument.objects.get(dossier=d)
    before = _unchanged(d)
    data = {_field(first.code, "reason"): REASON}
    for officer in (_staff(world, Role.SPECIALIST), world.reception):
        client.force_login(officer)
        page = client.get(_page(d))
        assert page.status_code == 200
        text = page.content.decode()
        assert first.code in text and _download(d, first.code) in text  # sees the panel…
        assert _correct(d, first.code) not in text  # …but no correction form
        assert client.post(_correct(d, first.code), data).status_code == 403
    other_leader = _staff(world, Role.UNIT_LEADER, unit=world.other_unit)
    client.force_login(other_leader)
    assert client.get(_page(d)).status_code == 404
    assert client.post(_correct(d, first.code), data).status_code == 404
    assert client.get(_download(d, first.code)).status_code == 404
    client.force_login(world.citizen)
    assert client.post(_correct(d, first.code), data).status_code == 403
    assert client.get(_download(d, first.code)).status_code == 403
    client.logout()
    anonymous = client.post(_correct(d, first.code), data)
    assert anonymous.status_code == 302 and "/tai-khoan/" in anonymous["Location"]
    assert _unchanged(d) == before
    assert not ResultDownload.objects.exists()


def test_a_result_of_another_dossier_is_not_found_under_this_one(
    world: World, signing: Signing, client: Client
) -> None:
    d = approved(world)
    other = approved(world)
    foreign = ResultDocument.objects.get(dossier=other)
    client.force_login(world.leader)
    assert client.get(_download(d, foreign.code)).status_code == 404
    data = {_field(foreign.code, "reason"): REASON}
    assert client.post(_correct(d, foreign.code), data).status_code == 404
    assert ResultDocument.objects.count() == 2


def test_a_correction_needs_a_post_and_the_csrf_token(world: World, signing: Signing) -> None:
    d = approved(world)
    first = ResultDocument.objects.get(dossier=d)
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.leader)
    assert client.get(_correct(d, first.code)).status_code == 405
    data = {_field(first.code, "reason"): REASON}
    assert client.post(_correct(d, first.code), data).status_code == 403
    assert ResultDocument.objects.filter(dossier=d).count() == 1


def test_an_officers_download_is_recorded_and_never_hands_the_result_over(
    world: World, signing: Signing, client: Client
) -> None:
    d = approved(world, online=True)
    document = ResultDocument.objects.get(dossier=d)
    client.force_login(world.reception)
    response = client.get(_download(d, document.code), REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    assert hashlib.sha256(_body(response)).hexdigest() == document.sha256
    download = ResultDownload.objects.get()
    assert (download.result, download.user, download.channel, download.address) == (
        document,
        world.reception,
        DownloadChannel.BACKOFFICE,
        "10.1.2.3",
    )
    # The applicant chose online delivery; an officer's download is not their hand-over.
    assert Dossier.objects.get(pk=d.pk).status == DossierStatus.RESULT_READY
    # The applicant's own first download still is.
    client.force_login(world.citizen)
    assert client.get(f"/ho-so-cua-toi/{d.code}/ket-qua/{document.code}/").status_code == 200
    assert Dossier.objects.get(pk=d.pk).status == DossierStatus.RETURNED
