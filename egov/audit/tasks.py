from celery import shared_task


@shared_task(name="egov.audit.tasks.seal_audit_trail", ignore_result=True)
def seal_audit_trail():
    from .sealing import seal

    return seal()
