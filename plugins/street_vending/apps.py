from django.apps import AppConfig


class StreetVendingConfig(AppConfig):
    """A transport-department app: permits to sell on the pavement, as a plug-in.

    It contributes a procedure, its result template and an event handler that keeps the
    city's pavement map up to date when a permit is issued.
    """

    name = "plugins.street_vending"
    label = "street_vending"
    verbose_name = "Street vending permits"
    default_auto_field = "django.db.models.BigAutoField"

    egov_procedures = "procedures"
    egov_event_consumers = ["plugins.street_vending.handlers.on_event"]
    egov_privacy_stores = ["plugins.street_vending.privacy.PavementPermits"]
