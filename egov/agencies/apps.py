from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    """The agency tree of a province, with national unit codes and their history."""

    name = "egov.agencies"
    label = "agencies"
    verbose_name = _("Agencies")
