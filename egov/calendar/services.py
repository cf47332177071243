"""Writes to the calendar: seeding years from the ``holidays`` package and manual edits."""

import datetime
import logging
import re

import holidays
from django.db import IntegrityError, transaction
from django.utils import timezone

from egov.audit.services import record

from .models import CalendarDay, CalendarYear

logger = logging.getLogger(__name__)

# holidays names a moved day off "Day off (substituted from MM/DD/YYYY)": the date it was
# moved from is a Saturday that becomes a working day.
_SUBSTITUTED_RE = re.compile(r"substituted from (\d{2})/(\d{2})/(\d{4})")


def holidays_of_year(year):
    """(date, is_working_day, Vietnamese name) for a year, from the ``holidays`` package."""
    names_vi = holidays.country_holidays("VN", years=year, language="vi")
    names_en = holidays.country_holidays("VN", years=year, language="en_US")
    rows = []
    for day, name_en in sorted(names_en.items()):
        rows.append((day, False, names_vi.get(day) or name_en))
        for month, dom, swapped_year in _SUBSTITUTED_RE.findall(name_en):
            swapped = datetime.date(int(swapped_year), int(month), int(dom))
            rows.append((swapped, True, f"Ngày làm việc bù cho ngày {day:%d/%m/%Y}"))
    return rows


def seed_year(year):
    """Seed one year; rows an administrator edited are never overwritten. Idempotent."""
    with transaction.atomic():
        existing = set(CalendarDay.objects.filter(date__year=year).values_list("date", flat=True))
        CalendarDay.objects.bulk_create(
            [
                CalendarDay(date=day, is_working_day=working, name=name[:200], source=CalendarDay.Source.SEED)
                for day, working, name in holidays_of_year(year)
                if day not in existing and day.year == year
            ]
        )
        CalendarYear.objects.get_or_create(year=year)


def seed_coming_years(today=None):
    """This year and the next, unless seeded already: what the due dates of the coming
    months need (run by migrate, by the daily beat entry and by ``seed_calendar``)."""
    today = today or timezone.localdate()
    wanted = [today.year, today.year + 1]
    seeded = set(CalendarYear.objects.filter(year__in=wanted).values_list("year", flat=True))
    for year in wanted:
        if year not in seeded:
            try:
                seed_year(year)
            except IntegrityError:  # another process seeded it at the same moment
                pass
    return wanted


@transaction.atomic
def set_day(date, is_working_day, name="", actor=None):
    """Make ``date`` a day off or a working day by hand (kept over any re-seed)."""
    day, created = CalendarDay.objects.select_for_update().get_or_create(
        date=date, defaults={"is_working_day": is_working_day, "name": name, "source": CalendarDay.Source.MANUAL}
    )
    before = None if created else {"is_working_day": day.is_working_day, "name": day.name}
    day.is_working_day, day.name, day.source = is_working_day, name or day.name, CalendarDay.Source.MANUAL
    day.save()
    record(actor, "calendar.day_set", day, before=before, after={"is_working_day": is_working_day, "name": day.name})
    return day
