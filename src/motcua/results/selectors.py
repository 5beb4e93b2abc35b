"""Reads of the e-results, scoped to who asks: the owner, the tracking page's second factor, an
API client in scope, or the public verification (which sees only what a result's holder sees)."""

from __future__ import annotations

from django.db.models import QuerySet

from motcua.dossiers.models import Dossier
from motcua.dossiers.workflow import staff_roles_for
from motcua.orgs.constants import Role

from .models import ResultDocument


def _with_relations(qs: QuerySet[ResultDocument]) -> QuerySet[ResultDocument]:
    return qs.select_related("dossier", "unit", "supersedes", "superseded_by")


def result_get_by_code(*, code: str) -> ResultDocument | None:
    code = (code or "").strip().upper()
    if not code:
        return None
    return _with_relations(ResultDocument.objects.filter(code=code)).first()


def result_get_by_sha256(*, sha256: str) -> ResultDocument | None:
    return _with_relations(ResultDocument.objects.filter(sha256=sha256)).order_by("pk").first()


def results_of_dossier(*, dossier: Dossier) -> list[ResultDocument]:
    """Every version issued for the dossier, in order."""
    return list(_with_relations(ResultDocument.objects.filter(dossier=dossier)).order_by("number"))


def current_results_of_dossier(*, dossier: Dossier) -> list[ResultDocument]:
    return list(
        _with_relations(ResultDocument.objects.filter(dossier=dossier, is_current=True)).order_by(
            "number"
        )
    )


def result_current_of_dossier(
    *, dossier: Dossier, code: str | None = None
) -> ResultDocument | None:
    """The current result with `code`, or (without) the dossier's first current result."""
    qs = ResultDocument.objects.filter(dossier=dossier)
    if code:
        return _with_relations(qs.filter(code=code.strip().upper())).first()
    return _with_relations(qs.filter(is_current=True)).order_by("number").first()


def result_of_dossier(*, dossier: Dossier, code: str) -> ResultDocument | None:
    """Any version (current or superseded) issued for the dossier under `code`: the back office
    keeps every version readable."""
    code = (code or "").strip().upper()
    if not code:
        return None
    return _with_relations(ResultDocument.objects.filter(dossier=dossier, code=code)).first()


# Who may correct an issued result: the leaders who approve (dossiers.workflow's approve).
CORRECTING_ROLES = frozenset({Role.UNIT_LEADER})


def result_correctable_by(*, user, dossier: Dossier) -> bool:  # type: ignore[no-untyped-def]
    """Whether `user` holds the approving authority over the dossier (a unit leader of its
    receiving unit or its current step's unit), the authority `result_correct` checks."""
    return bool(staff_roles_for(user=user, dossier=dossier) & CORRECTING_ROLES)
