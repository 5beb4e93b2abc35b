"""Every write to a dossier: one keyword-only, transactional function per use case."""

from .attachments import attachment_add, attachment_store, upload_check
from .base import Applicant, use_case_atomic
from .citizen import attachment_remove, dossier_rate, dossier_update_draft
from .intake import (
    dossier_accept,
    dossier_create_draft,
    dossier_receive_direct,
    dossier_receive_postal,
    dossier_refuse,
    dossier_request_supplement,
    dossier_submit,
    dossier_supplement,
    dossier_withdraw,
    missing_documents,
)
from .payment import dossier_lock, dossier_payment_record, dossiers_lock
from .postal import dossier_postal_record
from .processing import (
    apology_allowed,
    dossier_apologise,
    dossier_approve,
    dossier_deny,
    dossier_forward,
    dossier_return_result,
    dossier_start,
    dossier_stop,
)

# The service of each action of the transition table (the API's POST …/actions/{action}).
ACTION_SERVICES = {
    "create_draft": dossier_create_draft,
    "submit": dossier_submit,
    "receive_direct": dossier_receive_direct,
    "receive_postal": dossier_receive_postal,
    "accept": dossier_accept,
    "request_supplement": dossier_request_supplement,
    "refuse": dossier_refuse,
    "start": dossier_start,
    "forward": dossier_forward,
    "supplement": dossier_supplement,
    "approve": dossier_approve,
    "deny": dossier_deny,
    "apologise": dossier_apologise,
    "stop": dossier_stop,
    "return_result": dossier_return_result,
    "withdraw": dossier_withdraw,
}

__all__ = [
    "ACTION_SERVICES",
    "Applicant",
    "apology_allowed",
    "attachment_add",
    "attachment_remove",
    "attachment_store",
    "dossier_accept",
    "dossier_apologise",
    "dossier_approve",
    "dossier_create_draft",
    "dossier_deny",
    "dossier_forward",
    "dossier_lock",
    "dossier_payment_record",
    "dossier_postal_record",
    "dossier_rate",
    "dossier_receive_direct",
    "dossier_receive_postal",
    "dossier_refuse",
    "dossier_request_supplement",
    "dossier_return_result",
    "dossier_start",
    "dossier_stop",
    "dossier_submit",
    "dossier_supplement",
    "dossier_update_draft",
    "dossier_withdraw",
    "dossiers_lock",
    "missing_documents",
    "upload_check",
    "use_case_atomic",
]
