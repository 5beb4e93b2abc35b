"""Shared fixtures and the rules for database-specific tests."""

import os

import pytest
from django.db import connection
from hypothesis import settings as hypothesis_settings

# On CI the property tests are derandomised (the same examples every run), so a red build is
# reproducible and main does not flicker; locally they explore new examples each run.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" in engine:
        return
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL (runs in the PostgreSQL pass)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip_pg)


@pytest.fixture
def is_postgres() -> bool:
    return connection.vendor == "postgresql"


@pytest.fixture(autouse=True)
def _vietnamese_by_default():
    """Each test starts in the site's language: a request that switched to English (the locale
    middleware activates per thread) must not leak English messages into the next test."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploads of every test go to its own folder: a test's rows are rolled back, so files it
    left in the project's var/media were orphans (found by `media --orphans`)."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _e_results_only_where_tested(request, settings):
    """Approve and deny sign e-results (MOTCUA_E_RESULTS), which needs each agency's certificate;
    tests/results sets up a demo CA and switches them on, the other tests approve without them."""
    if "tests/results/" not in request.node.nodeid.replace("\\", "/"):
        settings.MOTCUA_E_RESULTS = False
