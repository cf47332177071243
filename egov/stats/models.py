"""Rollups: the figures of the national service index, kept per day, receiving unit, deciding
unit and procedure.

They are updated as events happen (one small upsert per event), so a dashboard over years
and a million dossiers reads a few thousand rows instead of scanning the dossiers.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

COUNTERS = [
    "received", "received_online", "received_in_person", "received_post", "received_api",
    "supplement_requested", "refused", "withdrawn", "completed_early", "completed_on_time", "completed_late",
    "working_days_total", "paid_online", "rating_count", "rating_sum", "rating_satisfied",
    "fees_paid",
]  # fmt: skip


class DailyFigure(models.Model):
    day = models.DateField(_("day"))
    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="+")  # receiving
    # The unit that decides the dossiers (the receiving unit when the procedure names none):
    # the national index ranks deciding units too, and a department deciding what the centre
    # receives has figures of its own.
    deciding_agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="+")
    procedure = models.ForeignKey("catalog.Procedure", on_delete=models.CASCADE, related_name="+")
    sector = models.ForeignKey("catalog.Sector", null=True, on_delete=models.SET_NULL, related_name="+")
    received = models.PositiveIntegerField(default=0)
    received_online = models.PositiveIntegerField(default=0)
    received_in_person = models.PositiveIntegerField(default=0)
    received_post = models.PositiveIntegerField(default=0)
    received_api = models.PositiveIntegerField(default=0)
    supplement_requested = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)
    withdrawn = models.PositiveIntegerField(default=0)
    completed_early = models.PositiveIntegerField(default=0)
    completed_on_time = models.PositiveIntegerField(default=0)
    completed_late = models.PositiveIntegerField(default=0)
    working_days_total = models.PositiveIntegerField(default=0)
    fees_paid = models.PositiveIntegerField(default=0)  # dossiers whose fee was paid, at the counter or online
    paid_online = models.PositiveIntegerField(default=0)
    rating_count = models.PositiveIntegerField(default=0)
    rating_sum = models.PositiveIntegerField(default=0)
    rating_satisfied = models.PositiveIntegerField(default=0)  # ratings of 4 or 5 of 5

    class Meta:
        verbose_name = _("daily figure")
        verbose_name_plural = _("daily figures")
        constraints = [models.UniqueConstraint(fields=["day", "agency", "deciding_agency", "procedure"],
                                               name="daily_figure_key")]  # fmt: skip
        indexes = [models.Index(fields=["agency", "day"], name="figure_agency_day_idx"),
                   models.Index(fields=["deciding_agency", "day"], name="figure_deciding_day_idx")]  # fmt: skip

    def __str__(self):
        return f"{self.day} {self.agency_id} {self.procedure_id}"


class CountedEvent(models.Model):
    """Events already counted: a redelivered event changes no figure."""

    event = models.OneToOneField("integrations.OutboxEvent", on_delete=models.CASCADE, primary_key=True)

    def __str__(self):
        return str(self.event_id)


class PeriodicReport(models.Model):
    """A statutory report of dossier handling for a month, quarter or year (egov/stats/reports.py),
    kept as made, with checksums like the documents: what was sent upward can be shown again."""

    period = models.CharField(_("period"), max_length=7)  # 2026-03, 2026-Q1, 2026
    # The unit's code, or "" for the whole province (a code, not a key: a report stays as sent).
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    generated_at = models.DateTimeField(_("made at"), auto_now=True)
    pdf = models.FileField(_("PDF"), upload_to="reports/")
    pdf_sha256 = models.CharField(max_length=64)
    xlsx = models.FileField(_("spreadsheet"), upload_to="reports/")
    xlsx_sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("periodic report")
        verbose_name_plural = _("periodic reports")
        constraints = [models.UniqueConstraint(fields=["period", "unit"], name="report_per_period_and_unit")]

    def __str__(self):
        return f"{self.period} {self.unit}".strip()
