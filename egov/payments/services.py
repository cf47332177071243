"""Paying a dossier's fee online, and giving money back.

Every answer from a gateway — the payer's return, its server-to-server notification (IPN),
the answer to a query — goes through :func:`settle`, the one place that decides what the
money means: whichever arrives first settles the transaction, the others find it settled and
change nothing; a forged signature or a wrong amount changes nothing and is audited; money
taken for a fee no longer owed (the dossier closed meanwhile, or paid twice) is refunded.
"""

import datetime
import logging
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.audit.services import record
from egov.common.errors import InvalidInput, NotFound
from egov.common.tasks import enqueue_after_commit
from egov.dossiers import services as dossier_services
from egov.dossiers.models import Dossier, Payment
from egov.dossiers.selectors import dossier_for_update

from .models import Refund, Transaction
from .providers import BadSignature, GatewayError, get_provider, online_providers
from .providers.base import ALREADY, BAD_AMOUNT, BAD_SIGNATURE, CONFIRMED, NOT_FOUND

logger = logging.getLogger(__name__)
# A transaction the gateway has said nothing about for this long is asked about (reconcile);
# one it does not know after EXPIRY never reached it.
ASK_AFTER = datetime.timedelta(minutes=15)
EXPIRY = datetime.timedelta(hours=2)


def fee_due(dossier):
    """The dossier's fee still to pay, or None."""
    if dossier.status in Dossier.FINAL_STATUSES or dossier.status == Dossier.Status.DRAFT:
        return None
    return dossier.payments.filter(status=Payment.Status.PENDING).first()


def start(user, dossier, provider_name, return_url, client_ip):
    """The applicant starts paying online: a new transaction, and where to send them."""
    if dossier.applicant_id != user.pk:
        raise NotFound()
    provider = next((p for p in online_providers() if p.name == provider_name), None)
    if provider is None:
        raise InvalidInput(errors={"provider": [_("This way of paying is not offered here.")]})
    payment = fee_due(dossier)
    if payment is None:
        raise InvalidInput(_("No fee is due for this dossier."), code="no_payment_due")
    attempt = Transaction.objects.create(payment=payment, provider=provider.name, reference=new_reference(),
                                         amount=payment.amount)  # fmt: skip
    record(user, "payment.started", dossier, after={"provider": provider.name, "reference": attempt.reference,
                                                    "amount": attempt.amount})  # fmt: skip
    return provider.start(attempt, return_url, client_ip)


def new_reference():
    """Ours, unique per attempt: the day and 12 random hexadecimal digits."""
    return f"{timezone.localdate():%y%m%d}{secrets.token_hex(6).upper()}"


def payer_returned(provider_name, params):
    """The payer is back from the gateway: the transaction, settled if the signed answer says so."""
    provider = get_provider(provider_name)
    try:
        notice = provider.read_return(params)
    except BadSignature:
        record(None, "payment.forged", note=f"{provider_name} return")
        raise NotFound() from None
    code, attempt = settle(provider, notice, via="return")
    if attempt is None:
        raise NotFound()
    return attempt


def notified(provider_name, params):
    """The gateway's notification (IPN): our answer code (the provider words it)."""
    provider = get_provider(provider_name)
    try:
        notice = provider.read_notification(params)
    except BadSignature:
        record(None, "payment.forged", note=f"{provider_name} notification")
        return BAD_SIGNATURE
    return settle(provider, notice, via="notification")[0]


def settle(provider, notice, via):
    """What a signed notice means for its transaction: (our answer code, the transaction)."""
    now = timezone.now()
    found = Transaction.objects.filter(provider=provider.name, reference=notice.reference).first()
    if found is None:
        record(None, "payment.unknown", note=f"{provider.name} {via}: {notice.reference[:40]}")
        return NOT_FOUND, None
    with transaction.atomic():
        dossier = dossier_for_update(found.payment.dossier_id)  # every writer of a dossier locks it first
        attempt = Transaction.objects.select_for_update().select_related("payment").get(pk=found.pk)
        stamp = "returned_at" if via == "return" else "notified_at"
        setattr(attempt, stamp, getattr(attempt, stamp) or now)
        if attempt.status != Transaction.Status.STARTED:
            attempt.save(update_fields=[stamp])
            record(None, "payment.repeated", dossier, after={"reference": attempt.reference, "via": via})
            return ALREADY, attempt
        if notice.amount != attempt.amount:
            attempt.save(update_fields=[stamp])
            record(
                None,
                "payment.amount_mismatch",
                dossier,
                after={"reference": attempt.reference, "expected": attempt.amount, "given": notice.amount},
            )
            return BAD_AMOUNT, attempt
        attempt.response_code = notice.code[:10]
        attempt.gateway_reference = notice.gateway_reference[:64]
        attempt.settled_at = now
        attempt.status = Transaction.Status.PAID if notice.paid else Transaction.Status.FAILED
        attempt.save(update_fields=[stamp, "status", "response_code", "gateway_reference", "settled_at"])
        record(None, f"payment.{attempt.status}", dossier, after={"reference": attempt.reference, "via": via,
                                                                  "code": attempt.response_code})  # fmt: skip
        if notice.paid and dossier_services.settle_fee(dossier.pk, provider.name, attempt.gateway_reference) is None:
            # The money came for a fee no longer owed: it goes back.
            reason = Refund.Reason.PAID_TWICE if attempt.payment.status == Payment.Status.PAID else Refund.Reason.CLOSED
            queue_refund(attempt.payment, reason, attempt)
    return CONFIRMED, attempt


# --- refunds ---


def refund_owed(dossier):
    """Fees paid for a dossier that ended without its result are given back (refused at intake,
    redirected, rejected after handling, withdrawn)."""
    reasons = {Dossier.Status.WITHDRAWN: Refund.Reason.WITHDRAWN}
    if dossier.issued_at is not None or dossier.status not in Dossier.FINAL_STATUSES:
        return []
    reason = reasons.get(dossier.status, Refund.Reason.REFUSED)
    return [(payment, reason) for payment in dossier.payments.filter(status=Payment.Status.PAID)]


def queue_refunds(dossier):
    for payment, reason in refund_owed(dossier):
        attempt = payment.transactions.filter(status=Transaction.Status.PAID).order_by("-settled_at").first()
        queue_refund(payment, reason, attempt)


def queue_refund(payment, reason, attempt=None):
    """One refund per paid transaction (or per counter payment), whatever asks for it twice."""
    provider = attempt.provider if attempt else payment.provider or "counter"
    refund, created = Refund.objects.get_or_create(
        payment=payment, transaction=attempt,
        defaults={"provider": provider, "amount": attempt.amount if attempt else payment.amount, "reason": reason},
    )  # fmt: skip
    if created:
        record(None, "payment.refund_queued", payment.dossier, after={"amount": refund.amount, "reason": reason,
                                                                      "provider": provider})  # fmt: skip
        if get_provider(provider).online:
            from .tasks import send_refund

            enqueue_after_commit(send_refund, refund.pk)
    return refund


def send_refund(refund_id):
    """Give an online refund back through its gateway (a queued one; retried by beat)."""
    with transaction.atomic():
        refund = (
            Refund.objects.select_for_update(of=("self",)).select_related("transaction", "payment").get(pk=refund_id)
        )
        if refund.status != Refund.Status.QUEUED or refund.transaction is None:
            return refund
        refund.attempts += 1
        try:
            refund.gateway_reference = get_provider(refund.provider).refund(refund)[:64]
        except (GatewayError, BadSignature) as exc:
            refund.last_error = str(exc)[:200] or type(exc).__name__
            if refund.attempts >= 10:
                refund.status = Refund.Status.FAILED
            refund.save(update_fields=["attempts", "last_error", "status"])
            record(None, "payment.refund_failed", refund.payment.dossier, note=refund.last_error[:100])
            return refund
        refund.status, refund.done_at = Refund.Status.DONE, timezone.now()
        refund.save(update_fields=["attempts", "gateway_reference", "status", "done_at"])
        record(None, "payment.refunded", refund.payment.dossier, after={"amount": refund.amount})
        return refund


def hand_back_at_counter(officer, refund):
    """An intake officer gave a counter-paid fee back in cash."""
    if refund.status != Refund.Status.QUEUED or refund.transaction_id is not None:
        raise InvalidInput(_("This refund is not one to hand back at the desk."))
    refund.status, refund.done_at = Refund.Status.DONE, timezone.now()
    refund.save(update_fields=["status", "done_at"])
    record(officer, "payment.refunded", refund.payment.dossier, after={"amount": refund.amount, "how": "counter"})
    return refund


# --- the gateway's silence ---


def reconcile(now=None):
    """Ask the gateway about transactions it has left unanswered (the payer closed the page,
    the IPN was lost): settle what it reports, expire what never reached it. Returns counts."""
    now = now or timezone.now()
    counts = {"asked": 0, "settled": 0, "expired": 0, "unreachable": 0}
    waiting = Transaction.objects.filter(status=Transaction.Status.STARTED, created_at__lt=now - ASK_AFTER)
    for attempt in waiting.select_related("payment__dossier").order_by("created_at")[:500]:
        counts["asked"] += 1
        provider = get_provider(attempt.provider)
        try:
            notice = provider.query(attempt)
        except (GatewayError, BadSignature) as exc:
            logger.warning("could not ask %s about %s: %s", attempt.provider, attempt.reference, exc)
            counts["unreachable"] += 1
            continue
        if notice.known and (notice.paid or notice.code not in ("01", "")):  # paid, or ended unpaid
            settle(provider, notice, via="query")
            counts["settled"] += 1
        elif attempt.created_at < now - EXPIRY:
            Transaction.objects.filter(pk=attempt.pk, status=Transaction.Status.STARTED).update(
                status=Transaction.Status.EXPIRED, settled_at=now)  # fmt: skip
            record(None, "payment.expired", attempt.payment.dossier, after={"reference": attempt.reference})
            counts["expired"] += 1
    return counts
