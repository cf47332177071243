from celery import shared_task


@shared_task(name="egov.privacy.tasks.enforce_retention", ignore_result=True)
def enforce_retention():
    """Nightly (beat): remove the personal data whose retention period ran out."""
    import dataclasses

    from .retention import enforce

    return dataclasses.asdict(enforce())
