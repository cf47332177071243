"""SMS providers behind one interface.

``file`` (the embedded default) appends each message to var/sms/outbox.log, so a demo sees
what would be sent. ``http`` posts to the operator's gateway: endpoint, credentials and the
body format come from settings, so a province plugs in its contracted provider without code.
"""

import json
import logging

import requests
from django.conf import settings
from django.utils import timezone

from egov.common.text_search import strip_diacritics

logger = logging.getLogger(__name__)


class SmsError(RuntimeError):
    pass


class FileProvider:
    def send(self, phone, text):
        folder = settings.VAR_DIR / "sms"
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / "outbox.log", "a", encoding="utf-8") as out:
            out.write(f"{timezone.now().isoformat()}\t{phone}\t{text}\n")


class HttpProvider:
    """POST to ``EGOV_SMS_URL`` with ``EGOV_SMS_BODY`` (a JSON template with {phone}, {text},
    {sender}) and ``Authorization: Bearer EGOV_SMS_TOKEN``; a 2xx answer means accepted."""

    def send(self, phone, text):
        if settings.EGOV_SMS_ASCII:
            text = strip_diacritics(text)
        template = json.loads(settings.EGOV_SMS_BODY)
        body = {key: (value.format(phone=phone, text=text, sender=settings.EGOV_SMS_SENDER)
                      if isinstance(value, str) else value) for key, value in template.items()}  # fmt: skip
        headers = {"Authorization": f"Bearer {settings.EGOV_SMS_TOKEN}"} if settings.EGOV_SMS_TOKEN else {}
        try:
            answer = requests.post(settings.EGOV_SMS_URL, json=body, headers=headers, timeout=10)
        except requests.RequestException as exc:
            raise SmsError(str(exc)) from exc
        if not 200 <= answer.status_code < 300:
            raise SmsError(f"gateway answered {answer.status_code}: {answer.text[:200]}")


def get_sms_provider():
    return HttpProvider() if settings.EGOV_SMS_PROVIDER == "http" else FileProvider()
