"""Hostile uploads are refused cleanly (a clear 400, nothing stored), never a 500; a PDF that could
act is stored only as a rewrite that cannot (test_passive_pdfs)."""

import hashlib
import io
import socketserver
import threading
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from egov.dossiers.models import Attachment
from tests.conftest import make_pdf
from tests.dossiers.helpers import client_for, upload
from tests.factories import household, household_data


@pytest.fixture
def draft(db):
    """A citizen's draft of the household-business procedure (its paper ``owner_id``: sensitive)."""
    ward = household()
    client = client_for(ward.citizen)
    dossier = client.post("/api/v1/dossiers/", {"procedure": ward.code, "data": household_data(ward)}).json()
    return client, dossier["id"]


def zip_bomb():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.txt", b"0" * 50_000_000)
    return out.getvalue()


def pdf_with_javascript():
    from pypdf import PdfWriter
    from pypdf.actions import JavaScript

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_open_action(JavaScript("app.alert('hello');"))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def png_bomb(width=30000, height=30000):
    from PIL import Image

    out = io.BytesIO()
    Image.new("1", (width, height)).save(out, format="PNG")  # 900 Mpixels by default, a few kB compressed
    return out.getvalue()


@pytest.mark.parametrize("name,content", [
    ("cccd.pdf", b"MZ\x90\x00" + b"\x00" * 4096),  # an executable with a .pdf name
    ("bomb.pdf", zip_bomb()),
    ("huge.png", png_bomb()),
    ("l10.png", png_bomb(12000, 12000)),  # review L10: 144 Mpixels, accepted by Image.verify()
    ("large.png", png_bomb(8000, 6000)),  # 48 Mpixels: under Pillow's own limit, over ours
    ("broken.pdf", b"%PDF-1.7\n" + b"garbage" * 100),
])  # fmt: skip
@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")  # Pillow's own, on opening
def test_hostile_files_are_refused(draft, name, content):
    client, dossier_id = draft
    answer = upload(client, dossier_id, "owner_id", content, name=name)
    assert answer.status_code == 400, answer.content
    assert answer.json()["errors"]["file"]
    assert Attachment.objects.count() == 0


@pytest.mark.parametrize("name,content", [("huge.png", png_bomb()), ("l10.png", png_bomb(12000, 12000))])
@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_an_image_with_too_many_pixels_is_refused_saying_so(draft, name, content):
    client, dossier_id = draft
    answer = upload(client, dossier_id, "owner_id", content, name=name)
    assert answer.status_code == 400
    assert "megapixels" in str(answer.json()["errors"]["file"])


def test_a_pdf_with_javascript_is_stored_without_it(draft):
    """It used to be refused; now every PDF is rewritten (test_passive_pdfs), and the copy kept
    and served has no script left anywhere."""
    import pikepdf

    client, dossier_id = draft
    original = pdf_with_javascript()
    answer = upload(client, dossier_id, "owner_id", original, name="script.pdf")
    assert answer.status_code == 201, answer.content
    stored = Attachment.objects.get()
    with stored.file.open("rb") as handle:
        kept = handle.read()
    with pikepdf.open(io.BytesIO(kept)) as pdf:
        assert len(pdf.pages) == 1
        assert "/OpenAction" not in pdf.Root and "/Names" not in pdf.Root
        every_byte = io.BytesIO()
        pdf.save(every_byte, qdf=True, stream_decode_level=pikepdf.StreamDecodeLevel.all,
                 object_stream_mode=pikepdf.ObjectStreamMode.disable)  # fmt: skip
    assert b"JavaScript" not in every_byte.getvalue() and b"app.alert" not in every_byte.getvalue()
    assert stored.original_sha256 == hashlib.sha256(original).hexdigest() != stored.sha256


def test_an_image_is_decoded_whole_and_stored_as_received(draft):
    from PIL import Image

    client, dossier_id = draft
    out = io.BytesIO()
    Image.effect_noise((3000, 4000), 40).convert("RGB").save(out, format="JPEG")  # 12 Mpixels: a phone's photo
    answer = upload(client, dossier_id, "owner_id", out.getvalue(), name="cccd.jpg")
    assert answer.status_code == 201, answer.content
    stored = Attachment.objects.get()
    with stored.file.open("rb") as handle:
        assert handle.read() == out.getvalue()
    assert stored.sha256 == stored.original_sha256 == hashlib.sha256(out.getvalue()).hexdigest()
    assert stored.size == stored.original_size == len(out.getvalue())


def test_path_traversal_names_are_never_paths(draft):
    client, dossier_id = draft
    answer = upload(client, dossier_id, "owner_id", make_pdf(), name="../../../etc/passwd.pdf")
    assert answer.status_code == 201
    stored = Attachment.objects.get()
    assert stored.original_name == "passwd.pdf"
    assert stored.file.name.startswith(f"dossiers/{dossier_id}/") and ".." not in stored.file.name


def test_a_request_claiming_a_gigabyte_is_cut_off(draft, settings):
    client, dossier_id = draft
    settings.EGOV_MAX_UPLOAD_BYTES = 1024 * 1024
    big = SimpleUploadedFile("big.pdf", make_pdf() + b"%" + b"0" * (2 * 1024 * 1024))
    answer = client.post(f"/api/v1/dossiers/{dossier_id}/attachments/", {"document": "owner_id", "file": big},
                         format="multipart")  # fmt: skip
    assert answer.status_code == 400
    assert Attachment.objects.count() == 0


class _Clamd(socketserver.BaseRequestHandler):
    def handle(self):
        data = b""
        while not data.endswith(b"\0\0\0\0"):
            data += self.request.recv(65536)
        verdict = b"stream: Eicar-Test-Signature FOUND\0" if b"EICAR" in data else b"stream: OK\0"
        self.request.sendall(verdict)


def test_clamav_hook_refuses_what_the_scanner_finds(draft, settings):
    server = socketserver.TCPServer(("127.0.0.1", 0), _Clamd)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.EGOV_CLAMAV_ADDRESS = f"tcp://127.0.0.1:{server.server_address[1]}"
    client, dossier_id = draft
    try:
        infected = make_pdf() + b"\n% X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*\n"
        answer = upload(client, dossier_id, "owner_id", infected, name="virus.pdf")
        assert answer.status_code == 400 and "Eicar" in str(answer.json())
        assert upload(client, dossier_id, "owner_id", make_pdf()).status_code == 201
    finally:
        server.shutdown()
    settings.EGOV_CLAMAV_ADDRESS = "tcp://127.0.0.1:9"  # nothing listens: refuse, do not accept unscanned
    assert upload(client, dossier_id, "owner_id", make_pdf()).status_code == 400
