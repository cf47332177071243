"""Writing the audit trail. Call :func:`record` inside the transaction of the change."""

from egov.common.jsonable import jsonable

from .models import AuditRecord


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
