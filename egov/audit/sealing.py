"""Tamper evidence for the audit trail: a hash chain, sealed after the fact.

Records are written by many transactions at once, so they cannot each read "the previous
record" safely. A single sealer (Celery beat, every minute, under a row lock) walks the
unsealed records in id order and gives each ``seal = SHA-256(previous seal + content)``.
Changing, inserting or removing a sealed row breaks every seal after it;
``manage.py verify_audit`` finds the first broken link.
"""

import hashlib
import json

from django.db import transaction

from .models import AuditRecord, AuditSeal

FIELDS = ["id", "at", "actor_id", "actor_repr", "action", "object_type", "object_id", "object_repr", "before", "after",
          "note"]  # fmt: skip


def content(record):
    values = {name: getattr(record, name) for name in FIELDS}
    values["at"] = record.at.isoformat()
    return json.dumps(values, sort_keys=True, ensure_ascii=False, default=str).encode()


def link(previous_seal, record):
    return hashlib.sha256(previous_seal.encode() + content(record)).hexdigest()


def seal(batch=5000):
    """Seal the records written since the last run; returns how many."""
    with transaction.atomic():
        state = AuditSeal.objects.select_for_update().first() or AuditSeal.objects.create()
        state = AuditSeal.objects.select_for_update().get(pk=state.pk)
        previous, count = state.last_seal, 0
        for record in AuditRecord.objects.filter(id__gt=state.last_id).order_by("id")[:batch]:
            previous = link(previous, record)
            AuditRecord.objects.filter(pk=record.pk).update(seal=previous)  # the one permitted write
            state.last_id = record.pk
            count += 1
        state.last_seal = previous
        state.save()
    return count


def first_broken_link():
    """The id of the first sealed record whose seal does not follow, or None."""
    previous = "0" * 64
    for record in AuditRecord.objects.exclude(seal="").order_by("id").iterator(chunk_size=5000):
        expected = link(previous, record)
        if record.seal != expected:
            return record.pk
        previous = record.seal
    state = AuditSeal.objects.first()
    if state is not None and state.last_seal != previous:
        return state.last_id  # sealed rows were removed from the end
    return None
