"""Checking an uploaded paper by its content, never by its name, and keeping a copy that cannot act.

The type is detected from the bytes (``filetype``) and must be one the procedure accepts
for that document and agree with the extension the applicant gave. Images must decode in
full within a pixel limit. A PDF is never trusted to be passive, and nothing tries to tell
whether it is: every one is rewritten (pikepdf, on qpdf) into a new file that keeps its
pages (geometry, content, fonts, images) and nothing else, so no script, action, form or
embedded file reaches an officer's reader. That copy is what is stored and served; the size
and SHA-256 of the bytes received are kept beside it as evidence. Anything else is refused
with a clear message, before anything is stored.
"""

import functools
import hashlib
import io
from dataclasses import dataclass

import filetype
from django.utils.translation import gettext as _

from egov.common.errors import InvalidInput

# Extensions that name the same kind of content.
SAME_KIND = {"jpg": "jpg", "jpeg": "jpg", "png": "png", "pdf": "pdf", "tif": "tif", "tiff": "tif"}
CONTENT_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png", "tif": "image/tiff"}

# A scan of an A4 page at 600 dpi is 35 megapixels. Beyond this an image is refused before it
# is decoded: a few kilobytes of PNG can otherwise stand for gigabytes of pixels.
MAX_IMAGE_PIXELS = 40_000_000
# A multi-page TIFF is decoded page by page; this bounds what all its pages together may cost.
MAX_IMAGE_PIXELS_IN_ALL = 10 * MAX_IMAGE_PIXELS

# qpdf decodes object streams while it parses, and a few kilobytes of them can stand for
# gigabytes. No sound paper has one stream this large decoded; images are copied without
# being decoded.
PDF_MAX_DECODED_STREAM = 64 * 2**20


@dataclass(frozen=True)
class CheckedFile:
    extension: str
    content_type: str
    content: bytes  # what is stored and served: for a PDF the rewritten copy, for an image the upload
    size: int  # of ``content``
    sha256: str  # of ``content``
    original_size: int  # of the bytes received
    original_sha256: str  # of the bytes received
    original_name: str


def check_upload(uploaded, document):
    """Return what the file is and what to store, or raise :class:`InvalidInput` naming the problem."""
    size = uploaded.size
    if size == 0:
        raise InvalidInput(errors={"file": [_("The file is empty.")]})
    if size > document.max_bytes:
        raise InvalidInput(errors={"file": [_("The file is larger than %(mb)s MB.") % {"mb": document.max_mb}]})
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
    uploaded.seek(0)
    received = uploaded.read()
    if detected == "pdf":
        content = passive_pdf(received)
    else:
        _check_image(received)
        content = received
    # The scanner reads what was sent, not the copy: a virus is refused even where the rewrite
    # would have left it behind.
    _scan(uploaded)
    uploaded.seek(0)
    return CheckedFile(
        extension=detected,
        content_type=CONTENT_TYPES[detected],
        content=content,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        original_size=len(received),
        original_sha256=hashlib.sha256(received).hexdigest(),
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


def _damaged():
    return InvalidInput(errors={"file": [_("The file is damaged or cannot be read.")]})


# --- images -----------------------------------------------------------------------------------


def _check_image(data):
    """Decode every pixel of every frame (``verify()`` reads no pixels), once its size is known
    to be bounded, so what a decoder rejects is refused here. (Where WeasyPrint has been
    imported Pillow accepts truncated data, process-wide; a browser shows such an image too.)"""
    from PIL import Image, ImageSequence

    in_all = 0
    try:
        with Image.open(io.BytesIO(data)) as image:
            for frame in ImageSequence.Iterator(image):
                pixels = frame.width * frame.height
                in_all += pixels
                if pixels > MAX_IMAGE_PIXELS:
                    raise _TooManyPixels(pixels)
                if in_all > MAX_IMAGE_PIXELS_IN_ALL:
                    raise _TooManyPixels(None)
                frame.load()
    except (_TooManyPixels, Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        # Pillow's own, higher limit may trip first, on opening; the refusal is the same.
        raise _too_many_pixels(getattr(error, "pixels", None))
    except Exception:  # any decoder error means we cannot trust or show the file
        raise _damaged()


class _TooManyPixels(Exception):
    def __init__(self, pixels):
        super().__init__(pixels)
        self.pixels = pixels


def _too_many_pixels(found):
    most = MAX_IMAGE_PIXELS // 1_000_000
    if found is None:
        message = _("The image has too many pixels; at most %(most)d megapixels are accepted. "
                    "Scan the paper at a lower resolution.") % {"most": most}  # fmt: skip
    else:
        message = _("The image has %(found)d megapixels; at most %(most)d are accepted. "
                    "Scan the paper at a lower resolution.") % {"found": found // 1_000_000, "most": most}  # fmt: skip
    return InvalidInput(errors={"file": [message]})


# --- PDFs -------------------------------------------------------------------------------------

# What a page keeps: where it is drawn and what is drawn on it. Everything else a page may
# carry (/Annots: links, form widgets, attached files, media; /AA; /Thumb; /B; /PieceInfo;
# /Metadata; /AF) stays behind, whatever it is and however its name was spelt: nothing is
# looked for, so nothing can be hidden from the looking.
PAGE_KEEPS = (
    "/MediaBox", "/CropBox", "/BleedBox", "/TrimBox", "/ArtBox", "/Rotate", "/UserUnit", "/Group",
    "/Contents", "/Resources",
)  # fmt: skip
RESOURCE_KEEPS = ("/ExtGState", "/ColorSpace", "/Pattern", "/Shading", "/XObject", "/Font", "/ProcSet", "/Properties")
# What the new catalogue takes from the old one besides its pages: the optional-content
# settings, without which layered content would show differently. (They hold no actions.)
CATALOG_KEEPS = ("/OCProperties",)

# The copied pages and resources may still reach, through a crafted reference, a dictionary
# that was an action, a form, a file or a catalogue. These keys are removed wherever they are
# found and those dictionaries emptied, so whatever was reached is inert data.
INERT_KEYS = frozenset({
    "/A", "/AA", "/OpenAction", "/Next", "/PA", "/JS", "/JavaScript", "/URI", "/AcroForm", "/XFA", "/NeedsRendering",
    "/Names", "/Dests", "/Outlines", "/Annots", "/EmbeddedFiles", "/EF", "/FS", "/AF", "/RichMediaContent",
    "/Ref", "/OPI", "/Collection", "/Threads",
})  # fmt: skip
# A stream with /F takes its data from another file or a URL.
EXTERNAL_STREAM_KEYS = ("/F", "/FFilter", "/FDecodeParms")
ACTION_TYPES = frozenset({
    "/GoTo", "/GoToR", "/GoToE", "/GoToDp", "/Launch", "/Thread", "/URI", "/Sound", "/Movie", "/Hide", "/Named",
    "/SubmitForm", "/ResetForm", "/ImportData", "/JavaScript", "/SetOCGState", "/Rendition", "/Trans",
    "/GoTo3DView", "/RichMediaExecute",
})  # fmt: skip
FILE_TYPES = frozenset({"/Filespec", "/EmbeddedFile", "/Action"})


@functools.cache
def _qpdf():
    """pikepdf, imported when a PDF first comes (not by every process that loads the services),
    with qpdf's decoding bounded. The limits are process-wide; nothing else here uses qpdf."""
    import pikepdf

    pikepdf.settings.set_qpdf_limits(
        flate_max_memory=PDF_MAX_DECODED_STREAM,
        png_max_memory=PDF_MAX_DECODED_STREAM,
        run_length_max_memory=PDF_MAX_DECODED_STREAM,
        tiff_max_memory=PDF_MAX_DECODED_STREAM,
    )
    return pikepdf


def passive_pdf(data):
    """The bytes of a new PDF holding ``data``'s pages and nothing that can act, or
    :class:`InvalidInput` when ``data`` cannot be read (or is locked with a password)."""
    pikepdf = _qpdf()
    try:
        with pikepdf.open(io.BytesIO(data)) as source:
            if len(source.pages) < 1:
                raise ValueError("no pages")
            _flatten_annotations(source)
            clean = pikepdf.new()
            for page in source.pages:
                clean.pages.append(pikepdf.Page(clean.copy_foreign(_bare_page(source, page))))
            for key in CATALOG_KEEPS:
                value = source.Root.get(key)
                if value is not None:
                    clean.Root[key] = clean.copy_foreign(source.make_indirect(value))
            _make_inert(clean)
            out = io.BytesIO()
            # Saved whole and unencrypted, stream data copied as it is (never decoded here, so
            # never inflated), object streams written anew by qpdf itself.
            clean.save(out, min_version=source.pdf_version, stream_decode_level=pikepdf.StreamDecodeLevel.none,
                       object_stream_mode=pikepdf.ObjectStreamMode.generate, deterministic_id=True)  # fmt: skip
            pages = len(source.pages)
        rewritten = out.getvalue()
        with pikepdf.open(io.BytesIO(rewritten)) as check:
            if len(check.pages) != pages:
                raise ValueError("pages lost in the rewrite")
        return rewritten
    except pikepdf.PasswordError:
        raise InvalidInput(errors={"file": [_("This PDF is protected by a password; upload a copy "
                                              "that opens without one.")]})  # fmt: skip
    except Exception:  # any parser error means we cannot trust or show the file
        raise _damaged()


def _flatten_annotations(source):
    """Draw what the visible annotations show (a filled-in form field, a stamp) into the page
    content, so that dropping them loses no text the applicant wrote."""
    try:
        if "/AcroForm" in source.Root:
            source.generate_appearance_streams()
        source.flatten_annotations("all")
    except Exception:  # qpdf found them too odd to draw: they are dropped all the same, unseen
        pass


def _bare_page(source, page):
    """A new page object in ``source`` with only :data:`PAGE_KEEPS` (inherited values included:
    pikepdf.open pushes them down to the pages), ready to be copied into the clean file."""
    import pikepdf

    bare = pikepdf.Dictionary(Type=pikepdf.Name.Page)
    for key in PAGE_KEEPS:
        value = page.obj.get(key)
        if value is None:
            continue
        if key == "/Resources" and isinstance(value, pikepdf.Dictionary):
            value = pikepdf.Dictionary({k: value[k] for k in RESOURCE_KEEPS if k in value})
        bare[key] = value
    return source.make_indirect(bare)


def _make_inert(pdf):
    """Remove :data:`INERT_KEYS` from every dictionary of ``pdf``, and empty actions and file
    specifications wherever they are, so what a crafted reference reached cannot act."""
    import pikepdf

    seen = set()
    stack = list(pdf.objects)
    while stack:  # a loop, not recursion: a hostile file may nest deeply
        item = stack.pop()
        if not isinstance(item, (pikepdf.Dictionary, pikepdf.Stream, pikepdf.Array)):
            continue
        if item.is_indirect:
            if item.objgen in seen:
                continue
            seen.add(item.objgen)
        if isinstance(item, pikepdf.Array):
            stack.extend(item)
            continue
        if _acts(item):
            for key in list(item.keys()):
                del item[key]
            if isinstance(item, pikepdf.Stream):
                item.write(b"")
            continue
        for key in list(item.keys()):
            if key in INERT_KEYS or (isinstance(item, pikepdf.Stream) and key in EXTERNAL_STREAM_KEYS):
                del item[key]
        stack.extend(item.values())


def _acts(item):
    import pikepdf

    kind, subtype = item.get("/Type"), item.get("/S")
    return (isinstance(kind, pikepdf.Name) and str(kind) in FILE_TYPES) or (
        isinstance(subtype, pikepdf.Name) and str(subtype) in ACTION_TYPES
    )
