"""HTML to PDF with WeasyPrint, fetching nothing but the project's own static files (every PDF
the product makes: the documents, the register, the periodic reports).

A template (or a value typed by an applicant that slipped into one) may name any URL:
``http://…`` would let a document leak data or hang a worker, ``file:///etc/passwd``
would read the server's files. The fetcher below serves only files under ``static/``
(fonts, the document stylesheet) and ``data:`` URIs (the QR code); everything else is
refused and noted.
"""

import base64
import io
import logging
from pathlib import Path

import segno
from django.conf import settings
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

STATIC_ROOT_FOR_DOCUMENTS = Path(settings.BASE_DIR) / "static"
BASE_URL = STATIC_ROOT_FOR_DOCUMENTS.as_uri() + "/"


class StaticOnlyFetcher(URLFetcher):
    def __init__(self):
        super().__init__(timeout=1, allowed_protocols={"file", "data"})
        self.refused = []

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if url.startswith("file:"):
            from urllib.parse import unquote, urlparse

            parsed = urlparse(url)
            path = Path(unquote(parsed.path)).resolve()
            if parsed.netloc in ("", "localhost") and path.is_relative_to(STATIC_ROOT_FOR_DOCUMENTS) and path.is_file():
                return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": _mime(path)})
        self.refused.append(url)
        logger.warning("document rendering refused to fetch %s", url)
        raise ValueError(f"documents may not fetch {url}")


def _mime(path):
    return {".ttf": "font/ttf", ".css": "text/css", ".png": "image/png", ".svg": "image/svg+xml"}.get(
        path.suffix.lower(), "application/octet-stream"
    )


def qr_data_uri(text):
    """A QR code as an SVG data URI (no file, no network)."""
    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="svg", scale=4, border=1)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def html_to_pdf(html):
    """Return ``(pdf bytes, refused URLs)``."""
    fetcher = StaticOnlyFetcher()
    pdf = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).write_pdf()
    return pdf, fetcher.refused


def sign_pdf(pdf_bytes):
    """PAdES-sign with the organisation's certificate when one is configured.

    Returns ``(bytes, signer)``; unchanged bytes and an empty signer without a certificate.
    """
    path = getattr(settings, "EGOV_SIGNING_P12", "")
    if not path:
        return pdf_bytes, ""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter

    passphrase = (getattr(settings, "EGOV_SIGNING_P12_PASSWORD", "") or "").encode() or None
    signer = signers.SimpleSigner.load_pkcs12(path, passphrase=passphrase)
    if signer is None:
        raise RuntimeError("the signing certificate could not be loaded")
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes))
    out = io.BytesIO()
    signers.sign_pdf(
        writer,
        signers.PdfSignatureMetadata(field_name="Signature", subfilter=SigSeedSubFilter.PADES),
        signer=signer,
        output=out,
    )
    return out.getvalue(), signer.signing_cert.subject.human_friendly
