"""Who sees what, and the side paths: refusal, rejection, send back, withdrawal, bad input."""

import pytest

from egov.agencies.models import Agency
from egov.common.vocabulary import Role
from egov.dossiers.models import Dossier
from tests.factories import AgencyFactory, CitizenFactory, administrator, household, household_data, officer
from workflows.models import DossierTask

from .helpers import act, client_for, file_dossier, officer_for, open_tasks, upload

pytestmark = pytest.mark.django_db


def file_household(world, citizen=None):
    return file_dossier(citizen or world.citizen, world.code, household_data(world))


def test_a_citizen_never_sees_another_citizens_dossier():
    world = household()
    mine = file_household(world)
    other = client_for(CitizenFactory())
    for method, path in [
        ("get", f"/api/v1/dossiers/{mine['id']}/"),
        ("post", f"/api/v1/dossiers/{mine['id']}/withdraw/"),
        ("post", f"/api/v1/dossiers/{mine['id']}/supplement/"),
        ("patch", f"/api/v1/dossiers/{mine['id']}/"),
        ("get", "/api/v1/dossiers/00000000-0000-0000-0000-000000000000/"),
        ("get", "/api/v1/dossiers/not-a-uuid/"),
    ]:
        answer = getattr(other, method)(path, {}, format="json")
        assert answer.status_code == 404, (method, path, answer.status_code)
        assert answer.json()["code"] == "not_found"
    assert other.get("/api/v1/dossiers/").json()["count"] == 0
    assert Dossier.objects.get(pk=mine["id"]).status == "submitted"


def test_officers_see_only_tasks_of_roles_they_hold_at_the_tasks_agency():
    # A province with the commune that receives and decides, another commune, the province's
    # public administration service centre and a department.
    province = AgencyFactory(level=Agency.Level.PROVINCE)
    world = household(parent=province)
    other_commune = officer(Role.INTAKE_OFFICER, AgencyFactory(parent=province))
    centre = AgencyFactory(level=Agency.Level.DEPARTMENT, parent=province, service_centre=True)
    department = AgencyFactory(level=Agency.Level.DEPARTMENT, parent=province)
    dossier = file_household(world)  # received and decided in the world's commune
    intake = DossierTask.objects.get(dossier_id=dossier["id"], step_key="intake")
    for who, user, sees in [
        ("the commune's desk", world.intake, True),
        ("another commune's desk", other_commune, False),
        ("the service centre's desk", officer(Role.INTAKE_OFFICER, centre), False),
        ("the commune's case officer", world.case_officer, False),
        ("the commune's clerk", world.clerk, False),
        ("a department's case officer", officer(Role.CASE_OFFICER, department), False),
    ]:
        client = client_for(user)
        queue = [t["id"] for t in client.get("/api/v1/tasks/?scope=queue").json()["results"]]
        assert (intake.pk in queue) is sees, who
        if not sees:
            assert client.post(f"/api/v1/tasks/{intake.pk}/complete/", {"outcome": "accept"}).status_code == 404
            assert client.post(f"/api/v1/tasks/{intake.pk}/claim/").status_code == 404
    # Another commune's officer cannot read the dossier either.
    assert client_for(other_commune).get(f"/api/v1/dossiers/{dossier['id']}/").status_code == 404
    # The centre manager of the unit sees its open tasks and may reassign, not complete.
    manager = client_for(world.manager)
    assert intake.pk in [t["id"] for t in manager.get("/api/v1/tasks/?scope=unit").json()["results"]]
    assert manager.post(f"/api/v1/tasks/{intake.pk}/complete/", {"outcome": "accept"}).status_code == 403
    answer = manager.post(f"/api/v1/tasks/{intake.pk}/reassign/", {"user": world.intake.username})
    assert answer.status_code == 200 and answer.json()["owner"] == world.intake.username
    assert manager.post(f"/api/v1/tasks/{intake.pk}/reassign/", {"user": other_commune.username}).status_code == 400


def test_claim_release_and_conflicts():
    world = household()
    dossier = file_household(world)
    task = DossierTask.objects.get(dossier_id=dossier["id"], step_key="intake")
    one = client_for(world.intake)
    assert one.post(f"/api/v1/tasks/{task.pk}/claim/").json()["owner"] == world.intake.username
    assert [t["id"] for t in one.get("/api/v1/tasks/?scope=mine").json()["results"]] == [task.pk]
    assert one.post(f"/api/v1/tasks/{task.pk}/claim/").status_code == 409
    assert one.post(f"/api/v1/tasks/{task.pk}/release/").json()["owner"] is None
    assert one.post(f"/api/v1/tasks/{task.pk}/complete/", {"outcome": "approve"}).status_code == 400
    assert one.post(f"/api/v1/tasks/{task.pk}/complete/", {"outcome": "accept"}).status_code == 200
    again = one.post(f"/api/v1/tasks/{task.pk}/complete/", {"outcome": "accept"})
    assert again.status_code == 409 and again.json()["code"] == "conflict"


def test_refusal_at_intake_needs_reasons_and_ends_the_dossier():
    world, admin = household(), administrator()
    dossier = file_household(world)
    task = open_tasks(dossier["id"], admin)[0]
    intake = world.intake
    assert act(intake, task["id"], "refuse").status_code == 400  # no reasons
    assert act(intake, task["id"], "refuse", note="Không thuộc diện đăng ký").status_code == 200
    refused = Dossier.objects.get(pk=dossier["id"])
    assert refused.status == "refused" and refused.completed_at and refused.process.status == "DONE"
    assert open_tasks(dossier["id"], admin) == []


def test_send_back_and_reject():
    world, admin = household(), administrator()
    dossier = file_household(world)
    steps = []
    for outcome in ["accept", "forward", "send_back", "forward", "reject"]:
        task = open_tasks(dossier["id"], admin)[0]
        note = "Không đủ điều kiện" if outcome == "reject" else ""
        assert act(officer_for(task), task["id"], outcome, note=note).status_code == 200
        steps.append(task["step"])
    assert steps == ["intake", "appraise", "approve", "appraise", "approve"]
    rejected = Dossier.objects.get(pk=dossier["id"])
    assert rejected.status == "rejected" and rejected.decision_note == "Không đủ điều kiện"


def test_withdrawal_cancels_open_work():
    world, admin = household(), administrator()
    citizen = world.citizen
    dossier = file_household(world)
    task = open_tasks(dossier["id"], admin)[0]
    act(officer_for(task), task["id"], "accept")
    answer = client_for(citizen).post(f"/api/v1/dossiers/{dossier['id']}/withdraw/", {"reason": "Đổi ý"})
    assert answer.status_code == 200 and answer.json()["status"] == "withdrawn"
    assert open_tasks(dossier["id"], admin) == []
    assert client_for(citizen).post(f"/api/v1/dossiers/{dossier['id']}/withdraw/").status_code == 400


def test_bad_input_is_refused_and_changes_nothing():
    world = household()
    citizen = client_for(world.citizen)
    before = Dossier.objects.count()
    answer = citizen.post("/api/v1/dossiers/", {"procedure": world.code, "data": {"capital": "nhiều", "nope": 1}})
    assert answer.status_code == 400
    assert set(answer.json()["errors"]) == {"data.capital", "data.nope"}
    assert citizen.post("/api/v1/dossiers/", {"procedure": "9.999999"}).status_code == 404
    assert Dossier.objects.count() == before
    draft = citizen.post("/api/v1/dossiers/", {"procedure": world.code, "data": household_data(world)}).json()
    # An executable renamed .pdf, a PNG named .pdf, a document the procedure does not list.
    assert upload(citizen, draft["id"], "application", b"MZ\x90\x00" + b"\x00" * 200).status_code == 400
    from tests.conftest import make_png

    mismatch = upload(citizen, draft["id"], "application", make_png(), name="scan.pdf")
    assert mismatch.status_code == 400 and "extension" in str(mismatch.json())
    assert upload(citizen, draft["id"], "passport").status_code == 400
    assert upload(citizen, draft["id"], "application", b"%PDF-1.4 broken").status_code == 400
    incomplete = citizen.post(f"/api/v1/dossiers/{draft['id']}/submit/", {"consent": True}, format="json")
    assert incomplete.status_code == 400 and "documents" in incomplete.json()["errors"]
    stored = Dossier.objects.get(pk=draft["id"])
    assert stored.status == "draft" and stored.code is None and stored.attachments.count() == 0


def test_public_tracking_needs_the_lookup_key(api):
    world = household()
    dossier = file_household(world)
    answer = api.get(f"/api/v1/track/{dossier['code']}/", {"key": dossier["lookup_key"]})
    assert answer.status_code == 200
    body = answer.json()
    assert body["status"] == "submitted" and "data" not in body and "applicant" not in body
    assert [row["type"] for row in body["history"]] == ["dossier.submitted"]
    assert api.get(f"/api/v1/track/{dossier['code']}/", {"key": "WRONGKEY"}).status_code == 404
    assert api.get(f"/api/v1/track/{dossier['code']}/").status_code == 404


@pytest.mark.parametrize("channel", ["in_person", "post"])
def test_desk_files_for_a_walk_in_applicant(channel):
    world = household()
    walk_in = CitizenFactory()
    desk = client_for(world.intake)
    answer = desk.post("/api/v1/dossiers/", {"procedure": world.code, "channel": channel,
                                             "applicant": walk_in.personal_id, "data": household_data(world)})
    assert answer.status_code == 201, answer.json()
    dossier_id = answer.json()["id"]
    for key in ["application", "owner_id"]:
        assert upload(desk, dossier_id, key).status_code == 201
    submitted = desk.post(f"/api/v1/dossiers/{dossier_id}/submit/").json()
    assert submitted["code"].startswith(f"{world.agency.code}-")
    assert submitted["fee"]["amount"] == 100000  # the fee applies off line
    assert submitted["applicant"]["full_name"] == walk_in.full_name
    assert client_for(walk_in).get(f"/api/v1/dossiers/{dossier_id}/").status_code == 200


def test_attachments_are_served_only_to_those_who_may_see_the_dossier():
    from django.test import Client

    from egov.dossiers.models import Attachment

    world = household()
    dossier = file_household(world)
    item = Attachment.objects.filter(dossier_id=dossier["id"]).first()
    for who, user, status in [
        ("the applicant", world.citizen, 200),
        ("the commune's desk", world.intake, 200),
        ("another citizen", CitizenFactory(), 404),
        ("another commune's desk", officer(Role.INTAKE_OFFICER, AgencyFactory()), 404),
    ]:
        client = Client()
        client.force_login(user)
        answer = client.get(f"/attachments/{item.pk}/")
        assert answer.status_code == status, who
        if status == 200:
            assert answer["Content-Type"] == "application/pdf" and "sandbox" in answer["Content-Security-Policy"]
    assert Client().get(f"/attachments/{item.pk}/").status_code == 302  # to the login page
    from egov.audit.models import AuditRecord

    sensitive = Attachment.objects.get(dossier_id=dossier["id"], document_key="owner_id")
    officer_client = Client()
    officer_client.force_login(world.intake)
    officer_client.get(f"/attachments/{sensitive.pk}/")
    assert AuditRecord.objects.filter(action="attachment.read", actor=world.intake).count() == 1
