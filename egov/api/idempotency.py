"""Idempotent POSTs: a client that repeats a POST with the same ``Idempotency-Key`` header
(after a timeout, a lost connection) gets the first answer again instead of a second effect.

Keys are per user and kept for 24 hours. The same key with a different request body is an
error (422); a repeat while the first is still running gets 409.
"""

import datetime
import hashlib
import json

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.response import Response

from .models import IdempotentRequest

KEEP = datetime.timedelta(hours=24)
HEADER = "Idempotency-Key"


def _fingerprint(request):
    body = request.body if request.content_type != "multipart/form-data" else b""
    return hashlib.sha256(f"{request.method} {request.path}\n".encode() + body).hexdigest()


class IdempotentPostMixin:
    """For viewsets: honour ``Idempotency-Key`` on POST."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self._idempotent = None
        key = request.headers.get(HEADER)
        if request.method != "POST" or not key or not request.user.is_authenticated:
            return
        key = key.strip()[:200]
        fingerprint = _fingerprint(request._request)
        IdempotentRequest.objects.filter(created_at__lt=timezone.now() - KEEP).delete()
        try:
            with transaction.atomic():
                self._idempotent = IdempotentRequest.objects.create(user=request.user, key=key, fingerprint=fingerprint)
        except IntegrityError:
            raise _Replay(IdempotentRequest.objects.get(user=request.user, key=key))

    def handle_exception(self, exc):
        if isinstance(exc, _Replay):
            return self._replay_answer(exc.previous)
        return super().handle_exception(exc)

    def _replay_answer(self, previous):
        if previous.fingerprint != _fingerprint(self.request._request):
            return Response({"code": "idempotency_key_reused",
                             "detail": str(_("This Idempotency-Key was used for a different request."))}, status=422)
        if previous.status is None:
            return Response({"code": "conflict", "detail": str(_("The first request with this key is still running."))},
                            status=409)  # fmt: skip
        answer = Response(previous.body, status=previous.status)
        answer["Idempotent-Replayed"] = "true"
        return answer

    def finalize_response(self, request, response, *args, **kwargs):
        record = getattr(self, "_idempotent", None)
        if record is not None and response.status_code < 500:
            record.status = response.status_code
            record.body = json.loads(json.dumps(getattr(response, "data", None), default=str))
            record.save(update_fields=["status", "body"])
        elif record is not None:
            record.delete()  # a server error may be retried with the same key
        return super().finalize_response(request, response, *args, **kwargs)


class _Replay(Exception):
    def __init__(self, previous):
        self.previous = previous
