"""Writing the audit trail. Call :func:`record` inside the transaction of the change.

A record names people and objects by their keys (the actor's account, the object's type and
id), never by their names: names are shown at display time, so that an erased person's name
does not stay in a trail that can never be rewritten. Only a label that names no one (a
dossier's code, an agency's unit code) is copied (``audit_label`` on the model). Free text
(an officer's note, an applicant's reason) stays where the law keeps it, on the dossier and
its control slip, not here.
"""

from egov.common.jsonable import jsonable

from .models import AuditRecord

# Keys whose values are people's free text: recorded as given, not copied.
FREE_TEXT = frozenset({"note", "reason", "comment", "answer_note", "decision_note", "apology_reason"})


def record(actor, action, obj=None, *, before=None, after=None, note=""):
    """Append one audit record. ``actor`` may be None for the system itself; ``note`` is the
    system's own words (never a person's free text)."""
    actor = actor if getattr(actor, "is_authenticated", False) else None
    return AuditRecord.objects.create(
        actor=actor,
        actor_repr="" if actor else "system",
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(getattr(obj, "audit_label", "") or "")[:250] if obj is not None else "",
        before=_without_free_text(jsonable(before)),
        after=_without_free_text(jsonable(after)),
        note=note,
    )


def _without_free_text(values):
    if not isinstance(values, dict):
        return values
    return {key: (bool(value) if key in FREE_TEXT else value) for key, value in values.items()}
