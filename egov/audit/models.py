from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    pass


class AuditRecord(models.Model):
    """Who did what to which object, when, with the values before and after.

    Rows are written once by :func:`egov.audit.services.record` and never changed: the
    model refuses updates and deletes, and the admin shows them read-only.
    """

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        # A record outlives its actor's account untouched (the table refuses updates).
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
        verbose_name=_("actor"),
    )
    actor_repr = models.CharField(_("actor"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    object_type = models.CharField(_("object type"), max_length=80, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=250, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    # Tamper evidence: the sealer gives each record its place in the chain and a keyed seal
    # over it and the previous one (see sealing.py); both are written once.
    sequence = models.BigIntegerField(_("sequence"), null=True, blank=True, unique=True, editable=False)
    seal = models.CharField(_("seal"), max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("audit record")
        verbose_name_plural = _("audit records")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self):
        who = self.actor_id or "system"
        return f"{self.at:%Y-%m-%d %H:%M:%S} {who} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise AppendOnlyError("audit records are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit records are append-only")


class AuditSeal(models.Model):
    """Where the chain of seals has reached: the last sequence number and its seal."""

    last_id = models.BigIntegerField(default=0)
    last_sequence = models.BigIntegerField(default=0)
    last_seal = models.CharField(max_length=64, default="0" * 64)

    def __str__(self):
        return f"sealed up to {self.last_sequence}"
