"""What the engine keeps in memory between hand-overs (egov/common/memo.py) and how it queues
the events of a hand-over: an edit is seen at once, drafts are never kept, and the events of
one transaction reach the consumers in one message, in order."""

import datetime

import pytest

from egov.agencies.models import Agency, remembered_active_agency, remembered_agency
from egov.calendar.clock import WorkingCalendar
from egov.calendar.services import set_day
from egov.catalog import selectors as catalog
from egov.catalog import services as catalog_services
from egov.catalog.models import pinned_spec
from egov.common.text_search import fold
from egov.dossiers import services
from egov.integrations.models import OutboxEvent
from tests.dossiers.helpers import client_for, draft_with_papers

pytestmark = pytest.mark.django_db


def test_an_edited_calendar_day_is_seen_by_the_next_computation():
    monday = datetime.date(2027, 3, 1)
    assert WorkingCalendar().is_working_day(monday)  # remembered now
    set_day(monday, False, "Nghỉ bù")
    assert not WorkingCalendar().is_working_day(monday)


def test_edited_agency_is_seen_at_once(demo):
    agency = Agency.objects.get(code="000.17.22.H56")
    assert remembered_agency(agency.pk).office_hours == agency.office_hours
    agency.office_hours = [["07:00", "11:00"], ["13:00", "17:00"]]
    agency.save()
    assert remembered_agency(agency.pk).office_hours == [["07:00", "11:00"], ["13:00", "17:00"]]
    assert remembered_active_agency(agency.code) is not None
    agency.active = False
    agency.save()
    assert remembered_active_agency(agency.code) is None


def test_a_draft_version_is_never_kept_but_a_published_one_is(demo):
    published = catalog.version_in_force("2.000575")
    draft = catalog_services.copy_to_draft(published)
    assert pinned_spec(draft.pk).code == "2.000575"
    edited = {**draft.definition, "name": {"vi": "Tên sửa", "en": "Edited"}}
    catalog_services.update_draft(draft, edited)
    assert pinned_spec(draft.pk).name("en") == "Edited"
    first = pinned_spec(published.pk)
    assert pinned_spec(published.pk) is first  # parsed once


def test_the_events_of_one_hand_over_are_queued_in_one_message_in_order(demo, django_capture_on_commit_callbacks):
    citizen = demo["congdan"]
    dossier = services.submit(citizen, draft_with_papers(citizen))
    for username, outcome in [("tiepnhan.dongha", "accept"), ("congchuc.dongha", "forward"),
                              ("chutich.dongha", "approve")]:  # fmt: skip
        task = dossier.tasks.get(flow_task_type="HUMAN", status="NEW")
        services.complete_task(demo[username], task.pk, outcome, {})
    task = dossier.tasks.get(flow_task_type="HUMAN", status="NEW")
    before = set(OutboxEvent.objects.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.complete_task(demo["congchuc.dongha"], task.pk, "issue", {})
    emitted = {str(pk) for pk in OutboxEvent.objects.exclude(pk__in=before).values_list("pk", flat=True)}
    queued = [cb.args for cb in callbacks if getattr(cb, "args", None) and cb.args[0].name.endswith("dispatch_events")]
    assert len(queued) == 1
    _task, (ids,), _kwargs = queued[0]
    assert set(ids) == emitted
    types = {str(pk): kind for pk, kind in OutboxEvent.objects.filter(pk__in=ids).values_list("pk", "type")}
    assert [types[i] for i in ids] == ["dossier.issued", "dossier.ready_for_return"]


def test_queues_search_code_and_applicant_with_or_without_diacritics(demo):
    from egov.backoffice.selectors import queue

    citizen = demo["congdan"]  # Nguyễn Văn An in the demo
    dossier = services.submit(citizen, draft_with_papers(citizen))
    officer = demo["tiepnhan.dongha"]
    name = citizen.full_name
    last_word = fold(name).split()[-1]
    for text in (name, fold(name), name.upper(), dossier.code, dossier.code[-11:], f"{last_word} {dossier.code[-4:]}"):
        assert [t.dossier_id for t in queue(officer, text=text)] == [dossier.pk], text
    assert not queue(officer, text="Trần Thị Không Có").exists()
    api = client_for(officer)
    answer = api.get("/api/v1/tasks/", {"scope": "queue", "q": fold(name)})
    assert [row["dossier"]["code"] for row in answer.json()["results"]] == [dossier.code]


def test_another_process_changing_an_agency_is_seen_through_the_shared_generation(demo):
    from django.core.cache import cache

    from egov.common.memo import GENERATION_KEY

    agency = Agency.objects.get(code="000.17.22.H56")
    assert remembered_agency(agency.pk).name == agency.name
    # Another process renames it: this process received no signal, only the shared number moved.
    Agency.objects.filter(pk=agency.pk).update(name="Phường Đông Hà (mới)")
    assert remembered_agency(agency.pk).name == agency.name
    cache.set(GENERATION_KEY, cache.get(GENERATION_KEY, 0) + 1, timeout=None)
    assert remembered_agency(agency.pk).name == "Phường Đông Hà (mới)"


def test_a_renamed_or_erased_applicant_is_searched_by_the_new_name_only(demo):
    from egov.accounts.privacy import anonymise, request_erasure
    from egov.backoffice.selectors import queue

    citizen = demo["congdan"]
    services.submit(citizen, draft_with_papers(citizen))
    officer = demo["tiepnhan.dongha"]
    old_name = citizen.full_name
    citizen.full_name = "Lê Thị Bích"
    citizen.save()
    assert queue(officer, text="le thi bich").count() == 1
    assert not queue(officer, text=old_name).exists()
    anonymise(request_erasure(citizen), demo["quantri"])
    assert not queue(officer, text="le thi bich").exists()
    assert queue(officer, text="anonymised").count() == 1


def test_one_operation_reads_the_shared_generation_once(demo):
    from django.core.cache import cache

    from egov.common.memo import GENERATION_KEY, one_look

    agency = Agency.objects.get(code="000.17.22.H56")
    with one_look():
        assert remembered_agency(agency.pk).name == agency.name
        # Another process renames it during this operation: the operation keeps one look.
        Agency.objects.filter(pk=agency.pk).update(name="Phường Đông Hà (mới)")
        cache.set(GENERATION_KEY, cache.get(GENERATION_KEY, 0) + 1, timeout=None)
        assert remembered_agency(agency.pk).name == agency.name
    assert remembered_agency(agency.pk).name == "Phường Đông Hà (mới)"  # the next one sees it
