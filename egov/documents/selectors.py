"""Reads about documents shared by the API, the pages and the catalogue's checks."""

from pathlib import Path

from django.conf import settings

from .models import Document, DocumentTemplate

RESULT_TEMPLATE_DIR = Path(settings.BASE_DIR) / "templates" / "documents" / "results"


def result_template_slugs():
    """Slugs a procedure's ``result.template`` may name: shipped files and admin templates."""
    shipped = {path.stem for path in RESULT_TEMPLATE_DIR.glob("*.html") if not path.stem.startswith("_")}
    return shipped | set(DocumentTemplate.objects.filter(active=True).values_list("slug", flat=True))


def documents_of(dossier):
    return dossier.documents.order_by("created_at")


def by_verification_code(code):
    return Document.objects.select_related("dossier").filter(verification_code=(code or "").upper()).first()
