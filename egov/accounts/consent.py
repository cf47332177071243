"""Consent on record: the very text a person was shown, in the language they read it in.

What the person may then do with their data (a copy, erasure) is egov/privacy/.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .models import Consent

CONSENT_TEXTS = {
    "registration": gettext_noop(
        "The one-stop service centre processes your name, personal identification number and contact details to "
        "handle your dossiers and tell you about them, under the Law on Personal Data Protection (91/2025/QH15) and "
        "Decree 356/2025/NĐ-CP. You can download your data or ask for its erasure at any time."
    ),
    "application": gettext_noop(
        "To handle this dossier, the one-stop service centre and the agencies that take part in the procedure "
        "process the personal data in the form and the papers you send. They are used for this dossier only and kept "
        "for the retention period of the procedure, then removed, under the Law on Personal Data Protection "
        "(91/2025/QH15)."
    ),
}  # fmt: skip


def consent_text(purpose):
    return _(CONSENT_TEXTS[purpose])


def record_consent(user, purpose, reference=""):
    """Keep the very text the person was shown, in the language they read it in."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    return Consent.objects.create(
        user=user, purpose=purpose, text=consent_text(purpose), language=language, reference=str(reference)
    )


