"""Writing the audit trail. Call :func:`record` inside the transaction of the change."""

import datetime
import decimal
import uuid

from .models import AuditRecord


def jsonable(value):
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [jsonable(v) for v in value]
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if hasattr(value, "pk"):
        return value.pk
    return value


def record(actor, action, obj=None, *, before=None, after=None, note=""):
    """Append one audit record. ``actor`` may be None for the system itself."""
    actor = actor if getattr(actor, "is_authenticated", False) else None
    return AuditRecord.objects.create(
        actor=actor,
        actor_repr=(str(actor)[:200] if actor else "system"),
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:250] if obj is not None else "",
        before=jsonable(before),
        after=jsonable(after),
        note=note,
    )
