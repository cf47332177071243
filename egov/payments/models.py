"""Online payment of a dossier's fee: each attempt through a gateway (``Transaction``) and the
refunds owed (``Refund``). The fee itself, and whether it is paid, stay on the dossier and its
``dossiers.Payment``; this app records how the money moved."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class Transaction(models.Model):
    """One attempt to pay a fee through an online provider, under a reference of its own: a
    payer who gives up and tries again starts a new transaction, never reuses one."""

    class Status(models.TextChoices):
        STARTED = "started", _("Sent to the gateway")
        PAID = "paid", _("Paid")
        FAILED = "failed", _("Not paid")
        EXPIRED = "expired", _("Expired without payment")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    payment = models.ForeignKey("dossiers.Payment", on_delete=models.CASCADE, related_name="transactions")
    provider = models.CharField(_("provider"), max_length=30)
    reference = models.CharField(_("our reference"), max_length=40, unique=True)
    amount = models.PositiveBigIntegerField(_("amount (VND)"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.STARTED)
    gateway_reference = models.CharField(_("gateway's reference"), max_length=64, blank=True)
    response_code = models.CharField(_("gateway's answer"), max_length=10, blank=True)
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    settled_at = models.DateTimeField(_("settled at"), null=True, blank=True)
    returned_at = models.DateTimeField(_("payer came back at"), null=True, blank=True)
    notified_at = models.DateTimeField(_("gateway notified at"), null=True, blank=True)

    class Meta:
        verbose_name = _("payment transaction")
        verbose_name_plural = _("payment transactions")
        ordering = ["-created_at"]
        # The reconciliation job reads the transactions still waiting for an answer.
        indexes = [models.Index(fields=["status", "created_at"], name="transaction_waiting_idx")]

    def __str__(self):
        return f"{self.reference} {self.amount} ({self.status})"


class Refund(models.Model):
    """Money to give back: a fee paid for a dossier that was then refused or withdrawn before
    its result, or a fee paid twice. Online refunds go back through the gateway; a fee paid at
    the counter is handed back there."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("To refund")
        DONE = "done", _("Refunded")
        FAILED = "failed", _("Refund failed")

    class Reason(models.TextChoices):
        REFUSED = "refused", _("The dossier was refused")
        WITHDRAWN = "withdrawn", _("The dossier was withdrawn")
        PAID_TWICE = "paid_twice", _("The fee was already paid")
        CLOSED = "closed", _("Paid after the dossier was closed")

    payment = models.ForeignKey("dossiers.Payment", on_delete=models.CASCADE, related_name="refunds")
    transaction = models.OneToOneField(Transaction, null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="refund")  # fmt: skip
    provider = models.CharField(_("provider"), max_length=30)
    amount = models.PositiveBigIntegerField(_("amount (VND)"))
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    gateway_reference = models.CharField(_("gateway's reference"), max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(_("last error"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    done_at = models.DateTimeField(_("refunded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        ordering = ["-created_at"]
        constraints = [
            # A paid fee is refunded once, whatever redelivers the event that owes it.
            models.UniqueConstraint(fields=["payment"], condition=models.Q(transaction__isnull=True),
                                    name="refund_once_per_counter_payment"),
        ]  # fmt: skip

    def __str__(self):
        return f"{self.payment_id} {self.amount} ({self.status})"
