from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "egov.notifications"
    verbose_name = _("Notifications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from egov.integrations.dispatch import register_consumer

        from .services import on_event

        register_consumer(on_event)  # who hears about an event
