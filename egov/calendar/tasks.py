from celery import shared_task


@shared_task(name="egov.calendar.tasks.seed_coming_years", ignore_result=True)
def seed_coming_years():
    """Daily (beat): this year's and next year's holidays are in the calendar before a due
    date needs them (a computation only reads the calendar)."""
    from .services import seed_coming_years as seed

    return seed()
