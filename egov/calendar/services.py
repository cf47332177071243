"""Writes to the calendar: seeding years from the ``holidays`` package and manual edits."""

import datetime
import logging
import re

import holidays
from django.db import IntegrityError, transaction

from egov.audit.services import record

from .clock import forget_calendar
from .models import CalendarDay, CalendarYear

logger = logging.getLogger(__name__)

# Years already confirmed seeded in this process (seeding is permanent, so no expiry).
_seeded_years = set()
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
    _seeded_years.add(year)
    forget_calendar()  # bulk_create sends no signals


def ensure_years_seeded(years):
    missing = [year for year in years if year not in _seeded_years]
    if not missing:
        return
    seeded = set(CalendarYear.objects.filter(year__in=missing).values_list("year", flat=True))
    _seeded_years.update(seeded)
    for year in missing:
        if year in seeded:
            continue
        try:
            seed_year(year)
        except IntegrityError:  # another process seeded it at the same moment
            _seeded_years.add(year)


def forget_seeded_years():
    """For tests that empty the database between cases."""
    _seeded_years.clear()


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
