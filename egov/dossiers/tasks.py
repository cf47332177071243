"""Celery tasks of the engine."""

from celery import shared_task


@shared_task(name="egov.dossiers.tasks.fire_due_timers", ignore_result=True)
def fire_due_timers():
    """Every minute (beat): flag and escalate step budgets and due dates that ran out."""
    from .services.timers import fire_due_timers as sweep

    return sweep()
