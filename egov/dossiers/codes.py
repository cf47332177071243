"""Dossier codes: ``<receiving unit code>-<YYMMDD>-<NNNN>`` (domain notes, section 5).

The number is taken from a counter row per unit and day, moved on and locked for the
rest of the submitting transaction in one statement: parallel submissions to one unit
queue on that row and each gets the next number. A rolled-back submission may leave a
gap; never a duplicate.
"""

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .models import DossierCodeCounter


def allocate_code(agency, moment=None):
    assert transaction.get_connection().in_atomic_block, "allocate a code inside the submitting transaction"
    day = timezone.localtime(moment or timezone.now()).date()
    table = DossierCodeCounter._meta.db_table
    # One statement (PostgreSQL, SQLite ≥ 3.35): the day's row is created at 1 or moved on by
    # one, and stays locked by the UPDATE until the submission commits.
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (agency_id, day, last) VALUES (%s, %s, 1) "
            f"ON CONFLICT (agency_id, day) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [agency.pk, day],
        )
        (number,) = cursor.fetchone()
    return settings.EGOV_DOSSIER_CODE_FORMAT.format(unit=agency.code, date=day, seq=number)
