"""From an outbox event to messages: who (rules), in which words (templates), by which channel.

``on_event`` is a consumer of the outbox. It writes one Notification row per (event,
recipient, channel) — the unique constraint makes a redelivered event harmless — and
sends after commit. A failed send is retried by the sweep with backoff; a sent one is
never sent again.
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from egov.accounts.selectors import officers_with_role
from egov.common.sandbox import render_sandboxed
from egov.common.sms import get_sms_provider
from egov.common.tasks import enqueue_after_commit
from egov.common.vocabulary import Role
from egov.integrations import events
from egov.integrations.events import TYPES

from . import defaults
from .models import Audience, Channel, MessageTemplate, Notification, NotificationRule, Preference

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
# A message being sent is leased this long: a sweep meanwhile leaves it alone; one whose
# worker died mid-send is sent again after it (at least once, never in parallel).
LEASE = datetime.timedelta(minutes=2)


def rules_for(event_type):
    """{audience: channels}: the administrators' rules where they set some, else the defaults."""
    stored = list(NotificationRule.objects.filter(event_type=event_type))
    if stored:
        return {rule.audience: rule.channels for rule in stored if rule.active}
    declared = TYPES.get(event_type)
    return dict(declared.notify) if declared else {}


def recipients(event, audience):
    dossier = event.dossier
    if dossier is None:
        return []
    if audience == Audience.APPLICANT:
        # The applicant, and whoever filed on their behalf: both follow the dossier.
        return [person for person in (dossier.applicant, dossier.representative) if person is not None]
    if audience == Audience.CENTER_MANAGER:
        return list(officers_with_role(Role.CENTER_MANAGER, dossier.receiving_agency_id))
    if audience == Audience.NEXT_OFFICERS:
        from egov.dossiers.selectors import open_tasks

        people = {}
        for task in open_tasks(dossier):
            if task.kind in ("supplement", "system"):
                continue
            owners = [task.owner] if task.owner else officers_with_role(task.role, task.agency_id)
            for person in owners:
                people[person.pk] = person
        return list(people.values())
    return []


def _context(event, recipient):
    dossier = event.dossier
    due = dossier.due_at and timezone.localtime(dossier.due_at).strftime("%H:%M %d/%m/%Y")
    new_due = dossier.extended_due_at and timezone.localtime(dossier.extended_due_at).strftime("%H:%M %d/%m/%Y")
    staff = recipient.pk not in (dossier.applicant_id, dossier.representative_id)
    request = dossier.supplement_requests.order_by("-requested_at").first()
    # Events carry no free text (egov/integrations/events.py): the reasons are the dossier's.
    reason = dossier.decision_note or dossier.apology_reason
    if event.type == events.APOLOGISED:
        reason = dossier.apology_reason
    if event.type == events.SUPPLEMENT_REQUESTED and request:
        reason = request.reason
    if event.type in (events.STEP_OVERDUE, events.DUE_SOON, events.OVERDUE):
        reason = str(TYPES[event.type].label)
    step = ""
    open_steps = [t for t in dossier.tasks.all() if t.status in ("NEW", "ASSIGNED") and t.flow_task_type == "HUMAN"]
    if open_steps:
        step = str(open_steps[0].step_name)
    link = f"{settings.SITE_URL}/backoffice/" if staff else f"{settings.SITE_URL}/my/dossiers/{dossier.pk}/"
    return {"code": dossier.code, "procedure": dossier.version.display_name, "name": recipient.full_name,
            "due": due or "", "new_due": new_due or "", "reason": reason or "", "step": step, "link": link}  # fmt: skip


def compose(event_type, channel, language, context, staff_kind=None):
    """(subject, body) for one message; an administrator's template wins over the default."""
    declared = TYPES.get(event_type)
    custom = MessageTemplate.objects.filter(event_type=event_type, channel=channel, language=language).first()
    with translation.override(language):
        if custom is not None:
            return render_sandboxed(custom.subject, context).strip(), render_sandboxed(custom.body, context).strip()
        if channel == Channel.SMS:
            text = declared.sms if declared else None
            if text is None:
                return None
            return "", render_sandboxed(_(text), context).strip()
        # Staff read that a dossier waits for them, not the applicant's letter.
        texts = defaults.STAFF_TEXTS.get(staff_kind) if staff_kind else (declared.email if declared else None)
        if texts is None:
            return None
        subject, body = (_(part) for part in texts)
        return render_sandboxed(subject, context).strip(), render_sandboxed(body, context).strip()


def on_event(event):
    if event.dossier_id is None:
        return
    for audience, channels in rules_for(event.type).items():
        staff_kind = {Audience.NEXT_OFFICERS: "officer", Audience.CENTER_MANAGER: "manager"}.get(audience)
        for person in recipients(event, audience):
            if person.pk == getattr(event.actor, "pk", None) and audience != Audience.APPLICANT:
                continue  # an officer is not told about their own hand-over
            preference = Preference.objects.filter(user=person).first()
            language = person.preferred_language or settings.LANGUAGE_CODE
            with translation.override(language):  # the procedure's and the step's names in the reader's words
                context = _context(event, person)
            for channel in channels:
                # Only to an address its owner proved (a typed one may be anyone's).
                address = {Channel.EMAIL: person.verified_email, Channel.SMS: person.verified_phone,
                           Channel.IN_APP: "-"}[channel]  # fmt: skip
                if not address or (preference and not getattr(preference, channel, True)):
                    continue
                text = compose(event.type, channel, language, context,
                               staff_kind if audience != Audience.APPLICANT else None)  # fmt: skip
                if text is None:
                    continue
                digest = channel == Channel.EMAIL and staff_kind and preference is not None and preference.digest
                notification, created = Notification.objects.get_or_create(
                    event=event, recipient=person, channel=channel,
                    defaults={"language": language, "address": address, "subject": text[0], "body": text[1],
                              "status": Notification.Status.DIGEST if digest else Notification.Status.PENDING},
                )  # fmt: skip
                if created and notification.status == Notification.Status.PENDING:
                    from .tasks import send_notification

                    enqueue_after_commit(send_notification, notification.pk)


def send(notification_id):
    """Send one notification now. Never raises for a channel's failure.

    Claim (a short transaction: the row is leased) → commit → send (no transaction, no lock
    held while the mail server or the SMS gateway answers) → record the outcome.
    """
    notification = _claim(notification_id)
    if notification is None:
        return None
    try:
        if notification.channel == Channel.EMAIL:
            send_mail(notification.subject, notification.body, None, [notification.address])
        elif notification.channel == Channel.SMS:
            get_sms_provider().send(notification.address, notification.body)
        error = None
    except Exception as exc:  # any channel failure is retried later by the sweep
        logger.warning("notification %s failed: %s", notification.pk, exc)
        error = f"{type(exc).__name__}: {exc}"[:500]
    return _record(notification, error)


def _claim(notification_id):
    """The notification, if it is due and nobody is sending it; leased for LEASE."""
    now = timezone.now()
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk=notification_id, status__in=[Notification.Status.PENDING, Notification.Status.FAILED],
                    next_attempt_at__lte=now)
            .first()
        )  # fmt: skip
        if notification is None:
            return None
        notification.attempts += 1
        notification.next_attempt_at = now + LEASE
        notification.save(update_fields=["attempts", "next_attempt_at"])
    return notification


def _record(notification, error):
    now = timezone.now()
    if error is None:
        notification.status = Notification.Status.SENT
        notification.sent_at = now
        notification.error = ""
    else:
        notification.error = error
        if notification.attempts >= MAX_ATTEMPTS:
            notification.status = Notification.Status.GAVE_UP
        else:
            notification.status = Notification.Status.FAILED
            notification.next_attempt_at = now + datetime.timedelta(seconds=min(60 * 2 ** (notification.attempts - 1),
                                                                                3600))  # fmt: skip
    notification.save(update_fields=["status", "sent_at", "error", "next_attempt_at"])
    return notification


def due(now=None):
    return Notification.objects.filter(
        status__in=[Notification.Status.PENDING, Notification.Status.FAILED], next_attempt_at__lte=now or timezone.now()
    ).order_by("next_attempt_at")


def send_digests():
    """One e-mail per officer who chose the digest, listing what waited since the last one."""
    waiting = Notification.objects.filter(status=Notification.Status.DIGEST).select_related("recipient")
    by_person = {}
    for item in waiting:
        by_person.setdefault(item.recipient, []).append(item)
    for person, items in by_person.items():
        with translation.override(person.preferred_language or settings.LANGUAGE_CODE):
            subject = _("Your daily summary: %(n)d dossiers") % {"n": len(items)}
            body = "\n\n".join(f"• {item.subject}\n{item.body}" for item in items)
        try:
            send_mail(subject, body, None, [items[0].address])
        except Exception:
            logger.warning("digest for %s failed; kept for tomorrow", person, exc_info=True)
            continue
        Notification.objects.filter(pk__in=[i.pk for i in items]).update(
            status=Notification.Status.SENT, sent_at=timezone.now()
        )
    return len(by_person)
