"""Online delivery: the owner downloads from "my dossiers", anyone with the second factor from
the tracking page, an API client in scope from GET /api/v1/dossiers/{code}/result; every
download recorded; the first online download hands the result over (returned)."""

from __future__ import annotations

import hashlib

from django.test import Client

from motcua.dossiers.audit import chain_verify
from motcua.dossiers.constants import DossierStatus
from motcua.dossiers.models import Dossier
from motcua.integration.services import api_client_create
from motcua.results.constants import ONLINE_DOWNLOAD_LABEL, DownloadChannel
from motcua.results.models import ResultDocument, ResultDownload
from tests.dossiers.helpers import World

from .conftest import Signing, approved


def _body(response) -> bytes:  # type: ignore[no-untyped-def]
    return b"".join(response.streaming_content)


def _mine_url(document: ResultDocument) -> str:
    return f"/ho-so-cua-toi/{document.dossier.code}/ket-qua/{document.code}/"


def _assert_sent_as_download(response) -> None:  # type: ignore[no-untyped-def]
    """Never shown inline, never sniffed, never cached (motcua.dossiers.uploads)."""
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]


def test_the_owner_downloads_the_signed_result_and_the_download_is_recorded(
    world: World, signing: Signing, client: Client
) -> None:
    d = approved(world)
    document = ResultDocument.objects.get(dossier=d)
    client.force_login(world.citizen)
    page = client.get(f"/ho-so-cua-toi/{d.code}/").content.decode()
    assert _mine_url(document) in page and "Tải kết quả" in page
    response = client.get(_mine_url(document))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    _assert_sent_as_download(response)
    content = _body(response)
    assert hashlib.sha256(content).hexdigest() == document.sha256
    download = ResultDownload.objects.get()
    assert (download.result, download.user, download.channel) == (
        document,
        world.citizen,
        DownloadChannel.MY_DOSSIERS,
    )
    # In-person delivery was chosen: downloading does not hand the result over.
    assert Dossier.objects.get(pk=d.pk).status == DossierStatus.RESULT_READY


def test_another_citizen_gets_404_and_an_anonymous_visitor_the_login(
    world: World, signing: Signing, client: Client
) -> None:
    document = ResultDocument.objects.get(dossier=approved(world))
    anonymous = client.get(_mine_url(document))
    assert anonymous.status_code == 302 and "/tai-khoan/" in anonymous["Location"]
    client.force_login(world.other_citizen)
    assert client.get(_mine_url(document)).status_code == 404
    client.force_login(world.citizen)
    wrong = f"/ho-so-cua-toi/{document.dossier.code}/ket-qua/{document.dossier.code}-KQ9/"
    assert client.get(wrong).status_code == 404
    assert not ResultDownload.objects.exists()


def test_the_first_online_download_returns_the_dossier(
    world: World, signing: Signing, client: Client
) -> None:
    d = approved(world, online=True)
    document = ResultDocument.objects.get(dossier=d)
    client.force_login(world.citizen)
    assert client.get(_mine_url(document)).status_code == 200
    d = Dossier.objects.get(pk=d.pk)
    assert d.status == DossierStatus.RETURNED and d.returned_at is not None
    event = d.events.order_by("-seq").first()
    assert event.action == "return_result"
    assert event.actor_label.startswith(ONLINE_DOWNLOAD_LABEL)
    assert event.payload["delivery"] == "online"
    assert chain_verify(d) is None
    # A second download is recorded, and changes nothing more.
    assert client.get(_mine_url(document)).status_code == 200
    assert ResultDownload.objects.filter(result=document).count() == 2
    assert Dossier.objects.get(pk=d.pk).version == d.version


def test_the_tracking_page_downloads_with_the_second_factor_only(
    world: World, signing: Signing, client: Client
) -> None:
    d = approved(world, online=True)
    document = ResultDocument.objects.get(dossier=d)
    factor = (d.applicant_phone or d.applicant_citizen_id)[-4:]
    assert factor
    page = client.get("/tra-cuu/", {"code": d.code, "factor": factor}).content.decode()
    assert document.code in page and "/tra-cuu/ket-qua/" in page
    assert document.code not in client.get("/tra-cuu/", {"code": d.code}).content.decode()
    wrong = "0000" if factor != "0000" else "1111"
    denied = client.post(
        "/tra-cuu/ket-qua/", {"code": d.code, "factor": wrong, "result": document.code}
    )
    assert denied.status_code == 404
    missing = client.post("/tra-cuu/ket-qua/", {"code": d.code, "result": document.code})
    assert missing.status_code == 404
    assert not ResultDownload.objects.exists()
    response = client.post(
        "/tra-cuu/ket-qua/", {"code": d.code, "factor": factor, "result": document.code}
    )
    assert response.status_code == 200
    _assert_sent_as_download(response)
    assert hashlib.sha256(_body(response)).hexdigest() == document.sha256
    download = ResultDownload.objects.get()
    assert (download.channel, download.user) == (DownloadChannel.TRACKING, None)
    assert Dossier.objects.get(pk=d.pk).status == DossierStatus.RETURNED


def test_the_api_returns_the_result_to_a_client_in_scope_only(
    world: World, signing: Signing
) -> None:
    d = approved(world, online=True)
    document = ResultDocument.objects.get(dossier=d)
    in_scope, key = api_client_create(
        name="Cổng DVC", agencies=[world.unit], scopes=["dossiers:read"]
    )
    _other, other_key = api_client_create(
        name="Phần mềm khác", agencies=[world.other_unit], scopes=["dossiers:read"]
    )
    _no_scope, no_scope_key = api_client_create(
        name="Không có quyền đọc", agencies=[world.unit], scopes=["payments:read"]
    )
    http = Client()
    url = f"/api/v1/dossiers/{d.code}/result"

    def get(bearer: str | None, path: str = url):  # type: ignore[no-untyped-def]
        headers = {"Authorization": f"Bearer {bearer}"} if bearer else {}
        return http.get(path, headers=headers)

    assert get(None).status_code == 401
    out_of_scope = get(other_key)
    assert out_of_scope.status_code == 404
    assert out_of_scope.json()["error"]["code"] == "not_found"
    assert get(no_scope_key).status_code == 403
    assert not ResultDownload.objects.exists()
    response = get(key)
    assert response.status_code == 200
    assert response["X-Result-Code"] == document.code
    _assert_sent_as_download(response)
    assert hashlib.sha256(_body(response)).hexdigest() == document.sha256
    download = ResultDownload.objects.get()
    assert (download.api_client, download.channel) == (in_scope, DownloadChannel.API)
    # An API client reading the result is not the applicant receiving it.
    assert Dossier.objects.get(pk=d.pk).status == DossierStatus.RESULT_READY
    assert get(key, f"{url}?result={d.code}-KQ7").status_code == 404
