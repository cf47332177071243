"""Data-subject rights: consent on record, a copy of one's data, erasure through the staff queue."""

import io
import json
import zipfile

from django.test import Client

from egov.accounts.models import Consent, ErasureRequest, User
from tests.dossiers.helpers import file_dossier
from tests.factories import CitizenFactory, StaffFactory, household, household_data


def test_registration_records_the_consent_text(db):
    web = Client()
    refused = web.post("/accounts/register/", {"full_name": "Lê Văn Đồng Ý", "email": "dongy@example.vn",
                                               "password1": "Mot-Cua-2026!", "password2": "Mot-Cua-2026!"})
    assert refused.status_code == 400  # no consent, no account
    web.post("/accounts/register/", {"full_name": "Lê Văn Đồng Ý", "email": "dongy@example.vn", "consent": "on",
                                     "password1": "Mot-Cua-2026!", "password2": "Mot-Cua-2026!"})
    consent = Consent.objects.get(user__email="dongy@example.vn")
    assert "91/2025/QH15" in consent.text and consent.purpose == "registration"


def test_download_my_data_and_erasure(db):
    ward = household()
    citizen = CitizenFactory(full_name="Nguyễn Văn An")
    dossier = file_dossier(citizen, ward.code, household_data(ward, citizen))
    web = Client()
    web.force_login(citizen)
    answer = web.post("/accounts/my-data/", {"action": "download"})
    archive = zipfile.ZipFile(io.BytesIO(b"".join(answer.streaming_content)))  # streamed from a file
    data = json.loads(archive.read("data.json"))
    assert data["account"]["personal_id"] == citizen.personal_id
    assert data["dossiers"][0]["code"] == dossier["code"]
    assert any(name.endswith(".pdf") and "/papers/" in name for name in archive.namelist())
    web.post("/accounts/my-data/", {"action": "erase", "reason": "Tôi chuyển đi nơi khác"})
    erasure = ErasureRequest.objects.get(user=citizen)
    assert erasure.status == "open" and erasure.due_at > erasure.requested_at
    admin = Client()
    admin.force_login(StaffFactory(is_staff=True, is_superuser=True))
    act = {"action": "anonymise_selected", "_selected_action": [erasure.pk]}
    # The dossier is still being handled: erasure waits, and says why; nothing changes.
    page = admin.post("/admin/accounts/erasurerequest/", act, follow=True).content.decode()
    assert dossier["code"] in page and "in progress" in page
    assert User.objects.get(pk=citizen.pk).personal_id == citizen.personal_id
    erasure.refresh_from_db()
    assert erasure.status == "open"
    # The person sees, before asking, what goes and what the archives law keeps.
    mine = web.get("/accounts/my-data/").content.decode()
    assert dossier["code"] in mine and "still being handled" in mine
    web.post(f"/api/v1/dossiers/{dossier['id']}/withdraw/", {"reason": "Không cần nữa"}, content_type="application/json")
    assert "kept until" in web.get("/accounts/my-data/").content.decode()
    admin.post("/admin/accounts/erasurerequest/", act)
    gone = User.objects.get(pk=citizen.pk)
    assert gone.personal_id == "" and gone.email == "" and not gone.is_active and "Nguyễn" not in gone.full_name
    kept = gone.dossiers.get()  # the filed dossier stays in the archive, restricted
    assert kept.restricted_at is not None and ErasureRequest.objects.get(pk=erasure.pk).status == "done"


def test_an_api_submission_by_a_citizen_needs_and_records_consent(db):
    """Review L13: the portal's tick box has an API equivalent, and neither door skips it."""
    from egov.dossiers.models import Dossier
    from egov.dossiers.services.applying import missing_documents
    from tests.dossiers.helpers import client_for, upload

    ward = household()
    citizen = CitizenFactory()
    api = client_for(citizen)
    created = api.post("/api/v1/dossiers/", {"procedure": ward.code, "data": household_data(ward, citizen)},
                       format="json")  # fmt: skip
    dossier_id = created.json()["id"]
    for key in missing_documents(Dossier.objects.get(pk=dossier_id)):
        assert upload(api, dossier_id, key).status_code == 201

    refused = api.post(f"/api/v1/dossiers/{dossier_id}/submit/")
    assert refused.status_code == 400 and refused.json()["code"] == "consent_required"
    assert "91/2025/QH15" in refused.json()["errors"]["consent"][0]  # the words to show, with a tick box
    assert Dossier.objects.get(pk=dossier_id).code is None and not Consent.objects.exists()

    submitted = api.post(f"/api/v1/dossiers/{dossier_id}/submit/", {"consent": True}, format="json")
    assert submitted.status_code == 200
    consent = Consent.objects.get(user=citizen)
    assert consent.purpose == "application" and consent.reference == dossier_id and "91/2025/QH15" in consent.text
