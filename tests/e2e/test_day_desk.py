"""A walk-in's day at the one-stop desk, in a real browser: the intake officer enters the
applicant from the ID card, fills the e-form and scans the papers for her, submits and
accepts the dossier, and prints the receipt (Mẫu 01) with its code and lookup key; at home,
in a browser with no account, the applicant types both into the public tracking page and
reads where her dossier stands."""

import re

import pytest
from django.conf import settings as django_settings
from django.utils import translation
from playwright.sync_api import expect

from egov.accounts.models import User
from egov.dossiers.models import Dossier

from .conftest import shoot
from .people import decide, english, pdf, pdf_text

pytestmark = pytest.mark.django_db(transaction=True)


def lookup_key_in(text):
    """The lookup key as the receipt prints it, after its label (in the documents' language)."""
    with translation.override(django_settings.LANGUAGE_CODE):
        label = translation.gettext("Lookup key")
    found = re.search(re.escape(label) + r":?\s*([A-Z0-9]{8})\b", text)
    assert found, f"no lookup key on the receipt: {text!r}"
    return found.group(1)


def test_a_walk_in_is_received_at_the_desk_and_follows_the_dossier_from_the_receipt(page_for, demo):
    desk = page_for("tiepnhan.dongha")
    desk.goto("/backoffice/desk/")
    desk.fill("input[name=personal_id]", "045072003456")
    desk.fill("input[name=full_name]", "Hoàng Thị Đến")
    desk.fill("input[name=phone]", "0935111222")
    desk.fill("input[name=address]", "Số 5 Trần Hưng Đạo, phường Đông Hà, tỉnh Quảng Trị")
    desk.check("input[name=id_card_seen]")
    desk.select_option("select[name=procedure]", "2.000908")  # a copy of her birth certificate
    desk.locator("main form button.primary").click()
    desk.wait_for_url(re.compile(r"/my/dossiers/[^/]+/form/$"))

    expect(desk.locator("#f-person_name")).to_have_value("Hoàng Thị Đến")  # the applicant, not the officer
    desk.select_option("#f-record_type", "birth")
    desk.fill("#f-register_year", "1972")
    desk.select_option("#f-keeping_commune", "000.17.22.H56")
    desk.click("button[name=continue]")
    desk.wait_for_url(re.compile(r"/papers/$"))
    desk.set_input_files("#file-applicant_id", pdf("cccd-scan.pdf"))
    desk.locator("#paper-applicant_id form.upload button[type=submit]").click()
    expect(desk.locator("#paper-applicant_id li a", has_text="cccd-scan.pdf")).to_be_visible()
    desk.click("a[href$='/review/']:not(ol a)")
    desk.wait_for_url(re.compile(r"/review/$"))
    expect(desk.locator("input[name=consent]")).to_have_count(0)  # she signs the paper form at the desk
    desk.click("form button.primary")
    desk.wait_for_url(re.compile(r"/backoffice/dossiers/[^/]+/$"))  # back in the workspace, to accept it

    walk_in = User.objects.get(personal_id="045072003456")
    dossier = Dossier.objects.get(applicant=walk_in)
    assert dossier.status == Dossier.Status.SUBMITTED and dossier.channel == "in_person"
    assert dossier.created_by == demo["tiepnhan.dongha"] and dossier.receiving_agency.code == "000.17.22.H56"
    expect(desk.locator("h1")).to_contain_text(dossier.code)
    decide(desk, "accept")
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.IN_PROGRESS and dossier.accepted_at and dossier.due_at

    receipt = desk.locator("a[href$='/download/'][target=_blank]")
    expect(receipt).to_have_count(1)
    shoot(desk, "day-desk-accepted")
    # Printing opens the PDF in a new tab (the browser's viewer shows it); its bytes are read
    # with the officer's session from the address the tab opened.
    with desk.context.expect_page() as opened:
        receipt.click()
    tab = opened.value
    tab.wait_for_load_state()
    assert tab.url.endswith("/download/")
    answer = desk.request.get(tab.url)
    assert answer.headers["content-type"] == "application/pdf"
    body = answer.body()
    text = pdf_text(body)
    code = re.search(r"\d{3}\.\d{2}\.\d{2}\.H\d{2}-\d{6}-\d{4}", text).group(0)
    key = lookup_key_in(text)
    assert code == dossier.code and key == dossier.lookup_key
    assert "Hoàng Thị Đến" in text

    # At home, with no account: the tracking page, the code and the key from the receipt.
    visitor = page_for()
    visitor.goto("/track/")
    visitor.fill("input[name=code]", code)
    visitor.fill("input[name=key]", key)
    visitor.locator("#track-form button[type=submit]").click()
    expect(visitor.locator("h2", has_text=code)).to_be_visible()
    status = visitor.locator("[data-status]").first
    expect(status).to_have_attribute("data-status", "in_progress")
    expect(status).to_have_text(english(Dossier.Status.IN_PROGRESS.label))
    expect(visitor.locator("ol.timeline li")).not_to_have_count(0)
    shoot(visitor, "day-desk-tracked")
