"""Reads of the catalogue shared by the portal, the API and the engine."""

from django.db.models import Q
from django.utils import timezone

from egov.common.text_search import fold

from .models import ProcedureVersion


def in_force(moment=None):
    """Published versions taking new dossiers at ``moment`` (one per procedure)."""
    moment = moment or timezone.now()
    return ProcedureVersion.objects.filter(
        Q(effective_to__isnull=True) | Q(effective_to__gt=moment),
        status=ProcedureVersion.Status.PUBLISHED,
        effective_from__lte=moment,
    )


def version_in_force(code, moment=None):
    return in_force(moment).filter(procedure__code=code).select_related("procedure", "sector").first()


def search(queryset, text="", sector=None, level=None, online_level=None, agency=None):
    """Filter a version queryset; text search folds Vietnamese diacritics, every word must match."""
    for word in fold(text).split():
        queryset = queryset.filter(search_text__contains=word)
    if sector:
        queryset = queryset.filter(sector__code=sector)
    if level:
        queryset = queryset.filter(level=level)
    if online_level:
        queryset = queryset.filter(online_level=online_level)
    if agency is not None:
        # Procedures naming the agency, and those decided per dossier at the agency's level.
        queryset = queryset.filter(
            Q(agencies=agency) | Q(deciding_agency__isnull=True, deciding_level=agency.level)
        ).distinct()
    return queryset


def catalogue(**filters):
    return search(in_force(), **filters).select_related("procedure", "sector").order_by("sector__name", "name")


def versions_of(code):
    return (
        ProcedureVersion.objects.filter(procedure__code=code)
        .select_related("procedure", "sector")
        .order_by("-number")
    )
