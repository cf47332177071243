from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .roles import Role
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
