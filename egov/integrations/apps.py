from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "egov.integrations"
    verbose_name = _("Integrations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .dispatch import register_consumer
        from .webhooks import on_event

        register_consumer(on_event)  # the webhooks an event is posted to
        # A process that runs its tasks eagerly has no worker to relay its events: it relays
        # them itself, at commit (egov/integrations/relay.py). Workers start theirs in
        # egov/celery.py.
        if settings.CELERY_TASK_ALWAYS_EAGER:
            from .relay import InlineRelay, start_relay

            start_relay(InlineRelay())
