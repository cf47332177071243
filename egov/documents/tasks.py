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
