"""dossiers.tasks sends `dossier_event_committed` for every event once its transaction commits."""

from __future__ import annotations

from typing import Any

from motcua.dossiers.constants import DossierStatus
from motcua.dossiers.tasks import dossier_event_committed
from tests.dossiers.helpers import drive


def test_signal_follows_the_commit(world, django_capture_on_commit_callbacks) -> None:
    seen: list[tuple[str, int]] = []

    def listener(sender: Any, event: Any, **kwargs: Any) -> None:
        seen.append((event.action, event.seq))

    dossier_event_committed.connect(listener, dispatch_uid="test_listener")
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            drive(world, DossierStatus.SUBMITTED)
        assert seen == []  # nothing before the commit
        for callback in callbacks:
            callback()
    finally:
        dossier_event_committed.disconnect(dispatch_uid="test_listener")
    assert seen == [("create_draft", 1), ("submit", 2)]
