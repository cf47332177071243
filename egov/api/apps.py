from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The REST API v1 (routers, errors, OpenAPI)."""

    name = "egov.api"
    label = "api"
    verbose_name = _("REST API")
    egov_privacy_stores = ["egov.api.privacy.IdempotentReplies"]
