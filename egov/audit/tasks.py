from celery import shared_task


@shared_task(name="egov.audit.tasks.seal_audit_trail", ignore_result=True)
def seal_audit_trail():
    """Every minute (beat): seal the records written since the last run."""
    from .sealing import seal

    return seal()


@shared_task(name="egov.audit.tasks.anchor_audit_trail", ignore_result=True)
def anchor_audit_trail():
    """Hourly (beat): write the head of the sealed chain to the anchor file outside the database."""
    from .sealing import anchor, seal

    seal()
    return anchor()
