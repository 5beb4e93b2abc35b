"""The registry of official forms: key, number, title, template and paper (titles from settings).

Circular 01/2018-VPCP numbers the forms 01–06; Circular 03/2025 may renumber or retitle them,
so the number and title of each form come from ``settings.MOTCUA_FORM_TITLES`` (keyed by the
stable form key), while the key, template and paper size stay in code.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

A5_PORTRAIT = "A5 portrait"
A4_PORTRAIT = "A4 portrait"
A4_LANDSCAPE = "A4 landscape"

RECEIPT = "receipt"
SUPPLEMENT_REQUEST = "supplement_request"
REFUSAL = "refusal"
APOLOGY = "apology"
CONTROL_SHEET = "control_sheet"
TRACKING_BOOK = "tracking_book"
# Not one of Circular 01/2018's forms: the e-receipt of a fee paid (payments app).
PAYMENT_RECEIPT = "payment_receipt"


@dataclass(frozen=True, kw_only=True)
class FormSpec:
    key: str
    number: str
    title: str
    template: str
    paper: str

    @property
    def label(self) -> str:
        """ "Mẫu số 01" — how the form names itself in its top corner."""
        return f"Mẫu số {self.number}"


# key → (template, paper); Circular 01/2018 Art 9: A5 for all forms but the register (A4).
_LAYOUT: dict[str, tuple[str, str]] = {
    RECEIPT: ("documents/form_receipt.html", A5_PORTRAIT),
    SUPPLEMENT_REQUEST: ("documents/form_supplement_request.html", A5_PORTRAIT),
    REFUSAL: ("documents/form_refusal.html", A5_PORTRAIT),
    APOLOGY: ("documents/form_apology.html", A5_PORTRAIT),
    CONTROL_SHEET: ("documents/form_control_sheet.html", A5_PORTRAIT),
    TRACKING_BOOK: ("documents/form_tracking_book.html", A4_LANDSCAPE),
    PAYMENT_RECEIPT: ("documents/form_payment_receipt.html", A5_PORTRAIT),
}


def form_keys() -> tuple[str, ...]:
    return tuple(_LAYOUT)


def get_form(*, key: str) -> FormSpec:
    """The form with this stable key, numbered and titled as the settings say."""
    try:
        template, paper = _LAYOUT[key]
    except KeyError:
        raise LookupError(f"unknown form {key!r}") from None
    names = settings.MOTCUA_FORM_TITLES[key]
    return FormSpec(
        key=key,
        number=str(names["number"]),
        title=str(names["title"]),
        template=template,
        paper=paper,
    )


def form_by_number(*, number: str | int) -> FormSpec:
    """The form that currently carries this number ("01", "1" and 1 are the same)."""
    wanted = str(number).lstrip("0") or "0"
    for key in _LAYOUT:
        spec = get_form(key=key)
        if (spec.number.lstrip("0") or "0") == wanted:
            return spec
    raise LookupError(f"no form is numbered {number!r}")
