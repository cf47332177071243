"""Reads about documents shared by the API, the pages and the catalogue's checks."""

from pathlib import Path

from .models import Document, DocumentTemplate


def result_template_slugs():
    """Slugs a procedure's ``result.template`` may name: shipped files (the project's and the
    plug-ins'), and administrators' templates."""
    from django.template import engines

    folders = [Path(d) / "documents" / "results" for d in engines["django"].template_dirs]
    shipped = {p.stem for folder in folders for p in folder.glob("*.html") if not p.stem.startswith("_")}
    return shipped | set(DocumentTemplate.objects.filter(active=True).values_list("slug", flat=True))


def documents_of(dossier):
    return dossier.documents.order_by("created_at")


def by_verification_code(code):
    return Document.objects.select_related("dossier").filter(verification_code=(code or "").upper()).first()
