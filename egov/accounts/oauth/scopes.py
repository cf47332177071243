"""What an app may ask a citizen for: the one vocabulary of OAuth scopes.

Each scope is the same power as a citizen's personal API token of the matching kind
(egov/accounts/models.py ``PersonalToken.Scope``): ``dossiers:read`` reads, like a read-only
token; ``dossiers:write`` reads and acts, like a read-write token. The words are what the
consent page and the account page show.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from oauth2_provider.scopes import BaseScopes


class AppScope(models.TextChoices):
    DOSSIERS_READ = (
        "dossiers:read",
        _("See your dossiers: their status, the papers you sent and the documents issued to you"),
    )
    DOSSIERS_WRITE = (
        "dossiers:write",
        _("Act on your dossiers for you: apply, upload papers, answer requests for more papers, pay and withdraw"),
    )


# Asked for when an app names no scope.
DEFAULT = [AppScope.DOSSIERS_READ.value]


def granted(scope_text):
    """The known scopes in a space-separated scope string, in the vocabulary's order."""
    named = set((scope_text or "").split())
    return [scope for scope in AppScope if scope.value in named]


def may_read(scope_text):
    return bool(granted(scope_text))


def may_write(scope_text):
    return AppScope.DOSSIERS_WRITE in granted(scope_text)


class Scopes(BaseScopes):
    """django-oauth-toolkit's scopes backend (``OAUTH2_PROVIDER["SCOPES_BACKEND_CLASS"]``)."""

    def get_all_scopes(self):
        return {scope.value: str(scope.label) for scope in AppScope}

    def get_available_scopes(self, application=None, request=None, *args, **kwargs):
        return list(AppScope.values)

    def get_default_scopes(self, application=None, request=None, *args, **kwargs):
        return list(DEFAULT)
