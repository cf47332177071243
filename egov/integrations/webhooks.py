"""Webhooks: signed CloudEvents POSTed to subscribers, at least once, in order per dossier.

Each (subscription, event) pair is one delivery row, created when the event is
dispatched; a Celery task posts it and records the answer. Failures are retried with
exponential backoff; a delivery that keeps failing is marked dead, and a subscription
whose deliveries keep failing is disabled and its owner told. A periodic sweep resends
whatever a dead worker left behind, so nothing is lost.

A subscriber receives an event only when its client may read the event's dossier, by the
same rule as the client's API reads (``ApiClient.dossier_condition``); the subscription's
own filters narrow that, never widen it. It is checked when the delivery is made and again
when it is posted (the client's rights may have changed meanwhile). Only https to public
addresses, the checked address pinned for the POST (outbound.py); the answer's body is
never stored.

Signature (documented in docs/webhooks.md): ``Webhook-Signature: v1=<hex>`` where
``<hex> = HMAC-SHA256(secret, "<Webhook-Timestamp>.<raw body>")``.
"""

import datetime
import hashlib
import hmac
import json
import logging
import time

import urllib3
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from egov.audit.services import record
from egov.common.tasks import enqueue_after_commit

from . import outbound
from .models import ApiClient, OutboxEvent, Scope, WebhookDelivery, WebhookSubscription

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8  # then the delivery is dead (about 2 hours of retries)
DISABLE_AFTER = 20  # consecutive failed deliveries disable the subscription
TIMEOUT = 10
# A delivery being posted is leased this long (more than TIMEOUT): a sweep meanwhile leaves
# it alone; one whose worker died mid-post is posted again after it (at least once).
LEASE = datetime.timedelta(seconds=TIMEOUT + 50)


def cloud_event(event):
    """The event in CloudEvents 1.0 structured JSON."""
    dossier = event.dossier
    data = dict(event.data)
    if dossier is not None:
        data.update({"dossier_id": str(dossier.pk), "code": dossier.code, "status": dossier.status,
                     "procedure": dossier.procedure.code})  # fmt: skip
    return {
        "specversion": "1.0",
        "id": str(event.pk),
        "source": f"{settings.SITE_URL}/api/v1",
        "type": f"vn.gov.motcua.{event.type}",
        "subject": dossier.code if dossier is not None else None,
        "time": event.occurred_at.isoformat(),
        "datacontenttype": "application/json",
        "data": data,
    }


def sign(secret, timestamp, body):
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def may_receive(client, event):
    """Whether ``client`` may be sent ``event``: it receives events and may read the event's
    dossier, by the rule of its API reads. An event of no dossier goes to no one."""
    if not client.has_scope(Scope.EVENTS_RECEIVE) or event.dossier_id is None:
        return False
    return OutboxEvent.objects.filter(client.dossier_condition("dossier__"), pk=event.pk).exists()


def on_event(event):
    """Consumer of the outbox: one delivery per matching subscription (idempotent)."""
    subscriptions = (
        WebhookSubscription.objects.filter(active=True, client__active=True)
        .select_related("client")
        .prefetch_related("client__agencies")
    )
    allowed = {}  # client id → may it read the event's dossier (one query per client)
    for subscription in subscriptions:
        if not subscription.matches(event):
            continue
        client = subscription.client
        if client.pk not in allowed:
            allowed[client.pk] = may_receive(client, event)
        if not allowed[client.pk]:
            continue
        delivery, created = WebhookDelivery.objects.get_or_create(subscription=subscription, event=event)
        if created:
            from .tasks import deliver_webhook

            enqueue_after_commit(deliver_webhook, delivery.pk)


def _earlier_on_their_way(delivery):
    """Whether older events of the same dossier are still on their way to this subscriber:
    a delivery pending, or an event its consumers have not had yet (workers take events in
    parallel, so an older event's delivery may not be made yet)."""
    event = delivery.event
    if event.dossier_id is None:
        return False
    return (
        WebhookDelivery.objects.filter(
            subscription=delivery.subscription_id,
            event__dossier_id=event.dossier_id,
            event__occurred_at__lt=event.occurred_at,
            status=WebhookDelivery.Status.PENDING,
        ).exists()
        or OutboxEvent.objects.filter(
            dossier_id=event.dossier_id, occurred_at__lt=event.occurred_at, dispatched_at__isnull=True
        ).exists()
    )


def backoff(attempts):
    return datetime.timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


def deliver(delivery_id):
    """Post one delivery now. Returns the delivery; never raises for the receiver's failures.

    Claim (a short transaction: the row is leased) → commit → POST (no transaction, no lock
    held while a slow receiver answers) → record the answer.
    """
    delivery = _claim(delivery_id)
    if delivery is None or delivery.status != WebhookDelivery.Status.PENDING:
        return delivery
    body = json.dumps(cloud_event(delivery.event), ensure_ascii=False, separators=(",", ":")).encode()
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/cloudevents+json; charset=utf-8",
        "Webhook-Id": str(delivery.event_id),
        "Webhook-Timestamp": timestamp,
        "Webhook-Signature": f"v1={sign(delivery.subscription.secret, timestamp, body)}",
        "User-Agent": "MotCua-Webhooks/1",
    }
    try:
        status_code = outbound.post(delivery.subscription.url, body, headers, TIMEOUT)
        ok = 200 <= status_code < 300
        # The status only: an answer's body may hold anything the receiver's side knows.
        error = "" if ok else f"HTTP {status_code}"
        if 300 <= status_code < 400:
            error += " " + gettext("(redirects are not followed)")
    except outbound.UnsafeURL as refusal:
        status_code, ok, error = None, False, f"{type(refusal).__name__}: {refusal.message}"[:500]
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        status_code, ok, error = None, False, outbound.describe(exc)[:500]
    return _record(delivery, ok, status_code, error)


def _claim(delivery_id):
    """The delivery if it is due, its subscription active and nobody is posting it: leased
    for LEASE. One that must wait for older events of its dossier is put off, not claimed."""
    now = timezone.now()
    with transaction.atomic():
        delivery = (
            # Lock the delivery row only (PostgreSQL cannot lock the nullable side of the joins).
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("subscription", "event__dossier__procedure")
            .filter(pk=delivery_id, status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now)
            .first()
        )
        if delivery is None or not delivery.subscription.active:
            return None  # a disabled subscription is not posted to (its deliveries wait)
        client = ApiClient.objects.prefetch_related("agencies").get(pk=delivery.subscription.client_id)
        if not may_receive(client, delivery.event):
            # The client's rights changed since the delivery was made (scopes, procedures,
            # agencies, deactivated): what it may not read now is not sent.
            delivery.status = WebhookDelivery.Status.DEAD
            delivery.last_error = gettext("Not sent: the client may no longer receive the events of this dossier.")
            delivery.save(update_fields=["status", "last_error"])
            return None
        if _earlier_on_their_way(delivery):
            # Keep the order per dossier: this one waits for the older ones.
            delivery.next_attempt_at = now + datetime.timedelta(seconds=5)
            delivery.save(update_fields=["next_attempt_at"])
            return None
        delivery.attempts += 1
        delivery.next_attempt_at = now + LEASE
        delivery.save(update_fields=["attempts", "next_attempt_at"])
    return delivery


def _record(delivery, ok, status_code, error):
    now = timezone.now()
    with transaction.atomic():
        subscription = WebhookSubscription.objects.select_for_update().get(pk=delivery.subscription_id)
        delivery.last_status_code = status_code
        delivery.last_error = error
        if ok:
            delivery.status = WebhookDelivery.Status.DELIVERED
            delivery.delivered_at = now
            subscription.consecutive_failures = 0
        else:
            subscription.consecutive_failures += 1
            if delivery.attempts >= MAX_ATTEMPTS:
                delivery.status = WebhookDelivery.Status.DEAD
            delivery.next_attempt_at = now + backoff(delivery.attempts)
            if subscription.consecutive_failures >= DISABLE_AFTER and subscription.active:
                _disable(subscription)
        delivery.save(update_fields=["status", "last_status_code", "last_error", "delivered_at", "next_attempt_at"])
        subscription.save(update_fields=["consecutive_failures", "active", "disabled_at"])
    delivery.subscription = subscription
    return delivery


def _disable(subscription):
    subscription.active = False
    subscription.disabled_at = timezone.now()
    record(None, "webhook.disabled", subscription, note=f"{subscription.consecutive_failures} failures in a row")
    recipient = subscription.client.contact_email or getattr(subscription.client.contact, "email", "")
    if recipient:
        transaction.on_commit(lambda: send_mail(
            str(_("Webhook disabled: %(url)s") % {"url": subscription.url}),
            str(_("Deliveries to %(url)s failed %(n)d times in a row, so the subscription was disabled. "
                  "Fix the receiver, then enable the subscription again; pending events will be sent.")
                % {"url": subscription.url, "n": subscription.consecutive_failures}),
            None, [recipient], fail_silently=True,
        ))  # fmt: skip


def due_deliveries(now=None):
    return WebhookDelivery.objects.filter(
        status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now or timezone.now(), subscription__active=True
    ).order_by("event__occurred_at")


def redeliver(delivery):
    """Manual redelivery (admin): send it again, whatever happened before."""
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=WebhookDelivery.Status.PENDING, next_attempt_at=timezone.now(), attempts=0
    )
    from .tasks import deliver_webhook

    enqueue_after_commit(deliver_webhook, delivery.pk)
