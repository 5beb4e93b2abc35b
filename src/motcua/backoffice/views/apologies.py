"""The apology register per unit and month, and the late dossiers still without an apology."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from .. import selectors
from ..access import officer_required
from ..forms import UnitMonthForm


@officer_required
def apology_register(request: HttpRequest) -> HttpResponse:
    scope = request.officer  # type: ignore[attr-defined]
    now = timezone.now()
    initial = {"month": timezone.localtime(now).strftime("%m/%Y")}
    form = UnitMonthForm(request.GET or None, scope=scope, initial=initial)
    context = {"form": form, "now": now, "apologies": None}
    if form.is_valid():
        unit = form.cleaned_data["unit"]
        year, month = form.period()
        context |= {
            "unit": unit,
            "period": f"{month:02d}/{year}",
            "apologies": selectors.apology_register(unit=unit, year=year, month=month),
            "late": list(selectors.late_without_apology(scope=scope, unit=unit, now=now)[:200]),
        }
    else:
        context["late"] = list(
            selectors.late_without_apology(scope=scope, unit=None, now=now)[:200]
        )
    return render(request, "backoffice/apologies.html", context)
