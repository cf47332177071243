"""Officers' days in a real browser: the commune's specialist takes a dossier from the team
queue and hands it over with a note; a building permit goes to the partner agencies, and one
of them answers with its opinion; the head of the commune apologises, with a new date, for a
dossier that is late (Mẫu 04)."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from egov.documents.models import Document
from egov.dossiers.models import Dossier
from tests.dossiers.helpers import do, file_dossier
from workflows.models import DossierTask

from .conftest import shoot
from .people import decide, download, english, open_from_queue, pdf_text

pytestmark = pytest.mark.django_db(transaction=True)


def accepted(demo, code, data=None):
    """A dossier filed online by the demo citizen and accepted at the Đông Hà desk."""
    dossier = Dossier.objects.get(pk=file_dossier(demo["congdan"], code, data)["id"])
    return do(demo["tiepnhan.dongha"], dossier, "accept")


def row_of(page, code):
    return page.locator("table.queue tbody tr", has=page.locator("a", has_text=code))


def test_a_specialist_takes_work_from_the_queue_and_a_partner_agency_gives_its_opinion(page_for, demo):
    household = accepted(demo, "2.000575")
    permit = accepted(demo, "1.009994")
    officer = page_for("congchuc.dongha")
    officer.goto("/backoffice/")
    for dossier in (household, permit):  # the team's queue: nobody has taken them yet
        expect(row_of(officer, dossier.code).locator("button[value=claim]")).to_be_visible()
    shoot(officer, "day-officer-queue")

    # He takes the household business: it leaves the team's queue for his own list, where he
    # could give it back.
    row_of(officer, household.code).locator("button[value=claim]").click()
    expect(row_of(officer, household.code)).to_have_count(0)
    expect(row_of(officer, permit.code)).to_have_count(1)
    task = DossierTask.objects.get(dossier=household, step_key="appraise")
    assert task.owner == demo["congchuc.dongha"]
    officer.goto("/backoffice/?scope=mine")
    expect(officer.locator("table.queue tbody tr")).to_have_count(1)
    expect(row_of(officer, household.code).locator("button[value=release]")).to_be_visible()
    open_from_queue(officer, household.code, scope="mine")
    note = "Papers complete; the business name is free. Proposed for signature."
    decide(officer, "forward", note)
    expect(officer.locator("table", has_text=note)).to_be_visible()  # the control slip keeps the note
    household.refresh_from_db()
    assert household.status == Dossier.Status.AWAITING_APPROVAL
    handover = household.handovers.get(outcome="forward")
    assert handover.note == note and handover.giver == demo["congchuc.dongha"]
    assert DossierTask.objects.get(dossier=household, step_key="approve", status="NEW").agency.code == "000.17.22.H56"

    # The building permit, from the team's queue: appraised, it goes to the two partner agencies at once.
    open_from_queue(officer, permit.code)
    decide(officer, "forward", "Site inspected; asking the partner agencies.")
    permit.refresh_from_db()
    assert permit.status == Dossier.Status.AWAITING_PARTNER
    consults = DossierTask.objects.filter(dossier=permit, kind="consult", status="NEW")
    assert sorted(consults.values_list("agency__code", flat=True)) == ["000.00.14.H56", "000.00.32.H56"]

    partner = page_for("phoihop.sxd")  # the Construction Department
    open_from_queue(partner, permit.code)
    expect(partner.locator("[data-status]").first).to_have_text(english(Dossier.Status.AWAITING_PARTNER.label))
    opinion = "No objection: the design meets the planning of the area."
    decide(partner, "answer", opinion)
    permit.refresh_from_db()
    assert permit.status == Dossier.Status.AWAITING_PARTNER  # the other partner has not answered yet
    answered = DossierTask.objects.get(dossier=permit, kind="consult", agency__code="000.00.14.H56")
    assert answered.outcome == "answer" and answered.note == opinion and answered.completed_by == demo["phoihop.sxd"]
    shoot(partner, "day-officer-partner-answered")

    do(demo["phoihop.snnmt"], permit, "answer", note="No environmental objection.")
    assert permit.status == Dossier.Status.AWAITING_APPROVAL
    officer.reload()
    for said in (opinion, "No environmental objection."):  # both opinions on the control slip
        expect(officer.locator("table", has_text=said)).to_be_visible()


def test_the_head_of_the_commune_apologises_for_a_late_dossier(page_for, demo):
    dossier = accepted(demo, "2.000575")
    do(demo["congchuc.dongha"], dossier, "forward", note="Proposed for signature.")
    late = timezone.now() - datetime.timedelta(days=2)
    Dossier.objects.filter(pk=dossier.pk).update(due_at=late)
    DossierTask.objects.filter(dossier=dossier, status="NEW").update(dossier_due_at=late)

    head = page_for("chutich.dongha")
    head.goto("/backoffice/")
    expect(row_of(head, dossier.code)).to_have_class(re.compile(r"\bstate-overdue\b"))
    open_from_queue(head, dossier.code)
    head.locator("details", has=head.locator("form[action$='/apologise/']")).locator("summary").click()
    new_date = (timezone.localtime() + datetime.timedelta(days=5)).replace(hour=16, minute=30, second=0, microsecond=0)
    head.fill("#new_due_at", new_date.strftime("%Y-%m-%dT%H:%M"))
    reason = "The business name had to be checked with the provincial register."
    head.fill("#reason", reason)
    shoot(head, "day-officer-apology")
    head.locator("form[action$='/apologise/'] button[type=submit]").click()
    head.wait_for_load_state()
    expect(head.locator("form[action$='/apologise/']")).to_have_count(0)  # once only

    dossier.refresh_from_db()
    assert dossier.extended_due_at == new_date and dossier.apology_reason == reason
    assert dossier.due_at == late  # the original date is kept: the dossier still counts as late
    letter = Document.objects.get(dossier=dossier, kind="apology")
    assert letter.status == Document.Status.READY
    link = head.locator(f"a[href$='/documents/{letter.pk}/download/']")
    text = pdf_text(download(head, link))
    assert dossier.code in text and reason in text.replace("\n", " ")

    citizen = page_for("congdan")  # the applicant sees the new date on the dossier's page
    citizen.goto(f"/my/dossiers/{dossier.pk}/")
    expect(citizen.locator("main")).to_contain_text(new_date.strftime("%H:%M %d/%m/%Y"))
