from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarConfig(AppConfig):
    """Working days, office hours and the legal clock (due dates, pauses)."""

    name = "egov.calendar"
    label = "calendar"
    verbose_name = _("Working-day calendar")

    def ready(self):
        from . import clock  # noqa: F401  (its signal handlers forget the remembered calendar)
