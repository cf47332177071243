"""A walk-in claims the dossiers filed for them at a desk into their own account: the receipt's
code and key, then a code sent to the phone or e-mail given at the desk."""

import re

import pytest
from django.core import mail
from django.test import Client

from egov.accounts.models import User
from egov.audit.models import AuditRecord
from egov.dossiers import selectors, services
from egov.dossiers.models import Dossier
from tests.factories import CitizenFactory, commune, paper

# Codes go out once the request's transaction commits, as in production.
pytestmark = pytest.mark.django_db(transaction=True)

WALK_IN_ID = "045190007788"


def filed_at_the_desk(world, full_name="Đặng Thị Hoa", email="hoa.dang@example.vn"):
    applicant = {"personal_id": WALK_IN_ID, "full_name": full_name, "email": email, "id_card_seen": True}
    dossier = services.create_draft(world.intake, world.code, {"full_name": full_name, "commune": world.agency.code},
                                    applicant=applicant)  # fmt: skip
    services.add_attachment(world.intake, dossier, "application", paper())
    return services.submit(world.intake, dossier)


def signed_in(person):
    browser = Client()
    browser.force_login(person)
    return browser


def code_sent_to(address):
    message = [m for m in mail.outbox if address in m.to][-1]
    return re.search(r"\b(\d{6})\b", message.body).group(1)


def test_a_walk_in_claims_their_dossiers_with_the_receipt_and_the_e_mail_given_at_the_desk():
    world = commune()
    dossier = filed_at_the_desk(world)
    second = filed_at_the_desk(world)
    opened = dossier.applicant
    own = CitizenFactory(full_name="Dang thi HOA", personal_id="", personal_id_verified_at=None)
    browser = signed_in(own)

    page = browser.post("/my/claim/", {"action": "find", "code": dossier.code, "key": dossier.lookup_key.lower()})
    assert page.status_code == 302
    page = browser.get("/my/claim/")
    assert "h•••@example.vn" in page.content.decode()  # the address, masked
    browser.post("/my/claim/", {"action": "send", "channel": "email"})
    wrong = browser.post("/my/claim/", {"action": "confirm", "otp": "000000"})
    assert wrong.status_code == 400 and Dossier.objects.get(pk=dossier.pk).applicant_id == opened.pk

    done = browser.post("/my/claim/", {"action": "confirm", "otp": code_sent_to("hoa.dang@example.vn")})

    assert done.status_code == 302 and done["Location"] == "/my/dossiers/"
    assert set(selectors.mine(own).values_list("pk", flat=True)) >= {dossier.pk, second.pk}
    own.refresh_from_db()
    opened.refresh_from_db()
    # the number the officer checked at the desk is now this account's, the opened one closed
    assert own.personal_id == WALK_IN_ID and own.personal_id_verified and own.personal_id_verified_by == world.intake
    assert not opened.is_active and not opened.personal_id_verified
    assert AuditRecord.objects.filter(action="identity.claimed", object_id=str(opened.pk)).exists()
    assert Dossier.objects.get(pk=dossier.pk).search_text.startswith(dossier.code.lower())


def test_a_wrong_key_or_an_account_already_used_finds_nothing_and_sends_nothing():
    world = commune()
    dossier = filed_at_the_desk(world)
    browser = signed_in(CitizenFactory(full_name="Đặng Thị Hoa"))

    missed = browser.post("/my/claim/", {"action": "find", "code": dossier.code, "key": "WRONGKEY"})
    assert missed.status_code == 400 and not mail.outbox
    User.objects.filter(pk=dossier.applicant_id).update(last_login="2026-12-01T08:00:00+07:00")
    used = browser.post("/my/claim/", {"action": "find", "code": dossier.code, "key": dossier.lookup_key})
    assert used.status_code == 400 and not mail.outbox


def test_someone_else_with_the_receipt_and_the_code_is_stopped_by_the_name_and_the_number():
    world = commune()
    dossier = filed_at_the_desk(world)
    other = CitizenFactory(full_name="Kẻ Khác")  # a verified number of their own, another name
    browser = signed_in(other)
    browser.post("/my/claim/", {"action": "find", "code": dossier.code, "key": dossier.lookup_key})
    browser.post("/my/claim/", {"action": "send", "channel": "email"})

    refused = browser.post("/my/claim/", {"action": "confirm", "otp": code_sent_to("hoa.dang@example.vn")})

    assert refused.status_code == 400
    assert Dossier.objects.get(pk=dossier.pk).applicant_id == dossier.applicant_id
    assert AuditRecord.objects.filter(action="identity.claim_refused").exists()
    same_name = CitizenFactory(full_name="Đặng Thị Hoa")  # verified, but another number
    browser = signed_in(same_name)
    browser.post("/my/claim/", {"action": "find", "code": dossier.code, "key": dossier.lookup_key})
    browser.post("/my/claim/", {"action": "send", "channel": "email"})
    refused = browser.post("/my/claim/", {"action": "confirm", "otp": code_sent_to("hoa.dang@example.vn")})
    assert refused.status_code == 400 and Dossier.objects.get(pk=dossier.pk).applicant_id == dossier.applicant_id
