"""Abuse limits (security review 2026-12, H1, M9, L3, L4, L5): each reproduction, replayed,
gets a clear 4xx and changes nothing."""

import json
import time

import pytest
from django.test import Client

from egov.common.vocabulary import Role
from egov.dossiers import services
from egov.dossiers.models import Attachment, Dossier
from tests.dossiers.helpers import client_for
from tests.factories import AgencyFactory, commune, draft, officer, paper, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return commune(form=[
        {"key": "full_name", "type": "text", "label": {"vi": "Họ tên", "en": "Name"}, "required": True},
        {"key": "commune", "type": "agency", "level": "commune", "label": {"vi": "Xã", "en": "Commune"},
         "required": True},
        {"key": "copies", "type": "integer", "label": {"vi": "Số bản", "en": "Copies"}, "min": 1, "max": 10},
    ])  # fmt: skip


# --- H1: numbers in exponent form cost no CPU ----------------------------------------------


@pytest.mark.parametrize("value", ["1e200000", "1e10000000", "9" * 5000, "1E5", "0x10", "Infinity", "NaN"])
def test_numbers_are_parsed_strictly_and_fast(world, value):
    dossier = draft(world, papers=False)
    api = client_for(world.citizen)
    api.patch(f"/api/v1/dossiers/{dossier.pk}/", {"data": {"copies": 2}}, format="json")  # warm
    started = time.perf_counter()
    answer = api.patch(f"/api/v1/dossiers/{dossier.pk}/", {"data": {"copies": value}}, format="json")
    assert time.perf_counter() - started < 1.0
    assert answer.status_code == 400 and "data.copies" in answer.json()["errors"]
    assert Dossier.objects.get(pk=dossier.pk).data["copies"] == 2  # unchanged


def test_numbers_people_write_still_pass(world):
    dossier = draft(world, papers=False)
    api = client_for(world.citizen)
    for value, expected in [("5", 5), (3, 3), ("1.000", None), (7.0, 7)]:
        answer = api.patch(f"/api/v1/dossiers/{dossier.pk}/", {"data": {"copies": value}}, format="json")
        if expected is None:
            assert answer.status_code == 400  # 1000 is more than the maximum of 10
        else:
            assert answer.status_code == 200 and answer.json()["data"]["copies"] == expected


# --- L5: malformed bodies answer 400, never 500 ---------------------------------------------


def test_deep_large_and_nul_bodies_are_refused_as_json(world, settings):
    api = client_for(world.citizen)
    deep = "[" * 5000 + "]" * 5000
    answer = api.generic("POST", "/api/v1/dossiers/", deep, content_type="application/json")
    assert answer.status_code == 400 and answer["Content-Type"].startswith("application/json")
    value = "x"
    for _ in range(40):  # deeper than the parser allows (egov/api/parsers.py)
        value = [value]
    nested = json.dumps({"procedure": world.code, "data": {"full_name": value}})
    assert api.generic("POST", "/api/v1/dossiers/", nested, content_type="application/json").status_code == 400
    nul = json.dumps({"procedure": world.code, "data": {"full_name": "An\u0000"}})
    answer = api.generic("POST", "/api/v1/dossiers/", nul, content_type="application/json")
    assert answer.status_code == 400 and "NUL" in answer.json()["detail"]
    big = json.dumps({"procedure": world.code, "data": {"full_name": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)}})
    answer = api.generic("POST", "/api/v1/dossiers/", big, content_type="application/json")
    assert answer.status_code == 400 and answer["Content-Type"].startswith("application/json")
    assert not Dossier.objects.exists()


def test_nul_in_a_form_post_is_refused(world):
    dossier = draft(world, papers=False)
    web = Client()
    web.force_login(world.citizen)
    answer = web.post(f"/my/dossiers/{dossier.pk}/form/", {"full_name": "An\x00", "commune": world.agency.code})
    assert answer.status_code in (200, 400) and Dossier.objects.get(pk=dossier.pk).data.get("full_name") != "An\x00"


@pytest.mark.parametrize("asked", [[["x"]], [{"a": 1}], None, "application", 5])
def test_a_supplement_request_with_malformed_keys_is_refused(world, asked):
    dossier = submitted(world)
    task = dossier.tasks.get(flow_task_type="HUMAN", status="NEW")
    answer = client_for(world.intake).post(f"/api/v1/tasks/{task.pk}/complete/", {
        "outcome": "supplement", "data": {"documents": asked}, "note": "Thiếu giấy tờ."}, format="json")  # fmt: skip
    assert answer.status_code == 400
    assert Dossier.objects.get(pk=dossier.pk).status == Dossier.Status.SUBMITTED


def test_removing_a_paper_by_a_malformed_id_is_not_found(world):
    dossier = draft(world)
    web = Client()
    web.force_login(world.citizen)
    answer = web.post(f"/my/dossiers/{dossier.pk}/papers/", {"remove": "notauuid"})
    assert answer.status_code in (302, 404) and dossier.attachments.count() == 1


@pytest.mark.parametrize("when", ["2026-13-45T10:00", "2026-12-01T10:00+99:00", "tomorrow"])
def test_an_apology_with_an_impossible_date_is_refused(world, when):
    dossier = submitted(world)
    services.complete_task(world.intake, dossier.tasks.get(status="NEW", flow_task_type="HUMAN").pk, "accept", {})
    head = officer(Role.APPROVER, world.agency)
    answer = client_for(head).post(f"/api/v1/dossiers/{dossier.pk}/apologise/", {"new_due_at": when, "reason": "x"},
                                   format="json")  # fmt: skip
    assert answer.status_code == 400
    web = Client()
    web.force_login(head)
    web.post(f"/backoffice/dossiers/{dossier.pk}/apologise/", {"new_due_at": when, "reason": "x"})
    assert Dossier.objects.get(pk=dossier.pk).extended_due_at is None


# --- M9: quotas; the export is streamed ------------------------------------------------------


def test_drafts_files_and_bytes_are_bounded(world, settings):
    settings.EGOV_MAX_DRAFTS = 2
    settings.EGOV_MAX_FILES_PER_DOCUMENT = 2
    settings.EGOV_MAX_FILES_PER_DOSSIER = 3
    api = client_for(world.citizen)
    first = draft(world, papers=False)
    draft(world, papers=False)
    third = api.post("/api/v1/dossiers/", {"procedure": world.code, "data": {}}, format="json")
    assert third.status_code == 400 and third.json()["code"] == "quota"
    for _ in range(2):
        services.add_attachment(world.citizen, first, "application", paper())
    refused = api.post(f"/api/v1/dossiers/{first.pk}/attachments/", {"document": "application", "file": paper()},
                       format="multipart")  # fmt: skip
    assert refused.status_code == 400 and refused.json()["code"] == "quota"
    settings.EGOV_MAX_UPLOAD_BYTES_PER_USER = sum(a.size for a in Attachment.objects.all()) + 10
    settings.EGOV_MAX_FILES_PER_DOCUMENT = 10
    refused = api.post(f"/api/v1/dossiers/{first.pk}/attachments/", {"document": "application", "file": paper()},
                       format="multipart")  # fmt: skip
    assert refused.status_code == 400 and "in all" in json.dumps(refused.json(), ensure_ascii=False)
    assert first.attachments.count() == 2


def test_uploads_are_rate_limited(world, settings):
    settings.EGOV_UPLOAD_RATE = "3/minute"
    dossier = draft(world, papers=False)
    api = client_for(world.citizen)
    codes = [api.post(f"/api/v1/dossiers/{dossier.pk}/attachments/", {"document": "application", "file": paper()},
                      format="multipart").status_code for _ in range(4)]  # fmt: skip
    assert codes == [201, 201, 201, 400]


def test_the_personal_data_export_is_streamed_from_a_file(world):
    submitted(world)
    web = Client()
    web.force_login(world.citizen)
    answer = web.post("/accounts/my-data/", {"action": "download"})
    assert answer.status_code == 200 and answer.streaming and answer["Content-Type"] == "application/zip"
    assert b"".join(answer.streaming_content)[:2] == b"PK"


# --- L4: another agency's task is not found; redirects stay on the site --------------------


def test_another_agencys_task_is_not_found_and_next_stays_on_the_site(world):
    dossier = submitted(world)
    task = dossier.tasks.get(flow_task_type="HUMAN", status="NEW")
    elsewhere = officer(Role.INTAKE_OFFICER, AgencyFactory())
    web = Client()
    web.force_login(elsewhere)
    answer = web.post(f"/backoffice/tasks/{task.pk}/complete/", {"outcome": "accept"})
    assert answer.status_code == 404 and str(dossier.pk) not in answer.content.decode()
    away = web.post("/backoffice/claim/", {"next": "https://evil.example/phish"})
    assert away.status_code == 302 and away["Location"] == "/backoffice/"
    away = web.post(f"/backoffice/tasks/{task.pk}/", {"action": "claim", "next": "//evil.example/"})
    assert away["Location"] == "/backoffice/"


# --- L3: tracking is throttled on the page too, and never fails on odd keys ----------------


def test_tracking_is_throttled_per_address_and_odd_keys_are_not_found(world, settings):
    dossier = submitted(world)
    for path in (f"/api/v1/track/{dossier.code}/?key=%C3%A9", f"/api/v1/track/{dossier.code}/?key=" + "A" * 200):
        assert Client().get(path).status_code == 404
    assert Client().post("/track/", {"code": dossier.code, "key": "é"}).status_code == 404
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"track": "3/minute"}}  # fmt: skip
    page = Client(REMOTE_ADDR="10.9.9.9")
    codes = [page.post("/track/", {"code": dossier.code, "key": "WRONGKEY"}).status_code for _ in range(4)]
    assert codes == [404, 404, 404, 429]
    # Rotating X-Forwarded-For buys nothing without trusted proxies.
    assert Client(REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="198.51.100.9").post(
        "/track/", {"code": dossier.code, "key": dossier.lookup_key}).status_code == 429  # fmt: skip
    found = Client(REMOTE_ADDR="10.1.1.1").post("/track/", {"code": dossier.code, "key": dossier.lookup_key})
    assert found.status_code == 200 and dossier.code in found.content.decode()


def test_the_tracking_api_takes_the_key_in_the_body(world):
    """Review L8: a key in a URL is written to logs and histories; the API's own form has none."""
    dossier = submitted(world)
    api = Client(REMOTE_ADDR="10.2.2.2")
    found = api.post("/api/v1/track/", {"code": dossier.code, "key": dossier.lookup_key.lower()},
                     content_type="application/json")  # fmt: skip
    assert found.status_code == 200 and found.json()["code"] == dossier.code and found.json()["status"] == "submitted"
    assert api.post("/api/v1/track/", {"code": dossier.code, "key": "WRONGKEY"},
                    content_type="application/json").status_code == 404  # fmt: skip
    missing = api.post("/api/v1/track/", {"code": dossier.code}, content_type="application/json")
    assert missing.status_code == 400 and "key" in missing.json()["errors"]
