from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from egov.common.vocabulary import Role

from .validators import normalise_phone, validate_personal_id, validate_phone


class User(AbstractUser):
    """A person who logs in: a citizen, a civil servant, or the service account of an app.

    Staff powers come only from :class:`RoleAssignment` rows (roles held at agencies);
    ``is_staff`` only opens the Django admin.
    """

    class Kind(models.TextChoices):
        CITIZEN = "citizen", _("Citizen")
        STAFF = "staff", _("Civil servant")
        SERVICE = "service", _("Service account")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.CITIZEN, db_index=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    personal_id = models.CharField(_("personal identification number"), max_length=12, blank=True, db_index=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, db_index=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=settings.LANGUAGES, default="vi"
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                fields=["personal_id"], condition=~Q(personal_id=""), name="user_personal_id_unique"
            ),
        ]

    def __str__(self):
        return self.full_name or self.get_username()

    def get_full_name(self):
        return self.full_name or super().get_full_name() or self.get_username()

    def clean(self):
        super().clean()
        self.phone = normalise_phone(self.phone)
        errors = {}
        if self.personal_id:
            try:
                validate_personal_id(self.personal_id, self.date_of_birth)
            except ValidationError as exc:
                errors["personal_id"] = exc.messages
        if self.phone:
            try:
                validate_phone(self.phone)
            except ValidationError as exc:
                errors["phone"] = exc.messages
        if errors:
            raise ValidationError(errors)

    @property
    def is_citizen(self):
        return self.kind == self.Kind.CITIZEN

    @property
    def is_officer(self):
        return self.kind == self.Kind.STAFF


class RoleAssignment(models.Model):
    """A staff user holds ``role`` at ``agency``."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="role_assignments", verbose_name=_("agency")
    )
    active = models.BooleanField(_("active"), default=True)
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [models.UniqueConstraint(fields=["user", "role", "agency"], name="role_assignment_unique")]
        indexes = [models.Index(fields=["role", "agency", "active"], name="role_agency_idx")]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.agency}"


class Consent(models.Model):
    """What a person agreed to, with the very text they were shown (personal data law)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=40)
    text = models.TextField(_("text shown"))
    language = models.CharField(_("language"), max_length=5)
    # What the consent was for when it is tied to one thing (the id of the dossier applied for).
    reference = models.CharField(_("reference"), max_length=64, blank=True)
    given_at = models.DateTimeField(_("given at"), auto_now_add=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self):
        return f"{self.user} {self.purpose} {self.given_at:%Y-%m-%d}"


class ErasureRequest(models.Model):
    """A citizen asks for their personal data to be erased; staff answer within the legal time."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Anonymised")
        REFUSED = "refused", _("Refused (the law requires keeping the data)")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="erasure_requests")
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    due_at = models.DateTimeField(_("answer due at"))
    reason = models.TextField(_("reason given"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    handled_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("handled by")
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)

    class Meta:
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        ordering = ["due_at"]

    def __str__(self):
        return f"{self.user} ({self.status})"
