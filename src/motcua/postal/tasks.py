"""Background work of the postal app: orders placed with the operator, callbacks applied."""

from __future__ import annotations

from django_tasks import task


@task()
def order_place(shipment_id: int) -> None:
    """Place the parcel's order (a run after success does nothing)."""
    from .moves import order_place as place

    place(shipment_id=shipment_id)


@task()
def order_cancel(shipment_id: int) -> None:
    """Tell the operator an order was withdrawn."""
    from .moves import order_cancel_send

    order_cancel_send(shipment_id=shipment_id)


@task()
def callback_apply_task(callback_id: int) -> None:
    """Apply one kept callback of the operator (a second run does nothing)."""
    from .moves import callback_apply

    callback_apply(callback_id=callback_id)
