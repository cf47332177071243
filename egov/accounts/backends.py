"""Logging in with a password, by username, a proved e-mail address or a proved phone number.

Whatever spelling reaches an account (upper case, the e-mail, the phone as +84… or with
spaces) is one account: the lockout counts failures against the account itself
(``lockout_key``, django-axes), so a locked account cannot be entered through another
spelling. An e-mail address or phone number nobody proved logs nobody in.
"""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend

from egov.common.ratelimit import Limit

from .models import User
from .validators import normalise_email, normalise_phone


def account_for_login(login):
    """The account a typed login names, or None (none, or not one)."""
    login = (login or "").strip()
    if not login:
        return None
    by_username = list(User._default_manager.filter(username__iexact=login)[:2])
    if "@" in login:
        by_contact = User._default_manager.filter(email=normalise_email(login), email_verified_at__isnull=False)
    elif normalise_phone(login).isdigit():
        by_contact = User._default_manager.filter(phone=normalise_phone(login), phone_verified_at__isnull=False)
    else:
        by_contact = User._default_manager.none()
    candidates = {user.pk: user for user in [*by_username, *by_contact[:2]]}
    return next(iter(candidates.values())) if len(candidates) == 1 else None


def login_addresses():
    """Failed logins per client address (EGOV_LOGIN_ADDRESS_RATE): one address trying
    passwords across many accounts is stopped (views.LoginView); counted by signals.py."""
    return Limit("login-address", settings.EGOV_LOGIN_ADDRESS_RATE)


def lockout_key(request, credentials):
    """What django-axes counts failures against: the account the login names, else the
    login folded (unknown names are throttled too, without telling whether they exist)."""
    login = (credentials or {}).get("username", "") if isinstance(credentials, dict) else ""
    account = account_for_login(login)
    if account is not None:
        return f"account:{account.pk}"
    return normalise_email(login) if "@" in login else normalise_phone(login).lower()


class EmailOrPhoneBackend(ModelBackend):
    """Log in with a username, a proved e-mail address or a proved phone number, and a password."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if not username or password is None:
            return None
        user = account_for_login(username)
        if user is None:
            # Run the hasher anyway so timing does not tell whether the account exists.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
