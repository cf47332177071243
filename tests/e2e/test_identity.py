"""Identity in a real browser: registering with a one-time code, and the desk's check of the
ID card (issue 21)."""

import re

import pytest
from django.core import mail

from egov.accounts.models import User
from egov.audit.models import AuditRecord

from .conftest import PHONE, shoot

pytestmark = pytest.mark.django_db(transaction=True)


def last_code(address):
    message = [m for m in mail.outbox if address in m.to][-1]
    return re.search(r"\b(\d{6})\b", message.body).group(1)


def test_registering_proves_the_e_mail_with_a_code_then_logs_in(page_for):
    page = page_for(viewport=PHONE)
    page.goto("/accounts/register/")
    page.fill("input[name=full_name]", "Đỗ Thị Mới Đến")
    page.fill("input[name=email]", "Moi.Den@Example.VN")
    page.fill("input[name=password1]", "mot-cua-Moi-2026")
    page.fill("input[name=password2]", "mot-cua-Moi-2026")
    page.check("input[name=consent]")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/accounts/verify/"))
    assert "moi.den@example.vn" in page.content()
    shoot(page, "phone-register-code")
    page.fill("input[name=code]", "000000" if last_code("moi.den@example.vn") != "000000" else "111111")
    page.click("main form button.primary")
    assert page.locator(".field-error").count() == 1  # a wrong code is refused, with a message
    page.fill("input[name=code]", last_code("moi.den@example.vn"))
    page.click("main form button.primary")
    page.wait_for_url(re.compile(r"/my/dossiers/"))
    user = User.objects.get(full_name="Đỗ Thị Mới Đến")
    assert user.verified_email == "moi.den@example.vn"
    # Logging in again with the proved address works.
    again = page_for()
    again.goto("/accounts/login/")
    again.fill("input[name=username]", "MOI.DEN@example.vn")
    again.fill("input[name=password]", "mot-cua-Moi-2026")
    again.click("main form button[type=submit]")
    again.wait_for_url(re.compile(r"/my/dossiers/"))


def test_the_desk_checks_the_id_card_and_stops_on_another_name(page_for, demo):
    desk = page_for("tiepnhan.dongha")
    desk.goto("/backoffice/desk/")
    desk.fill("input[name=personal_id]", "045099077777")
    desk.fill("input[name=full_name]", "Trương Văn Đến Quầy")
    desk.check("input[name=id_card_seen]")
    desk.select_option("select[name=procedure]", "2.000575")
    shoot(desk, "desktop-desk-id-card")
    desk.click("main form button.primary")
    desk.wait_for_url(re.compile(r"/my/dossiers/.+/form/"))
    walk_in = User.objects.get(personal_id="045099077777")
    assert walk_in.personal_id_verified and walk_in.personal_id_verified_by == demo["tiepnhan.dongha"]
    # Someone comes with the same number and another name: the desk stops, the attempt is on record.
    desk.goto("/backoffice/desk/")
    desk.fill("input[name=personal_id]", "045099077777")
    desk.fill("input[name=full_name]", "Người Khác Hẳn")
    desk.check("input[name=id_card_seen]")
    desk.click("main form button.primary")
    assert desk.locator(".error-summary").count() == 1 and "another name" in desk.locator(".error-summary").inner_text()
    assert walk_in.dossiers.count() == 1
    assert AuditRecord.objects.filter(action="identity.name_mismatch", object_id=str(walk_in.pk)).exists()
