"""Documents made on the engine's events: real PDFs, read back; verification; safety."""

import datetime
import hashlib
import io
import re
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from unittest import mock

import pytest
from django.test import Client
from pypdf import PdfReader

from egov.common.pdf import html_to_pdf
from egov.common.sandbox import check_template
from egov.common.vocabulary import Role
from egov.documents import services
from egov.documents.models import Document, DocumentTemplate
from tests.dossiers.helpers import client_for, upload
from tests.factories import AgencyFactory, CitizenFactory, officer

from .conftest import file_with, step


def pdf_text(document):
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


def normal(text):
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def run_after_commit(django_capture_on_commit_callbacks):
    """Run the after-commit work (Celery is eager in tests) as a committed request would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_documents_through_acceptance_supplement_apology_and_issue(ward, run_after_commit, settings):
    settings.LANGUAGE_CODE = "vi"  # the legal forms are made in the default language
    citizen, stranger = ward.citizen, CitizenFactory()
    with run_after_commit():
        dossier = file_with(ward)
        step(ward, dossier["id"], "accept")
    with run_after_commit():
        step(ward, dossier["id"], "supplement", {"documents": ["owner_id"]}, "Ảnh chụp giấy tờ bị mờ")
    with run_after_commit():
        upload(client_for(citizen), dossier["id"], "owner_id")
        assert client_for(citizen).post(f"/api/v1/dossiers/{dossier['id']}/supplement/").status_code == 200
    with run_after_commit():
        due = datetime.datetime.fromisoformat(client_for(citizen).get(f"/api/v1/dossiers/{dossier['id']}/").json()["due_at"])
        answer = client_for(ward.approver).post(
            f"/api/v1/dossiers/{dossier['id']}/apologise/",
            {"new_due_at": (due + datetime.timedelta(days=5)).isoformat(), "reason": "Chờ xác minh địa điểm"},
        )
        assert answer.status_code == 200
    with run_after_commit():
        for outcome in ["forward", "approve", "issue"]:
            step(ward, dossier["id"], outcome)

    listed = client_for(citizen).get(f"/api/v1/dossiers/{dossier['id']}/documents/").json()
    kinds = [row["kind"] for row in listed]
    assert kinds == ["receipt", "supplement_request", "apology", "result"]
    assert all(row["status"] == "ready" and row["download"] for row in listed)

    full = client_for(citizen).get(f"/api/v1/dossiers/{dossier['id']}/").json()
    code, name = full["code"], citizen.full_name
    texts = {}
    for row in listed:
        document = Document.objects.get(pk=row["id"])
        assert hashlib.sha256(document.file.open("rb").read()).hexdigest() == row["sha256"]
        texts[row["kind"]] = normal(pdf_text(document))
        assert code in texts[row["kind"]] or row["kind"] == "result" and code in texts[row["kind"]]
        assert name in texts[row["kind"]] or name.upper() in texts[row["kind"]]
    due_local = datetime.datetime.fromisoformat(full["due_at"])
    assert due_local.strftime("%d/%m/%Y") in texts["receipt"]
    assert "Giấy đề nghị đăng ký hộ kinh doanh" in texts["receipt"]
    # A walk-in follows the dossier from the paper: the key, the register entry, the sets.
    assert full["lookup_key"] in texts["receipt"]  # its text, for a reader or a screen reader
    year = datetime.datetime.fromisoformat(full["submitted_at"]).year
    assert f"quyển {year}, số 1" in texts["receipt"] and "Số lượng hồ sơ: 01" in texts["receipt"]
    assert "Ảnh chụp giấy tờ bị mờ" in texts["supplement_request"]
    assert "Chờ xác minh địa điểm" in texts["apology"]
    assert full["data"]["business_name"].upper() in texts["result"]

    # The download is for those who may see the dossier only.
    download = listed[0]["download"].replace("http://testserver", "")
    assert client_for(citizen).get(download)["Content-Type"] == "application/pdf"
    assert client_for(stranger).get(download).status_code == 404
    assert client_for(stranger).get(f"/api/v1/dossiers/{dossier['id']}/documents/").status_code == 404


def test_regenerating_is_idempotent_and_failures_are_visible_and_retried(ward, run_after_commit):
    from egov.integrations.dispatch import dispatch
    from egov.integrations.models import OutboxEvent

    dossier = file_with(ward)
    failing = mock.patch("egov.documents.services.html_to_pdf", side_effect=RuntimeError("font server down"))
    with failing, run_after_commit():
        step(ward, dossier["id"], "accept")
    receipt = Document.objects.get(dossier_id=dossier["id"], kind="receipt")
    assert receipt.status == "failed" and "font server down" in receipt.error and receipt.attempts >= 1
    staff_view = client_for(ward.intake).get(f"/api/v1/dossiers/{dossier['id']}/documents/").json()
    assert staff_view[0]["status"] == "failed" and "font server down" in staff_view[0]["error"]
    services.render(receipt)  # the retry
    receipt.refresh_from_db()
    assert receipt.status == "ready" and receipt.error == ""
    event = OutboxEvent.objects.get(dossier_id=dossier["id"], type="dossier.accepted")
    OutboxEvent.objects.filter(pk=event.pk).update(dispatched_at=None)
    with run_after_commit():
        dispatch(event.pk)  # delivered again
    assert Document.objects.filter(dossier_id=dossier["id"], kind="receipt").count() == 1


def test_verification_page_reports_unknown_superseded_and_tampered(ward, run_after_commit):
    with run_after_commit():
        dossier = file_with(ward)
        step(ward, dossier["id"], "accept")
    receipt = Document.objects.get(dossier_id=dossier["id"], kind="receipt")
    text = pdf_text(receipt)
    url = re.search(r"http://\S+/verify/(\w+)/", text)
    assert url and url.group(1) == receipt.verification_code
    web = Client()
    page = web.get(f"/verify/{receipt.verification_code}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert receipt.sha256 in body and dossier["code"] in body and "N. V. An" in body
    assert web.get(f"/verify/{receipt.verification_code}/", {"sha256": receipt.sha256}).context["check"] == "match"
    original = receipt.file.open("rb").read()
    tampered = original.replace(b"%%EOF", b"%%EOF\n% edited")
    from django.core.files.uploadedfile import SimpleUploadedFile

    answer = web.post(f"/verify/{receipt.verification_code}/", {"file": SimpleUploadedFile("r.pdf", tampered)})
    assert answer.context["check"] == "mismatch" and "NOT" in answer.content.decode()
    assert web.get("/verify/NOSUCHCODE/").status_code == 404
    again = services.request_document(receipt.dossier, "receipt")
    services.render(again)
    receipt.refresh_from_db()
    assert receipt.status == "superseded"
    assert "superseded" in web.get(f"/verify/{receipt.verification_code}/").content.decode().lower()


class _Counter(BaseHTTPRequestHandler):
    hits = 0

    def do_GET(self):  # noqa: N802
        type(self).hits += 1
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"body { color: red }")

    def log_message(self, *args):
        pass


def test_rendering_fetches_nothing_from_the_network_or_the_disk():
    server = HTTPServer(("127.0.0.1", 0), _Counter)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    html = f"""<html><head><link rel="stylesheet" href="http://127.0.0.1:{port}/x.css">
      <link rel="stylesheet" href="file:///etc/passwd"></head>
      <body><img src="http://127.0.0.1:{port}/tracker.png"><img src="file:///etc/hostname">
      <p style="background: url(../../../../etc/passwd)">Xin chào Việt Nam</p></body></html>"""
    try:
        pdf, refused = html_to_pdf(html)
    finally:
        server.shutdown()
    assert _Counter.hits == 0
    assert any("127.0.0.1" in url for url in refused) and any("/etc/passwd" in url for url in refused)
    assert "Xin chào Việt Nam" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


@pytest.mark.parametrize("body", [
    "{% load static %}{% static 'x' %}", "{% include 'base.html' %}", "{% extends 'base.html' %}", "{% debug %}",
    "{% if %}",
])
def test_sandbox_refuses_dangerous_templates(body):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        check_template(body)


def test_admin_template_renders_escaped_in_the_sandbox(ward, run_after_commit):
    DocumentTemplate.objects.create(
        slug="household-business-certificate", name="Mẫu riêng",
        body="<p>Chủ hộ: {{ applicant.full_name }}</p><p>{{ data.business_name }}</p>",
    )
    data = {"business_name": "<script>alert(1)</script> Gió Lào"}

    with run_after_commit():
        dossier = file_with(ward, **data)
        for outcome in ["accept", "forward", "approve", "issue"]:
            step(ward, dossier["id"], outcome)
    result = Document.objects.get(dossier_id=dossier["id"], kind="result")
    assert result.status == "ready", result.error
    text = normal(pdf_text(result))
    assert "Chủ hộ: Nguyễn Văn An" in text and "<script>alert(1)</script> Gió Lào" in text


def test_results_are_signed_when_a_certificate_is_configured(ward, run_after_commit, settings, tmp_path):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "UBND phường Đông Hà (test)"),
                      x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
            .sign(key, hashes.SHA256()))
    p12 = tmp_path / "org.p12"
    p12.write_bytes(pkcs12.serialize_key_and_certificates(
        b"org", key, cert, None, serialization.BestAvailableEncryption(b"secret")))
    settings.EGOV_SIGNING_P12 = str(p12)
    settings.EGOV_SIGNING_P12_PASSWORD = "secret"
    with run_after_commit():
        dossier = file_with(ward)
        step(ward, dossier["id"], "accept")
    receipt = Document.objects.get(dossier_id=dossier["id"], kind="receipt")
    assert receipt.status == "ready", receipt.error
    assert "Đông Hà (test)" in receipt.signer
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    root = asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
    with receipt.file.open("rb") as handle:
        reader = PdfFileReader(io.BytesIO(handle.read()))
        status = validate_pdf_signature(reader.embedded_signatures[0], ValidationContext(trust_roots=[root]))
    assert status.intact and status.valid and status.trusted
    assert "Đông Hà (test)" in Client().get(f"/verify/{receipt.verification_code}/").content.decode()


REFERENCE_MOMENT = datetime.datetime(2026, 3, 2, 2, 0, tzinfo=datetime.UTC)  # 09:00 in Hà Nội time


def render_reference_receipt(ward, tmp_path):
    """A receipt with every variable part pinned, rendered to a PNG page."""

    from egov.dossiers.models import Dossier

    dossier = file_with(ward)
    step(ward, dossier["id"], "accept")
    Dossier.objects.filter(pk=dossier["id"]).update(
        code="000.17.22.H56-260302-0001", lookup_key="K7M2QX9P", submitted_at=REFERENCE_MOMENT, accepted_at=REFERENCE_MOMENT,
        due_at=datetime.datetime(2026, 3, 5, 10, 0, tzinfo=datetime.UTC),
    )
    document = Document.objects.create(dossier_id=dossier["id"], kind="receipt", verification_code="REFERENCE2")
    with mock.patch("django.utils.timezone.now", return_value=REFERENCE_MOMENT):
        services.render(document)
    document.refresh_from_db()
    # Rasterised at 50 dpi by PDFium (pypdfium2, installed from PyPI with the test tools).
    import pypdfium2

    pdf = pypdfium2.PdfDocument(document.file.open("rb").read())
    image = pdf[0].render(scale=50 / 72).to_pil()
    image.save(tmp_path / "receipt.png")
    return tmp_path / "receipt.png"


def test_receipt_looks_like_the_reference_image(ward, tmp_path, settings):
    """The reference PNG was checked by eye; a layout or font regression changes many pixels."""
    from pathlib import Path

    from PIL import Image, ImageChops

    settings.SITE_URL = "https://motcua.quangtri.gov.vn"
    settings.LANGUAGE_CODE = "vi"  # the legal forms are Vietnamese
    rendered = Image.open(render_reference_receipt(ward, tmp_path)).convert("L")
    reference = Image.open(Path(__file__).parent / "data" / "receipt-vi.png").convert("L")
    assert rendered.size == reference.size
    difference = ImageChops.difference(rendered, reference)
    changed = sum(1 for value in difference.get_flattened_data() if value > 64)
    assert changed / (rendered.width * rendered.height) < 0.01, changed


def test_dossier_register_for_a_unit_and_period(ward):
    import datetime as dt

    other_desk = officer(Role.INTAKE_OFFICER, AgencyFactory())  # the desk of another commune
    first = file_with(ward)
    second = file_with(ward, CitizenFactory(full_name="Trần Thị Bình"))
    today = dt.date.today().isoformat()
    desk, unit = client_for(ward.intake), ward.agency.code
    answer = desk.get("/api/v1/register/", {"agency": unit, "from": today, "to": today})
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(answer.content))
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height  # A4 landscape
    text = normal("\n".join(page.extract_text() for page in reader.pages))
    assert first["code"] in text and second["code"] in text and "Trần Thị Bình" in text
    assert client_for(other_desk).get(
        "/api/v1/register/", {"agency": unit, "from": today, "to": today}).status_code == 404
    assert desk.get("/api/v1/register/", {"agency": unit, "from": today}).status_code == 400
