"""Officers in a real browser: the whole handling of a dossier, from the queue to the return."""

import re

import pytest

from egov.dossiers import services
from egov.dossiers.models import Dossier
from tests.conftest import make_pdf
from tests.dossiers.helpers import file_dossier
from workflows.models import DossierTask

from .conftest import PHONE, shoot

pytestmark = pytest.mark.django_db(transaction=True)


def decide(page, outcome, note=None, ticks=()):
    page.check(f"form[action$='/complete/'] input[name=outcome][value={outcome}]")
    for name, value in ticks:
        page.locator("details summary").first.click()
        page.check(f"input[name={name}][value={value}]")
    if note:
        page.fill("form[action$='/complete/'] textarea[name=note]", note)
    page.click("form[action$='/complete/'] button[type=submit]")
    page.wait_for_load_state()


def open_from_queue(page, code, scope="queue"):
    page.goto(f"/backoffice/?scope={scope}")
    page.click(f"a:text-is('{code}')")
    page.wait_for_url(re.compile(r"/backoffice/dossiers/"))


def test_a_dossier_from_the_queue_to_the_returned_result(page_for, demo):
    submitted = file_dossier(demo["congdan"], "2.000575")
    code = submitted["code"]
    desk = page_for("tiepnhan.dongha")
    open_from_queue(desk, code)
    shoot(desk, "desktop-backoffice-dossier")
    decide(desk, "accept")
    receipt = desk.locator("a", has_text=re.compile("Print the receipt|In giấy"))
    assert desk.request.get(receipt.get_attribute("href")).body()[:4] == b"%PDF"
    desk.goto("/backoffice/")
    shoot(desk, "desktop-backoffice-queue")

    officer = page_for("congchuc.dongha")
    open_from_queue(officer, code)
    decide(officer, "supplement", "Ảnh căn cước bị mờ.", ticks=[("documents", "owner_id")])
    assert Dossier.objects.get(code=code).status == "supplement_requested"
    dossier = Dossier.objects.get(code=code)
    from django.core.files.uploadedfile import SimpleUploadedFile

    services.add_attachment(demo["congdan"], dossier, "owner_id", SimpleUploadedFile("r.pdf", make_pdf()))
    services.answer_supplement(demo["congdan"], dossier, {}, "Đã gửi lại")
    open_from_queue(officer, code)
    decide(officer, "forward")

    approver = page_for("chutich.dongha")
    open_from_queue(approver, code)
    decide(approver, "approve")
    clerk = page_for("congchuc.dongha", viewport=PHONE)
    open_from_queue(clerk, code)
    shoot(clerk, "phone-backoffice-dossier")
    decide(clerk, "issue")
    open_from_queue(desk, code)
    desk.select_option("form[action$='/complete/'] select[name=how]", "desk")
    decide(desk, "returned")
    finished = Dossier.objects.get(code=code)
    assert finished.status == "returned" and finished.returned_how == "desk"
    assert list(finished.handovers.values_list("outcome", flat=True)) == [
        "accept", "supplement", "forward", "approve", "issue", "returned"]
    shoot(desk, "desktop-backoffice-returned")


def test_a_centre_manager_reassigns_an_overdue_task(page_for, demo):
    import datetime

    from django.utils import timezone

    from egov.dossiers.services.timers import fire_due_timers

    submitted = file_dossier(demo["congdan"], "2.000575")
    task = DossierTask.objects.get(dossier_id=submitted["id"], step_key="intake")
    DossierTask.objects.filter(pk=task.pk).update(due_at=timezone.now() - datetime.timedelta(hours=1))
    fire_due_timers()
    manager = page_for("quanly.dongha")
    manager.goto("/backoffice/?scope=unit&state=overdue")
    assert manager.locator("tr.state-overdue").count() == 1
    shoot(manager, "desktop-backoffice-overdue")
    manager.click(f"a:text-is('{submitted['code']}')")
    manager.select_option("select[name=user]", "tiepnhan.dongha")
    manager.click("form:has(input[value=reassign]) button")
    manager.wait_for_load_state()
    task.refresh_from_db()
    assert task.owner == demo["tiepnhan.dongha"]
