from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Personal data: a copy for the person, erasure on request, the retention periods."""

    name = "egov.privacy"
    label = "privacy"
    verbose_name = _("Personal data")
