"""A citizen in a real browser: apply, follow, answer, receive."""

import re

import pytest

from egov.dossiers import services
from egov.dossiers.models import Dossier
from egov.dossiers.selectors import team_queue
from tests.conftest import make_pdf, make_png
from tests.dossiers.helpers import sample_data

from .conftest import DESKTOP, PHONE, shoot

pytestmark = pytest.mark.django_db(transaction=True)


def pdf(name="giay-to.pdf"):
    return {"name": name, "mimeType": "application/pdf", "buffer": make_pdf()}


def officer_does(demo, dossier, username, outcome, data=None, note=""):
    officer = demo[username]
    task = team_queue(officer).get(dossier=dossier)
    services.complete_task(officer, task.pk, outcome, data or {}, note)


def fill_form(page, values):
    for key, value in values.items():
        field = page.locator(f"[name={key}]").first
        tag = field.evaluate("e => e.tagName")
        if tag == "SELECT":
            field.select_option(str(value))
        elif field.get_attribute("type") == "checkbox":
            field.set_checked(bool(value))
        else:
            field.fill(str(value))


def apply(page, search, code, values, papers, shot=None):
    page.goto("/")
    page.fill("#q", search)
    page.click("form.search button[type=submit]")
    page.click(f"a[href='/procedures/{code}/']")
    if shot:
        shoot(page, f"{shot}-procedure")
    page.click("text=Apply online") if page.locator("text=Apply online").count() else page.click(
        "form[action$='/apply/'] button")
    page.wait_for_url(re.compile(r"/form/$"))
    fill_form(page, values)
    if shot:
        shoot(page, f"{shot}-form")
    page.click("button[name=continue]")
    page.wait_for_url(re.compile(r"/papers/$"))
    for key in papers:
        page.set_input_files(f"#file-{key}", pdf())
        page.click(f"#paper-{key} form.upload button[type=submit]")
        page.wait_for_load_state()
    if shot:
        shoot(page, f"{shot}-papers")
    page.click("a[href$='/review/']:not(ol a)")
    page.wait_for_url(re.compile(r"/review/$"))
    page.check("input[name=consent]")
    page.click("form button.primary")
    page.wait_for_selector("#confirmation")
    if shot:
        shoot(page, f"{shot}-confirmation")
    code_text = page.locator("#confirmation strong.big").first.inner_text()
    return Dossier.objects.get(code=code_text)


def test_citizen_applies_answers_and_receives_the_result(page_for, demo):
    page = page_for("congdan")
    household = {**sample_data("2.000575"), "business_name": "Quán cà phê Gió Lào"}
    household.pop("owner_name")  # prefilled from the account
    dossier = apply(page, "ho kinh doanh", "2.000575", household, ["application", "owner_id"], shot="desktop")
    assert dossier.status == "submitted" and dossier.data["owner_name"] == "Nguyễn Văn An"

    # The desk accepts: the page shows the receipt and the timeline moves.
    officer_does(demo, dossier, "tiepnhan.dongha", "accept")
    page.reload()
    assert page.locator("a", has_text=re.compile("Receipt|Giấy tiếp nhận")).count() == 1
    with page.expect_download() if False else _no_op():
        pass
    receipt = page.locator("a", has_text=re.compile("Receipt|Giấy tiếp nhận")).get_attribute("href")
    answer = page.request.get(receipt)
    assert answer.status == 200 and answer.headers["content-type"] == "application/pdf"

    # The case officer asks for a clearer ID copy and a corrected name; the citizen answers.
    officer_does(demo, dossier, "congchuc.dongha", "supplement", {"documents": ["owner_id"],
                 "fields": ["business_name"]}, "Ảnh căn cước bị mờ; tên hộ trùng.")  # fmt: skip
    page.reload()
    page.click("a[href$='/supplement/']")
    page.set_input_files("#file-owner_id", pdf("cccd-ro.pdf"))
    page.click("form.upload button[type=submit]")
    page.fill("[name=business_name]", "Quán Gió Lào Đông Hà")
    shoot(page, "desktop-supplement")
    page.click("form:not(.upload) button.primary")
    page.wait_for_url(re.compile(r"/my/dossiers/[^/]+/$"))
    dossier.refresh_from_db()
    assert dossier.status == "in_progress" and dossier.data["business_name"] == "Quán Gió Lào Đông Hà"

    for username, outcome in [("congchuc.dongha", "forward"), ("chutich.dongha", "approve"),
                              ("congchuc.dongha", "issue")]:
        officer_does(demo, dossier, username, outcome)
    page.reload()
    shoot(page, "desktop-result")
    download = page.locator("a", has_text=re.compile("Download the result|Tải kết quả"))
    answer = page.request.get(download.get_attribute("href"))
    assert answer.status == 200 and answer.body()[:4] == b"%PDF"
    officer_does(demo, dossier, "tiepnhan.dongha", "returned", {"how": "electronic"})
    page.reload()
    page.check("input[name=score][value='5']")
    page.click("form[action$='/rate/'] button")
    assert dossier.__class__.objects.get(pk=dossier.pk).rating.score == 5


class _no_op:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_second_procedure_with_a_conditional_field_on_a_phone(page_for, demo):
    page = page_for("congdan2", viewport=PHONE)
    page.goto("/procedures/1.001193/")
    shoot(page, "phone-procedure")
    page.click("form[action$='/apply/'] button")
    page.wait_for_url(re.compile(r"/form/$"))
    father_id = page.locator("[data-field=father_personal_id]")
    assert father_id.is_hidden()
    page.fill("[name=father_name]", "Trần Văn Cha")
    father_id.wait_for(state="visible")
    assert father_id.locator(".req").is_visible()  # now required
    values = sample_data("1.001193")
    fill_form(page, values)
    shoot(page, "phone-form")
    page.click("button[name=continue]")
    # Required and still empty: the server refuses, the summary links to the field.
    assert page.locator("#error-summary a[href='#f-father_personal_id']").count() == 1
    page.fill("[name=father_personal_id]", "045090001234")
    page.click("button[name=continue]")
    page.wait_for_url(re.compile(r"/papers/$"))
    # A wrong type is refused in the browser before sending, with a clear message.
    page.set_input_files("#file-declaration", {"name": "notes.txt", "mimeType": "text/plain", "buffer": b"hello"})
    page.click("#paper-declaration form.upload button[type=submit]")
    message = page.locator("#paper-declaration .field-error")
    assert message.is_visible() and "pdf" in message.inner_text()
    # A picture named .pdf passes the browser's check and is refused by the server on its content.
    page.set_input_files("#file-declaration", {"name": "to-khai.pdf", "mimeType": "application/pdf",
                                                "buffer": make_png()})  # fmt: skip
    page.click("#paper-declaration form.upload button[type=submit]")
    assert "extension" in page.locator("#error-summary").inner_text() or "phần mở rộng" in page.locator(
        "#error-summary").inner_text()
    shoot(page, "phone-papers-refused")
    # Too large: refused in the browser.
    page.evaluate("""() => { const f = document.querySelector('#paper-declaration form.upload');
                             f.setAttribute('data-max-bytes', '10'); }""")
    page.set_input_files("#file-declaration", pdf())
    page.click("#paper-declaration form.upload button[type=submit]")
    assert page.locator("#paper-declaration .field-error").is_visible()
    from egov.dossiers.models import Attachment

    assert Attachment.objects.filter(dossier__applicant=demo["congdan2"]).count() == 0


def test_public_pages_at_phone_and_desktop_width(page_for, demo):
    for name, viewport in [("phone", PHONE), ("desktop", DESKTOP)]:
        page = page_for(viewport=viewport)
        page.goto("/")
        shoot(page, f"{name}-home")
        page.goto("/procedures/?q=dang+ky")
        assert page.locator(".procedure-list li").count() >= 3
        shoot(page, f"{name}-catalogue")
        page.goto("/track/")
        shoot(page, f"{name}-track")


def test_another_citizens_dossier_is_not_found_in_the_browser(page_for, demo, site):
    from egov.dossiers.services import create_draft

    dossier = create_draft(demo["congdan"], "2.000575")
    page = page_for("congdan2")
    answer = page.goto(f"/my/dossiers/{dossier.pk}/")
    assert answer.status == 404


def test_the_receipts_tracking_link_opens_the_dossier_without_an_account(page_for, demo, site, settings):
    """A walk-in scans the receipt's QR code: the page fills itself in from the link's
    fragment (which never reaches the server), asks by POST, and shows the dossier."""
    from egov.documents.context import tracking
    from tests.dossiers.helpers import file_dossier

    settings.SITE_URL = site
    submitted = file_dossier(demo["congdan"], "2.000575")
    link = tracking(Dossier.objects.get(pk=submitted["id"]))["url"]
    assert "#" in link and "?" not in link
    page = page_for(locale="vi-VN")
    page.goto(link)
    page.wait_for_selector(f"h2:text-is('{submitted['code']}')")
    assert page.url.endswith("/track/")  # the key left the address bar and the history
    assert "Chờ tiếp nhận" in page.inner_text("main")
    shoot(page, "track-from-receipt")
