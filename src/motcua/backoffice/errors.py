"""The one place where dossier errors become a message on the page."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest

from motcua.dossiers.exceptions import DossierError


def error_text(exc: DossierError) -> str:
    """The error's Vietnamese message, with the reasons it carries (e.g. missing documents)."""
    text = str(exc.message)
    extra = []
    for key, value in exc.details.items():
        if key == "missing" and isinstance(value, list):
            extra.append("; ".join(str(v) for v in value))
        elif isinstance(value, str) and value and not value.isascii():
            # Vietnamese explanations in the details (field messages), not codes or ids.
            extra.append(value)
    if extra and not any(part in text for part in extra):
        text = f"{text} {' '.join(extra)}"
    return text


def report_dossier_error(request: HttpRequest, exc: DossierError) -> None:
    messages.error(request, error_text(exc))
