from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "egov.stats"
    verbose_name = _("Statistics")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from egov.integrations.dispatch import register_consumer

        from .rollups import on_event

        register_consumer(on_event)  # the figures an event adds to
