from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "egov.documents"
    verbose_name = _("Documents")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from egov.catalog.services import result_templates_from
        from egov.integrations.dispatch import register_consumer

        from .consumers import on_event
        from .selectors import result_template_slugs

        register_consumer(on_event)  # the documents an event makes
        result_templates_from(result_template_slugs)  # what a definition's result may name
