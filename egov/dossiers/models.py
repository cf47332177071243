"""Dossiers (hồ sơ): what an applicant filed, its papers, its clock, its hand-overs, its fee.

Everything here is written by :mod:`egov.dossiers.services` only. The handling state
(which task is open, for which role at which agency) lives in the workflow
(:mod:`workflows.models`); the dossier keeps what the applicant, the register and the
statistics need to know.
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from egov.catalog.models import pinned_spec
from egov.common.text_search import fold
from egov.common.vocabulary import ApplicantType, Channel, Timeliness

LOOKUP_KEY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone


def new_lookup_key():
    return "".join(secrets.choice(LOOKUP_KEY_ALPHABET) for _ in range(8))


class DossierStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting intake")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Supplement requested")
    REFUSED = "refused", _("Refused at intake")
    REDIRECTED = "redirected", _("Not within scope")
    IN_PROGRESS = "in_progress", _("In processing")
    AWAITING_PARTNER = "awaiting_partner", _("Awaiting partner agencies")
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
    AWAITING_PAYMENT = "awaiting_payment", _("Awaiting payment")
    READY_FOR_RETURN = "ready_for_return", _("Result ready")
    RETURNED = "returned", _("Returned")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Where a dossier is still being handled. Module-level, so that an index condition can name it.
OPEN_DOSSIER_STATUSES = (
    DossierStatus.SUBMITTED, DossierStatus.SUPPLEMENT_REQUESTED, DossierStatus.IN_PROGRESS,
    DossierStatus.AWAITING_PARTNER, DossierStatus.AWAITING_APPROVAL, DossierStatus.AWAITING_PAYMENT,
    DossierStatus.READY_FOR_RETURN,
)  # fmt: skip


class Dossier(models.Model):
    Status = DossierStatus
    OPEN_STATUSES = OPEN_DOSSIER_STATUSES
    FINAL_STATUSES = (Status.REFUSED, Status.REDIRECTED, Status.RETURNED, Status.REJECTED, Status.WITHDRAWN)

    class Payment(models.TextChoices):
        NOT_REQUIRED = "not_required", _("No fee")
        PENDING = "pending", _("To be paid")
        PAID = "paid", _("Paid")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.CharField(_("dossier code"), max_length=60, unique=True, null=True, blank=True)
    lookup_key = models.CharField(_("lookup key"), max_length=12, default=new_lookup_key)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("applicant")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="dossiers_created",
        verbose_name=_("created by"),
    )
    version = models.ForeignKey(
        "catalog.ProcedureVersion",
        on_delete=models.PROTECT,
        related_name="dossiers",
        verbose_name=_("procedure version"),
    )
    procedure = models.ForeignKey(
        "catalog.Procedure", on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("procedure")
    )
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices, default=Channel.ONLINE)
    # Who the dossier is for (the rules' ``applicant.type``). For an organisation, the
    # organisation is the applicant of record and ``applicant`` its legal representative at
    # filing; ``representative`` is whoever filed on the applicant's behalf with an
    # authorisation paper (a parent, a lawyer, a company's staff member), else empty.
    # egov/dossiers/applicants.py reads these three as one "applicant of record".
    applicant_type = models.CharField(
        _("applicant type"), max_length=20, choices=ApplicantType.choices, default=ApplicantType.INDIVIDUAL
    )
    organization = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="dossiers",
        verbose_name=_("organisation applying"),
    )  # fmt: skip
    representative = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="dossiers_represented",
        verbose_name=_("filed on the applicant's behalf by"),
    )  # fmt: skip
    data = models.JSONField(_("form data"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=24, choices=Status.choices, default=Status.DRAFT)
    receiving_agency = models.ForeignKey(
        "agencies.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossiers_received",
        verbose_name=_("receiving unit"),
    )
    deciding_agency = models.ForeignKey(
        "agencies.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossiers_decided",
        verbose_name=_("deciding agency"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    # The legal due date, moved on by clock pauses (supplements requested during handling).
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    # The new date promised in the apology (Mẫu 04); the dossier is still judged on due_at.
    extended_due_at = models.DateTimeField(_("extended due at"), null=True, blank=True)
    issued_at = models.DateTimeField(_("result issued at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    timeliness = models.CharField(_("timeliness"), max_length=8, choices=Timeliness.choices, blank=True)
    time_limit = models.JSONField(_("time limit applied"), default=dict, blank=True)
    fee_amount = models.PositiveBigIntegerField(_("fee (VND)"), default=0)
    fee_lines = models.JSONField(_("fee lines"), default=list, blank=True)
    payment_status = models.CharField(
        _("payment"), max_length=14, choices=Payment.choices, default=Payment.NOT_REQUIRED
    )
    decision_note = models.TextField(_("reasons / decision note"), blank=True)
    apology_reason = models.TextField(_("reason for the delay"), blank=True)
    returned_how = models.CharField(_("how the result was collected"), max_length=20, blank=True)
    # The code and the applicant's name, folded (egov/common/text_search.py): what the queues
    # search, copied onto the dossier's tasks so that a search reads no other table. Kept in
    # step when the applicant's name changes (renamed, erased) and when the data are purged.
    # (db_default: rows written by a version that does not know the column yet get "")
    search_text = models.CharField(max_length=300, blank=True, default="", db_default="", editable=False)
    # Set when the retention period ran out and the personal data were removed (egov/privacy/retention.py).
    purged_at = models.DateTimeField(_("personal data removed at"), null=True, blank=True, editable=False)
    # Set when the applicant had their personal data erased while the archives law still keeps
    # this filed dossier: it stays, for that purpose only, until the purge (egov/privacy/stores.py).
    restricted_at = models.DateTimeField(_("restricted since"), null=True, blank=True, editable=False)
    due_soon_flagged_at = models.DateTimeField(null=True, blank=True, editable=False)
    overdue_flagged_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["applicant", "-created_at"], name="dossier_applicant_idx"),
            models.Index(fields=["receiving_agency", "status"], name="dossier_receiving_idx"),
            models.Index(fields=["deciding_agency", "status"], name="dossier_deciding_idx"),
            models.Index(fields=["status", "due_at"], name="dossier_status_due_idx"),
            models.Index(fields=["procedure", "submitted_at"], name="dossier_procedure_idx"),
            # The unit's register (Mẫu 07): a period's dossiers, and a dossier's entry number.
            models.Index(fields=["receiving_agency", "submitted_at"], name="dossier_register_idx"),
            # The operations centre's overdue list, in due-date order: open dossiers whose
            # result is not issued yet, a few thousand among millions; read in index order, the
            # first page stops after 50 rows instead of sorting every open dossier.
            models.Index(
                fields=["due_at"],
                condition=Q(status__in=OPEN_DOSSIER_STATUSES, issued_at__isnull=True),
                name="dossier_overdue_idx",
            ),
        ]

    def __str__(self):
        return self.code or f"{_('draft')} {str(self.pk)[:8]}"

    @property
    def audit_label(self):
        """What the audit trail copies of a dossier: its code, which names no one."""
        return self.code or ""

    @property
    def spec(self):
        # A version loaded with its definition is read from; one loaded without it (the
        # queues defer it) would fetch it per dossier, so the per-process cache is read instead.
        if self._meta.get_field("version").is_cached(self) and "definition" not in self.version.get_deferred_fields():
            return self.version.spec
        # The pinned version is published and never changes: parsed once per process.
        return pinned_spec(self.version_id)

    def searched_names(self):
        """The names the queues find a dossier by: the organisation applying, and the person."""
        names = [self.organization.name] if self.organization_id else []
        return " ".join([*names, self.applicant.full_name if self.applicant_id else ""])

    def set_search_text(self):
        """At submission, before the dossier is saved and its first task made."""
        self.search_text = search_text_of(self.code, self.searched_names())

    def write_search_text(self, text):
        """A saved dossier's new search text, on its row and its tasks' rows."""
        self.search_text = text
        Dossier.objects.filter(pk=self.pk).update(search_text=text)
        self.tasks.update(search_text=text)

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES

    @property
    def effective_due_at(self):
        return self.extended_due_at or self.due_at


class DossierCodeCounter(models.Model):
    """The last number given by a receiving unit on a day: ``NNNN`` of the dossier code."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "day"], name="dossier_code_counter_unique")]

    def __str__(self):
        return f"{self.agency_id} {self.day}: {self.last}"


def attachment_path(instance, filename):
    # The applicant's file name is never used as a path: it is kept as data only.
    return f"dossiers/{instance.dossier_id}/{uuid.uuid4().hex}.{instance.extension}"


class Attachment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="attachments")
    document_key = models.CharField(_("document"), max_length=60)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    extension = models.CharField(_("type"), max_length=8)
    content_type = models.CharField(_("content type"), max_length=100)
    # ``file``, ``size`` and ``sha256`` are the stored copy, the one served: for a PDF a rewrite
    # without scripts, actions, forms or embedded files (uploads.passive_pdf), for an image the
    # upload itself. ``original_size`` and ``original_sha256`` are the bytes received, kept as
    # evidence of what the applicant sent though those bytes are not kept.
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    original_size = models.PositiveBigIntegerField(_("size as received"))
    original_sha256 = models.CharField(_("SHA-256 as received"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    # Replaced papers are kept (amendments keep a history) but no longer count.
    replaced_at = models.DateTimeField(_("replaced at"), null=True, blank=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at"]
        indexes = [models.Index(fields=["dossier", "document_key"], name="attachment_dossier_idx")]

    def __str__(self):
        return f"{self.document_key}: {self.original_name}"


class SupplementRequest(models.Model):
    """A written request for more papers or corrections (Mẫu 02), and its answer."""

    class Stage(models.TextChoices):
        INTAKE = "intake", _("At intake (the clock has not started)")
        HANDLING = "handling", _("During handling (the clock is paused)")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="supplement_requests")
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    step_key = models.CharField(_("step"), max_length=60)
    documents = models.JSONField(_("documents to supply"), default=list, blank=True)
    fields = models.JSONField(_("fields to correct"), default=list, blank=True)
    reason = models.TextField(_("reason"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answer_note = models.TextField(_("applicant's note"), blank=True)

    class Meta:
        verbose_name = _("supplement request")
        verbose_name_plural = _("supplement requests")
        ordering = ["requested_at"]

    def __str__(self):
        return f"{self.dossier} {self.requested_at:%Y-%m-%d}"


class ClockPause(models.Model):
    """The legal clock stopped (start, end, reason); the due date moves by the paused time."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="clock_pauses")
    started_at = models.DateTimeField(_("paused from"))
    ended_at = models.DateTimeField(_("paused until"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200)
    supplement = models.OneToOneField(
        SupplementRequest, null=True, blank=True, on_delete=models.CASCADE, related_name="clock_pause"
    )

    class Meta:
        verbose_name = _("clock pause")
        verbose_name_plural = _("clock pauses")
        ordering = ["started_at"]

    def __str__(self):
        return f"{self.dossier}: {self.started_at:%Y-%m-%d} – {self.ended_at or '…'}"


class Handover(models.Model):
    """One row of the process control slip (Mẫu 06). Append-only: history is never rewritten."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="handovers")
    step_key = models.CharField(_("step"), max_length=60)
    step_name = models.JSONField(_("step name"), default=dict)
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    giver = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    receiver_role = models.CharField(_("received by role"), max_length=30, blank=True)
    receiver_agency = models.ForeignKey(
        "agencies.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handed_at = models.DateTimeField(_("handed over at"))
    step_started_at = models.DateTimeField(_("step started at"), null=True, blank=True)
    step_due_at = models.DateTimeField(_("step due at"), null=True, blank=True)
    timeliness = models.CharField(_("timeliness"), max_length=8, choices=Timeliness.choices, blank=True)
    outcome = models.CharField(_("outcome"), max_length=30)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("hand-over")
        verbose_name_plural = _("control slip")
        ordering = ["handed_at", "pk"]

    def __str__(self):
        return f"{self.dossier} {self.step_key} → {self.outcome}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("the control slip is append-only")
        super().save(*args, **kwargs)

    @property
    def step_label(self):
        """The step handed over, as people call it (workflows.models.step_label)."""
        from workflows.models import step_label

        return step_label(self.step_key, self.step_name)


class Payment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        PAID = "paid", _("Paid")
        CANCELLED = "cancelled", _("Cancelled")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="payments")
    amount = models.PositiveBigIntegerField(_("amount (VND)"))
    provider = models.CharField(_("provider"), max_length=30)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.dossier} {self.amount} ({self.status})"


class Rating(models.Model):
    """The applicant's rating of the service once the result is returned (1–5 and a comment)."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="rating")
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("rated at"), auto_now_add=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [models.CheckConstraint(condition=models.Q(score__gte=1, score__lte=5), name="rating_1_to_5")]

    def __str__(self):
        return f"{self.dossier}: {self.score}/5"


def search_text_of(code, name=""):
    """What the queues search: the code and the applicant's name, folded."""
    return fold(f"{code or ''} {name}")[:300]


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def _applicant_renamed(sender, instance, created=False, update_fields=None, **kwargs):
    """A renamed or erased applicant: the queues find their dossiers by the new name only."""
    if created or (update_fields is not None and "full_name" not in update_fields):
        return
    for dossier in Dossier.objects.filter(applicant=instance, code__isnull=False).select_related("organization"):
        dossier.applicant = instance
        text = search_text_of(dossier.code, dossier.searched_names())
        if text != dossier.search_text:
            dossier.write_search_text(text)


class VersionMove(models.Model):
    """An open dossier moved to a newer version of its procedure, by an administrator's plan
    (egov/dossiers/services/versions.py). ``before`` keeps what the move changed so that it
    can be put back until the next hand-over."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="version_moves")
    from_version = models.ForeignKey(
        "catalog.ProcedureVersion", on_delete=models.PROTECT, related_name="+", verbose_name=_("from version")
    )
    to_version = models.ForeignKey(
        "catalog.ProcedureVersion", on_delete=models.PROTECT, related_name="+", verbose_name=_("to version")
    )
    before = models.JSONField(_("before"), default=dict)
    after = models.JSONField(_("after"), default=dict)
    moved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    moved_at = models.DateTimeField(_("moved at"))
    reverted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reverted_at = models.DateTimeField(_("reverted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("move to another version")
        verbose_name_plural = _("moves to another version")
        ordering = ["-moved_at"]

    def __str__(self):
        return f"{self.dossier}: v{self.before.get('number')} → v{self.after.get('number')}"
