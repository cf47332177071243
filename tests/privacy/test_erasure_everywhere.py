"""Erasure and the retention purge reach every store (security review 2026-12, H3 and M7).

A person files dossiers the way people do (papers, a supplement answer, a withdrawal with
their number in the reason, a rating, messages by e-mail and SMS, an API filing, logins, an
administrator's change to their account), then asks for erasure. Every table and every file
under the media and var folders is then searched for their name, personal ID number, phone
and e-mail, in the forms they take there (JSON-escaped, folded for search, inside PDFs, in
encoded e-mail). After erasure the only hits are in the filed dossiers the archives law keeps
(the stores marked ``archived`` in egov/privacy/stores.py); after the retention period, none.
"""

import datetime
import json
import unicodedata
from io import BytesIO
from pathlib import Path

import pytest
from axes.models import AccessLog
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pypdf import PdfReader
from rest_framework.test import APIClient

from egov.accounts import contacts, tokens
from egov.accounts.models import ErasureRequest
from egov.common.pdf import html_to_pdf
from egov.common.text_search import fold
from egov.dossiers import services
from egov.dossiers.models import Dossier
from egov.privacy import retention, stores
from egov.privacy.services import request_erasure
from tests.dossiers.helpers import do
from tests.factories import CitizenFactory, StaffFactory, household, household_data

NAME = "Phạm Thị Riêng Tư"
PHONE = "0912345678"
EMAIL = "rieng.tu@example.vn"


@pytest.fixture
def folders(settings, tmp_path):
    """Media and var of this test alone, with the embedded default's spools."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path / "var"
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "var" / "mail")
    settings.EGOV_SMS_PROVIDER = "file"
    return [settings.MEDIA_ROOT, settings.VAR_DIR]


def scan_of_an_identity_card(person):
    """A PDF that shows the person's name and number, as a scanned ID card does."""
    pdf = html_to_pdf(f"<p>CĂN CƯỚC {person.full_name} số {person.personal_id}</p>")[0]
    return SimpleUploadedFile("cccd.pdf", pdf, content_type="application/pdf")


def normal(text):
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def marks_of(person):
    return {normal(mark) for mark in (person.full_name, fold(person.full_name), person.personal_id, PHONE, EMAIL)}


def texts_of(value):
    if isinstance(value, (dict, list)):
        return [json.dumps(value), json.dumps(value, ensure_ascii=False)]
    return [str(value)]


def table_hits(marks):
    """{(model, field, pk)} for every value in every table that holds a mark."""
    hits = set()
    for model in apps.get_models():
        fields = list(model._meta.concrete_fields)
        for row in model._base_manager.all().values_list("pk", *(field.attname for field in fields)):
            for field, value in zip(fields, row[1:], strict=True):
                if value is not None and any(mark in normal(text) for text in texts_of(value) for mark in marks):
                    hits.add((model._meta.label, field.name, str(row[0])))
    return hits


def file_text(path):
    raw = path.read_bytes()
    if raw.startswith(b"%PDF"):
        return "\n".join(page.extract_text() or "" for page in PdfReader(BytesIO(raw)).pages)
    if path.parent.name == "mail":
        return "\n".join(stores.mail_texts(path))
    return raw.decode("utf-8", "replace")


def file_hits(folders, marks):
    return {str(path) for folder in folders for path in Path(folder).rglob("*")
            if path.is_file() and any(mark in normal(file_text(path)) for mark in marks)}  # fmt: skip


def archived_rows(kept):
    """What the archives law keeps of the dossiers ``kept``: the rows of the stores marked
    archived, and the files they point to."""
    rows, files = set(), set()
    for store in stores.all_stores():
        if not store.archived:
            continue
        for label in store.models:
            model = apps.get_model(label)
            link = "pk" if model is Dossier else "dossier_id"
            for row in model._base_manager.filter(**{f"{link}__in": kept}):
                rows.add((label, str(row.pk)))
                stored = getattr(row, "file", None)
                if stored:
                    files.add(str(Path(stored.path)))
    return rows, files


def lived_a_while(person, world):
    """Everything a person leaves in the system, through the services and pages they use."""
    person.set_password("mật-khẩu-dài-của-tôi")
    person.save()
    web = Client()
    # A login by e-mail (recorded by django-axes) and a failed one.
    assert web.post("/accounts/login/", {"username": EMAIL, "password": "sai"}).status_code == 200
    assert web.post("/accounts/login/", {"username": EMAIL, "password": "mật-khẩu-dài-của-tôi"}).status_code == 302
    contacts.send_code(person, "email")  # a code to prove the e-mail, by the mail spool
    tokens.mint(person, name=f"máy của {NAME}", verified=True)

    # A dossier handled to the end: a supplement answered in the person's words, a note on the
    # control slip that names them, the result, a rating.
    dossier = services.create_draft(person, world.code, household_data(world, person))
    services.add_attachment(person, dossier, "application", scan_of_an_identity_card(person))
    services.add_attachment(person, dossier, "owner_id", scan_of_an_identity_card(person))
    dossier = services.submit(person, dossier, consent=True)
    dossier = do(world.intake, dossier, "accept", note=f"Đã đối chiếu CCCD của {NAME}")
    dossier = do(world.case_officer, dossier, "supplement", data={"documents": ["owner_id"]},
                 note=f"Bản chụp CCCD {person.personal_id} bị mờ")  # fmt: skip
    services.add_attachment(person, dossier, "owner_id", scan_of_an_identity_card(person))
    services.answer_supplement(person, dossier, {}, f"Tôi là {NAME}, gọi {PHONE}")
    dossier = do(world.case_officer, dossier, "forward")
    dossier = do(world.approver, dossier, "approve")
    dossier = do(world.clerk, dossier, "issue")
    returned = do(world.intake, dossier, "returned", data={"how": "electronic"})
    services.rate(person, returned, 4, f"Cảm ơn, {NAME}")

    # A dossier withdrawn with a reason that holds the person's number and phone.
    second = services.create_draft(person, world.code, household_data(world, person, business_name="Tiệm 2"))
    services.add_attachment(person, second, "application", scan_of_an_identity_card(person))
    services.add_attachment(person, second, "owner_id", scan_of_an_identity_card(person))
    second = services.submit(person, second, consent=True)
    withdrawn = services.withdraw(person, second, f"Tôi, {NAME}, CCCD {person.personal_id}, SĐT {PHONE}, rút hồ sơ")

    # A draft never filed, with a scan of the ID card, made through the API with an
    # Idempotency-Key (the answer, which names the person, is kept for a repeat).
    api = APIClient()
    api.force_login(person)
    answer = api.post("/api/v1/dossiers/", {"procedure": world.code, "data": household_data(world, person)},
                      format="json", HTTP_IDEMPOTENCY_KEY="tao-nhap-1")  # fmt: skip
    assert answer.status_code == 201, answer.content
    draft = Dossier.objects.get(pk=answer.json()["id"])
    services.add_attachment(person, draft, "owner_id", scan_of_an_identity_card(person))

    # An administrator changed the account (the admin's own history names it).
    LogEntry.objects.log_actions(StaffFactory(is_staff=True).pk, [person], CHANGE, change_message="[]")
    return returned, withdrawn, draft


@pytest.mark.django_db
def test_erasure_leaves_the_person_only_where_the_archives_law_keeps_them(
    folders, settings, django_capture_on_commit_callbacks
):
    settings.AXES_ENABLED = True
    world = household()
    person = CitizenFactory(full_name=NAME, email=EMAIL, phone=PHONE, preferred_language="vi")
    marks = marks_of(person)
    with django_capture_on_commit_callbacks(execute=True):
        returned, withdrawn, draft = lived_a_while(person, world)
    draft_files = [str(Path(item.file.path)) for item in draft.attachments.all()]

    # The search finds the person everywhere they are (it would find a leak).
    before = table_hits(marks)
    places = {label for label, _field, _pk in before}
    assert {"accounts.User", "dossiers.Dossier", "dossiers.Handover", "dossiers.SupplementRequest", "dossiers.Rating",
            "notifications.Notification", "accounts.ContactProof", "accounts.PersonalToken",
            "admin.LogEntry", "api.IdempotentRequest", "documents.Document", "workflows.DossierTask"} <= places
    logins = AccessLog.objects.filter(username=person.username)
    assert logins.exists()  # when and from where: personal too, if not one of the marks
    files_before = file_hits(folders, marks)
    assert any("/mail/" in name for name in files_before) and any(name.endswith("outbox.log") for name in files_before)
    assert any("/documents/" in name for name in files_before) and set(draft_files) <= files_before

    # The person asks; an officer carries it out from the admin's queue.
    with django_capture_on_commit_callbacks(execute=True):
        erasure = request_erasure(person, f"Tôi là {NAME}")
        admin = Client()
        admin.force_login(StaffFactory(is_staff=True, is_superuser=True))
        admin.post("/admin/accounts/erasurerequest/", {"action": "anonymise_selected", "_selected_action": [erasure.pk]})
    erasure.refresh_from_db()
    assert erasure.status == ErasureRequest.Status.DONE
    assert returned.code in erasure.answer and withdrawn.code in erasure.answer  # what was kept, and until when

    kept = [returned.pk, withdrawn.pk]
    assert set(Dossier.objects.filter(restricted_at__isnull=False).values_list("pk", flat=True)) == set(kept)
    assert not Dossier.objects.filter(pk=draft.pk).exists()
    allowed_rows, allowed_files = archived_rows(kept)
    leaks = {(label, field, pk) for label, field, pk in table_hits(marks) if (label, pk) not in allowed_rows}
    assert leaks == set() and not logins.exists()
    assert file_hits(folders, marks) <= allowed_files
    assert not any(Path(name).exists() for name in draft_files)  # the draft's files went with it
    # The public verification page no longer names the person.
    for document in returned.documents.all():
        assert "holder" not in document.facts
    assert NAME not in Client().get(f"/verify/{returned.documents.get(kind='result').verification_code}/").content.decode()

    # The retention period runs out: nothing of the person is left anywhere.
    later = returned.completed_at + datetime.timedelta(days=366 * (retention.retention_years(returned.procedure) + 1))
    done = retention.enforce(now=later)
    assert done.purged == 2
    assert table_hits(marks) == set()
    assert file_hits(folders, marks) == set()
