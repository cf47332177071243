from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "egov.payments"
    verbose_name = _("Payments")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from egov.integrations.dispatch import register_consumer

        from . import checks  # noqa: F401 (registers the providers' configuration check)
        from .consumers import on_event

        register_consumer(on_event)  # refunds owed when a paid dossier is refused or withdrawn
