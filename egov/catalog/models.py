import functools
import hashlib
import json

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov.common.text import localize

from .definition import ProcedureDefinition


class ImmutableVersionError(Exception):
    pass


def definition_checksum(definition):
    canonical = json.dumps(definition, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class Sector(models.Model):
    """A field of administration (lĩnh vực), e.g. civil status, household businesses."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=250)
    name_en = models.CharField(_("name in English"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["name"]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        return localize({"vi": self.name, "en": self.name_en or self.name})


class Procedure(models.Model):
    """A public-service procedure (thủ tục hành chính), identified by its national code."""

    code = models.CharField(_("code"), max_length=60, unique=True)
    # Records management, not part of the versioned definition: the archives decide it and
    # may change it for dossiers already received. Empty: EGOV_RETENTION_YEARS.
    retention_years = models.PositiveSmallIntegerField(
        _("retention (years)"),
        null=True,
        blank=True,
        help_text=_("How long the papers and personal data of a closed dossier are kept. Empty: the default."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        ordering = ["code"]

    def __str__(self):
        latest = self.versions.order_by("-number").first()
        return f"{self.code} · {latest.display_name}" if latest else self.code


class ProcedureVersion(models.Model):
    """One version of a procedure's definition.

    A draft may be edited; once published the definition never changes. A published
    version takes new dossiers from ``effective_from`` until the next published version
    takes over (``effective_to``). Dossiers pin the version they were received under.
    What the catalogue is queried by is copied out of the definition into indexed columns.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    class Level(models.TextChoices):
        CENTRAL = "central", _("Central")
        PROVINCE = "province", _("Province")
        COMMUNE = "commune", _("Commune")

    class OnlineLevel(models.TextChoices):
        FULL = "full", _("Fully online")
        PARTIAL = "partial", _("Partly online")

    procedure = models.ForeignKey(
        Procedure, on_delete=models.PROTECT, related_name="versions", verbose_name=_("procedure")
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    definition = models.JSONField(_("definition"))
    checksum = models.CharField(_("checksum"), max_length=64, editable=False)
    effective_from = models.DateTimeField(_("in force from"), null=True, blank=True)
    effective_to = models.DateTimeField(_("in force until"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A draft waiting for a second administrator's approval to be published
    # (EGOV_PUBLISH_NEEDS_APPROVAL); cleared when the draft changes or is declined.
    approval_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("publication asked by"),
    )  # fmt: skip
    approval_requested_at = models.DateTimeField(_("publication asked at"), null=True, blank=True)
    # Copied out of the definition for queries (kept in step by save()).
    name = models.CharField(_("name"), max_length=400)
    name_en = models.CharField(_("name in English"), max_length=400, blank=True)
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="versions", verbose_name=_("sector"))
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, db_index=True)
    online_level = models.CharField(_("online level"), max_length=10, choices=OnlineLevel.choices, db_index=True)
    deciding_agency = models.ForeignKey(
        "agencies.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("deciding agency"),
    )
    deciding_level = models.CharField(_("deciding level"), max_length=12, blank=True)
    agencies = models.ManyToManyField(
        "agencies.Agency", blank=True, related_name="procedure_versions", verbose_name=_("agencies involved")
    )
    search_text = models.TextField(_("search text"), blank=True, editable=False)

    class Meta:
        verbose_name = _("procedure version")
        verbose_name_plural = _("procedure versions")
        ordering = ["procedure__code", "-number"]
        constraints = [models.UniqueConstraint(fields=["procedure", "number"], name="procedure_version_unique")]
        indexes = [
            models.Index(fields=["status", "effective_from", "effective_to"], name="version_in_force_idx"),
        ]

    def __str__(self):
        return f"{self.procedure.code} v{self.number} ({self.get_status_display()})"

    def save(self, *args, **kwargs):
        self.checksum = definition_checksum(self.definition)
        if self.pk is not None:
            stored = ProcedureVersion.objects.filter(pk=self.pk).values("status", "checksum").first()
            if stored and stored["status"] != self.Status.DRAFT and stored["checksum"] != self.checksum:
                raise ImmutableVersionError("a published procedure version never changes; copy it into a new draft")
        super().save(*args, **kwargs)

    @property
    def display_name(self):
        return localize({"vi": self.name, "en": self.name_en or self.name})

    @property
    def spec(self):
        """The definition with the format's defaults applied."""
        cached = getattr(self, "_spec", None)
        if cached is None or cached.data is not self.definition:
            cached = self._spec = ProcedureDefinition(self.definition)
        return cached

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT

    def in_force_at(self, moment=None):
        moment = moment or timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.effective_from is not None
            and self.effective_from <= moment
            and (self.effective_to is None or moment < self.effective_to)
        )

    def state_label(self, moment=None):
        """Draft, in force, scheduled (published, not yet in force) or retired."""
        moment = moment or timezone.now()
        if self.status == self.Status.DRAFT:
            return _("Draft")
        if self.status == self.Status.RETIRED or (self.effective_to and self.effective_to <= moment):
            return _("Retired")
        if self.effective_from and self.effective_from > moment:
            return _("Scheduled")
        return _("In force")


def procedure_file_path(instance, filename):
    return f"procedure-files/{instance.procedure.code}/{filename}"


class ProcedureFile(models.Model):
    """A blank form the applicant downloads (``documents[].template`` names it)."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="files")
    filename = models.CharField(_("file name"), max_length=120, help_text=_("As named in the definition."))
    file = models.FileField(_("file"), upload_to=procedure_file_path)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("blank form")
        verbose_name_plural = _("blank forms")
        constraints = [models.UniqueConstraint(fields=["procedure", "filename"], name="procedure_file_unique")]

    def __str__(self):
        return f"{self.procedure.code}/{self.filename}"


# --- pinned definitions --------------------------------------------------------------------


@functools.lru_cache(maxsize=512)
def pinned_spec(version_id):
    """The definition of the published version a dossier pins, parsed once per process.

    A published version never changes (a change is a new version, see ``save``), so its id
    is enough of a key. Dossiers never pin a draft.
    """
    version = ProcedureVersion.objects.get(pk=version_id)
    if version.is_draft:
        raise ImmutableVersionError(f"version {version_id} is a draft; a dossier pins a published version")
    return version.spec
