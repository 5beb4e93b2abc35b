"""The officers' search over dossiers: one normalised column, every query word must match.

`Dossier.search_text` holds the code and the applicant's identifying fields, lower case, without
diacritics, `đ` as `d` (catalog.search.normalise), so "nguyen van hung" finds "Nguyễn Văn Hùng"
and "DANG" finds "Đặng". The services that set or change those fields recompute it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from motcua.catalog.search import normalise

# The fields an officer searches by: the code (also the national portal's), who applied, their IDs.
SEARCH_FIELDS: tuple[str, ...] = (
    "code",
    "external_code",
    "applicant_name",
    "applicant_organisation",
    "applicant_citizen_id",
    "applicant_tax_code",
    "applicant_phone",
)


def search_text_for(dossier: Any) -> str:
    """The normalised search text of a dossier (or of a historical model row in a migration)."""
    return normalise(" ".join(str(getattr(dossier, name, "") or "") for name in SEARCH_FIELDS))


def search_condition(query: str) -> Q:
    """Every word of `query` must occur somewhere in the search text (AND of substrings)."""
    condition = Q()
    for word in normalise(query).split():
        condition &= Q(search_text__contains=word)
    return condition
