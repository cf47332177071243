from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The append-only audit trail every service writes to."""

    name = "egov.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self):
        from . import checks  # noqa: F401  (registers the deploy check)
