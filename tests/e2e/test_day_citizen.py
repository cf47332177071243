"""A citizen's day in a real browser: a foreign resident applies online for a criminal record
certificate, whose e-form asks for a passport instead of a personal ID number once he says he
is a foreign national; uploads the papers (the proof of fee exemption becomes required by his
answer); submits; the police officer asks in the backoffice for a full copy of the passport;
he answers on the portal with the file and a note, and sees the dossier back in handling."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from egov.accounts.services import create_citizen
from egov.dossiers.models import Dossier
from tests.dossiers.helpers import do
from workflows.models import DossierTask

from .conftest import shoot
from .people import decide, english, open_from_queue, pdf

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_foreign_resident_applies_online_and_answers_a_supplement_request(page_for, demo, settings):
    create_citizen("john.smith", full_name="John Smith", email="john.smith@example.com", phone="0905123456",
                   address="12 Hùng Vương, phường Đông Hà, tỉnh Quảng Trị", date_of_birth=datetime.date(1958, 3, 2),
                   password=settings.EGOV_DEMO_PASSWORD)  # fmt: skip
    page = page_for("john.smith")
    page.goto("/procedures/2.001417/")
    page.locator("form[action$='/apply/'] button").click()
    page.wait_for_url(re.compile(r"/form/$"))

    # The form asks for a personal ID number; a foreign national gives a passport number instead.
    personal_id, passport = page.locator("[data-field=personal_id]"), page.locator("[data-field=passport]")
    expect(personal_id).to_be_visible()
    expect(passport).to_be_hidden()
    page.check("#f-is_foreigner")
    expect(passport).to_be_visible()
    expect(passport.locator(".req")).to_be_visible()  # and it is required
    expect(personal_id).to_be_hidden()
    expect(page.locator("#f-full_name")).to_have_value("John Smith")  # from the account
    page.check("#f-lived_abroad")
    page.select_option("#f-certificate_type", "1")
    page.fill("#f-purpose", "Work permit renewal")
    page.select_option("#f-requested_by", "self")
    page.select_option("#f-fee_category", "exempt")
    page.fill("#f-passport", "")
    page.click("button[name=continue]")
    # Required now, and empty: the server says so and the summary leads to the field.
    expect(page.locator("#error-summary a[href='#f-passport']")).to_have_count(1)
    page.fill("#f-passport", "C4471139")
    shoot(page, "day-citizen-form")
    page.click("button[name=continue]")
    page.wait_for_url(re.compile(r"/papers/$"))

    # Fee exempt: the proof of it is required now; the authorisation (filed by himself) is not.
    expect(page.locator("#paper-fee_proof .badge-warn")).to_be_visible()
    expect(page.locator("#paper-authorisation .badge-info")).to_be_visible()
    for key in ("declaration", "id_copy", "fee_proof"):
        page.set_input_files(f"#file-{key}", pdf(f"{key}.pdf"))
        page.locator(f"#paper-{key} form.upload button[type=submit]").click()
        expect(page.locator(f"#paper-{key} li a", has_text=f"{key}.pdf")).to_be_visible()
    page.click("a[href$='/review/']:not(ol a)")
    page.wait_for_url(re.compile(r"/review/$"))
    page.check("input[name=consent]")
    page.click("form button.primary")
    page.wait_for_selector("#confirmation")
    code = page.locator("#confirmation strong.big").first.inner_text()
    dossier = Dossier.objects.get(code=code)
    assert dossier.status == Dossier.Status.SUBMITTED and dossier.applicant.username == "john.smith"
    assert dossier.data["is_foreigner"] is True and dossier.data["passport"] == "C4471139"
    assert not dossier.data.get("personal_id")
    assert dossier.time_limit == {"working_days": 15}  # a foreigner, lived abroad: the longer limit
    assert dossier.fee_amount == 0 and dossier.receiving_agency.code == "000.00.01.H56"
    assert set(dossier.attachments.values_list("document_key", flat=True)) == {"declaration", "id_copy", "fee_proof"}
    shoot(page, "day-citizen-submitted")

    # The provincial centre's desk accepts; the police officer asks for a full copy of the passport.
    do(demo["tiepnhan.tt"], dossier, "accept")
    officer = page_for("chuyenvien.ca")
    open_from_queue(officer, code)
    reason = "The passport copy is cut off: upload the whole photo page."
    decide(officer, "supplement", reason, documents=["id_copy"])
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.SUPPLEMENT_REQUESTED and dossier.clock_pauses.get().ended_at is None

    page.reload()
    expect(page.locator("[data-status]").first).to_have_attribute("data-status", "supplement_requested")
    expect(page.locator("[data-status]").first).to_have_text(english(Dossier.Status.SUPPLEMENT_REQUESTED.label))
    expect(page.locator("main")).to_contain_text(reason)
    page.click("a[href$='/supplement/']")
    page.wait_for_url(re.compile(r"/supplement/$"))
    expect(page.locator("#file-id_copy")).to_have_count(1)
    expect(page.locator("#file-declaration")).to_have_count(0)  # only what was asked
    page.set_input_files("#file-id_copy", pdf("passport-full.pdf"))
    page.locator("form.upload button[type=submit]").click()
    expect(page.locator(".paper li", has_text="passport-full.pdf")).to_be_visible()
    page.fill("#note", "The whole photo page, scanned again.")
    shoot(page, "day-citizen-supplement")
    page.click("form:not(.upload) button.primary")
    page.wait_for_url(re.compile(r"/my/dossiers/[^/]+/$"))
    expect(page.locator("[data-status]").first).to_have_attribute("data-status", "in_progress")
    expect(page.locator("[data-status]").first).to_have_text(english(Dossier.Status.IN_PROGRESS.label))
    shoot(page, "day-citizen-back-in-handling")

    dossier.refresh_from_db()
    request = dossier.supplement_requests.get()
    assert dossier.status == Dossier.Status.IN_PROGRESS
    assert request.answered_at and request.answer_note == "The whole photo page, scanned again."
    assert dossier.clock_pauses.get().ended_at is not None  # the clock runs again
    copies = dossier.attachments.filter(document_key="id_copy").order_by("uploaded_at")
    assert [a.original_name for a in copies] == ["id_copy.pdf", "passport-full.pdf"]
    assert copies[0].replaced_at and not copies[1].replaced_at  # the old copy is kept, marked replaced
    # Back on the officer's desk, at the step that asked: he reads what came back and the note.
    task = DossierTask.objects.get(dossier=dossier, status="NEW")
    assert task.step_key == "verify" and task.agency.code == "000.00.13.H56"
    open_from_queue(officer, code)
    answered = officer.locator(f"#supplement-requests tr[data-supplement='{request.pk}']")
    expect(answered).to_contain_text(reason)
    expect(answered).to_contain_text(english(dossier.spec.document("id_copy").name))
    expect(answered.locator(".answer-note")).to_have_text("The whole photo page, scanned again.")
    expect(officer.locator("form[action$='/complete/'] input[name=outcome][value=forward]")).to_be_visible()
