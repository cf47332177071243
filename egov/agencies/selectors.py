"""Reads about agencies shared by the engine, the pages and the API."""

from .models import Agency


def active_agency(code):
    """The active agency with this unit code, or None."""
    if not code:
        return None
    return Agency.objects.filter(code=code, active=True).first()
