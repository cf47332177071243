"""The citizen portal through Django's test client (the browser tests drive the same pages)."""

import pytest
from django.core import mail
from django.test import Client

from tests.conftest import make_pdf
from tests.dossiers.helpers import act, file_dossier, officer_for, open_tasks
from tests.factories import CitizenFactory, demo_procedure, household, household_data

pytestmark = pytest.mark.django_db


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_catalogue_pages_are_public_and_search_folds_diacritics(settings):
    for filename in ("birth-registration.yaml", "household-business-registration.yaml",
                     "criminal-record-certificate.yaml"):  # 1.001193, 2.000575, 2.001417
        demo_procedure(filename)
    settings.LANGUAGE_CODE = "vi"
    web = Client()
    home = web.get("/")
    assert home.status_code == 200 and "Đăng ký khai sinh" in home.content.decode()
    folded = web.get("/procedures/", {"q": "dang ky khai sinh"}).content.decode()
    exact = web.get("/procedures/", {"q": "Đăng ký khai sinh"}).content.decode()
    assert "/procedures/1.001193/" in folded and "/procedures/1.001193/" in exact
    assert "/procedures/2.000575/" not in folded
    page = web.get("/procedures/2.001417/").content.decode()
    assert "Phiếu lý lịch tư pháp" in page or "criminal" in page.lower()
    assert "200.000" in page or "200,000" in page  # the fee
    assert web.get("/procedures/9.999999/").status_code == 404


def test_apply_through_the_pages():
    ward = household()
    citizen = logged_in(ward.citizen)
    answer = citizen.post(f"/procedures/{ward.code}/apply/")
    assert answer.status_code == 302 and answer["Location"].endswith("/form/")
    form_url = answer["Location"]
    page = citizen.get(form_url).content.decode()
    assert f'value="{ward.citizen.full_name}"' in page  # prefilled from the account
    bad = citizen.post(form_url, {**household_data(ward), "capital": "nhiều", "continue": "1"})
    assert bad.status_code == 400 and 'href="#f-capital"' in bad.content.decode()
    good = citizen.post(form_url, {**household_data(ward), "continue": "1"})
    assert good.status_code == 302 and good["Location"].endswith("/papers/")
    papers_url = good["Location"]
    refused = citizen.post(papers_url, {"document": "application", "file": _file("x.pdf", b"GIF89a" + b"0" * 100)})
    assert refused.status_code == 400 and "not accepted" in refused.content.decode()
    for key in ["application", "owner_id"]:
        assert citizen.post(papers_url, {"document": key, "file": _file("giay.pdf", make_pdf())}).status_code == 302
    review_url = papers_url.replace("/papers/", "/review/")
    assert "Law on Personal Data Protection" in citizen.get(review_url).content.decode()
    unconsented = citizen.post(review_url)  # the consent box is required and nothing is filed without it
    assert unconsented.status_code == 400 and "Tick the box" in unconsented.content.decode()
    from egov.dossiers.models import Dossier

    assert Dossier.objects.get(applicant=ward.citizen).status == "draft"
    submitted = citizen.post(review_url, {"consent": "1"})
    assert submitted.status_code == 302
    page = citizen.get(submitted["Location"]).content.decode()
    dossier = Dossier.objects.get(applicant=ward.citizen)
    assert dossier.code in page and dossier.lookup_key in page and "confirmation" in page
    consent = ward.citizen.consents.get(purpose="application")  # the very text shown, tied to the dossier
    assert consent.reference == str(dossier.pk) and "91/2025/QH15" in consent.text and consent.language == "en"
    # Another citizen gets a 404 on every page of this dossier.
    other = logged_in(CitizenFactory())
    for suffix in ["", "form/", "papers/", "review/", "supplement/"]:
        assert other.get(f"/my/dossiers/{dossier.pk}/{suffix}").status_code == 404
    assert other.post(f"/my/dossiers/{dossier.pk}/withdraw/").status_code == 404


def test_supplement_rating_and_tracking_pages():
    ward = household()
    submitted = file_dossier(ward.citizen, ward.code, household_data(ward))
    task = open_tasks(submitted["id"], ward.manager)[0]
    act(officer_for(task), task["id"], "supplement", {"documents": ["owner_id"], "fields": ["business_name"]}, "Mờ")
    citizen = logged_in(ward.citizen)
    url = f"/my/dossiers/{submitted['id']}/supplement/"
    page = citizen.get(url).content.decode()
    assert "Mờ" in page and 'name="business_name"' in page
    assert citizen.post(url, {"action": "answer", "business_name": "Tên mới"}).status_code == 400  # paper missing
    assert citizen.post(url, {"action": "upload", "document": "owner_id", "file": _file("cccd.pdf", make_pdf())}
                        ).status_code == 302
    assert citizen.post(url, {"action": "answer", "business_name": "Tên mới"}).status_code == 302
    from egov.dossiers.models import Dossier

    dossier = Dossier.objects.get(pk=submitted["id"])
    assert dossier.status == "submitted" and dossier.data["business_name"] == "Tên mới"
    web = Client()
    found = web.get("/track/", {"code": dossier.code, "key": dossier.lookup_key.lower()})
    assert found.status_code == 200 and dossier.code in found.content.decode()
    assert web.get("/track/", {"code": dossier.code, "key": "WRONG"}).status_code == 404


def test_register_and_reset_password(django_capture_on_commit_callbacks):
    import re

    web = Client()
    with django_capture_on_commit_callbacks(execute=True):
        answer = web.post("/accounts/register/", {"full_name": "Lê Thị Mới", "email": "moi@example.vn", "phone": "",
                                                  "personal_id": "", "password1": "Mot-Cua-2026!",
                                                  "password2": "Mot-Cua-2026!", "consent": "on"})  # fmt: skip
    assert answer.status_code == 302 and answer["Location"].startswith("/accounts/verify/")
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)  # the e-mail is proved with a code
    assert web.post("/accounts/verify/", {"channel": "email", "code": code}).status_code == 302
    mail.outbox.clear()
    assert web.get("/my/dossiers/").status_code == 200
    again = Client().post("/accounts/register/", {"full_name": "X", "email": "", "phone": "", "password1": "a",
                                                  "password2": "b"})
    assert again.status_code == 400
    fresh = Client()
    assert fresh.post("/accounts/login/", {"username": "moi@example.vn", "password": "Mot-Cua-2026!"}).status_code == 302
    Client().post("/accounts/password-reset/", {"email": "moi@example.vn"})
    assert len(mail.outbox) == 1 and "/accounts/reset/" in mail.outbox[0].body


def _file(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)
