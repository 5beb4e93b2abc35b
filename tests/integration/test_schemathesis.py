"""Schemathesis over the whole OpenAPI document: no server error, no schema violation.

Bounded examples per operation, derandomised (the same examples every run) so CI is stable; the
stateful test follows the OpenAPI links (create a dossier → read, move, attach, look it up…).
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from motcua.wsgi import application

from .conftest import make_caller

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)

# The key of the current test's client (each test builds its own world and client).
_current: dict[str, str] = {}


@schema.auth(refresh_interval=None)
class BearerKey:
    """Schemathesis' own auth hook, so its auth checks can also try without or with a bad key."""

    def get(self, case, context) -> str:
        return _current.get("key", "")

    def set(self, case, data: str, context) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Calls go straight to the WSGI app, not through Django's test client, so (like the test
    client) stop the end of each request from closing the test's database connection."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def key(world, settings) -> str:
    settings.MOTCUA_API_PUBLIC_RATE_LIMIT_PER_MINUTE = 1_000_000
    caller = make_caller(world)
    caller.client.rate_limit_per_minute = 1_000_000
    caller.client.save()
    _current["key"] = caller.key
    return caller.key


# Every check but "schema-valid data is accepted": a well-formed request may still break a rule of
# the domain (unknown procedure, illegal transition…), answered with a documented 4xx.
EXCLUDED = [positive_data_acceptance]


@schema.parametrize()
@settings(max_examples=25, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms(case, key) -> None:
    case.call_and_validate(excluded_checks=EXCLUDED)


STATEFUL = settings(
    max_examples=15,
    stateful_step_count=6,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


def test_api_stateful_links(key) -> None:
    class Workflow(schema.as_state_machine()):  # type: ignore[misc]
        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(
                response,
                additional_checks=additional_checks,
                excluded_checks=EXCLUDED,
                transport_kwargs=kwargs or None,
            )

    Workflow.run(settings=STATEFUL)
