"""Small catalogue fixtures for the portal tests."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import cache

from motcua.catalog.models import Field, Procedure
from motcua.orgs.models import Unit

_seq = itertools.count(1)


@pytest.fixture
def make_field(db: None) -> Callable[..., Field]:
    def make(name: str = "Hộ tịch", code: str | None = None) -> Field:
        return Field.objects.create(code=code or f"F{next(_seq)}", name=name)

    return make


@pytest.fixture
def make_unit(db: None) -> Callable[..., Unit]:
    def make(name: str = "UBND phường Tân Lợi", **kwargs: Any) -> Unit:
        n = next(_seq)
        defaults = {"code": f"{n:03d}.00.21.H16", "kind": "commune", "level": "commune"}
        defaults.update(kwargs)
        return Unit.objects.create(name=name, **defaults)

    return make


@pytest.fixture
def make_procedure(db: None, make_field: Callable[..., Field]) -> Callable[..., Procedure]:
    default_field: list[Field] = []

    def make(name: str, **kwargs: Any) -> Procedure:
        if "field" not in kwargs:
            if not default_field:
                default_field.append(make_field())
            kwargs["field"] = default_field[0]
        kwargs.setdefault("code", f"1.{next(_seq):06d}")
        kwargs.setdefault("gov_level", "commune")
        kwargs.setdefault("online_level", 2)
        units = kwargs.pop("units", [])
        procedure = Procedure.objects.create(name=name, **kwargs)
        if units:
            procedure.performing_units.set(units)
        return procedure

    return make


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    # The most-used list is cached; a test must not see another test's.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def portal(db: None, settings: Any, tmp_path: Any) -> Any:
    from .submission_fixtures import make_portal

    settings.MEDIA_ROOT = tmp_path / "media"
    return make_portal()


@pytest.fixture
def world(db: None, settings: Any, tmp_path: Any) -> Any:
    """The dossier tests' world (units, staff, two citizens) for dossiers in any state."""
    from tests.dossiers.conftest import world as make_world

    settings.MEDIA_ROOT = tmp_path / "media"
    return make_world.__wrapped__(db)  # type: ignore[attr-defined]
