"""Errors the services raise; the API and the pages translate them to HTTP answers."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    status = 400
    code = "invalid"
    default_message = _("The request cannot be carried out.")

    def __init__(self, message=None, *, code=None, errors=None):
        self.message = message or self.default_message
        if code:
            self.code = code
        self.errors = errors or {}
        super().__init__(str(self.message))


class InvalidInput(DomainError):
    """Bad input: nothing was changed."""

    status = 400
    code = "invalid"
    default_message = _("The request has invalid fields.")


class NotAllowed(DomainError):
    """The user may see the object but not do this to it."""

    status = 403
    code = "permission_denied"
    default_message = _("You are not allowed to do this.")


class NotFound(DomainError):
    """Unknown, or not visible to this user: the two are never told apart."""

    status = 404
    code = "not_found"
    default_message = _("Not found.")


class Conflict(DomainError):
    """The object changed under the request (someone else acted first)."""

    status = 409
    code = "conflict"
    default_message = _("Someone else changed this first; reload and try again.")
