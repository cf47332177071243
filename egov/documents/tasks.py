from celery import shared_task


@shared_task(
    name="egov.documents.tasks.render_document",
    bind=True,
    autoretry_for=(Exception,),
    retry_backoff=30,
    retry_backoff_max=900,
    max_retries=5,
    ignore_result=True,
)
def render_document_task(self, document_id):
    from .models import Document
    from .services import render

    document = Document.objects.filter(pk=document_id).first()
    if document is not None:
        render(document)


@shared_task(name="egov.documents.tasks.render_stalled_documents", ignore_result=True)
def render_stalled_documents(older_than=None):
    """Every few minutes (beat): documents still pending long after they were asked for.

    A worker killed in the middle of a render leaves its message unacknowledged, and the
    broker gives it back only after its visibility timeout (an hour on Redis); this brings
    the document back sooner. Rendering is idempotent, so a render that was merely slow
    and is now done twice still leaves one document.
    """
    import datetime

    from django.conf import settings
    from django.utils import timezone

    from .models import Document

    seconds = settings.EGOV_DOCUMENT_STALL_SECONDS if older_than is None else older_than
    cutoff = timezone.now() - datetime.timedelta(seconds=seconds)
    stalled = Document.objects.filter(status=Document.Status.PENDING, created_at__lt=cutoff)
    for document_id in stalled.order_by("created_at").values_list("pk", flat=True)[:500]:
        render_document_task.delay(str(document_id))
