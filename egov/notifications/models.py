"""Who hears about what (rules), what they read (templates), what was sent (the log)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    IN_APP = "in_app", _("In-app notice")


class Audience(models.TextChoices):
    APPLICANT = "applicant", _("The applicant")
    NEXT_OFFICERS = "next_officers", _("Officers of the next step (role and agency)")
    CENTER_MANAGER = "center_manager", _("The centre manager of the receiving unit")


class NotificationRule(models.Model):
    event_type = models.CharField(_("event"), max_length=80)
    audience = models.CharField(_("who"), max_length=20, choices=Audience.choices)
    channels = models.JSONField(_("channels"), default=list, help_text=_("email, sms, in_app"))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("notification rule")
        verbose_name_plural = _("notification rules")
        constraints = [models.UniqueConstraint(fields=["event_type", "audience"], name="notification_rule_unique")]
        ordering = ["event_type", "audience"]

    def __str__(self):
        return f"{self.event_type} → {self.audience}"


class MessageTemplate(models.Model):
    """An administrator's wording for an event, channel and language (overrides the default)."""

    event_type = models.CharField(_("event"), max_length=80)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=200, blank=True, help_text=_("E-mail and in-app only."))
    body = models.TextField(_("text"), help_text=_("Variables: {{ code }}, {{ procedure }}, {{ name }}, {{ due }}, "
                                                   "{{ new_due }}, {{ reason }}, {{ step }}, {{ link }}."))  # fmt: skip
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        constraints = [models.UniqueConstraint(fields=["event_type", "channel", "language"],
                                               name="message_template_unique")]  # fmt: skip

    def __str__(self):
        return f"{self.event_type} / {self.channel} / {self.language}"


class Preference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email = models.BooleanField(_("by e-mail"), default=True)
    sms = models.BooleanField(_("by SMS"), default=True)
    digest = models.BooleanField(_("one daily digest instead of one message per task (officers)"), default=False)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return str(self.user)


class Notification(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed, will retry")
        DIGEST = "digest", _("Waiting for the daily digest")
        GAVE_UP = "gave_up", _("Gave up")

    event = models.ForeignKey("integrations.OutboxEvent", on_delete=models.CASCADE, related_name="notifications")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    language = models.CharField(_("language"), max_length=5)
    address = models.CharField(_("address"), max_length=254, blank=True)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("text"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        constraints = [
            # Idempotent per event, recipient and channel: a retry never sends twice.
            models.UniqueConstraint(fields=["event", "recipient", "channel"], name="notification_once"),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notification_due_idx"),
            models.Index(fields=["recipient", "channel", "read_at"], name="notification_inbox_idx"),
        ]

    def __str__(self):
        return f"{self.channel} → {self.recipient}: {self.subject or self.body[:40]}"
