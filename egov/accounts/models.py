from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from egov.common.vocabulary import Role

from .validators import (
    normalise_email,
    normalise_passport,
    normalise_phone,
    validate_personal_id,
    validate_phone,
    validate_tax_code,
)


class IdentityProof(models.TextChoices):
    EID = "eid", _("the national e-ID")
    DESK = "desk", _("an officer who saw the ID card")


class User(AbstractUser):
    """A person who logs in: a citizen, a civil servant, or the service account of an app.

    Staff powers come only from :class:`RoleAssignment` rows (roles held at agencies);
    ``is_staff`` only opens the Django admin.

    A personal ID number someone typed is data, not identity: it is *verified* only from the
    national e-ID's claims or by an intake officer who saw the ID card (who and when are
    kept), and only a verified number is unique and matched by the desk, API clients and
    the e-ID login. Likewise an e-mail address or a phone number becomes a login and a
    notification address only once a one-time code has proved it (egov/accounts/contacts.py).
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
    # How the personal ID number was verified: from e-ID claims, or by an officer at the desk.
    personal_id_verified_at = models.DateTimeField(_("personal ID verified at"), null=True, blank=True)
    personal_id_verified_via = models.CharField(
        _("personal ID verified by"), max_length=8, choices=IdentityProof.choices, blank=True
    )
    personal_id_verified_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("officer who saw the ID card"),
    )  # fmt: skip
    # The national e-ID's subject (``sub``): an e-ID login finds its account by this only.
    eid_subject = models.CharField(_("e-ID subject"), max_length=255, null=True, blank=True, unique=True)
    # A foreign national is known by their passport (and its country) instead of a personal
    # ID number; it is verified, as the ID card is, only by an officer who saw it.
    passport_number = models.CharField(_("passport number"), max_length=20, blank=True)
    nationality = CountryField(_("nationality"), blank=True)
    passport_verified_at = models.DateTimeField(_("passport verified at"), null=True, blank=True)
    passport_verified_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("officer who saw the passport"),
    )  # fmt: skip
    email_verified_at = models.DateTimeField(_("e-mail proved at"), null=True, blank=True)
    phone_verified_at = models.DateTimeField(_("phone proved at"), null=True, blank=True)
    # Who opened the account for the person (an intake officer, an API client's service
    # account); empty when the person registered or came through the e-ID.
    registered_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("registered by")
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            # Anyone may type any number; only one account holds it verified.
            models.UniqueConstraint(
                fields=["personal_id"], condition=Q(personal_id_verified_at__isnull=False) & ~Q(personal_id=""),
                name="user_verified_personal_id_unique",
            ),
            # A proved e-mail or phone logs in one account only (stored case-folded, normalised).
            models.UniqueConstraint(
                fields=["nationality", "passport_number"],
                condition=Q(passport_verified_at__isnull=False) & ~Q(passport_number=""),
                name="user_verified_passport_unique",
            ),
            models.UniqueConstraint(
                fields=["email"], condition=Q(email_verified_at__isnull=False) & ~Q(email=""),
                name="user_verified_email_unique",
            ),
            models.UniqueConstraint(
                fields=["phone"], condition=Q(phone_verified_at__isnull=False) & ~Q(phone=""),
                name="user_verified_phone_unique",
            ),
        ]  # fmt: skip

    def __str__(self):
        return self.full_name or self.get_username()

    def get_full_name(self):
        return self.full_name or super().get_full_name() or self.get_username()

    def save(self, *args, **kwargs):
        # One spelling of each contact: what login, uniqueness and sending compare.
        self.email = normalise_email(self.email)
        self.phone = normalise_phone(self.phone)
        self.passport_number = normalise_passport(self.passport_number)
        super().save(*args, **kwargs)

    @property
    def personal_id_verified(self):
        return self.personal_id_verified_at is not None and bool(self.personal_id)

    @property
    def passport_verified(self):
        return self.passport_verified_at is not None and bool(self.passport_number)

    @property
    def verified_email(self):
        """The e-mail address messages may go to, once proved; else empty."""
        return self.email if self.email and self.email_verified_at else ""

    @property
    def verified_phone(self):
        return self.phone if self.phone and self.phone_verified_at else ""

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

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # A role is a power: whoever holds one is staff, with the second factor staff have
        # (egov/accounts/two_factor.py), however the role was given (the admin included).
        if self.active and self.user.kind != User.Kind.STAFF:
            self.user.kind = User.Kind.STAFF
            User.objects.filter(pk=self.user_id).update(kind=User.Kind.STAFF)


class Organization(models.Model):
    """A business or another organisation that applies, known by its tax code.

    An organisation does not log in: people do, and act for it. Its legal representative
    may file for it and names the staff who may too (:class:`OrganizationMember`); on every
    document of its dossiers the organisation is the applicant of record. It is registered
    by an officer who saw its business registration (or by an administrator), never on a
    person's word alone.
    """

    tax_code = models.CharField(_("tax code"), max_length=14, unique=True, validators=[validate_tax_code])
    name = models.CharField(_("name"), max_length=300)
    address = models.CharField(_("head office address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    legal_representative = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="organizations_represented",
        verbose_name=_("legal representative"),
    )  # fmt: skip
    registered_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("registered by")
    )
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.tax_code})"


class OrganizationMember(models.Model):
    """A person the organisation's legal representative allows to file for it."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="members", verbose_name=_("organisation")
    )
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("person"))
    added_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("added by")
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("person who may file for an organisation")
        verbose_name_plural = _("people who may file for organisations")
        constraints = [models.UniqueConstraint(fields=["organization", "user"], name="organization_member_unique")]

    def __str__(self):
        return f"{self.user} · {self.organization}"


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


class ContactProof(models.Model):
    """A one-time code sent to an e-mail address or a phone number, to prove the person
    reads it (egov/accounts/contacts.py). Only a digest of the code is kept."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        PHONE = "phone", _("Phone")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="contact_proofs")
    channel = models.CharField(_("channel"), max_length=5, choices=Channel.choices)
    value = models.CharField(_("address"), max_length=254)
    digest = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("contact proof")
        verbose_name_plural = _("contact proofs")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "channel", "created_at"], name="contact_proof_idx")]

    def __str__(self):
        return f"{self.user_id} {self.channel} {self.created_at:%Y-%m-%d %H:%M}"


class PersonalToken(models.Model):
    """A person's API token (``Authorization: Token <prefix>.<secret>``): stored as a digest,
    read-only or read-write, expiring; a staff member's is made only after a second-factor
    proof (egov/accounts/tokens.py)."""

    class Scope(models.TextChoices):
        READ = "read", _("Read only")
        WRITE = "write", _("Read and act")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="personal_tokens")
    prefix = models.CharField(_("prefix"), max_length=12, unique=True)
    digest = models.CharField(max_length=64, editable=False)
    scope = models.CharField(_("scope"), max_length=5, choices=Scope.choices, default=Scope.WRITE)
    name = models.CharField(_("name"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("personal API token")
        verbose_name_plural = _("personal API tokens")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.user} {self.prefix}…"
