"""Fixtures of the dossier tests: a small unit tree, its staff, a citizen and a procedure."""

from __future__ import annotations

import pytest

from .helpers import World, build_world


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(db) -> World:
    return build_world(processing_time=5)
