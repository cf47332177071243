"""The workspace through Django's test client: queue, dossier page, actions, desk."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from egov.dossiers.models import Dossier
from tests.conftest import make_pdf
from tests.dossiers.helpers import file_dossier
from tests.factories import household, household_data
from workflows.models import DossierTask

pytestmark = pytest.mark.django_db


def as_user(user):
    client = Client()
    client.force_login(user)
    return client


def test_queue_and_handling_through_the_pages(django_capture_on_commit_callbacks):
    ward, other_commune = household(), household()
    with django_capture_on_commit_callbacks(execute=True):
        dossier = file_dossier(ward.citizen, ward.code, household_data(ward))
    desk = as_user(ward.intake)
    page = desk.get("/backoffice/").content.decode()
    assert dossier["code"] in page and ward.citizen.full_name in page
    task = DossierTask.objects.get(dossier_id=dossier["id"], step_key="intake")
    desk.post(f"/backoffice/tasks/{task.pk}/", {"action": "claim"})
    assert dossier["code"] in desk.get("/backoffice/?scope=mine").content.decode()
    # An officer of another commune sees neither the task nor the dossier.
    other = as_user(other_commune.intake)
    assert dossier["code"] not in other.get("/backoffice/").content.decode()
    assert other.get(f"/backoffice/dossiers/{dossier['id']}/").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        desk.post(f"/backoffice/tasks/{task.pk}/complete/", {"outcome": "accept"})
    page = desk.get(f"/backoffice/dossiers/{dossier['id']}/").content.decode()
    assert "Print the receipt" in page or "In giấy tiếp nhận" in page
    officer = as_user(ward.case_officer)
    appraise = DossierTask.objects.get(dossier_id=dossier["id"], step_key="appraise")
    refused = officer.post(f"/backoffice/tasks/{appraise.pk}/complete/", {"outcome": "supplement"})
    assert refused.status_code == 302  # back to the page with the error message; nothing changed
    assert Dossier.objects.get(pk=dossier["id"]).status == "in_progress"
    officer.post(f"/backoffice/tasks/{appraise.pk}/complete/", {"outcome": "supplement", "documents": ["owner_id"],
                                                                "note": "Ảnh mờ"})  # fmt: skip
    assert Dossier.objects.get(pk=dossier["id"]).status == "supplement_requested"


def test_the_desk_files_for_a_walk_in_applicant():
    commune = household()
    desk = as_user(commune.intake)
    page = desk.get("/backoffice/desk/").content.decode()
    assert 'name="full_name"' in page and 'name="id_card_seen"' in page
    answer = desk.post("/backoffice/desk/", {"personal_id": "045188001111", "full_name": "Đặng Văn Đến Quầy",
                                             "id_card_seen": "on", "phone": "0911222333", "procedure": commune.code,
                                             "channel": "in_person"})  # fmt: skip
    assert answer.status_code == 302 and "/form/" in answer["Location"]
    draft = Dossier.objects.get(applicant__personal_id="045188001111")
    assert draft.channel == "in_person" and draft.receiving_agency == commune.agency
    form_url = answer["Location"]
    data = {"business_name": "Tiệm may Đến Quầy", "business_address": "3 Lê Lợi",
            "business_commune": commune.agency.code, "activities": "May mặc", "capital": "10000000",
            "owner_personal_id": "045188001111", "continue": "1", "owner_name": "Đặng Văn Đến Quầy"}  # fmt: skip
    assert desk.post(form_url, data).status_code == 302
    papers = form_url.replace("/form/", "/papers/")
    from django.core.files.uploadedfile import SimpleUploadedFile

    for key in ["application", "owner_id"]:
        desk.post(papers, {"document": key, "file": SimpleUploadedFile("scan.pdf", make_pdf())})
    submitted = desk.post(form_url.replace("/form/", "/review/"))
    assert submitted["Location"] == f"/backoffice/dossiers/{draft.pk}/"
    draft.refresh_from_db()
    assert draft.code.startswith(f"{commune.agency.code}-") and draft.fee_amount == 100000


def test_manager_reassigns_and_sees_the_unit():
    ward = household()
    dossier = file_dossier(ward.citizen, ward.code, household_data(ward))
    task = DossierTask.objects.get(dossier_id=dossier["id"], step_key="intake")
    manager = as_user(ward.manager)
    assert dossier["code"] in manager.get("/backoffice/?scope=unit").content.decode()
    manager.post(f"/backoffice/tasks/{task.pk}/", {"action": "reassign", "user": ward.intake.username})
    task.refresh_from_db()
    assert task.owner == ward.intake


def test_queue_page_queries_stay_constant(django_assert_max_num_queries):
    """5,000 open tasks at one agency: the page costs the same few queries."""
    ward = household()
    template = file_dossier(ward.citizen, ward.code, household_data(ward))
    base = Dossier.objects.get(pk=template["id"])
    task = DossierTask.objects.get(dossier=base, step_key="intake")
    dossiers = []
    for n in range(5000):
        copy = Dossier(applicant=base.applicant, created_by=base.created_by, version=base.version,
                       procedure=base.procedure, channel="online", data=base.data, status="submitted",
                       receiving_agency=base.receiving_agency, deciding_agency=base.deciding_agency,
                       submitted_at=timezone.now() - datetime.timedelta(minutes=n), code=f"BULK-{n:05d}")  # fmt: skip
        dossiers.append(copy)
    Dossier.objects.bulk_create(dossiers, batch_size=1000)
    DossierTask.objects.bulk_create([
        DossierTask(process=task.process, dossier=d, flow_task=task.flow_task, flow_task_type="HUMAN",
                    kind="intake", role="intake_officer", agency=task.agency, step_key="intake", step_index=-1,
                    due_at=timezone.now() + datetime.timedelta(hours=n % 48))
        for n, d in enumerate(dossiers)
    ], batch_size=1000)  # fmt: skip
    desk = as_user(ward.intake)
    with django_assert_max_num_queries(20):
        page = desk.get("/backoffice/?sort=due")
    assert page.status_code == 200 and page.content.decode().count('name="task"') == 25
    with django_assert_max_num_queries(20):
        assert desk.get("/backoffice/?page=150&state=due_soon").status_code == 200
