"""Logging in, registering with a one-time code, proving contacts, personal API tokens (and
the apps a citizen allowed to act for them, egov/accounts/oauth/).

Logout and password reset are Django's views (egov/accounts/urls.py).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from egov.common.ratelimit import Limit, client_address

from . import contacts
from .backends import login_addresses
from .consent import consent_text, record_consent
from .forms import AddressForm, CodeForm, ContactForm, LoginForm, RegistrationForm
from .identity import generated_username
from .models import ContactProof, User
from .services import create_citizen

PENDING = "egov_pending_account"  # the session key of an account registered, not yet proved


class LoginView(auth_views.LoginView):
    """Django's login, refused for a while to an address that failed too often (across
    accounts: password spraying); a single account's lockout is django-axes'."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm

    def post(self, request, *args, **kwargs):
        if login_addresses().exceeded(client_address(request)):
            return render(request, "accounts/locked_out.html", status=429)
        return super().post(request, *args, **kwargs)


def _safe_next(request, default):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def register(request):
    """A citizen account: name, e-mail and/or phone, password. It is used once a code sent to
    the e-mail or the phone proves the person reads it (verify_contact)."""
    form = RegistrationForm(request.POST or None)
    next_url = _safe_next(request, "")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = create_citizen(
                generated_username(), full_name=data["full_name"], email=data["email"], phone=data["phone"],
                personal_id=data["personal_id"], password=data["password1"],
            )  # fmt: skip
        except ValidationError as exc:
            for field, problems in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            record_consent(user, "registration")
            channel = ContactProof.Channel.PHONE if data["phone"] else ContactProof.Channel.EMAIL
            contacts.send_code(user, channel)
            request.session[PENDING] = user.pk
            return redirect(f"{_verify_url(channel)}&next={next_url}" if next_url else _verify_url(channel))
    return render(request, "accounts/register.html", {"form": form, "next": next_url,
                                                      "consent_text": consent_text("registration")},
                  status=400 if request.method == "POST" else 200)  # fmt: skip


def _verify_url(channel):
    from django.urls import reverse

    return f"{reverse('accounts:verify-contact')}?channel={channel}"


def verify_contact(request):
    """Type the code sent to the e-mail or phone: it is proved, and the person is logged in
    (a new account) or sees it on their account page."""
    user = request.user if request.user.is_authenticated else User.objects.filter(
        pk=request.session.get(PENDING), is_active=True).first()  # fmt: skip
    if user is None:
        return redirect("accounts:login")
    channel = request.POST.get("channel") or request.GET.get("channel") or ContactProof.Channel.EMAIL
    if channel not in ContactProof.Channel.values:
        channel = ContactProof.Channel.EMAIL
    form = CodeForm(request.POST or None)
    if request.method == "POST" and request.POST.get("action") == "resend":
        try:
            contacts.send_code(user, channel)
            messages.info(request, _("A new code is on its way."))
        except ValidationError as exc:
            messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))
        return redirect(f"{_verify_url(channel)}&next={_safe_next(request, '')}")
    if request.method == "POST" and form.is_valid():
        try:
            contacts.confirm(user, channel, form.cleaned_data["code"])
        except ValidationError as exc:
            for problems in exc.message_dict.values():
                form.add_error("code", problems)
        else:
            if not request.user.is_authenticated:
                request.session.pop(PENDING, None)
                login(request, user, backend="egov.accounts.backends.EmailOrPhoneBackend")
                if not user.has_usable_password():  # opened for them: a password they know, now
                    return redirect("accounts:set-password")
                return redirect(_safe_next(request, "portal:my-dossiers"))
            messages.success(request, _("Proved: it is now one of your logins and receives your messages."))
            return redirect("accounts:contacts")
    address = user.email if channel == ContactProof.Channel.EMAIL else user.phone
    return render(request, "accounts/verify_contact.html", {
        "form": form, "channel": channel, "address": address, "next": _safe_next(request, ""),
    }, status=400 if form.errors else 200)  # fmt: skip


@login_required
def account_contacts(request):
    """My e-mail and phone: what is proved, changing one (it must be proved again)."""
    user = request.user
    form = ContactForm(request.POST or None, initial={"email": user.email, "phone": user.phone})
    if request.method == "POST" and form.is_valid():
        changed = []
        for channel, field in ((ContactProof.Channel.EMAIL, "email"), (ContactProof.Channel.PHONE, "phone")):
            value = form.cleaned_data[field]
            if value and value != getattr(user, field):
                setattr(user, field, value)
                setattr(user, f"{field}_verified_at", None)
                changed.append(channel)
        if changed:
            user.save(update_fields=["email", "phone", "email_verified_at", "phone_verified_at"])
            try:
                contacts.send_code(user, changed[0])
            except ValidationError as exc:
                messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))
            return redirect(_verify_url(changed[0]))
    return render(request, "accounts/contacts.html", {"form": form, "account": user})


@login_required
def personal_tokens(request):
    """My API tokens: make one (shown once), revoke one. Staff reach this page only with their
    second factor confirmed (StaffSecondFactorMiddleware), which is the proof a token needs."""
    from . import tokens
    from .oauth.selectors import allowed_apps, may_authorise

    user = request.user
    made = None
    if request.method == "POST" and request.POST.get("action") == "revoke":
        token = user.personal_tokens.filter(prefix=request.POST.get("prefix", ""), revoked_at__isnull=True).first()
        if token is not None:
            tokens.revoke(token, user)
            messages.success(request, _("The token was revoked."))
        return redirect("accounts:tokens")
    if request.method == "POST" and request.POST.get("action") == "create":
        scope = "read" if request.POST.get("scope") == "read" else "write"
        verified = user.is_verified() if hasattr(user, "is_verified") else False
        try:
            made = tokens.mint(user, scope=scope, name=request.POST.get("name", "")[:100], verified=verified)
        except ValidationError as exc:
            messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))
    return render(request, "accounts/tokens.html", {
        "tokens": user.personal_tokens.filter(revoked_at__isnull=True), "made": made,
        "days": settings.EGOV_TOKEN_DAYS, "apps": allowed_apps(user) if may_authorise(user) else None,
    })  # fmt: skip


def code_login(request):
    """Sign in with a code sent to one's phone or e-mail: how a person whose account was
    opened for them (at the desk, by the e-ID or by another system) and who has no password
    gets in, then sets one. The answer never says whether an account has the address."""
    form = AddressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        channel, value = form.cleaned_data["channel"], form.cleaned_data["address"]
        address = client_address(request)
        if not code_logins().hit(address) or not code_logins().hit(f"{channel}:{value}"):
            return render(request, "accounts/locked_out.html", status=429)
        account = contacts.account_for_address(channel, value)
        if account is not None:
            try:
                contacts.send_code(account, channel, value)
            except ValidationError:
                pass  # too many codes: the answer stays the same
            request.session[PENDING] = account.pk
        return redirect(_verify_url(channel))
    return render(request, "accounts/code_login.html", {"form": form}, status=400 if form.errors else 200)


def code_logins():
    return Limit("code-login", settings.EGOV_LOGIN_ADDRESS_RATE)


@login_required
def set_password(request):
    """A password for an account that has none (opened at the desk, by the e-ID, by another
    system), or a new one (the current password is asked when there is one)."""
    from django.contrib.auth import update_session_auth_hash
    from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm

    form_class = PasswordChangeForm if request.user.has_usable_password() else SetPasswordForm
    form = form_class(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        messages.success(request, _("Your password is set: you can log in with your proved e-mail or phone."))
        return redirect("after-login")
    return render(request, "accounts/set_password.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def account(request):
    """My account: where each of its pages is (contacts, password, second factor, API tokens
    and apps, organisations, my data)."""
    from .organizations import filing_for
    from .two_factor import needs_second_factor

    return render(request, "accounts/account.html", {
        "organizations": filing_for(request.user).count(), "second_factor": needs_second_factor(request.user),
    })  # fmt: skip
