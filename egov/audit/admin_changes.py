"""Changes made in the admin go to the audit trail, with before and after (review M5).

Every editable admin page of the product uses :class:`AuditedAdmin`
(``tests/audit/test_admin_changes.py`` checks that none is missed). What is recorded is the
fields that changed, the many-to-many choices (groups, agencies) and the rows of the inlines
(a user's roles, a client's webhooks), each before and after. A field that holds a person's
data (a name, an e-mail address) or a secret (a password hash, a webhook secret) is recorded
as changed, never its value: the trail cannot be rewritten, and must not keep what erasure
has to remove or what would open a door.
"""

from django.db import transaction

from .services import record

HIDDEN = "…"  # a personal or secret value that changed


def _value(obj, field):
    if field.many_to_many:
        return sorted(str(pk) for pk in getattr(obj, field.name).values_list("pk", flat=True)) if obj.pk else []
    return getattr(obj, field.attname)


class AuditedAdmin:
    """Mix into a ModelAdmin (before ``admin.ModelAdmin``). ``audit_hidden`` names the fields
    recorded only as changed (in the inlines' rows too: a row whose hidden value is replaced
    in place shows no change, a new row does); ``audit_ignored`` those not worth a record (a
    login time)."""

    audit_hidden = ()
    audit_ignored = ()

    # -- what an object looks like, for the record ------------------------------------

    def _fields(self, model):
        opts = model._meta
        return [f for f in [*opts.concrete_fields, *opts.many_to_many]
                if f.name not in self.audit_ignored and not f.primary_key
                and not getattr(f, "auto_now", False)]  # a save time changes on every save  # fmt: skip

    def _snapshot(self, obj):
        if obj is None:
            return {}
        return {f.name: _value(obj, f) for f in self._fields(type(obj))}

    def _inline_rows(self, obj, formsets):
        rows = {}
        for formset in formsets:
            model = formset.model
            fields = [f for f in self._fields(model) if f.name != formset.fk.name]
            related = model._default_manager.filter(**{formset.fk.name: obj}).order_by("pk") if obj.pk else []
            rows[model._meta.model_name] = [{"id": str(row.pk), **{f.name: self._inline_value(row, f) for f in fields}}
                                            for row in related]  # fmt: skip
        return rows

    def _inline_value(self, row, field):
        value = _value(row, field)
        return (HIDDEN if value else "") if field.name in self.audit_hidden else value

    # -- the admin's own steps ---------------------------------------------------------

    def save_model(self, request, obj, form, change):
        stored = type(obj)._base_manager.filter(pk=obj.pk).first() if change and obj.pk else None
        form.audit_before = self._snapshot(stored)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        obj = form.instance
        inlines_before = self._inline_rows(obj, formsets)
        super().save_related(request, form, formsets, change)
        before = {**getattr(form, "audit_before", {}), **inlines_before}
        after = {**self._snapshot(obj), **self._inline_rows(obj, formsets)}
        self._record(request, "admin.change" if change else "admin.add", obj, before, after)

    # A deletion is recorded first, while the object still has its key; both happen in one
    # transaction, so a deletion that fails leaves no record.
    def delete_model(self, request, obj):
        with transaction.atomic():
            self._record(request, "admin.delete", obj, self._snapshot(obj), {})
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                self._record(request, "admin.delete", obj, self._snapshot(obj), {})
            super().delete_queryset(request, queryset)

    def _record(self, request, action, obj, before, after):
        changed = sorted(key for key in before.keys() | after.keys() if before.get(key) != after.get(key))
        if not changed:
            return
        record(request.user, action, obj, before=self._shown(before, changed), after=self._shown(after, changed))

    def _shown(self, values, changed):
        """The changed values as recorded: a hidden one as set (…) or empty."""
        return {key: HIDDEN if key in self.audit_hidden and values[key] not in (None, "") else values[key]
                for key in changed if key in values}  # fmt: skip
