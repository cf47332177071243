from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarDay(models.Model):
    """A date whose status is not simply "Monday to Friday work, weekend off".

    Holidays (days off), swapped working Saturdays (working days) and holidays an
    administrator removed (a weekday row marked as a working day) all live here. Rows
    seeded from the ``holidays`` package are marked so; rows edited by hand are marked
    ``manual`` and a re-seed never overwrites them.
    """

    class Source(models.TextChoices):
        SEED = "seed", _("Seeded from the holidays package")
        MANUAL = "manual", _("Edited by an administrator")

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(
        _("working day"),
        default=False,
        help_text=_("Ticked: a working day (e.g. a swapped Saturday, or a removed holiday). Not ticked: a day off."),
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.MANUAL)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self):
        kind = _("working day") if self.is_working_day else _("day off")
        return f"{self.date:%Y-%m-%d} · {kind} · {self.name}"


class CalendarYear(models.Model):
    """Marks a year as seeded from the ``holidays`` package, so it is seeded only once."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    seeded_at = models.DateTimeField(_("seeded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("seeded year")
        verbose_name_plural = _("seeded years")
        ordering = ["year"]

    def __str__(self):
        return str(self.year)
