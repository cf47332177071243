from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    """Sectors, procedures and their versioned definitions; import and export."""

    name = "egov.catalog"
    label = "catalog"
    verbose_name = _("Procedure catalogue")
