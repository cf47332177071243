"""The workflow state of a dossier: one viewflow process per dossier, one task per step.

Viewflow's own Process/Task tables would make an officer's queue a join across generic
columns. A province has tens of thousands of open tasks, so the task row itself carries
what the queue filters on (role, agency, status, owner, deadline) under composite indexes.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import AbstractProcess, AbstractTask
from viewflow.workflow.status import STATUS

from egov.common.text import localize
from egov.common.vocabulary import Role

OPEN_TASK_STATUSES = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


class DossierProcess(AbstractProcess):
    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="process", verbose_name=_("dossier")
    )
    data = models.JSONField(default=dict, blank=True)
    # Where the dossier stands in the pinned version's ``steps``: the flow routes on it, and
    # on the outcome of the task completing (written on the task).
    step_index = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("dossier process")
        verbose_name_plural = _("dossier processes")

    def __str__(self):
        return f"{self.dossier} ({self.status})"


class DossierTask(AbstractTask):
    class Kind(models.TextChoices):
        INTAKE = "intake", _("Intake")
        STEP = "step", _("Handling step")
        CONSULT = "consult", _("Consultation")
        PAYMENT = "payment", _("Payment")
        RETURN = "return", _("Return of the result")
        SUPPLEMENT = "supplement", _("Awaiting the applicant")
        SYSTEM = "system", _("Engine")

    process = models.ForeignKey(DossierProcess, on_delete=models.CASCADE, related_name="task_set")
    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="tasks", verbose_name=_("dossier")
    )
    data = models.JSONField(default=dict, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.SYSTEM)
    step_key = models.CharField(_("step"), max_length=60, blank=True)
    step_index = models.SmallIntegerField(null=True, blank=True)
    role = models.CharField(_("role"), max_length=30, blank=True)
    agency = models.ForeignKey(
        "agencies.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
        verbose_name=_("agency"),
    )
    # When the step's internal budget runs out (budget_hours of office time).
    due_at = models.DateTimeField(_("step due at"), null=True, blank=True)
    # The dossier's legal due date, kept on its open tasks so that the queues filter and sort
    # by it without joining every task of a queue to its dossier (egov/dossiers/services/clock.py
    # moves it when a pause shifts the date).
    dossier_due_at = models.DateTimeField(_("dossier due at"), null=True, blank=True)
    # The dossier's search_text (code and applicant, folded): the queues search their own rows.
    search_text = models.CharField(max_length=300, blank=True, default="", db_default="")
    flagged_at = models.DateTimeField(_("flagged overdue at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=30, blank=True)
    note = models.TextField(_("note"), blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["created"]
        indexes = [
            # the team queue: open, unassigned tasks for (role, agency), oldest first
            models.Index(fields=["role", "agency", "status", "created"], name="task_queue_idx"),
            # my tasks
            models.Index(fields=["owner", "status", "created"], name="task_owner_idx"),
            # the timer sweep
            models.Index(fields=["status", "due_at"], name="task_due_idx"),
            # the team queue by legal due date
            models.Index(fields=["role", "agency", "status", "dossier_due_at"], name="task_queue_due_idx"),
        ]

    def __str__(self):
        return f"{self.dossier} {self.step_key or self.kind} ({self.status})"

    def save(self, *args, **kwargs):
        # viewflow's own gateway and waiting tasks belong to the process's dossier too.
        if self.dossier_id is None:
            self.dossier_id = self.process.dossier_id
        super().save(*args, **kwargs)

    @property
    def is_open(self):
        return self.status in OPEN_TASK_STATUSES

    @property
    def step_name(self):
        """The task as people call it: its step's name in the dossier's procedure (a consultation:
        the consulting step's), else its kind (intake, payment, return of the result)."""
        if self.step_index is not None and self.step_index >= 0:
            return self.dossier.spec.steps[self.step_index].name()
        return self.get_kind_display()

    @property
    def role_label(self):
        return role_label(self.role)


def role_label(role):
    """A role as people call it (egov/common/vocabulary.py): never its code."""
    return Role(role).label if role in Role.values else role


def step_label(key, name=None):
    """A step of the control slip as people call it: its name as the procedure gave it ({vi, en}),
    else the engine's own task that the key stands for (intake, payment, return of the result)."""
    if name:
        return localize(name)
    if key in DossierTask.Kind.values:
        return DossierTask.Kind(key).label
    return key
