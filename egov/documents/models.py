"""Generated documents (the legal forms and the results) and administrators' result templates."""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# Short verification codes: unambiguous when typed from paper (no 0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_verification_code():
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))


class Kind(models.TextChoices):
    RECEIPT = "receipt", _("Receipt and appointment (Form 01)")
    SUPPLEMENT_REQUEST = "supplement_request", _("Request to supplement the dossier (Form 02)")
    REFUSAL = "refusal", _("Refusal to receive the dossier (Form 03)")
    APOLOGY = "apology", _("Apology and new date (Form 04)")
    STOP_NOTICE = "stop_notice", _("Stop-processing notice (Form 05)")
    CONTROL_SLIP = "control_slip", _("Process control slip (Form 06)")
    REGISTER = "register", _("Dossier register (Form 07)")
    RESULT = "result", _("Result")
    FEE_RECEIPT = "fee_receipt", _("Fee receipt (e-receipt)")


class DocumentTemplate(models.Model):
    """A result template written by an administrator; rendered in a sandbox."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    body = models.TextField(
        _("body"),
        help_text=_(
            "HTML with Django template variables such as {{ dossier.code }}, {{ applicant.full_name }}, "
            "{{ data.field_key }}, {{ fields }} (label/value pairs). Tags that load other files or "
            "libraries are not allowed."
        ),
    )
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("result template")
        verbose_name_plural = _("result templates")
        ordering = ["slug"]

    def __str__(self):
        return self.slug


def document_path(instance, filename):
    return f"documents/{instance.created_at:%Y/%m}/{instance.pk}.pdf"


class Document(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Being made")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")
        SUPERSEDED = "superseded", _("Superseded")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dossier = models.ForeignKey(
        "dossiers.Dossier", null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    template = models.CharField(_("template"), max_length=80, blank=True)
    verification_code = models.CharField(
        _("verification code"), max_length=12, unique=True, default=new_verification_code
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    source_event = models.ForeignKey(
        "integrations.OutboxEvent", null=True, blank=True, on_delete=models.SET_NULL, related_name="documents"
    )
    file = models.FileField(_("file"), upload_to=document_path, blank=True, max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size = models.PositiveIntegerField(_("size"), default=0)
    facts = models.JSONField(_("key facts"), default=dict, blank=True)
    # The file deleted at the end of the dossier's retention period; the row stays, without the
    # holder's name, so that a QR scan or a held copy's checksum can still be verified.
    removed_at = models.DateTimeField(_("file removed at"), null=True, blank=True, editable=False)
    signer = models.CharField(_("signed by"), max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    rendered_at = models.DateTimeField(_("rendered at"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["created_at"]
        constraints = [
            # One document of a kind per event: redelivering the event makes nothing new.
            models.UniqueConstraint(fields=["source_event", "kind"], name="document_once_per_event"),
        ]
        indexes = [models.Index(fields=["dossier", "kind", "status"], name="document_dossier_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.verification_code}"
