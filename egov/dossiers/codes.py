"""Dossier codes: ``<receiving unit code>-<YYMMDD>-<NNNN>`` (domain notes, section 5).

The number is taken from a counter row per unit and day, locked for the rest of the
submitting transaction: parallel submissions to one unit queue on that row and each
gets the next number. A rolled-back submission may leave a gap; never a duplicate.
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import DossierCodeCounter


def allocate_code(agency, moment=None):
    assert transaction.get_connection().in_atomic_block, "allocate a code inside the submitting transaction"
    day = timezone.localtime(moment or timezone.now()).date()
    # Insert the day's row if missing without failing when a parallel transaction did
    # the same (ON CONFLICT DO NOTHING), then lock it.
    DossierCodeCounter.objects.bulk_create([DossierCodeCounter(agency=agency, day=day)], ignore_conflicts=True)
    counter = DossierCodeCounter.objects.select_for_update().get(agency=agency, day=day)
    counter.last += 1
    counter.save(update_fields=["last"])
    return settings.EGOV_DOSSIER_CODE_FORMAT.format(unit=agency.code, date=day, seq=counter.last)
