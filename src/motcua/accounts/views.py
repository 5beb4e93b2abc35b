"""Account pages: sign up, sign in (throttled), sign out, profile; password reset uses Django's."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from . import oidc, services
from .forms import ProfileForm, SignInForm, SignUpForm

PASSWORD_BACKEND = "motcua.accounts.backends.LoginIdentifierBackend"  # noqa: S105


def _client_address(request: HttpRequest) -> str:
    # Behind a proxy, set the proxy to overwrite REMOTE_ADDR (e.g. gunicorn --forwarded-allow-ips).
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return settings.LOGIN_REDIRECT_URL


@sensitive_post_parameters("password1", "password2")
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = services.user_sign_up(
            kind=data["kind"],
            full_name=data["full_name"],
            password=data["password1"],
            email=data["email"],
            phone=data["phone"],
            citizen_id=data["citizen_id"],
            tax_code=data["tax_code"],
            organisation_name=data["organisation_name"],
        )
        login(request, user, backend=PASSWORD_BACKEND)
        messages.success(request, _("Đăng ký thành công. Chào mừng %(name)s!") % {"name": user})
        return HttpResponseRedirect(_safe_next(request))
    return render(
        request, "accounts/signup.html", {"form": form, "next": request.GET.get("next", "")}
    )


class SignInView(LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def _identifier(self) -> str:
        return self.request.POST.get("username", "")

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        if self.request.method == "POST":
            kwargs["blocked"] = services.signin_is_blocked(
                identifier=self._identifier(), address=_client_address(self.request)
            )
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["oidc_enabled"] = oidc.is_configured()
        context["oidc_name"] = settings.OIDC_PROVIDER_NAME
        return context

    def form_valid(self, form: SignInForm) -> HttpResponse:
        services.signin_failures_clear(identifier=self._identifier())
        return super().form_valid(form)

    def form_invalid(self, form: SignInForm) -> HttpResponse:
        if not form.blocked:
            services.signin_failure_record(
                identifier=self._identifier(), address=_client_address(self.request)
            )
        status = 429 if form.blocked else 200
        return self.render_to_response(self.get_context_data(form=form), status=status)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        services.user_update_profile(user=user, data=form.cleaned_data)
        messages.success(request, _("Đã lưu thông tin cá nhân."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})
