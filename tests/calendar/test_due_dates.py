"""The legal clock against the worked examples of the domain notes, section 6."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from egov.calendar.clock import EARLY, LATE, ON_TIME, WorkingCalendar, timeliness
from egov.calendar.models import CalendarDay
from egov.calendar.services import seed_year, set_day

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def at(text):
    return datetime.datetime.fromisoformat(text).replace(tzinfo=HCM)


@pytest.mark.parametrize(
    "received, days, due",
    [
        ("2026-04-24", 3, "2026-05-04"),
        ("2026-02-13", 5, "2026-02-27"),
        ("2026-04-29", 10, "2026-05-15"),
        ("2026-12-31", 15, "2027-01-22"),
        ("2027-02-03", 5, "2027-02-17"),
    ],
)
def test_worked_examples_civil_code_rule(received, days, due):
    calendar = WorkingCalendar(rule="civil_code")
    result = calendar.due(at(received + "T10:00"), {"working_days": days})
    assert result == at(due + "T17:00")


def test_same_day_after_cutoff_on_friday_before_holiday_monday():
    # 2026-04-24 is a Friday; Monday 2026-04-27 is the Hùng Kings holiday (observed).
    calendar = WorkingCalendar()
    assert calendar.due(at("2026-04-24T15:30"), {"same_day": True, "cutoff": "15:00"}) == at("2026-04-28T17:00")
    assert calendar.due(at("2026-04-24T14:59"), {"same_day": True, "cutoff": "15:00"}) == at("2026-04-24T17:00")


def test_saturday_receipt_does_not_make_saturday_a_counting_day():
    calendar = WorkingCalendar()
    # Saturday 2026-03-07: same-day → Monday; 1 working day → Monday too (Saturday not counted).
    assert calendar.due(at("2026-03-07T09:00"), {"same_day": True}) == at("2026-03-09T17:00")
    assert calendar.due(at("2026-03-07T09:00"), {"working_days": 1}) == at("2026-03-09T17:00")


def test_working_hours_rule_counts_office_hours_from_receipt():
    calendar = WorkingCalendar(rule="working_hours")
    # Tue 10:00 + 3 days x 8h = Fri 10:00 (office hours 7:30-11:30, 13:00-17:00).
    assert calendar.due(at("2026-03-10T10:00"), {"working_days": 3}) == at("2026-03-13T10:00")
    # 4 working hours from 10:00: 1.5h before lunch, 2.5h after → 15:30.
    assert calendar.due(at("2026-03-10T10:00"), {"working_hours": 4}) == at("2026-03-10T15:30")
    # received after closing: counting starts next morning
    assert calendar.due(at("2026-03-10T18:00"), {"working_hours": 2}) == at("2026-03-11T09:30")


def test_swapped_saturday_is_seeded_as_working_day():
    seed_year(2026)
    # holidays lists 2026-08-31 as a day off substituted from Saturday 2026-08-22.
    assert CalendarDay.objects.get(date="2026-08-22").is_working_day is True
    assert CalendarDay.objects.get(date="2026-08-31").is_working_day is False
    calendar = WorkingCalendar()
    assert calendar.is_working_day(datetime.date(2026, 8, 22))
    assert calendar.next_working_day(datetime.date(2026, 8, 21)) == datetime.date(2026, 8, 22)


def test_calendar_edit_changes_next_due_date():
    before = WorkingCalendar().due(at("2026-03-10T10:00"), {"working_days": 2})
    assert before == at("2026-03-12T17:00")
    set_day(datetime.date(2026, 3, 11), is_working_day=False, name="Ngày nghỉ đột xuất")
    after = WorkingCalendar().due(at("2026-03-10T10:00"), {"working_days": 2})
    assert after == at("2026-03-13T17:00")


def test_reseed_keeps_manual_edits():
    seed_year(2026)
    set_day(datetime.date(2026, 11, 24), is_working_day=True, name="Không nghỉ")
    seed_year(2026)
    assert CalendarDay.objects.get(date="2026-11-24").is_working_day is True


def test_pause_moves_due_date_by_paused_working_days():
    calendar = WorkingCalendar()
    due = at("2026-03-20T17:00")
    # clock stopped Mon 9th, restarted Wed 11th: Tue + Wed are added
    assert calendar.shift_for_pause(due, at("2026-03-09T10:00"), at("2026-03-11T09:00")) == at("2026-03-24T17:00")
    # same-day answer: nothing added
    assert calendar.shift_for_pause(due, at("2026-03-09T10:00"), at("2026-03-09T15:00")) == due


def test_pause_under_working_hours_rule_adds_office_time():
    calendar = WorkingCalendar(rule="working_hours")
    due = at("2026-03-20T17:00")
    shifted = calendar.shift_for_pause(due, at("2026-03-09T10:00"), at("2026-03-09T15:00"))
    # 1.5h + 2h = 3.5 office hours after Friday's close → Monday 11:00
    assert shifted == at("2026-03-23T11:00")


def test_timeliness():
    due = at("2026-03-20T17:00")
    assert timeliness(at("2026-03-19T16:00"), due) == EARLY
    assert timeliness(at("2026-03-20T08:00"), due) == ON_TIME
    assert timeliness(at("2026-03-20T17:00"), due) == ON_TIME
    assert timeliness(at("2026-03-20T17:01"), due) == LATE


def test_agency_office_hours():
    calendar = WorkingCalendar(office_hours=[["08:00", "12:00"], ["13:30", "17:30"]])
    assert calendar.due(at("2026-03-10T10:00"), {"working_days": 1}) == at("2026-03-11T17:30")
    assert calendar.seconds_per_day == 8 * 3600
