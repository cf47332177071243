"""Logins, logouts and failed logins go to the audit trail (who, from where)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from egov.audit.services import record
from egov.common.ratelimit import client_address

from .backends import account_for_login, login_addresses


def _address(request):
    return client_address(request) if request is not None and hasattr(request, "META") else ""


@receiver(user_logged_in)
def logged_in(sender, request, user, **kwargs):
    record(user, "account.login", user, note=_address(request))


@receiver(user_logged_out)
def logged_out(sender, request, user, **kwargs):
    if user is not None:
        record(user, "account.logout", user, note=_address(request))


@receiver(user_login_failed)
def login_failed(sender, credentials, request=None, **kwargs):
    if request is not None:  # counted per client address too (views.LoginView)
        login_addresses().hit(client_address(request))
    # The account the login names, by its key; never what was typed (an e-mail address, a
    # phone number: the trail cannot be rewritten when its owner asks for erasure) nor the password.
    account = account_for_login(str(credentials.get("username", "")))
    record(None, "account.login_failed", account, after={"account_known": account is not None},
           note=_address(request))  # fmt: skip
