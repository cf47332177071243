"""When the database is unreachable (restarting, failing over, locked), say so: 503 with
Retry-After, in JSON for the API and as a short page for people, instead of a bare 500.

The transaction of the request was rolled back, so nothing was half-written; a client that
retries after a few seconds (an Idempotency-Key makes a retried POST safe) gets through.
"""

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

RETRY_AFTER_SECONDS = 5


def unavailable_response(request):
    message = _("The service is briefly unavailable; please try again in a few seconds.")
    if request.path.startswith("/api/"):
        response = JsonResponse({"code": "unavailable", "detail": message}, status=503)
    else:
        try:
            body = render_to_string("unavailable.html", {"message": message})
        except DatabaseError:  # a context processor needed the database
            body = f"<!doctype html><title>503</title><p>{message}</p>"
        response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError | InterfaceError):
            return unavailable_response(request)
        return None
