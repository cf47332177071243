"""A second factor for every account with power: TOTP (an authenticator app) plus recovery codes.

Power, not the kind of account, decides: whoever holds an active role at an agency, is
staff or superuser confirms the second factor. Until they have, they reach nothing but
the pages below and logout: ``StaffSecondFactorMiddleware`` sends them here first, for
pages and for the API used with the session alike (a personal API token is made only
after the same proof, egov/accounts/tokens.py).
"""

import base64
import io
import secrets

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from egov.audit.services import record

from .selectors import role_pairs

RECOVERY_CODES = 10
OPEN_PATHS = ("/accounts/2fa/", "/accounts/logout/", "/static/", "/i18n/", "/jsi18n/", "/healthz")


def needs_second_factor(user):
    if not getattr(user, "is_authenticated", False) or getattr(user, "kind", None) == "service":
        return False  # an app's service account authenticates with its API key instead
    return user.kind == "staff" or user.is_staff or user.is_superuser or bool(role_pairs(user))


class StaffSecondFactorMiddleware:
    """After django_otp's OTPMiddleware: staff sessions must be verified to go anywhere else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            getattr(settings, "EGOV_STAFF_2FA", True)
            and needs_second_factor(user)
            and not user.is_verified()
            and not request.path.startswith(OPEN_PATHS)
        ):
            if request.path.startswith("/api/"):
                from django.http import JsonResponse

                return JsonResponse({"code": "second_factor_required",
                                     "detail": _("Confirm your second factor first.")}, status=403)  # fmt: skip
            has_device = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
            target = reverse("accounts:2fa-verify" if has_device else "accounts:2fa-setup")
            return redirect(f"{target}?next={request.get_full_path()}")
        return self.get_response(request)


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Code"), max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )  # fmt: skip


def _next(request):
    target = request.POST.get("next") or request.GET.get("next") or reverse("after-login")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = reverse("after-login")
    return target


def _qr(device):
    out = io.BytesIO()
    segno.make(device.config_url, error="m").save(out, kind="svg", scale=5, border=2)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


@login_required
def setup(request):
    """Pair an authenticator app: scan the QR code, type the code it shows."""
    user = request.user
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect("accounts:2fa-verify")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or TOTPDevice.objects.create(
        user=user, name="authenticator", confirmed=False
    )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            with transaction.atomic():
                device.confirmed = True
                device.save()
                static, _created = StaticDevice.objects.get_or_create(user=user, name="recovery")
                static.token_set.all().delete()
                codes = [secrets.token_hex(4) for _ in range(RECOVERY_CODES)]
                for code in codes:
                    StaticToken.objects.create(device=static, token=code)
                record(user, "account.2fa_enabled", user)
            otp_login(request, device)
            return render(request, "accounts/2fa_codes.html", {"codes": codes, "next": _next(request)})
        form.add_error("token", _("This code is not right; check the time on your phone and try again."))
    return render(request, "accounts/2fa_setup.html", {
        "form": form, "qr": _qr(device), "secret": base64.b32encode(device.bin_key).decode(), "next": _next(request),
    }, status=400 if form.errors else 200)  # fmt: skip


@login_required
def verify(request):
    """Type the code of the authenticator app, or one of the recovery codes (each works once)."""
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"].strip())
        if device is not None:
            otp_login(request, device)
            record(request.user, "account.2fa_verified", request.user, note=device.__class__.__name__)
            return redirect(_next(request))
        record(request.user, "account.2fa_failed", request.user)
        form.add_error("token", _("This code is not right."))
    if request.method == "GET" and not needs_second_factor(request.user):
        messages.info(request, _("Your account does not need a second factor."))
    return render(request, "accounts/2fa_verify.html", {"form": form, "next": _next(request)},
                  status=400 if form.errors else 200)  # fmt: skip
