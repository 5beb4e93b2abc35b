"""Online submission (/nop-ho-so/<code>/): start a draft, then five steps, each saved to the draft.

1 applicant (pre-filled from the profile) · 2 e-form from the procedure's JSON Schema ·
3 one upload per required document, stored on the draft at once · 4 how to receive the result ·
5 review and submit. Any step can be revisited; a draft is resumable from "Hồ sơ của tôi".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from motcua.catalog.models import Procedure
from motcua.dossiers import services
from motcua.dossiers.constants import AttachmentKind, ResultDelivery
from motcua.dossiers.exceptions import DossierError, MissingDocuments, StaleDossier
from motcua.dossiers.models import Attachment, Dossier
from motcua.dossiers.selectors import dossier_get_draft_for_citizen, dossier_list_for_citizen
from motcua.orgs.models import Unit
from motcua.payments.selectors import invoice_open_of_dossier
from motcua.postal import selectors as postal_selectors
from motcua.postal import services as postal_services
from motcua.postal.constants import AddressPurpose
from motcua.postal.services import Address

from . import selectors
from .dossier_selectors import draft_list_for_citizen
from .eform import EForm, display_rows, is_complete, prefill
from .submission_forms import (
    ApplicantForm,
    DeliveryForm,
    PostalAddressForm,
    SubmitForm,
    delivery_choices,
)


@dataclass(frozen=True)
class Step:
    slug: str
    title: Any


STEPS = (
    Step("nguoi-nop", gettext_lazy("Thông tin người nộp")),
    Step("to-khai", gettext_lazy("Tờ khai")),
    Step("giay-to", gettext_lazy("Giấy tờ")),
    Step("nhan-ket-qua", gettext_lazy("Nhận kết quả")),
    Step("xem-lai", gettext_lazy("Xem lại và nộp")),
)
STEP_SLUGS = [s.slug for s in STEPS]


def _step_url(dossier: Dossier, slug: str) -> str:
    return reverse("portal:submit_step", args=[dossier.uuid, slug])


def _next_url(dossier: Dossier, slug: str) -> str:
    index = STEP_SLUGS.index(slug)
    return _step_url(dossier, STEP_SLUGS[min(index + 1, len(STEPS) - 1)])


def _fees_context(procedure: Procedure) -> dict[str, Any]:
    fees = list(procedure.fees.all())
    return {
        "fees": fees,
        "fee_bearing": any(f.amount or f.online_amount for f in fees),
        "fee_stage": procedure.fee_stage,
    }


def _render(
    request: HttpRequest,
    dossier: Dossier,
    slug: str,
    context: dict[str, Any],
    status: int = 200,
) -> HttpResponse:
    index = STEP_SLUGS.index(slug)
    base = {
        "dossier": dossier,
        "procedure": dossier.procedure,
        "steps": STEPS,
        "step": STEPS[index],
        "step_number": index + 1,
        "step_count": len(STEPS),
        "previous_url": _step_url(dossier, STEP_SLUGS[index - 1]) if index else "",
        "max_mb": settings.MOTCUA_MAX_UPLOAD_BYTES // (1024 * 1024),
        **_fees_context(dossier.procedure),
    }
    return render(request, f"portal/submit/step_{slug}.html", base | context, status=status)


def _receiving_units(procedure: Procedure) -> list[Unit]:
    return list(procedure.performing_units.filter(is_active=True).order_by("path"))


@login_required
@require_http_methods(["GET", "POST"])
def submit_start(request: HttpRequest, code: str) -> HttpResponse:
    procedure = selectors.procedure_get_published(code=code)
    if procedure is None:
        raise Http404(code)
    if not procedure.accepts_online:
        return render(
            request, "portal/submit/unavailable.html", {"procedure": procedure}, status=404
        )
    units = _receiving_units(procedure)
    context: dict[str, Any] = {
        "procedure": procedure,
        "units": units,
        "drafts": draft_list_for_citizen(user=request.user, procedure_id=procedure.pk),
        "steps": STEPS,
        **_fees_context(procedure),
    }
    if request.method == "POST":
        chosen = request.POST.get("unit", "")
        unit = next((u for u in units if u.code == chosen), None)
        if unit is None and len(units) == 1:
            unit = units[0]
        if unit is None:
            context["unit_error"] = (
                _("Vui lòng chọn cơ quan tiếp nhận hồ sơ.")
                if units
                else _("Thủ tục chưa có cơ quan tiếp nhận trực tuyến.")
            )
            return render(request, "portal/submit/start.html", context, status=200)
        applicant = services.Applicant.from_user(request.user)
        known = {
            "applicant_name": applicant.name,
            "applicant_citizen_id": applicant.citizen_id,
            "applicant_phone": applicant.phone,
            "applicant_email": applicant.email,
            "applicant_address": applicant.address,
            "applicant_tax_code": applicant.tax_code,
            "applicant_organisation": applicant.organisation,
        }
        try:
            dossier = services.dossier_create_draft(
                actor=request.user,
                procedure=procedure,
                receiving_unit=unit,
                applicant=applicant,
                form_data=prefill(procedure.form_schema or {}, known),
            )
        except DossierError as error:
            messages.error(request, str(error.message))
            return render(request, "portal/submit/start.html", context)
        return HttpResponseRedirect(_step_url(dossier, STEP_SLUGS[0]))
    return render(request, "portal/submit/start.html", context)


def _get_draft(request: HttpRequest, uuid: str) -> Dossier | HttpResponse:
    try:
        return dossier_get_draft_for_citizen(user=request.user, uuid=uuid)
    except DossierError:
        pass
    # A draft already submitted (the back button after submitting): to its page.
    submitted = (
        dossier_list_for_citizen(user=request.user).filter(uuid=uuid).exclude(code=None).first()
    )
    if submitted is not None:
        return HttpResponseRedirect(reverse("portal:my_dossier", args=[submitted.code]))
    raise Http404(uuid)


@login_required
@require_http_methods(["GET", "POST"])
def submit_step(request: HttpRequest, uuid: str, step: str) -> HttpResponse:
    if step not in STEP_SLUGS:
        raise Http404(step)
    found = _get_draft(request, uuid)
    if isinstance(found, HttpResponse):
        return found
    handler = {
        "nguoi-nop": _step_applicant,
        "to-khai": _step_eform,
        "giay-to": _step_documents,
        "nhan-ket-qua": _step_delivery,
        "xem-lai": _step_review,
    }[step]
    return handler(request, found)


def _save(request: HttpRequest, dossier: Dossier, **parts: Any) -> DossierError | None:
    try:
        services.dossier_update_draft(dossier=dossier, actor=request.user, **parts)
    except DossierError as error:
        return error
    return None


def _step_applicant(request: HttpRequest, dossier: Dossier) -> HttpResponse:
    slug = "nguoi-nop"
    if request.method == "POST":
        form = ApplicantForm(request.POST, kind=dossier.applicant_kind)
        if form.is_valid():
            error = _save(request, dossier, applicant=form.applicant())
            if error is None:
                return HttpResponseRedirect(_next_url(dossier, slug))
            form.add_error(None, str(error.message))
    else:
        form = ApplicantForm(
            initial=ApplicantForm.initial_for(dossier), kind=dossier.applicant_kind
        )
    return _render(request, dossier, slug, {"form": form})


def _step_eform(request: HttpRequest, dossier: Dossier) -> HttpResponse:
    slug = "to-khai"
    schema = dossier.procedure.form_schema or {}
    if not schema.get("properties"):
        if request.method == "POST":
            return HttpResponseRedirect(_next_url(dossier, slug))
        return _render(request, dossier, slug, {"form": None})
    if request.method == "POST":
        form = EForm(request.POST, schema=schema, initial_data=dossier.form_data)
        valid = form.is_valid()
        # What was typed is kept even when some of it is wrong: nothing entered is lost.
        error = _save(request, dossier, form_data=form.json_data)
        if error is not None:
            form.add_error(None, str(error.message))
        elif valid:
            return HttpResponseRedirect(_next_url(dossier, slug))
    else:
        form = EForm(schema=schema, initial_data=dossier.form_data)
    return _render(request, dossier, slug, {"form": form, "layout": form.layout()})


def _documents(dossier: Dossier, errors: dict[int, list[str]]) -> list[dict[str, Any]]:
    files: dict[int | None, list[Attachment]] = {}
    for attachment in dossier.attachments.filter(kind=AttachmentKind.APPLICATION).order_by("pk"):
        files.setdefault(attachment.required_document_id, []).append(attachment)
    return [
        {"doc": doc, "files": files.get(doc.pk, []), "errors": errors.get(doc.pk, [])}
        for doc in dossier.procedure.required_documents.order_by("order", "pk")
    ]


def _step_documents(request: HttpRequest, dossier: Dossier) -> HttpResponse:
    slug = "giay-to"
    errors: dict[int, list[str]] = {}
    if request.method == "POST":
        remove = request.POST.get("remove", "")
        if remove.isdigit():
            attachment = dossier.attachments.filter(pk=int(remove)).first()
            if attachment is None:
                raise Http404(remove)
            try:
                services.attachment_remove(attachment=attachment, actor=request.user)
                messages.success(
                    request, _("Đã gỡ tệp %(name)s.") % {"name": attachment.original_name}
                )
            except DossierError as error:
                messages.error(request, str(error.message))
            return HttpResponseRedirect(_step_url(dossier, slug))
        stored = 0
        for doc in dossier.procedure.required_documents.all():
            for upload in request.FILES.getlist(f"doc-{doc.pk}"):
                try:
                    services.attachment_add(
                        dossier=dossier,
                        actor=request.user,
                        kind=AttachmentKind.APPLICATION,
                        file=upload,
                        name=upload.name,
                        required_document=doc,
                    )
                    stored += 1
                except DossierError as error:
                    errors.setdefault(doc.pk, []).append(
                        _("Tệp “%(name)s”: %(message)s")
                        % {"name": upload.name, "message": error.message}
                    )
        if not errors and request.POST.get("action") == "next":
            missing = [doc for doc in dossier.procedure.required_documents.all() if doc.mandatory]
            attached = set(
                dossier.attachments.filter(kind=AttachmentKind.APPLICATION).values_list(
                    "required_document_id", flat=True
                )
            )
            for doc in missing:
                if doc.pk not in attached:
                    errors.setdefault(doc.pk, []).append(_("Cần đính kèm giấy tờ này."))
            if not errors:
                return HttpResponseRedirect(_next_url(dossier, slug))
        elif not errors:
            if stored:
                messages.success(request, _("Đã tải lên %(n)s tệp.") % {"n": stored})
            return HttpResponseRedirect(_step_url(dossier, slug))
    rows = _documents(dossier, errors)
    summary = [
        {"id": f"doc-{row['doc'].pk}", "label": row["doc"].name, "message": message}
        for row in rows
        for message in row["errors"]
    ]
    return _render(request, dossier, slug, {"documents": rows, "error_list": summary})


def _postal_forms(
    request: HttpRequest, dossier: Dossier, offer: selectors.PostalOffer
) -> dict[str, PostalAddressForm | None]:
    """The step's address forms, unbound: the saved address, else the profile's name and phone
    and the agency's province."""
    profile = {
        "name": request.user.full_name or dossier.applicant_name,
        "phone": request.user.phone or dossier.applicant_phone,
        "province": offer.home_province,
    }
    forms: dict[str, PostalAddressForm | None] = {}
    for purpose, offered in (
        (AddressPurpose.PICKUP, offer.pickup),
        (AddressPurpose.DELIVERY, offer.delivery),
    ):
        saved = postal_selectors.dossier_address(dossier=dossier, purpose=purpose)
        forms[purpose] = (
            PostalAddressForm(
                initial=PostalAddressForm.initial_for(saved=saved, **profile), prefix=purpose
            )
            if offered
            else None
        )
    return forms


def _posted_address_form(request: HttpRequest, purpose: str, *, check: bool) -> PostalAddressForm:
    """What was posted: checked (bound) when that part was chosen, else only kept as typed."""
    if check:
        return PostalAddressForm(request.POST, prefix=purpose)
    typed = {
        name: request.POST.get(f"{purpose}-{name}", "") for name in PostalAddressForm.base_fields
    }
    return PostalAddressForm(initial=typed, prefix=purpose)


def _postage_of(
    dossier: Dossier, offer: selectors.PostalOffer, form: PostalAddressForm | None
) -> int | None:
    """The postage for the province chosen in `form` (the page's script follows later choices)."""
    if form is None or not offer.any:
        return None
    province = form.value_of("province_code")
    if not province.isdigit():
        return None
    return postal_selectors.postage_for(unit=dossier.receiving_unit, province_code=province).amount


def _step_delivery(request: HttpRequest, dossier: Dossier) -> HttpResponse:
    slug = "nhan-ket-qua"
    procedure = dossier.procedure
    offer = selectors.postal_offer(procedure=procedure, unit=dossier.receiving_unit)
    if request.method == "POST":
        refresh = request.POST.get("action") == "wards"  # without JavaScript: lists follow
        by_post = offer.pickup and request.POST.get("by_post") == "1"
        postal_result = offer.delivery and request.POST.get("result_delivery") == "postal"
        if refresh:
            form = DeliveryForm(
                initial={"result_delivery": request.POST.get("result_delivery", "")},
                procedure=procedure,
                postal=offer.delivery,
            )
        else:
            form = DeliveryForm(request.POST, procedure=procedure, postal=offer.delivery)
        address_forms: dict[str, PostalAddressForm | None] = {
            AddressPurpose.PICKUP: _posted_address_form(
                request, AddressPurpose.PICKUP, check=by_post and not refresh
            )
            if offer.pickup
            else None,
            AddressPurpose.DELIVERY: _posted_address_form(
                request, AddressPurpose.DELIVERY, check=postal_result and not refresh
            )
            if offer.delivery
            else None,
        }
        pickup_form = address_forms[AddressPurpose.PICKUP]
        delivery_form = address_forms[AddressPurpose.DELIVERY]
        if not refresh:
            checks = [form.is_valid()]
            if by_post and pickup_form is not None:
                checks.append(pickup_form.is_valid())
            if postal_result and delivery_form is not None:
                checks.append(delivery_form.is_valid())
            if all(checks):
                error = _save_delivery(
                    request,
                    dossier,
                    offer,
                    result_delivery=form.cleaned_data["result_delivery"],
                    pickup=pickup_form.checked if by_post and pickup_form else None,
                    delivery=delivery_form.checked if postal_result and delivery_form else None,
                )
                if error is None:
                    return HttpResponseRedirect(_next_url(dossier, slug))
                form.add_error(None, str(error.message))
    else:
        allowed = {value for value, _label in delivery_choices(procedure, postal=offer.delivery)}
        current = dossier.result_delivery if dossier.result_delivery in allowed else ""
        form = DeliveryForm(
            initial={"result_delivery": current or ResultDelivery.IN_PERSON},
            procedure=procedure,
            postal=offer.delivery,
        )
        address_forms = _postal_forms(request, dossier, offer)
        pickup_form = address_forms[AddressPurpose.PICKUP]
        delivery_form = address_forms[AddressPurpose.DELIVERY]
        by_post = offer.pickup and (
            postal_selectors.dossier_address(dossier=dossier, purpose=AddressPurpose.PICKUP)
            is not None
        )
    return _render(
        request,
        dossier,
        slug,
        {
            "form": form,
            "error_list": _delivery_errors(form, pickup_form, delivery_form),
            "unit": dossier.receiving_unit,
            "offer": offer,
            "by_post": by_post,
            "pickup_form": pickup_form,
            "delivery_form": delivery_form,
            "pickup_postage": _postage_of(dossier, offer, pickup_form),
            "delivery_postage": _postage_of(dossier, offer, delivery_form),
        },
    )


def _delivery_errors(
    form: DeliveryForm,
    pickup_form: PostalAddressForm | None,
    delivery_form: PostalAddressForm | None,
) -> list[dict[str, Any]]:
    """One summary of the step's errors, each linked to its field (forms not checked: none)."""
    summary = [
        {"id": "step-title", "label": STEPS[3].title, "message": message}
        for message in form.non_field_errors()
    ]
    summary += [
        {"id": field.auto_id, "label": field.label, "message": message}
        for field in form
        for message in field.errors
    ]
    for purpose, address_form in (
        (AddressPurpose.PICKUP, pickup_form),
        (AddressPurpose.DELIVERY, delivery_form),
    ):
        if address_form is None or not address_form.is_bound:
            continue
        summary += [
            {"id": "step-title", "label": AddressPurpose(purpose).label, "message": message}
            for message in address_form.non_field_errors()
        ]
        summary += [
            {
                "id": field.auto_id,
                "label": f"{AddressPurpose(purpose).label} · {field.label}",
                "message": message,
            }
            for field in address_form
            for message in field.errors
        ]
    return summary


def _save_delivery(
    request: HttpRequest,
    dossier: Dossier,
    offer: selectors.PostalOffer,
    *,
    result_delivery: str,
    pickup: Address | None,
    delivery: Address | None,
) -> DossierError | None:
    if not offer.any:
        return _save(request, dossier, result_delivery=result_delivery, delivery_address="")
    try:
        postal_services.draft_postal_save(
            dossier=dossier,
            actor=request.user,
            result_delivery=result_delivery,
            pickup=pickup,
            delivery=delivery,
        )
    except DossierError as error:
        return error
    return None


def _review_context(dossier: Dossier) -> dict[str, Any]:
    schema = dossier.procedure.form_schema or {}
    has_eform = bool(schema.get("properties"))
    rows = _documents(dossier, {})
    missing = [row["doc"] for row in rows if row["doc"].mandatory and not row["files"]]
    applicant_ok = bool(dossier.applicant_name and dossier.applicant_phone)
    eform_ok = is_complete(schema, dossier.form_data or {})
    offer = selectors.postal_offer(procedure=dossier.procedure, unit=dossier.receiving_unit)
    addresses = {
        a.purpose: a
        for a in postal_selectors.dossier_addresses(dossier=dossier)
        if (a.purpose == AddressPurpose.PICKUP and offer.pickup)
        or (a.purpose == AddressPurpose.DELIVERY and offer.delivery)
    }
    pickup = addresses.get(AddressPurpose.PICKUP)
    delivery = addresses.get(AddressPurpose.DELIVERY)
    # A result by post needs its address from the list (a draft from before may lack it).
    delivery_ok = not (
        offer.delivery and dossier.result_delivery == ResultDelivery.POSTAL and delivery is None
    )
    return {
        "offer": offer,
        "pickup_address": pickup,
        "delivery_postal_address": delivery,
        "pickup_postage": _postage_of_address(dossier, pickup),
        "delivery_postage": _postage_of_address(dossier, delivery)
        if dossier.result_delivery == ResultDelivery.POSTAL
        else None,
        "delivery_ok": delivery_ok,
        "has_eform": has_eform,
        "form_rows": display_rows(schema, dossier.form_data or {}) if has_eform else [],
        "eform_ok": eform_ok,
        "applicant_ok": applicant_ok,
        "documents": rows,
        "missing": missing,
        "ready": eform_ok and applicant_ok and delivery_ok and not missing,
        "submit_form": SubmitForm(initial={"version": dossier.version}),
    }


def _postage_of_address(dossier: Dossier, address: Any) -> postal_selectors.Postage | None:
    if address is None:
        return None
    return postal_selectors.postage_for(
        unit=dossier.receiving_unit, province_code=address.province_code
    )


def _step_review(request: HttpRequest, dossier: Dossier) -> HttpResponse:
    slug = "xem-lai"
    context = _review_context(dossier)
    if request.method == "POST":
        form = SubmitForm(request.POST)
        if not context["ready"]:
            messages.error(
                request, _("Hồ sơ chưa đủ để nộp: vui lòng hoàn thiện các mục được đánh dấu.")
            )
            return _render(request, dossier, slug, context, status=200)
        if form.is_valid():
            try:
                submitted = services.dossier_submit(
                    dossier=dossier,
                    actor=request.user,
                    # The papers come by post when the citizen gave where to pick them up.
                    by_post=context["pickup_address"] is not None,
                    expected_version=form.cleaned_data["version"],
                )
            except StaleDossier:
                messages.error(
                    request,
                    _("Hồ sơ vừa được thay đổi ở cửa sổ khác. Vui lòng xem lại rồi nộp lại."),
                )
                return HttpResponseRedirect(_step_url(dossier, slug))
            except MissingDocuments as error:
                messages.error(
                    request,
                    _("Hồ sơ còn thiếu: %(names)s.")
                    % {"names": "; ".join(error.details.get("missing", []))},
                )
                return HttpResponseRedirect(_step_url(dossier, "giay-to"))
            except DossierError as error:
                messages.error(request, str(error.message))
                return HttpResponseRedirect(_step_url(dossier, slug))
            invoice = invoice_open_of_dossier(dossier_id=submitted.pk)
            if invoice is not None:  # the fees fall due at submission: pay first
                return HttpResponseRedirect(reverse("portal:payment", args=[invoice.reference]))
            return HttpResponseRedirect(reverse("portal:receipt", args=[submitted.code]))
    return _render(request, dossier, slug, context)
