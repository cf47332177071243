"""Checking an uploaded paper by its content, never by its name.

The type is detected from the bytes (``filetype``) and must be one the procedure accepts
for that document and agree with the extension the applicant gave; PDFs must parse and
images must decode within Pillow's decompression-bomb limit. Anything else is refused
with a clear message, before anything is stored.
"""

import hashlib
import io
from dataclasses import dataclass

import filetype
from django.utils.translation import gettext as _

from egov.common.errors import InvalidInput

# Extensions that name the same kind of content.
SAME_KIND = {"jpg": "jpg", "jpeg": "jpg", "png": "png", "pdf": "pdf", "tif": "tif", "tiff": "tif"}
CONTENT_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png", "tif": "image/tiff"}


@dataclass(frozen=True)
class CheckedFile:
    extension: str
    content_type: str
    size: int
    sha256: str
    original_name: str


def check_upload(uploaded, document):
    """Return what the file is, or raise :class:`InvalidInput` naming the problem."""
    size = uploaded.size
    if size == 0:
        raise InvalidInput(errors={"file": [_("The file is empty.")]})
    if size > document.max_bytes:
        raise InvalidInput(
            errors={"file": [_("The file is larger than %(mb)s MB.") % {"mb": document.max_mb}]}
        )
    uploaded.seek(0)
    head = uploaded.read(8192)
    kind = filetype.guess(head)
    detected = SAME_KIND.get(kind.extension) if kind else None
    allowed = {SAME_KIND.get(ext, ext) for ext in document.file_types}
    if detected is None or detected not in allowed:
        raise InvalidInput(
            errors={"file": [_("This kind of file is not accepted here; accepted: %(types)s.")
                             % {"types": ", ".join(document.file_types)}]}
        )  # fmt: skip
    name = (uploaded.name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:200]
    declared = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if declared and SAME_KIND.get(declared) != detected:
        raise InvalidInput(
            errors={"file": [_("The file's content does not match its extension .%(ext)s.") % {"ext": declared}]}
        )
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
    _check_content(uploaded, detected)
    _scan(uploaded)
    uploaded.seek(0)
    return CheckedFile(
        extension=detected,
        content_type=CONTENT_TYPES[detected],
        size=size,
        sha256=digest.hexdigest(),
        original_name=name or f"file.{detected}",
    )


def _scan(uploaded):
    from .antivirus import ScanError, scan

    try:
        found = scan(uploaded)
    except ScanError:
        message = _("The file could not be checked for viruses; try again later.")
        raise InvalidInput(errors={"file": [message]})
    if found:
        message = _("The file contains a virus (%(name)s) and was refused.") % {"name": found}
        raise InvalidInput(errors={"file": [message]})


# Active content a PDF may carry; scans of papers have no reason to. (Long names only: a
# short one such as /JS could occur by chance inside compressed data.)
PDF_ACTIVE = (b"/JavaScript", b"/Launch", b"/EmbeddedFile", b"/RichMedia", b"/XFA")
SCRIPT_ACTIONS = ("/JavaScript", "/Launch")


def _pdf_is_passive(data, reader):
    if any(marker in data for marker in PDF_ACTIVE):
        return False
    root = reader.trailer.get("/Root", {})
    opening = root.get("/OpenAction")
    opening = opening.get_object() if opening is not None else None
    if isinstance(opening, dict) and opening.get("/S") in SCRIPT_ACTIONS:
        return False
    if "/AA" in root or "/JavaScript" in (root.get("/Names") or {}):
        return False
    for page in reader.pages:
        for annotation in page.get("/Annots", []) or []:
            action = annotation.get_object().get("/A", {})
            if action and action.get("/S") in SCRIPT_ACTIONS:
                return False
    return True


def _check_content(uploaded, detected):
    uploaded.seek(0)
    data = uploaded.read()
    try:
        if detected == "pdf":
            from pypdf import PdfReader

            reader = PdfReader(io.BytesIO(data), strict=False)
            if len(reader.pages) < 1:
                raise ValueError("no pages")
            if not _pdf_is_passive(data, reader):
                raise _ActiveContent()
        else:
            from PIL import Image

            with Image.open(io.BytesIO(data)) as image:
                image.verify()
    except _ActiveContent:
        raise InvalidInput(errors={"file": [_("PDF files with scripts or embedded files are not accepted.")]})
    except Exception:  # any parser error means we cannot trust or show the file
        raise InvalidInput(errors={"file": [_("The file is damaged or cannot be read.")]})


class _ActiveContent(Exception):
    pass
