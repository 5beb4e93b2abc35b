"""Background work of notifications: deliver queued messages, recover interrupted ones."""

from __future__ import annotations

import datetime as dt

from django_tasks import task


def _retries_queue(retries: list[tuple[int, dt.datetime]]) -> None:
    """Queue each retry for its time. A backend that cannot wait (the tests' immediate one)
    leaves them to the sweep (`messages_recover_task`), which sends every due retry."""
    if not messages_deliver_task.get_backend().supports_defer:
        return
    for message_id, when in retries:
        messages_deliver_task.using(run_after=when).enqueue([message_id])


@task()
def messages_deliver_task(ids: list[int]) -> dict[str, int]:
    """Deliver these messages (a second run finds them no longer queued and does nothing)."""
    from .delivery import messages_deliver

    retries: list[tuple[int, dt.datetime]] = []
    counts = messages_deliver(ids=ids, retries=retries)
    _retries_queue(retries)
    return counts


@task()
def messages_recover_task() -> dict[str, int]:
    """The periodic sweep: interrupted sends again, every due retry, and the delivery reports
    that arrived before their message was marked sent."""
    from .callbacks import callbacks_retry_unmatched
    from .delivery import messages_recover

    retries: list[tuple[int, dt.datetime]] = []
    counts = messages_recover(retries=retries)
    _retries_queue(retries)
    counts["callbacks_matched"] = callbacks_retry_unmatched()
    return counts
