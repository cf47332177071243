from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CalendarConfig(AppConfig):
    """Working days, office hours and the legal clock (due dates, pauses)."""

    name = "egov.calendar"
    label = "calendar"
    verbose_name = _("Working-day calendar")

    def ready(self):
        # A database that has just been migrated (or emptied by a test) knows this year's and
        # next year's holidays before any due date is computed; beat keeps it so (daily).
        post_migrate.connect(_seed_coming_years, sender=self)


def _seed_coming_years(sender, using="default", **kwargs):
    from .services import seed_coming_years

    seed_coming_years()
