"""Reference data the engine reads on every hand-over (the calendar, agencies, the pinned
procedure version): an edit is seen by the next computation, a published version is parsed
once per process. And the queues' search by code and applicant."""

import datetime

import pytest

from egov.agencies.models import Agency
from egov.calendar.clock import WorkingCalendar
from egov.calendar.services import set_day
from egov.catalog import selectors as catalog
from egov.catalog import services as catalog_services
from egov.catalog.models import ImmutableVersionError, pinned_spec
from egov.common.text_search import fold
from egov.dossiers import services
from tests.dossiers.helpers import client_for
from tests.factories import CitizenFactory, administrator, household, household_draft

pytestmark = pytest.mark.django_db


def test_an_edited_calendar_day_is_seen_by_the_next_computation():
    monday = datetime.date(2027, 3, 1)
    assert WorkingCalendar().is_working_day(monday)
    set_day(monday, False, "Nghỉ bù")
    assert not WorkingCalendar().is_working_day(monday)


def test_the_coming_years_are_seeded_by_migrate_not_by_a_read():
    from django.utils import timezone

    from egov.calendar.models import CalendarDay, CalendarYear

    this_year = timezone.localdate().year
    assert set(CalendarYear.objects.values_list("year", flat=True)) >= {this_year, this_year + 1}
    assert CalendarDay.objects.filter(date=datetime.date(this_year, 9, 2), is_working_day=False).exists()
    # A year nobody seeded is read as it is (weekdays work): computing never writes.
    before = CalendarDay.objects.count()
    assert WorkingCalendar().is_working_day(datetime.date(2091, 9, 3))
    assert CalendarDay.objects.count() == before and not CalendarYear.objects.filter(year=2091).exists()


def test_an_edited_agency_is_seen_by_the_next_hand_over():
    world = household()
    dossier = services.submit(world.citizen, household_draft(world), consent=True)
    agency = Agency.objects.get(code=world.agency.code)
    agency.office_hours = [["07:00", "09:00"]]  # two office hours a day
    agency.save()
    task = dossier.tasks.get(flow_task_type="HUMAN", status="NEW")
    services.complete_task(world.intake, task.pk, "accept", {})
    step = dossier.tasks.get(flow_task_type="HUMAN", status="NEW")
    budget = dossier.spec.steps[0].budget_hours
    short_days = WorkingCalendar(office_hours=[["07:00", "09:00"]]).budget_deadline(step.created, budget)
    usual_days = WorkingCalendar().budget_deadline(step.created, budget)
    assert short_days != usual_days
    assert abs(step.due_at - short_days) < datetime.timedelta(seconds=5)


def test_a_published_version_is_parsed_once_and_a_draft_is_never_pinned():
    published = catalog.version_in_force(household().code)
    first = pinned_spec(published.pk)
    assert pinned_spec(published.pk) is first
    draft = catalog_services.copy_to_draft(published)
    with pytest.raises(ImmutableVersionError):
        pinned_spec(draft.pk)


def test_queues_search_code_and_applicant_with_or_without_diacritics():
    from egov.backoffice.selectors import queue

    world = household()
    citizen = CitizenFactory(full_name="Nguyễn Văn An")  # a name with diacritics
    dossier = services.submit(citizen, household_draft(world, citizen), consent=True)
    officer = world.intake
    name = citizen.full_name
    last_word = fold(name).split()[-1]
    for text in (name, fold(name), name.upper(), dossier.code, dossier.code[-11:], f"{last_word} {dossier.code[-4:]}"):
        assert [t.dossier_id for t in queue(officer, text=text)] == [dossier.pk], text
    assert not queue(officer, text="Trần Thị Không Có").exists()
    api = client_for(officer)
    answer = api.get("/api/v1/tasks/", {"scope": "queue", "q": fold(name)})
    assert [row["dossier"]["code"] for row in answer.json()["results"]] == [dossier.code]


def test_a_renamed_or_erased_applicant_is_searched_by_the_new_name_only():
    from egov.backoffice.selectors import queue
    from egov.dossiers.selectors import search_tasks
    from egov.privacy.services import anonymise, request_erasure
    from workflows.models import DossierTask

    world = household()
    citizen = world.citizen
    services.submit(citizen, household_draft(world), consent=True)
    officer = world.intake
    old_name = citizen.full_name
    citizen.full_name = "Lê Thị Bích"
    citizen.save()
    assert queue(officer, text="le thi bich").count() == 1
    assert not queue(officer, text=old_name).exists()
    dossier = services.withdraw(citizen, citizen.dossiers.get(), reason="")  # erasure waits for open dossiers
    anonymise(request_erasure(citizen), administrator())
    tasks = DossierTask.objects.filter(dossier=dossier)  # closed now: searched as the archive is
    assert not search_tasks(tasks, "le thi bich").exists()
    assert search_tasks(tasks, "anonymised").exists() and search_tasks(tasks, dossier.code).exists()
