"""Webhooks go to public addresses only: no request forgery into the province's own network."""

from __future__ import annotations

import pytest

from motcua.dossiers.constants import DossierStatus
from motcua.integration.admin import WebhookSubscriptionForm
from motcua.integration.constants import DeliveryStatus
from motcua.integration.egress import destination_problem
from motcua.integration.models import WebhookAttempt, WebhookDelivery, WebhookSubscription
from tests.dossiers.helpers import drive

from .conftest import Caller, assert_error, fake_resolve
from .receiver import http_receiver

LOOPBACK = ["127.0.0.0/8", "::1/128"]


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:6379/",  # the cache server
        "http://localhost:5432/",  # a name for loopback, both families
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",  # IPv4 loopback written as IPv6
        "http://169.254.169.254/latest/meta-data/",  # a cloud's metadata service
        "http://10.0.0.8/admin/",
        "http://192.168.1.1/",
        "http://0.0.0.0:8000/",
        "http://noibo.example.vn/hook",  # a name for a private address
        "http://hai-dia-chi.example.vn/hook",  # one of its addresses is private
        "http://224.0.0.1/",  # multicast
    ],
)
def test_private_destinations_are_refused(settings, url: str) -> None:
    settings.MOTCUA_WEBHOOK_ALLOWED_NETWORKS = []
    assert "mạng nội bộ" in destination_problem(url, resolve=fake_resolve)


def test_public_and_allowed_destinations_pass(settings) -> None:
    settings.MOTCUA_WEBHOOK_ALLOWED_NETWORKS = []
    assert destination_problem("https://phanmem.example.vn/hook", resolve=fake_resolve) == ""
    assert destination_problem("https://14.225.0.10:8443/hook", resolve=fake_resolve) == ""
    # The province lists a ministry's private network: allowed there, and only there.
    settings.MOTCUA_WEBHOOK_ALLOWED_NETWORKS = ["10.20.0.0/16"]
    assert destination_problem("http://noibo.example.vn/hook", resolve=fake_resolve) == ""
    assert "mạng nội bộ" in destination_problem("http://10.21.0.1/", resolve=fake_resolve)


def test_malformed_and_unknown_destinations_say_why(settings) -> None:
    assert "Không phân giải được" in destination_problem(
        "https://khong-co.example.vn/hook", resolve=fake_resolve
    )
    assert "mật khẩu" in destination_problem(
        "https://user:pw@phanmem.example.vn/", resolve=fake_resolve
    )
    assert "http://" in destination_problem("gopher://phanmem.example.vn/", resolve=fake_resolve)
    assert "không hợp lệ" in destination_problem("http://[::1/", resolve=fake_resolve)


def test_the_api_refuses_a_private_subscription(world, caller: Caller, settings) -> None:
    settings.MOTCUA_WEBHOOK_ALLOWED_NETWORKS = []
    response = caller.post("webhooks", {"url": "http://169.254.169.254/latest/meta-data/"})
    assert_error(response, 422, "invalid_input")
    assert "mạng nội bộ" in response.json()["error"]["details"]["url"]
    assert not WebhookSubscription.objects.exists()


def test_a_destination_moved_into_the_network_is_not_called(
    world, caller: Caller, settings, django_capture_on_commit_callbacks
) -> None:
    """Checked again at delivery: what was allowed when subscribing may not be any more."""
    with http_receiver() as receiver:
        response = caller.post("webhooks", {"url": receiver.url, "event_types": []})
        assert response.status_code == 201
        settings.MOTCUA_WEBHOOK_ALLOWED_NETWORKS = []
        with django_capture_on_commit_callbacks(execute=True):
            drive(world, DossierStatus.SUBMITTED)
    assert receiver.requests == []
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 1
    attempt = WebhookAttempt.objects.get(delivery=delivery)
    assert attempt.status_code is None and not attempt.succeeded
    assert "mạng nội bộ" in attempt.error


def test_the_admin_form_refuses_a_private_url(settings) -> None:
    settings.MOTCUA_WEBHOOK_ALLOWED_NETWORKS = LOOPBACK
    form = WebhookSubscriptionForm(data={"url": "http://10.0.0.8/hook"})
    assert not form.is_valid()
    assert "mạng nội bộ" in str(form.errors["url"])
    form = WebhookSubscriptionForm(data={"url": "http://127.0.0.1:8000/hook"})
    form.is_valid()
    assert "url" not in form.errors


def test_the_admin_changes_a_subscription_but_not_into_the_network(
    world, caller: Caller, admin_client, settings
) -> None:
    created = caller.post("webhooks", {"url": "https://phanmem.example.vn/hook"}).json()
    subscription = WebhookSubscription.objects.get(uuid=created["id"])
    page = f"/admin/integration/webhooksubscription/{subscription.pk}/change/"
    assert admin_client.get(page).status_code == 200
    assert created["secret"] not in admin_client.get(page).content.decode()
    form = {"url": "http://10.0.0.8/hook", "event_types": '["dossier.submit"]', "is_active": "on"}
    response = admin_client.post(page, form)
    assert response.status_code == 200 and "mạng nội bộ" in response.content.decode()
    subscription.refresh_from_db()
    assert subscription.url == "https://phanmem.example.vn/hook"
    response = admin_client.post(page, {**form, "url": "https://phanmem.example.vn/v2"})
    assert response.status_code == 302
    subscription.refresh_from_db()
    assert subscription.url == "https://phanmem.example.vn/v2"
    assert subscription.event_types == ["dossier.submit"]
    # Subscriptions are made through the API, which shows their secret once.
    assert admin_client.get("/admin/integration/webhooksubscription/add/").status_code == 403
