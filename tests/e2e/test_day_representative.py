"""A representative's day in a real browser: a company's staff member files for the company,
the legal representative follows it; a walk-in adds their desk dossier to their own account."""

import re

import pytest
from django.core import mail

from egov.dossiers import services
from egov.dossiers.models import Dossier
from tests.conftest import make_pdf

from .conftest import shoot

pytestmark = pytest.mark.django_db(transaction=True)

COMPANY = "Công ty TNHH Xây dựng Ánh Dương"


def test_staff_files_for_the_organisation_with_the_authorisation_and_the_legal_representative_sees_it(page_for, demo):
    page = page_for("congdan")  # named by the company's legal representative (demo users.yaml)
    page.goto("/procedures/2.000908/")
    page.get_by_label(re.compile("Ánh Dương")).check()
    page.get_by_role("button", name="Apply online").click()
    page.wait_for_url(re.compile(r"/form/$"))
    assert page.locator("[name=person_name]").input_value() == COMPANY  # the applicant of record, prefilled
    page.select_option("[name=record_type]", "birth")
    page.select_option("[name=keeping_commune]", index=1)
    page.click("button[name=continue]")
    page.wait_for_url(re.compile(r"/papers/$"))
    # the rules ask the representative for the authorisation paper
    assert page.locator("#paper-authorisation").count() == 1
    for key in ("applicant_id", "authorisation"):
        page.set_input_files(f"#file-{key}", {"name": f"{key}.pdf", "mimeType": "application/pdf",
                                               "buffer": make_pdf()})  # fmt: skip
        page.click(f"#paper-{key} form.upload button[type=submit]")
        page.wait_for_load_state()
    page.click("a[href$='/review/']:not(ol a)")
    page.check("input[name=consent]")
    page.click("form button.primary")
    page.wait_for_selector("#confirmation")
    shoot(page, "representative-submitted")
    code = page.locator("#confirmation strong.big").first.inner_text()
    dossier = Dossier.objects.get(code=code)
    assert dossier.applicant_type == "organization" and dossier.organization.tax_code == "3200123456"
    assert dossier.representative.username == "congdan" and dossier.applicant.username == "congdan2"
    facts = page.locator("dl.facts").first.inner_text()
    assert COMPANY in facts and "Nguyễn Văn An" in facts

    legal = page_for("congdan2")
    legal.goto("/my/dossiers/")
    row = legal.locator("tr", has_text=code)
    assert row.count() == 1 and COMPANY in row.inner_text()


def test_a_walk_in_adds_the_desk_dossier_to_their_account(page_for, demo):
    from django.conf import settings

    from egov.accounts.services import create_citizen

    desk = demo["tiepnhan.dongha"]
    walk_in = {"personal_id": "045190007788", "full_name": "Đặng Thị Hoa", "email": "hoa.dang@example.vn",
               "id_card_seen": True}  # fmt: skip
    draft = services.create_draft(desk, "2.000908", {"record_type": "birth", "person_name": "Đặng Thị Hoa",
                                                     "copies": 1, "keeping_commune": desk_unit(desk)},
                                  applicant=walk_in)  # fmt: skip
    services.add_attachment(desk, draft, "applicant_id", _paper())
    dossier = services.submit(desk, draft)
    create_citizen("hoa", full_name="Đặng Thị Hoa", email="", password=settings.EGOV_DEMO_PASSWORD)

    page = page_for("hoa")
    page.goto("/my/dossiers/")
    page.get_by_role("link", name="Add a dossier filed at a desk").click()
    page.get_by_label("Dossier code").fill(dossier.code)
    page.get_by_label("Lookup key").fill(dossier.lookup_key)
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Send the code").click()
    code = re.search(r"\b(\d{6})\b", [m for m in mail.outbox if "hoa.dang@example.vn" in m.to][-1].body).group(1)
    page.get_by_label(re.compile("The code sent to")).fill(code)
    page.get_by_role("button", name="Add the dossiers to my account").click()
    page.wait_for_url(re.compile(r"/my/dossiers/$"))
    shoot(page, "walk-in-claimed")
    assert page.locator("tr", has_text=dossier.code).count() == 1


def desk_unit(officer):
    from egov.accounts.selectors import agencies_where
    from egov.agencies.models import Agency
    from egov.common.vocabulary import Role

    return Agency.objects.get(pk=next(iter(agencies_where(officer, Role.INTAKE_OFFICER)))).code


def _paper():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("cccd.pdf", make_pdf(), content_type="application/pdf")
