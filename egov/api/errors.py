"""Every API error is JSON with a machine-readable ``code`` and a human ``detail``.

Validation errors add ``errors``: ``{"field": ["message", ...]}``. Domain errors raised by
services (:class:`egov.common.errors.DomainError`) map to their HTTP status here, so
views stay thin.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from egov.common.errors import DomainError


def _as_field_errors(detail):
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    return {"non_field_errors": _flatten(detail)}


def _flatten(value):
    if isinstance(value, list):
        out = []
        for item in value:
            out.extend(_flatten(item) if isinstance(item, list | dict) else [str(item)])
        return out
    if isinstance(value, dict):
        return [f"{k}: {m}" for k, v in value.items() for m in _flatten(v)]
    return [str(value)]


def exception_handler(exc, context):
    if isinstance(exc, ValueError) and "NUL" in str(exc):
        # A NUL character in a JSON string value reaches the database driver (PostgreSQL refuses it).
        return Response({"code": "invalid", "detail": _("Text may not contain NUL characters.")}, status=400)
    if isinstance(exc, DomainError):
        body = {"code": exc.code, "detail": str(exc.message)}
        if exc.errors:
            body["errors"] = {key: _flatten(value) for key, value in exc.errors.items()}
        return Response(body, status=exc.status)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {
            "code": "invalid",
            "detail": _("The request has invalid fields."),
            "errors": _as_field_errors(exc.detail),
        }
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        code = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        if isinstance(code, list | dict):
            code = "error"
        response.data = {"code": code, "detail": str(detail)}
    if response.status_code == status.HTTP_429_TOO_MANY_REQUESTS and getattr(exc, "wait", None):
        response.data["retry_after"] = exc.wait
    return response
