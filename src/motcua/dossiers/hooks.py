"""Signals sent inside a dossier use case's transaction, so other apps can act in the same commit.

`dossier_transitioning` is sent for every transition while the dossier's row is locked, after the
transition's own changes and before the event is written (kwargs: dossier, action, from_status,
actor, moment, payload). A receiver may set the dossier's payment fields (`awaiting_payment`,
`paid_online`, `paid_online_at`), add keys to `payload` (they go into the audit event) and write
its own rows; raising a DossierError undoes the whole use case. The payments app creates,
cancels and refunds invoices here, so this app needs to know nothing of it.
"""

from django.dispatch import Signal

dossier_transitioning = Signal()

# Sent by `dossier_payment_record` inside the payment's transaction, the dossier's row locked
# (kwargs: dossier, was_awaiting, moment): the postal app sends a result by post once it is paid.
dossier_payment_recorded = Signal()

# Sent by `record_event` for every event appended to a dossier's audit chain, inside the use
# case's transaction, the dossier's row locked (kwargs: dossier, event): the notifications app
# writes its messages here, so they commit with the event or not at all. Not sent while side
# effects are suppressed (bulk and historical loads). A receiver must not fail the use case on
# anything but a database error.
dossier_event_recorded = Signal()
