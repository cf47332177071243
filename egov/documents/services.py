"""Making documents: one pending row per (event, kind), rendered after commit in Celery.

Rendering is idempotent: a document already made is left alone, a failed one is retried
(Celery backoff) and its error stays visible to staff until it succeeds.
"""

import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation

from egov.common.pdf import html_to_pdf, sign_pdf
from egov.common.sandbox import render_sandboxed
from egov.common.tasks import enqueue_after_commit
from egov.integrations import events

from .context import dossier_context, key_facts
from .models import Document, DocumentTemplate, Kind

TEMPLATES = {
    Kind.RECEIPT: "documents/receipt.html",
    Kind.SUPPLEMENT_REQUEST: "documents/supplement_request.html",
    Kind.REFUSAL: "documents/refusal.html",
    Kind.APOLOGY: "documents/apology.html",
    Kind.STOP_NOTICE: "documents/stop_notice.html",
    Kind.CONTROL_SLIP: "documents/control_slip.html",
    Kind.FEE_RECEIPT: "documents/fee_receipt.html",
}


def request_document(dossier, kind, event=None, requested_by=None):
    """Create the pending document (once per event) and render it after commit."""
    template = dossier.spec.result_template if kind == Kind.RESULT else ""
    if event is not None:
        document, created = Document.objects.get_or_create(
            source_event=event, kind=kind, defaults={"dossier": dossier, "template": template}
        )
    else:
        document, created = Document.objects.create(dossier=dossier, kind=kind, template=template,
                                                    requested_by=requested_by), True  # fmt: skip
    if created or document.status == Document.Status.FAILED:
        from .tasks import render_document_task

        enqueue_after_commit(render_document_task, str(document.pk))
    return document


def result_html(document, ctx):
    custom = DocumentTemplate.objects.filter(slug=document.template, active=True).first()
    if custom is not None:
        body = render_sandboxed(custom.body, ctx)
        return render_to_string("documents/results/_custom.html", {**ctx, "body": body})
    try:
        get_template(f"documents/results/{document.template}.html")
        name = f"documents/results/{document.template}.html"
    except Exception:
        name = "documents/results/_generic.html"
    return render_to_string(name, ctx)


def render(document):
    """Render ``document`` now (idempotent). Raises on failure after recording it."""
    document = Document.objects.select_related("dossier", "source_event__actor").get(pk=document.pk)
    if document.status in (Document.Status.READY, Document.Status.SUPERSEDED):
        return document
    try:
        with translation.override(settings.LANGUAGE_CODE):
            actor = document.source_event.actor if document.source_event_id else document.requested_by
            ctx = dossier_context(document, document.dossier, {"officer": actor.full_name if actor else ""})
            if document.kind == Kind.RESULT:
                html = result_html(document, ctx)
            else:
                html = render_to_string(TEMPLATES[document.kind], ctx)
            pdf, _refused = html_to_pdf(html)
            pdf, signer = sign_pdf(pdf)
            facts = key_facts(ctx)
    except Exception as exc:
        Document.objects.filter(pk=document.pk).update(
            status=Document.Status.FAILED, attempts=document.attempts + 1, error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        raise
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document.pk)
        if document.status == Document.Status.READY:
            return document
        document.file.save(f"{document.pk}.pdf", ContentFile(pdf), save=False)
        document.sha256 = hashlib.sha256(pdf).hexdigest()
        document.size = len(pdf)
        document.facts = facts
        document.signer = signer
        document.status = Document.Status.READY
        document.attempts += 1
        document.error = ""
        document.rendered_at = timezone.now()
        document.save()
        # A newer paper of the same kind replaces the older one (a second receipt after a
        # supplement, a regenerated control slip): the verification page says so.
        older = Document.objects.filter(
            dossier=document.dossier,
            kind=document.kind,
            status=Document.Status.READY,
            created_at__lt=document.created_at,
        )
        older.update(status=Document.Status.SUPERSEDED)

        events.emit(events.DOCUMENT_GENERATED, document.dossier, document=str(document.pk), kind=document.kind,
                    verification_code=document.verification_code, sha256=document.sha256)  # fmt: skip
    return document
