from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from egov.audit.admin_changes import AuditedAdmin
from egov.audit.services import record

from .models import CalendarDay, CalendarYear
from .services import seed_year


@admin.register(CalendarDay)
class CalendarDayAdmin(AuditedAdmin, admin.ModelAdmin):
    """Add a day off, add a working day (a swapped Saturday), or remove a holiday.

    To remove a seeded holiday, tick "working day" on it rather than deleting the row, so
    a later re-seed does not bring it back.
    """

    list_display = ["date", "weekday", "is_working_day", "name", "source"]
    list_filter = ["is_working_day", "source"]
    search_fields = ["name"]
    date_hierarchy = "date"
    fields = ["date", "is_working_day", "name", "source"]
    readonly_fields = ["source"]

    @admin.display(description=_("weekday"))
    def weekday(self, obj):
        return obj.date.strftime("%a")

    def save_model(self, request, obj, form, change):
        obj.source = CalendarDay.Source.MANUAL
        super().save_model(request, obj, form, change)
        record(request.user, "calendar.day_set", obj, after={"is_working_day": obj.is_working_day, "name": obj.name})

    def delete_model(self, request, obj):
        record(
            request.user, "calendar.day_deleted", obj, before={"is_working_day": obj.is_working_day, "name": obj.name}
        )
        super().delete_model(request, obj)


@admin.register(CalendarYear)
class CalendarYearAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["year", "seeded_at"]
    actions = ["reseed"]

    @admin.action(description=_("Seed again from the holidays package (manual edits are kept)"))
    def reseed(self, request, queryset):
        for year in queryset:
            seed_year(year.year)
