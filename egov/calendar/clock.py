"""The legal clock: working days, office hours, due dates, pauses and timeliness.

Rules (domain notes section 6):

* A working day is Monday to Friday, minus days off, plus swapped working Saturdays; the
  exceptions live in :class:`~egov.calendar.models.CalendarDay`.
* ``working_days: N`` by the **civil-code rule** (default): the day of receipt is not
  counted; the limit ends at the close of the N-th working day after it. By the
  **working-hours rule** (a deployment setting): N times a day's office hours, counted
  from the receipt time.
* ``working_hours: N``: N office hours from the receipt time.
* ``same_day`` with a cutoff: received on a working day up to the cutoff → the close of
  that day; later, or on a day off → the close of the next working day.

All inputs and outputs are aware datetimes; local dates are in ``settings.TIME_ZONE``.
"""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from egov.common.vocabulary import HOURS_PER_WORKING_DAY, SAME_DAY_CUTOFF, Timeliness

from .models import CalendarDay

WORKING_DAY_RULES = ("civil_code", "working_hours")
EARLY, ON_TIME, LATE = Timeliness.EARLY.value, Timeliness.ON_TIME.value, Timeliness.LATE.value
# Longest run of consecutive days off we will ever walk through before giving up
# (a safety net against a calendar edited into "no working day ever").
MAX_DAYS_OFF_IN_A_ROW = 60


class CalendarError(ValueError):
    pass


def _parse_time(value):
    hours, minutes = value.split(":")
    return datetime.time(int(hours), int(minutes))


def local_zone():
    return ZoneInfo(settings.TIME_ZONE)


@dataclass(frozen=True)
class TimeLimit:
    """One resolved case of a procedure's ``time_limit``."""

    working_days: int | None = None
    working_hours: int | None = None
    same_day: bool = False
    cutoff: str = SAME_DAY_CUTOFF

    @classmethod
    def from_definition(cls, spec):
        if not isinstance(spec, dict):
            raise CalendarError("a time limit is a mapping")
        if spec.get("same_day"):
            return cls(same_day=True, cutoff=spec.get("cutoff") or SAME_DAY_CUTOFF)
        if spec.get("working_days") is not None:
            return cls(working_days=int(spec["working_days"]))
        if spec.get("working_hours") is not None:
            return cls(working_hours=int(spec["working_hours"]))
        raise CalendarError("a time limit needs working_days, working_hours or same_day")

    def as_hours(self, hours_per_day=HOURS_PER_WORKING_DAY):
        """The limit expressed in working hours (a working day counts HOURS_PER_WORKING_DAY)."""
        if self.same_day:
            return hours_per_day
        if self.working_days is not None:
            return self.working_days * hours_per_day
        return self.working_hours


def exceptions_of_year(year):
    """{date: is_working_day} for the year's exceptions (days off, swapped working days).

    Years are seeded ahead of use (``seed_calendar``, the daily beat entry and migrate);
    a computation only reads.
    """
    return dict(CalendarDay.objects.filter(date__year=year).values_list("date", "is_working_day"))


class WorkingCalendar:
    """Answers working-day questions for one set of office hours.

    Create one per computation; it reads the exceptions a year at a time, once
    (:func:`exceptions_of_year`).
    """

    def __init__(self, office_hours=None, rule=None):
        hours = office_hours or settings.EGOV_DEFAULT_OFFICE_HOURS
        self.intervals = [(_parse_time(a), _parse_time(b)) for a, b in hours]
        self.rule = rule or settings.EGOV_WORKING_DAY_RULE
        if self.rule not in WORKING_DAY_RULES:
            raise CalendarError(f"unknown working-day rule {self.rule!r}")
        self.zone = local_zone()
        self._exceptions = {}
        self._years = set()

    @classmethod
    def for_agency(cls, agency, rule=None):
        return cls(office_hours=(agency.office_hours or None) if agency else None, rule=rule)

    # --- days -------------------------------------------------------------------------

    def _load(self, day):
        if day.year not in self._years:
            self._exceptions.update(exceptions_of_year(day.year))
            self._years.add(day.year)

    def is_working_day(self, day):
        self._load(day)
        if day in self._exceptions:
            return self._exceptions[day]
        return day.weekday() < 5

    def next_working_day(self, day):
        """The first working day strictly after ``day``."""
        for _ in range(MAX_DAYS_OFF_IN_A_ROW):
            day += datetime.timedelta(days=1)
            if self.is_working_day(day):
                return day
        raise CalendarError(f"no working day within {MAX_DAYS_OFF_IN_A_ROW} days after {day}")

    def nth_working_day_after(self, day, n):
        for _ in range(n):
            day = self.next_working_day(day)
        return day

    def working_days_between(self, start_day, end_day):
        """Working days in the half-open range (start_day, end_day]."""
        count, day = 0, start_day
        while day < end_day:
            day += datetime.timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count

    # --- hours ------------------------------------------------------------------------

    def local_date(self, moment):
        return timezone.localtime(moment, self.zone).date()

    def _at(self, day, time):
        return datetime.datetime.combine(day, time, tzinfo=self.zone)

    def opening(self, day):
        return self._at(day, self.intervals[0][0])

    def closing(self, day):
        return self._at(day, self.intervals[-1][1])

    @property
    def seconds_per_day(self):
        return sum(
            (datetime.datetime.combine(datetime.date.min, b) - datetime.datetime.combine(datetime.date.min, a)).seconds
            for a, b in self.intervals
        )

    def _office_intervals(self, day):
        if not self.is_working_day(day):
            return []
        return [(self._at(day, a), self._at(day, b)) for a, b in self.intervals]

    def add_working_seconds(self, start, seconds):
        """The moment ``seconds`` of office time after ``start``."""
        if seconds <= 0:
            return start
        day = self.local_date(start)
        for _ in range(MAX_DAYS_OFF_IN_A_ROW + int(seconds // max(self.seconds_per_day, 1)) * 2 + 2):
            for begin, end in self._office_intervals(day):
                if start >= end:
                    continue
                begin = max(begin, start)
                available = (end - begin).total_seconds()
                if seconds <= available:
                    return begin + datetime.timedelta(seconds=seconds)
                seconds -= available
            day += datetime.timedelta(days=1)
        raise CalendarError("could not place the working time in the calendar")

    def working_seconds_between(self, start, end):
        """Office time between two moments."""
        if end <= start:
            return 0
        total = 0.0
        day, last = self.local_date(start), self.local_date(end)
        while day <= last:
            for begin, close in self._office_intervals(day):
                overlap = (min(close, end) - max(begin, start)).total_seconds()
                if overlap > 0:
                    total += overlap
            day += datetime.timedelta(days=1)
        return int(total)

    # --- due dates --------------------------------------------------------------------

    def due(self, received_at, limit):
        """The due moment for a dossier accepted at ``received_at`` under ``limit``."""
        if isinstance(limit, dict):
            limit = TimeLimit.from_definition(limit)
        if timezone.is_naive(received_at):
            raise CalendarError("received_at must be an aware datetime")
        local = timezone.localtime(received_at, self.zone)
        if limit.same_day:
            cutoff = _parse_time(limit.cutoff)
            if self.is_working_day(local.date()) and local.time() <= cutoff:
                return self.closing(local.date())
            return self.closing(self.next_working_day(local.date()))
        if limit.working_days is not None:
            if self.rule == "civil_code":
                return self.closing(self.nth_working_day_after(local.date(), limit.working_days))
            return self.add_working_seconds(received_at, limit.working_days * self.seconds_per_day)
        return self.add_working_seconds(received_at, limit.working_hours * 3600)

    def shift_for_pause(self, due_at, paused_from, paused_to):
        """The due moment after a pause of the clock from ``paused_from`` to ``paused_to``.

        Civil-code rule: the working days after the day the clock stopped, up to and
        including the day it restarted, are added. Working-hours rule: the office time of
        the pause is added.
        """
        if paused_to <= paused_from:
            return due_at
        if self.rule == "civil_code":
            days = self.working_days_between(self.local_date(paused_from), self.local_date(paused_to))
            if days == 0:
                return due_at
            return self.closing(self.nth_working_day_after(self.local_date(due_at), days))
        return self.add_working_seconds(due_at, self.working_seconds_between(paused_from, paused_to))

    def budget_deadline(self, start, hours):
        """When an internal step budget of ``hours`` office hours started at ``start`` runs out."""
        return self.add_working_seconds(start, hours * 3600)


def timeliness(finished_at, due_at, zone=None):
    """Early (before the due day), on time (on the due day, by the due time) or late."""
    if due_at is None or finished_at is None:
        return ""
    zone = zone or local_zone()
    if finished_at > due_at:
        return LATE
    if timezone.localtime(finished_at, zone).date() < timezone.localtime(due_at, zone).date():
        return EARLY
    return ON_TIME
