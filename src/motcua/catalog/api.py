"""API v1 router of the catalogue: `procedures` (public, no key), searched as the portal does.
Mounted by motcua.integration.api."""

from __future__ import annotations

import math
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest
from ninja import Query, Router

from motcua.integration import schemas as s
from motcua.integration.apikit import ERRORS
from motcua.integration.errors import NotFound
from motcua.portal.selectors import (
    SearchFilters,
    procedure_get_published,
    procedure_search_queryset,
)

procedures_router = Router(tags=["procedures / thủ tục"])
PROCEDURE_PAGE_SIZE = 20


def _procedure(procedure: Any) -> dict[str, Any]:
    return {
        "code": procedure.code,
        "name": procedure.name,
        "field": procedure.field.name,
        "gov_level": procedure.gov_level,
        "online_level": procedure.online_level,
        "mode": procedure.mode,
        "processing_time": procedure.processing_time,
        "time_unit": procedure.time_unit,
    }


@procedures_router.get(
    "", response={200: s.ProcedurePageOut, **ERRORS}, auth=None, operation_id="procedure_list"
)
def procedure_list(
    request: HttpRequest,
    q: str = Query("", max_length=200, description="Từ khoá, không dấu cũng được / Search words"),
    field: str = Query("", max_length=32, description="Mã lĩnh vực / Field code"),
    agency: str = Query("", max_length=32, description="Mã cơ quan / Agency code"),
    gov_level: str = Query("", max_length=16, description="province / district / commune"),
    online_level: int | None = Query(None, ge=1, le=4, description="Mức độ 1–4 / Online level"),
    page: int = Query(1, ge=1, le=100000, description="Trang / Page"),
) -> dict[str, Any]:
    """Tìm thủ tục như trên cổng (không phân biệt dấu) / Search the catalogue as the portal does."""
    filters = SearchFilters(
        q=q, field=field, agency=agency, gov_level=gov_level, online_level=online_level
    )
    qs = procedure_search_queryset(filters=filters).select_related("field")
    if agency:
        qs = qs.distinct()
    paginator = Paginator(qs, PROCEDURE_PAGE_SIZE)
    current = paginator.get_page(page)
    return {
        "items": [_procedure(p) for p in current.object_list],
        "count": paginator.count,
        "page": current.number,
        "pages": max(1, math.ceil(paginator.count / PROCEDURE_PAGE_SIZE)),
    }


@procedures_router.get(
    "/{code}",
    response={200: s.ProcedureDetailOut, **ERRORS},
    auth=None,
    operation_id="procedure_detail",
)
def procedure_detail(request: HttpRequest, code: str) -> dict[str, Any]:
    """Một thủ tục đã công khai / One published procedure."""
    procedure = procedure_get_published(code=code)
    if procedure is None:
        raise NotFound(details={"procedure": code})
    data = _procedure(procedure)
    data.update(
        {
            "steps": procedure.steps,
            "methods": procedure.methods,
            "applicants": procedure.applicants,
            "requirements": procedure.requirements,
            "result": procedure.result,
            "legal_basis": procedure.legal_basis,
            "accepts_postal_pickup": procedure.accepts_postal_pickup,
            "accepts_postal_return": procedure.accepts_postal_return,
            "agencies": [u.code for u in procedure.performing_units.all()],
            "fees": [
                {"name": f.name, "amount": f.amount, "online_amount": f.online_amount}
                for f in procedure.fees.all()
            ],
            "required_documents": [
                {
                    "id": d.pk,
                    "name": d.name,
                    "originals": d.originals,
                    "copies": d.copies,
                    "mandatory": d.mandatory,
                }
                for d in procedure.required_documents.all()
            ],
        }
    )
    return data
